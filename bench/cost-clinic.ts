/**
 * A clinic that lives for a month, for the cost simulation: what Config's advanced query, the IAM
 * credential report and AWS Backup would show on each day. Items are AWS's own samples (and the
 * shaped items of test/fixtures/ci) with new ids, as bench/generate.ts makes them. Every block of
 * 150 recorded resources holds what the README's cost example assumes: 12 IAM users, 10 instances
 * (with root volumes, SSM agents and daily patch scans), 60 data stores backed up daily at 05:00 by
 * a tag-based selection. Each day about 1% of the verdicts change (a seeded random pick): MFA
 * switched, a patch missing or installed, an SSM agent lost or back, a backup tag removed or
 * restored, backups failing or fixed, a data volume created or deleted.
 */
import { eventStyleItem } from '../test/helpers/config-events.js';
import type { QueryRow } from '../test/helpers/config-store.js';
import { SAMPLE, SHAPED, sampleText } from '../test/helpers/samples.js';

type Json = Record<string, unknown>;

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const START = new Date('2026-12-01T00:00:00.000Z');
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const PLAN_ID = '8a5f3c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b';
const CREATED = '2025-03-02T14:00:00.000Z';

/** Verdicts one block gives per run: root MFA, EBS default, 12 users, 10 + 10 instance checks, 60 + 60 backup checks. */
export const VERDICTS_PER_BLOCK = 154;

interface User {
  readonly id: string;
  readonly name: string;
  readonly password: boolean;
  mfa: boolean;
}

interface Instance {
  readonly id: string;
  readonly rootVolume: string;
  readonly running: boolean;
  managed: boolean;
  missingPatch: boolean;
  tagged: boolean;
  backupFails: boolean;
  lastBackupDay: number;
}

type StoreKind = 'volume' | 'rds' | 'table' | 'efs';

interface DataStore {
  readonly kind: StoreKind;
  readonly id: string;
  readonly arn: string;
  readonly attachedTo?: string;
  readonly createdDay: number;
  tagged: boolean;
  backupFails: boolean;
  lastBackupDay: number;
  deleted: boolean;
}

/** mulberry32: a small seeded generator, so every mode of the bench sees the same month. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const tagsOf = (tagged: boolean, name: string): Record<string, string> => (tagged ? { Name: name, backup: 'daily' } : { Name: name });

/** An advanced-query row (the shape of test/helpers/config-events.ts queryResult, with relationships and creation time). */
function row(resourceType: string, sample: string, changes: Json): QueryRow {
  const item = eventStyleItem(sample, changes);
  return {
    resourceType,
    json: JSON.stringify({
      accountId: ACCOUNT,
      awsRegion: typeof changes.awsRegion === 'string' ? changes.awsRegion : REGION,
      arn: item.ARN,
      resourceId: item.resourceId,
      resourceName: item.resourceName,
      resourceType,
      resourceCreationTime: item.resourceCreationTime ?? CREATED,
      configurationItemCaptureTime: CREATED,
      configurationItemStatus: 'OK',
      tags: Object.entries((item.tags as Record<string, string> | undefined) ?? {}).map(([key, value]) => ({ key, value })),
      relationships: item.relationships ?? [],
      configuration: item.configuration,
      supplementaryConfiguration: item.supplementaryConfiguration ?? {},
    }),
  };
}

function configurationOf(sample: string): Json {
  return structuredClone(eventStyleItem(sample).configuration) as Json;
}

/** AWS's SSM inventory sample with its long software lists cut (the rule reads only that the item exists). */
function smallInventory(): Json {
  const configuration = configurationOf(SAMPLE.ssmInventory) as Record<string, { Content?: unknown }>;
  for (const entry of Object.values(configuration)) {
    if (Array.isArray(entry.Content)) entry.Content = entry.Content.slice(0, 3);
  }
  return configuration;
}

export class SimulatedClinic {
  readonly users: User[] = [];
  readonly instances: Instance[] = [];
  readonly stores: DataStore[] = [];
  private readonly next: () => number;
  private created = 0;
  /** Changes owed to the daily rate, carried so that about 1% of the verdicts change a day at any size. */
  private owed = 0;
  private day = 0;
  private readonly templates = {
    volume: configurationOf(SAMPLE.volume),
    instance: configurationOf(SAMPLE.instance),
    rds: configurationOf(SAMPLE.dbInstance),
    table: configurationOf(SAMPLE.table),
    efs: configurationOf(SAMPLE.efs),
    user: configurationOf(SAMPLE.iamUser),
    inventory: smallInventory(),
    patch: configurationOf(SHAPED.patchCompliance),
    recoveryPoint: configurationOf(SHAPED.recoveryPoint),
    plan: configurationOf(SHAPED.backupPlan),
  };
  private readonly reportHeader = sampleText(SAMPLE.credentialReport).split('\n')[0] ?? '';

  /** A clinic of `blocks` × 150 recorded resources, its month decided by `seed`. */
  constructor(
    readonly blocks: number,
    seed = 20261201,
  ) {
    this.next = random(seed);
    for (let b = 0; b < blocks; b++) {
      for (let u = 0; u < 12; u++)
        this.users.push({ id: `AIDA2CLINIC${hex(b, 3)}USER${hex(u, 2)}`.toUpperCase(), name: `staff-${b}-${u}`, password: u < 10, mfa: u !== 3 });
      for (let i = 0; i < 10; i++) {
        const id = `i-0c1a${hex(b, 4)}${hex(i, 9)}`;
        const rootVolume = `vol-0c1a${hex(b, 4)}${hex(i, 9)}`;
        this.instances.push({ id, rootVolume, running: i !== 9, managed: i !== 8, missingPatch: i === 7, tagged: true, backupFails: false, lastBackupDay: 0 });
        this.stores.push({
          kind: 'volume',
          id: rootVolume,
          arn: this.arnOf('volume', rootVolume),
          attachedTo: id,
          createdDay: -400,
          tagged: false,
          backupFails: false,
          lastBackupDay: 0,
          deleted: false,
        });
      }
      for (let v = 0; v < 20; v++) {
        const id = `vol-0d2b${hex(b, 4)}${hex(v, 9)}`;
        const attachedTo = v < 10 ? this.instances[b * 10 + v]?.id : undefined;
        this.stores.push({
          kind: 'volume',
          id,
          arn: this.arnOf('volume', id),
          ...(attachedTo !== undefined && { attachedTo }),
          createdDay: -400,
          tagged: attachedTo === undefined && v !== 19,
          backupFails: false,
          lastBackupDay: 0,
          deleted: false,
        });
      }
      const kinds: [StoreKind, number][] = [
        ['rds', 10],
        ['table', 5],
        ['efs', 5],
      ];
      for (const [kind, count] of kinds) {
        for (let n = 0; n < count; n++) {
          const id = kind === 'rds' ? `clinic-db-${b}-${n}` : kind === 'table' ? `clinic-table-${b}-${n}` : `fs-0e3c${hex(b, 4)}${hex(n, 9)}`;
          this.stores.push({
            kind,
            id,
            arn: this.arnOf(kind, id),
            createdDay: -400,
            tagged: n !== 0 || kind !== 'rds',
            backupFails: false,
            lastBackupDay: 0,
            deleted: false,
          });
        }
      }
    }
  }

  /** Verdicts a run gives: what 1% of a day's changes is taken from. */
  get verdictsPerRun(): number {
    return this.blocks * VERDICTS_PER_BLOCK;
  }

  private arnOf(kind: StoreKind | 'instance', id: string): string {
    switch (kind) {
      case 'volume':
        return `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${id}`;
      case 'instance':
        return `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`;
      case 'rds':
        return `arn:aws:rds:${REGION}:${ACCOUNT}:db:${id}`;
      case 'table':
        return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${id}`;
      case 'efs':
        return `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`;
    }
  }

  private pick<T>(list: readonly T[]): T | undefined {
    return list.length === 0 ? undefined : list[Math.floor(this.next() * list.length)];
  }

  /**
   * The morning of `day` (day 0 is the first run's): about 1% of the verdicts change, then the 05:00
   * backups run. A change moves 1.5 verdicts on average (a backup tag removed fails coverage now and
   * the recovery point a day later; a new volume brings two verdicts), hence 1% / 1.5 changes.
   */
  startDay(day: number): void {
    this.day = day;
    if (day > 0) {
      this.owed += this.verdictsPerRun / 100 / 1.5;
      for (; this.owed >= 1; this.owed--) this.change(day);
    }
    for (const instance of this.instances) if (instance.running && instance.tagged && !instance.backupFails) instance.lastBackupDay = day;
    for (const store of this.stores) if (!store.deleted && store.tagged && !store.backupFails && store.createdDay < day) store.lastBackupDay = day;
  }

  private change(day: number): void {
    const running = this.instances.filter((i) => i.running);
    const backedUp = this.stores.filter((s) => !s.deleted && s.attachedTo === undefined);
    switch (Math.floor(this.next() * 6)) {
      case 0: {
        const user = this.pick(this.users.filter((u) => u.password));
        if (user) user.mfa = !user.mfa;
        break;
      }
      case 1: {
        const instance = this.pick(running);
        if (instance) instance.missingPatch = !instance.missingPatch;
        break;
      }
      case 2: {
        const instance = this.pick(running);
        if (instance) instance.managed = !instance.managed;
        break;
      }
      case 3: {
        const target = this.pick<Instance | DataStore>([...running, ...backedUp]);
        if (target) target.tagged = !target.tagged;
        break;
      }
      case 4: {
        const target = this.pick<Instance | DataStore>([...running, ...backedUp].filter((t) => t.tagged));
        if (target) target.backupFails = !target.backupFails;
        break;
      }
      default: {
        const volumes = this.stores.filter((s) => !s.deleted && s.kind === 'volume' && s.attachedTo === undefined);
        const gone = this.next() < 0.5 ? this.pick(volumes) : undefined;
        if (gone) gone.deleted = true;
        else {
          const id = `vol-0f4d${hex(this.created++, 13)}`;
          this.stores.push({
            kind: 'volume',
            id,
            arn: this.arnOf('volume', id),
            createdDay: day,
            tagged: true,
            backupFails: false,
            lastBackupDay: -1,
            deleted: false,
          });
        }
      }
    }
  }

  /** Every item the advanced query returns on `day`. */
  rows(day: number): QueryRow[] {
    const t = this.templates;
    const at = (hours: number) => new Date(START.getTime() + day * DAY_MS + hours * HOUR_MS).toISOString();
    const out: QueryRow[] = [
      row('AWS::Backup::BackupPlan', SHAPED.backupPlan, {
        resourceId: PLAN_ID,
        ARN: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:${PLAN_ID}`,
        configuration: t.plan,
      }),
    ];
    for (const user of this.users) {
      const arn = `arn:aws:iam::${ACCOUNT}:user/${user.name}`;
      out.push(
        row('AWS::IAM::User', SAMPLE.iamUser, {
          resourceId: user.id,
          resourceName: user.name,
          ARN: arn,
          awsRegion: 'global',
          configuration: { ...t.user, userName: user.name, userId: user.id, arn },
        }),
      );
    }
    for (const instance of this.instances) {
      out.push(
        row('AWS::EC2::Instance', SAMPLE.instance, {
          resourceId: instance.id,
          ARN: this.arnOf('instance', instance.id),
          tags: tagsOf(instance.tagged, instance.id),
          configuration: { ...t.instance, instanceId: instance.id, state: instance.running ? { code: 16, name: 'running' } : { code: 80, name: 'stopped' } },
        }),
      );
      if (instance.managed) {
        const relationships = [{ resourceType: 'AWS::EC2::Instance', resourceId: instance.id, relationshipName: 'Is associated with ' }];
        out.push(
          row('AWS::SSM::ManagedInstanceInventory', SAMPLE.ssmInventory, {
            resourceId: instance.id,
            resourceName: '',
            ARN: undefined,
            relationships,
            configuration: t.inventory,
          }),
        );
      }
      out.push(this.patchRow(instance, at(3 + 40 / 60)));
      if (instance.lastBackupDay >= 0) out.push(this.recoveryPointRow(this.arnOf('instance', instance.id), instance.lastBackupDay));
    }
    for (const store of this.stores) {
      if (store.deleted) continue;
      out.push(this.storeRow(store, at(-24 * (day - store.createdDay))));
      if (store.tagged && store.lastBackupDay >= 0 && store.attachedTo === undefined) out.push(this.recoveryPointRow(store.arn, store.lastBackupDay));
    }
    return out;
  }

  private storeRow(store: DataStore, created: string): QueryRow {
    const t = this.templates;
    const common = {
      resourceId: store.id,
      ARN: store.arn,
      tags: tagsOf(store.tagged, store.id),
      resourceCreationTime: store.createdDay < -300 ? CREATED : created,
    };
    switch (store.kind) {
      case 'volume':
        return row('AWS::EC2::Volume', SAMPLE.volume, {
          ...common,
          relationships:
            store.attachedTo === undefined
              ? []
              : [{ resourceType: 'AWS::EC2::Instance', resourceId: store.attachedTo, relationshipName: 'Is attached to Instance' }],
          configuration: {
            ...t.volume,
            volumeId: store.id,
            attachments: store.attachedTo === undefined ? [] : [{ volumeId: store.id, instanceId: store.attachedTo, state: 'attached' }],
          },
        });
      case 'rds':
        return row('AWS::RDS::DBInstance', SAMPLE.dbInstance, {
          ...common,
          resourceName: store.id,
          configuration: { ...t.rds, dBInstanceIdentifier: store.id, dBClusterIdentifier: null, readReplicaSourceDBInstanceIdentifier: null },
        });
      case 'table':
        return row('AWS::DynamoDB::Table', SAMPLE.table, {
          ...common,
          resourceName: store.id,
          configuration: { ...t.table, tableName: store.id, tableArn: store.arn },
        });
      case 'efs':
        return row('AWS::EFS::FileSystem', SAMPLE.efs, { ...common, configuration: { ...t.efs, FileSystemId: store.id, Arn: store.arn } });
    }
  }

  private patchRow(instance: Instance, scanned: string): QueryRow {
    const configuration = structuredClone(this.templates.patch) as { 'AWS:ComplianceItem': { Content: { Patch: Record<string, Json> } } };
    const patches = configuration['AWS:ComplianceItem'].Content.Patch;
    const summary = patches.ComplianceSummary as Json;
    summary.ExecutionTime = instance.running ? scanned : new Date(START.getTime() - 40 * DAY_MS).toISOString();
    const update = patches.KB5044281 as Json;
    if (instance.missingPatch) Object.assign(update, { Status: 'NON_COMPLIANT', PatchState: 'Missing', InstalledTime: '' });
    summary.Status = instance.missingPatch ? 'NON_COMPLIANT' : 'COMPLIANT';
    summary.NonCompliantCriticalCount = instance.missingPatch ? 1 : 0;
    return row('AWS::SSM::PatchCompliance', SHAPED.patchCompliance, {
      resourceId: `AWS::SSM::ManagedInstanceInventory/${instance.id}`,
      resourceName: instance.id,
      configuration,
    });
  }

  private recoveryPointRow(resourceArn: string, backupDay: number): QueryRow {
    const created = new Date(START.getTime() + backupDay * DAY_MS + 5 * HOUR_MS);
    const uuid = `${resourceArn.split(/[/:]/).pop() ?? 'x'}-${backupDay}`;
    const arn = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:${uuid}`;
    return row('AWS::Backup::RecoveryPoint', SHAPED.recoveryPoint, {
      resourceId: arn,
      resourceName: uuid,
      ARN: arn,
      resourceCreationTime: created.toISOString(),
      configuration: {
        ...this.templates.recoveryPoint,
        RecoveryPointArn: arn,
        ResourceArn: resourceArn,
        CreationDate: created.toISOString(),
        CompletionDate: new Date(created.getTime() + 11 * 60_000).toISOString(),
      },
    });
  }

  /** Systems Manager's patch compliance summaries (ListResourceComplianceSummaries): each node's last scan, 03:40 today. */
  patchSummaries(): {
    ComplianceType: string;
    ResourceType: string;
    ResourceId: string;
    Status: 'COMPLIANT' | 'NON_COMPLIANT';
    ExecutionSummary: { ExecutionTime: Date };
  }[] {
    return this.instances.map((instance) => ({
      ComplianceType: 'Patch',
      ResourceType: 'ManagedInstance',
      ResourceId: instance.id,
      Status: instance.missingPatch ? 'NON_COMPLIANT' : 'COMPLIANT',
      ExecutionSummary: {
        ExecutionTime: instance.running ? new Date(START.getTime() + this.day * DAY_MS + (3 * 60 + 40) * 60_000) : new Date(START.getTime() - 40 * DAY_MS),
      },
    }));
  }

  /** The IAM credential report of the day, in the 22 columns of AWS's sample. */
  credentialReport(): string {
    const cells = (user: string, arn: string, password: string, mfa: boolean) =>
      [
        user,
        arn,
        '2025-03-02T14:00:00+00:00',
        password,
        'N/A',
        password === 'true' ? '2025-03-02T14:20:00+00:00' : 'N/A',
        'N/A',
        String(mfa),
        'false',
        'N/A',
        'N/A',
        'N/A',
        'N/A',
        'false',
        'N/A',
        'N/A',
        'N/A',
        'N/A',
        'false',
        'N/A',
        'false',
        'N/A',
      ].join(',');
    return [
      this.reportHeader,
      cells('<root_account>', `arn:aws:iam::${ACCOUNT}:root`, 'not_supported', true),
      ...this.users.map((u) => cells(u.name, `arn:aws:iam::${ACCOUNT}:user/${u.name}`, String(u.password), u.mfa)),
    ].join('\n');
  }

  /** The selection `aws backup get-backup-selection` prints: everything tagged backup=daily. */
  backupSelection(): Json {
    return {
      BackupPlanId: PLAN_ID,
      SelectionId: '3f7a9c1e-5b2d-4c8e-a1f0-6d4b2e9c7a15',
      BackupSelection: {
        SelectionName: 'tagged-daily',
        IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`,
        Resources: [],
        ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }],
      },
    };
  }
}
