/**
 * The one live inventory loader: what the periodic evaluator reads before it runs a rule, and what
 * `npm run scan -- --live` reads before it runs them all. Configuration items come from the Config
 * advanced query; every other input (`needs` in a rule) is one entry of LIVE_INPUTS: its loader and the
 * AWS calls it makes (declared, so the deployed IAM, the permission tests and the assessor policy follow
 * from it). Whether it is read once per account or in each Region is the input's declaration in
 * rules/inputs.ts. Adding a live input is one declaration there and one entry here.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { parseLiveBackupSelections } from '../../rules/backup/selection.js';
import { recordedTypes, type CatalogEntry } from '../../rules/catalog.js';
import { parseCredentialReport } from '../../rules/credential-report.js';
import type { ConfigurationItem, SkippedItem } from '../../rules/inventory.js';
import { EXTRA_INPUT_KINDS, type ExtraInput } from '../../rules/inputs.js';
import type { InventoryExtras } from '../../rules/types.js';
import { BackupAdapter } from '../backup/adapter.js';
import type { CloudTrailAdapter } from '../cloudtrail/adapter.js';
import { ConfigAdapter } from '../config/adapter.js';
import { Ec2Adapter } from '../ec2/adapter.js';
import type { GuardDutyAdapter } from '../guardduty/adapter.js';
import { CredentialReportAdapter } from '../iam/credential-report.js';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClientSettings } from '../shared/clients.js';
import { lazy, type Lazy } from '../shared/lazy.js';
import type { DeclaredCall } from '../shared/permissions.js';
import { SsmAdapter } from '../ssm/adapter.js';

/** The adapters the loader reads through, in one account and Region. */
export interface LiveReaders {
  readonly config: ConfigAdapter;
  readonly credentialReport: CredentialReportAdapter;
  readonly backup: BackupAdapter;
  readonly ec2: Ec2Adapter;
  readonly ssm: SsmAdapter;
  /** Built on first use: only the trail rule needs CloudTrail's SDK client. */
  readonly cloudTrail: Lazy<CloudTrailAdapter>;
  /** Built on first use: only the GuardDuty rules need GuardDuty's SDK client. */
  readonly guardDuty: Lazy<GuardDutyAdapter>;
}

/** Where a read happens: the account read and the Region its clients call. */
export interface Place {
  readonly accountId: string;
  readonly region: string;
}

/** A call without its deployment condition: the loader makes it whenever its input is needed. */
export type LoaderCall = Omit<DeclaredCall, 'when'>;

export interface LiveInput {
  /** Names the stage in the CLI's progress display. */
  readonly label: string;
  readonly calls: readonly LoaderCall[];
  load(readers: LiveReaders, place: Place): Promise<InventoryExtras>;
}

const BACKUP_PLANS = { arn: 'arn:{partition}:backup:{region}:{account}:backup-plan:*' };
/**
 * A multi-Region trail is read by its home-Region ARN, so any Region. The organization's trail is read by
 * the management account's ARN, which CloudTrail admits for member accounts on its own (trails have no
 * resource policy an IAM simulation could weigh); the role therefore allows trails of any account, and
 * the simulated request is the monitored account's own trail.
 */
const ANY_TRAIL = { arn: 'arn:{partition}:cloudtrail:*:{account}:trail/*' };

/** Every input besides configuration items, by the `needs` kind rules declare. */
export const LIVE_INPUTS: { readonly [K in ExtraInput]: LiveInput } = {
  credentialReport: {
    label: 'IAM credential report',
    calls: [
      { command: 'GenerateCredentialReportCommand', action: 'iam:GenerateCredentialReport', resource: '*', account: 'monitored' },
      { command: 'GetCredentialReportCommand', action: 'iam:GetCredentialReport', resource: '*', account: 'monitored' },
    ],
    async load(readers, { accountId }) {
      const { text, generatedAt } = await readers.credentialReport.fetch();
      const report = parseCredentialReport(text, 'IAM GetCredentialReport');
      return { credentialReports: [{ ...report, accountId: report.accountId ?? accountId, ...(generatedAt && { generatedAt: generatedAt.toISOString() }) }] };
    },
  },
  backupSelections: {
    label: 'backup selections',
    calls: [
      { command: 'ListBackupPlansCommand', action: 'backup:ListBackupPlans', resource: '*', account: 'monitored' },
      { command: 'ListBackupSelectionsCommand', action: 'backup:ListBackupSelections', resource: BACKUP_PLANS, account: 'monitored' },
      { command: 'GetBackupSelectionCommand', action: 'backup:GetBackupSelection', resource: BACKUP_PLANS, account: 'monitored' },
    ],
    async load(readers, place) {
      // Every selection of every plan in this account and Region: the selections' Config items add nothing.
      return {
        backupSelections: parseLiveBackupSelections(await readers.backup.selections(), 'AWS Backup GetBackupSelection', place),
        backupSelectionsComplete: true,
      };
    },
  },
  ebsEncryptionByDefault: {
    label: 'EBS encryption by default',
    calls: [{ command: 'GetEbsEncryptionByDefaultCommand', action: 'ec2:GetEbsEncryptionByDefault', resource: '*', account: 'monitored' }],
    async load(readers, place) {
      return { accountSettings: [{ ...place, ebsEncryptionByDefault: await readers.ec2.ebsEncryptionByDefault() }] };
    },
  },
  patchScanTimes: {
    label: 'patch scan times',
    calls: [{ command: 'ListResourceComplianceSummariesCommand', action: 'ssm:ListResourceComplianceSummaries', resource: '*', account: 'monitored' }],
    async load(readers, place) {
      const scans = await readers.ssm.patchScanTimes();
      return {
        patchScans: scans.map((scan) => ({
          ...place,
          resourceId: scan.resourceId,
          ...(scan.executionTime && { executionTime: scan.executionTime.getTime() }),
        })),
      };
    },
  },
  cloudTrailTrails: {
    label: 'CloudTrail trails',
    calls: [
      { command: 'DescribeTrailsCommand', action: 'cloudtrail:DescribeTrails', resource: '*', account: 'monitored' },
      { command: 'GetTrailStatusCommand', action: 'cloudtrail:GetTrailStatus', resource: ANY_TRAIL, account: 'monitored' },
    ],
    async load(readers, place) {
      return { accountSettings: [{ ...place, cloudTrailTrails: await (await readers.cloudTrail()).trails() }] };
    },
  },
  guardDutyDetectors: {
    label: 'GuardDuty detectors',
    calls: [
      { command: 'ListDetectorsCommand', action: 'guardduty:ListDetectors', resource: '*', account: 'monitored' },
      {
        command: 'GetDetectorCommand',
        action: 'guardduty:GetDetector',
        resource: { arn: 'arn:{partition}:guardduty:{region}:{account}:detector/*' },
        account: 'monitored',
      },
    ],
    async load(readers, place) {
      return { accountSettings: [{ ...place, guardDutyDetectors: await (await readers.guardDuty()).detectors() }] };
    },
  },
};

/** The advanced query that reads configuration items. */
export const CONFIG_QUERY_CALL: LoaderCall = {
  command: 'SelectResourceConfigCommand',
  action: 'config:SelectResourceConfig',
  resource: '*',
  account: 'monitored',
};

/** Every call of the loader, each under the condition that makes it (an input is read only when a rule needs it). */
export const LOADER_CALLS: readonly DeclaredCall[] = [
  CONFIG_QUERY_CALL,
  ...EXTRA_INPUT_KINDS.flatMap((kind) => LIVE_INPUTS[kind].calls.map((call) => ({ ...call, when: { needs: kind } }))),
];

/** What a set of rules needs read: the union of their item types and of their other inputs. */
export interface InventoryRequest {
  readonly types: readonly string[];
  readonly needs: readonly ExtraInput[];
}

export function requestFor(entries: readonly CatalogEntry[]): InventoryRequest {
  return { types: [...new Set(entries.flatMap((entry) => recordedTypes(entry)))], needs: [...new Set(entries.flatMap((entry) => entry.needs ?? []))] };
}

/** Reads configuration items: the Config-based part of a rule's inputs. */
export function readsConfigItems(entry: CatalogEntry): boolean {
  return recordedTypes(entry).length > 0;
}

/** Merges extras of separate loads (each input fills its own fields). */
export function mergeExtras(parts: readonly InventoryExtras[]): InventoryExtras {
  const merged: { -readonly [K in keyof InventoryExtras]: InventoryExtras[K] } = {};
  for (const part of parts) {
    if (part.credentialReports) merged.credentialReports = [...(merged.credentialReports ?? []), ...part.credentialReports];
    if (part.backupSelections) merged.backupSelections = [...(merged.backupSelections ?? []), ...part.backupSelections];
    if (part.backupSelectionsComplete !== undefined)
      merged.backupSelectionsComplete = (merged.backupSelectionsComplete ?? true) && part.backupSelectionsComplete;
    if (part.accountSettings) merged.accountSettings = [...(merged.accountSettings ?? []), ...part.accountSettings];
    if (part.patchScans) merged.patchScans = [...(merged.patchScans ?? []), ...part.patchScans];
  }
  return merged;
}

export interface LoadedInventory {
  readonly items: ConfigurationItem[];
  readonly skipped: SkippedItem[];
  readonly extras: InventoryExtras;
}

/** The current configuration items of the given types (none asked: no call). */
export function loadConfigItems(
  readers: LiveReaders,
  types: readonly string[],
  onPage?: (rowsRead: number) => void,
): Promise<{ items: ConfigurationItem[]; skipped: SkippedItem[] }> {
  return readers.config.selectItems(types, onPage);
}

/** Everything the request names, in one account and Region, read concurrently; the first failure fails the load. */
export async function loadInventory(request: InventoryRequest, readers: LiveReaders, place: Place): Promise<LoadedInventory> {
  const [{ items, skipped }, ...parts] = await Promise.all([
    loadConfigItems(readers, request.types),
    ...request.needs.map((kind) => LIVE_INPUTS[kind].load(readers, place)),
  ]);
  return { items, skipped, extras: mergeExtras(parts) };
}

/** Client configuration: the shared retry policy, and the account's credentials where they are not the default chain's. */
export type LiveClientSettings = ClientSettings & { readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider; readonly profile?: string };

export type LiveClient = ConfigServiceClient | IAMClient | BackupClient | EC2Client | SSMClient | CloudTrailClient | GuardDutyClient;

export interface LiveReadersOptions {
  /** Called with each client built (the CLI adds a middleware naming the failed call in errors). */
  readonly configure?: (client: LiveClient) => void;
  readonly credentialReportSleep?: (ms: number) => Promise<void>;
}

/** The readers on clients built from `settings` (called once per client: a retry strategy holds a quota clients must not share). */
export function createLiveReaders(settings: () => LiveClientSettings, options: LiveReadersOptions = {}): LiveReaders {
  const built = <C extends LiveClient>(client: C): C => {
    options.configure?.(client);
    return client;
  };
  return {
    config: new ConfigAdapter(built(new ConfigServiceClient(settings()))),
    credentialReport: new CredentialReportAdapter(built(new IAMClient(settings())), {
      ...(options.credentialReportSleep && { sleep: options.credentialReportSleep }),
    }),
    backup: new BackupAdapter(built(new BackupClient(settings()))),
    ec2: new Ec2Adapter(built(new EC2Client(settings()))),
    ssm: new SsmAdapter(built(new SSMClient(settings()))),
    // Imported when first needed: a periodic run of any other rule never initialises these clients.
    cloudTrail: lazy(() =>
      import('../cloudtrail/adapter.js').then(({ CloudTrailAdapter, CloudTrailClient }) => new CloudTrailAdapter(built(new CloudTrailClient(settings())))),
    ),
    guardDuty: lazy(() =>
      import('../guardduty/adapter.js').then(({ GuardDutyAdapter, GuardDutyClient }) => new GuardDutyAdapter(built(new GuardDutyClient(settings())))),
    ),
  };
}
