/**
 * Issue 11, "Data that cannot be read must not pass", as properties over REAL items: AWS's samples
 * (test/fixtures/aws-samples), the shaped fixtures and the example clinic. Each property takes an item
 * whose verdict is a pass, breaks one field a rule decides on (a wrong type, a value outside what AWS
 * documents, a required field deleted, the whole configuration gone) and checks that the resource is
 * then neither COMPLIANT nor NOT_APPLICABLE, and that every other resource of the inventory is still
 * evaluated as before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseLiveBackupSelections } from '../../rules/backup/selection.js';
import { CATALOG, getRule } from '../../rules/catalog.js';
import { parseCredentialReport } from '../../rules/credential-report.js';
import { parseAllParameters, runRule, runRules } from '../../rules/engine.js';
import { normalizeConfigurationItem } from '../../rules/inventory.js';
import { parseParameters } from '../../rules/params.js';
import { TLS12_POLICIES } from '../../rules/transit/load-balancer-https-only.js';
import { buildInventory, type Evaluation, type InventoryExtras } from '../../rules/types.js';
import { NOW } from '../helpers/rules.js';
import { rawSampleItem, SAMPLE, SHAPED, sampleJson } from '../helpers/samples.js';

type Json = Record<string, unknown>;
type Path = readonly (string | number)[];
const DELETE = Symbol('delete');
type Mutation = unknown;

const EXAMPLE_DIR = join(import.meta.dirname, '..', '..', 'examples', 'clinic');
const exampleItems = (): Json[] =>
  (JSON.parse(readFileSync(join(EXAMPLE_DIR, 'config-snapshot.json'), 'utf8')) as { configurationItems: Json[] }).configurationItems;
const exampleReport = () => readFileSync(join(EXAMPLE_DIR, 'credential-report.csv'), 'utf8');
const exampleSelections = () => JSON.parse(readFileSync(join(EXAMPLE_DIR, 'backup-selections.json'), 'utf8')) as Json[];

function mutate(raw: Json, path: Path, value: Mutation): Json {
  const copy = structuredClone(raw);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return copy;
}

/** One rule over real items, as the CLI and the Lambdas run it. */
function verdicts(ruleId: string, raws: readonly Json[], extras: InventoryExtras = {}, params: Json = {}): Evaluation[] {
  const rule = getRule(ruleId);
  return runRule(rule, buildInventory(raws.map(normalizeConfigurationItem), extras), parseParameters(rule.id, rule.parameters, params), { now: NOW });
}

function verdictOf(evaluations: readonly Evaluation[], resourceId: string): Evaluation {
  const found = evaluations.filter((e) => e.resourceId === resourceId);
  expect(found).toHaveLength(1);
  return found[0] as Evaluation;
}

const PASS = ['COMPLIANT', 'NOT_APPLICABLE'];
const notAPass = (evaluation: Evaluation) =>
  expect({ resource: evaluation.resourceId, compliance: evaluation.compliance, annotation: evaluation.annotation }).toEqual(
    expect.objectContaining({ compliance: expect.not.stringMatching(new RegExp(`^(${PASS.join('|')})$`)) }),
  );

/** Values that are no JSON type a string field can hold. */
const notAString = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant({}), fc.constant([]), fc.constant([1]));
/** Values a boolean field cannot hold ("true"/"false" in any case are AWS's rendering of a boolean). */
const notABoolean = fc.oneof(
  fc.integer(),
  fc.string().filter((s) => !/^(true|false)$/i.test(s)),
  fc.constant({}),
  fc.constant([]),
  fc.constant(DELETE),
);
/** Non-blank words outside a documented set (compared without case and underscores, as the readers do). */
const outside = (...documented: string[]) =>
  fc
    .oneof(
      fc
        .string({ minLength: 1, maxLength: 24 })
        .filter((s) => s.trim() !== '' && !documented.some((d) => d.replaceAll('_', '').toLowerCase() === s.trim().replaceAll('_', '').toLowerCase())),
      fc.constantFrom('NONE', 'none', 'null', 'N/A', 'unknown'),
    )
    .filter((s) => !documented.some((d) => d.replaceAll('_', '').toLowerCase() === s.trim().replaceAll('_', '').toLowerCase()));

interface ItemCase {
  readonly name: string;
  readonly ruleId: string;
  readonly items: () => Json[];
  /** Which item to break, and the resource whose verdict must then not pass. */
  readonly target: number;
  readonly subject: string;
  readonly path: Path;
  readonly bad: fc.Arbitrary<Mutation>;
  readonly extras?: () => InventoryExtras;
  readonly params?: Json;
}

const example = (resourceId: string) => {
  const item = exampleItems().find((raw) => raw.resourceId === resourceId);
  if (item === undefined) throw new Error(`no example item ${resourceId}`);
  return item;
};

const PATCH = ['configuration', 'AWS:ComplianceItem', 'Content', 'Patch'];
const RULE0 = ['configuration', 'BackupPlan', 'BackupPlanRule', 0];
const VOLUME_ID = 'vol-0a1b2c3d4e5f60001';
const ACCOUNT = '123456789012';

/** The RDK volume sample as the volume the shaped recovery point backs up, and that point created 3 hours before NOW. */
const volumeWithPoint = (): Json[] => [
  {
    ...rawSampleItem(SAMPLE.volume),
    resourceId: VOLUME_ID,
    accountId: ACCOUNT,
    arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/${VOLUME_ID}`,
    relationships: [],
  },
  mutate(rawSampleItem(SHAPED.recoveryPoint), ['configuration', 'CreationDate'], new Date(NOW.getTime() - 3 * 3_600_000).toISOString()),
];

const ITEM_CASES: readonly ItemCase[] = [
  {
    name: 'EBS encrypted',
    ruleId: 'ebs-volume-encrypted',
    items: () => [rawSampleItem(SAMPLE.volume)],
    target: 0,
    subject: 'vol-a416b170',
    path: ['configuration', 'encrypted'],
    bad: notABoolean,
  },
  {
    name: 'RDS instance storageEncrypted',
    ruleId: 'rds-storage-encrypted',
    items: () => [example('db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9')],
    target: 0,
    subject: 'db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9',
    path: ['configuration', 'storageEncrypted'],
    bad: notABoolean,
  },
  {
    name: 'RDS cluster storageEncrypted',
    ruleId: 'rds-storage-encrypted',
    items: () => [example('cluster-REPORTING4H5J6K7L8M9N0P')],
    target: 0,
    subject: 'cluster-REPORTING4H5J6K7L8M9N0P',
    path: ['configuration', 'storageEncrypted'],
    bad: notABoolean,
  },
  {
    name: 'EFS Encrypted',
    ruleId: 'efs-filesystem-encrypted',
    items: () => [rawSampleItem(SAMPLE.efs)],
    target: 0,
    subject: 'fs-01f0d526165b57f95',
    path: ['configuration', 'Encrypted'],
    bad: notABoolean,
  },
  {
    name: 'recovery point IsEncrypted',
    ruleId: 'backup-recovery-point-encrypted',
    items: () => [rawSampleItem(SHAPED.recoveryPoint)],
    target: 0,
    subject: rawSampleItem(SHAPED.recoveryPoint).resourceId as string,
    path: ['configuration', 'IsEncrypted'],
    bad: notABoolean,
  },
  {
    name: 'S3 sseAlgorithm',
    ruleId: 's3-bucket-encrypted',
    items: () => [rawSampleItem(SAMPLE.bucketWithSse)],
    target: 0,
    subject: rawSampleItem(SAMPLE.bucketWithSse).resourceId as string,
    path: ['supplementaryConfiguration', 'ServerSideEncryptionConfiguration', 'rules', 0, 'applyServerSideEncryptionByDefault', 'sseAlgorithm'],
    bad: fc.oneof(
      outside('AES256', 'aws:kms', 'aws:kms:dsse').filter((s) => !['AES256', 'aws:kms', 'aws:kms:dsse'].includes(s)),
      fc.constant(''),
      notAString,
      fc.constant(DELETE),
    ),
  },
  {
    name: 'S3 rules list',
    ruleId: 's3-bucket-encrypted',
    items: () => [rawSampleItem(SAMPLE.bucketWithSse)],
    target: 0,
    subject: rawSampleItem(SAMPLE.bucketWithSse).resourceId as string,
    path: ['supplementaryConfiguration', 'ServerSideEncryptionConfiguration', 'rules'],
    bad: fc.oneof(
      fc.constant([]),
      fc.string({ minLength: 1 }).filter((s) => !/^\s*[[{]/.test(s)),
      fc.integer(),
      fc.constant({}),
      fc.constant(DELETE),
    ),
  },
  {
    name: 'DynamoDB ssedescription.status',
    ruleId: 'dynamodb-table-encrypted',
    items: () => [example('portal-sessions')],
    target: 0,
    subject: 'portal-sessions',
    path: ['configuration', 'ssedescription', 'status'],
    bad: fc.oneof(outside('ENABLING', 'ENABLED', 'DISABLING', 'DISABLED', 'UPDATING'), fc.constant(''), notAString, fc.constant(DELETE)),
    params: { requireKms: true },
  },
  {
    name: 'RDS backupRetentionPeriod',
    ruleId: 'rds-backup-retention',
    items: () => [example('db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9')],
    target: 0,
    subject: 'db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9',
    path: ['configuration', 'backupRetentionPeriod'],
    bad: fc.oneof(
      fc.integer({ max: -1 }),
      fc.integer({ min: 36 }),
      fc.double({ min: 0.1, max: 30, noInteger: true }),
      fc.string().filter((s) => !/^\s*-?\d+\s*$/.test(s)),
      fc.constant({}),
      fc.boolean(),
      fc.constant(DELETE),
    ),
  },
  {
    name: 'plan ScheduleExpression',
    ruleId: 'backup-plan-frequency-retention',
    items: () => [rawSampleItem(SHAPED.backupPlan)],
    target: 0,
    subject: rawSampleItem(SHAPED.backupPlan).resourceId as string,
    path: [...RULE0, 'ScheduleExpression'],
    bad: notAString,
  },
  {
    name: 'plan Lifecycle',
    ruleId: 'backup-plan-frequency-retention',
    items: () => [rawSampleItem(SHAPED.backupPlan)],
    target: 0,
    subject: rawSampleItem(SHAPED.backupPlan).resourceId as string,
    path: [...RULE0, 'Lifecycle'],
    bad: fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.boolean(), fc.constant([])),
  },
  {
    name: 'plan DeleteAfterDays',
    ruleId: 'backup-plan-frequency-retention',
    items: () => [rawSampleItem(SHAPED.backupPlan)],
    target: 0,
    subject: rawSampleItem(SHAPED.backupPlan).resourceId as string,
    path: [...RULE0, 'Lifecycle', 'DeleteAfterDays'],
    bad: fc.oneof(
      fc.integer({ max: 0 }),
      fc.double({ min: 36, max: 1000, noInteger: true }),
      fc.string({ minLength: 1 }).filter((s) => !/^\s*-?\d+\s*$/.test(s)),
      fc.constant({}),
      fc.boolean(),
    ),
  },
  {
    name: 'plan EnableContinuousBackup',
    ruleId: 'backup-plan-frequency-retention',
    items: () => [rawSampleItem(SHAPED.backupPlan)],
    target: 0,
    subject: rawSampleItem(SHAPED.backupPlan).resourceId as string,
    path: [...RULE0, 'EnableContinuousBackup'],
    bad: notABoolean.filter((v) => v !== DELETE && v !== ''),
  },
  {
    name: 'plan copy destination',
    ruleId: 'backup-plan-offsite-copy',
    items: () => [rawSampleItem(SHAPED.backupPlan)],
    target: 0,
    subject: rawSampleItem(SHAPED.backupPlan).resourceId as string,
    path: [...RULE0, 'CopyActions', 0, 'DestinationBackupVaultArn'],
    bad: fc.oneof(
      fc.string().filter((s) => !s.startsWith('arn:')),
      notAString,
      fc.constant(DELETE),
    ),
  },
  {
    name: 'patch Status',
    ruleId: 'instance-patch-compliant',
    items: () => [rawSampleItem(SHAPED.patchCompliance)],
    target: 0,
    subject: rawSampleItem(SHAPED.patchCompliance).resourceId as string,
    path: [...PATCH, 'KB5044281', 'Status'],
    bad: fc.oneof(outside('COMPLIANT', 'NON_COMPLIANT'), notAString),
  },
  {
    name: 'patch PatchState',
    ruleId: 'instance-patch-compliant',
    items: () => [rawSampleItem(SHAPED.patchCompliance)],
    target: 0,
    subject: rawSampleItem(SHAPED.patchCompliance).resourceId as string,
    path: [...PATCH, 'KB5043935', 'PatchState'],
    bad: fc.oneof(
      outside('Installed', 'InstalledOther', 'InstalledPendingReboot', 'InstalledRejected', 'Missing', 'Failed', 'NotApplicable', 'AvailableSecurityUpdate'),
      notAString,
    ),
  },
  {
    name: 'patch Severity',
    ruleId: 'instance-patch-compliant',
    items: () => [rawSampleItem(SHAPED.patchCompliance)],
    target: 0,
    subject: rawSampleItem(SHAPED.patchCompliance).resourceId as string,
    path: [...PATCH, 'KB5044281', 'Severity'],
    bad: fc.oneof(outside('CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNSPECIFIED'), notAString),
  },
  {
    name: 'patch summary Status',
    ruleId: 'instance-patch-compliant',
    items: () => [rawSampleItem(SHAPED.patchCompliance)],
    target: 0,
    subject: rawSampleItem(SHAPED.patchCompliance).resourceId as string,
    path: [...PATCH, 'ComplianceSummary', 'Status'],
    bad: fc.oneof(outside('COMPLIANT', 'NON_COMPLIANT', 'UNSPECIFIED_DATA'), notAString),
  },
  {
    name: 'patch summary count',
    ruleId: 'instance-patch-compliant',
    items: () => [rawSampleItem(SHAPED.patchCompliance)],
    target: 0,
    subject: rawSampleItem(SHAPED.patchCompliance).resourceId as string,
    path: [...PATCH, 'ComplianceSummary', 'NonCompliantCriticalCount'],
    bad: fc.oneof(
      fc.integer({ max: -1 }),
      fc.string({ minLength: 1 }).filter((s) => !/^\s*\d+\s*$/.test(s)),
      fc.constant({}),
      fc.boolean(),
    ),
  },
  // The other safeguards, on the example clinic's passing items.
  {
    name: 'security group fromPort',
    ruleId: 'security-group-admin-ports-restricted',
    items: () => [example('sg-0a11e4c5d6e7f8201')],
    target: 0,
    subject: 'sg-0a11e4c5d6e7f8201',
    path: ['configuration', 'ipPermissions', 1, 'fromPort'],
    bad: fc.oneof(
      fc.string({ minLength: 1 }).filter((s) => !/^\s*-?\d+\s*$/.test(s)),
      fc.double({ noInteger: true, noNaN: true }),
      fc.boolean(),
      fc.constant({}),
      fc.constant(DELETE),
    ),
  },
  {
    name: 'security group ipProtocol',
    ruleId: 'security-group-admin-ports-restricted',
    items: () => [example('sg-0a11e4c5d6e7f8201')],
    target: 0,
    subject: 'sg-0a11e4c5d6e7f8201',
    path: ['configuration', 'ipPermissions', 0, 'ipProtocol'],
    bad: fc.oneof(
      outside('tcp', 'udp', 'icmp', 'icmpv6', '-1').filter((s) => !/^\s*\d+\s*$/.test(s)),
      fc.boolean(),
      fc.constant({}),
      fc.constant(DELETE),
    ),
  },
  {
    name: 'security group source',
    ruleId: 'security-group-admin-ports-restricted',
    items: () => [example('sg-0a11e4c5d6e7f8201')],
    target: 0,
    subject: 'sg-0a11e4c5d6e7f8201',
    path: ['configuration', 'ipPermissions', 1, 'ipRanges', 0],
    bad: fc.oneof(
      fc.string().filter((s) => !s.includes('/')),
      fc.integer(),
      fc.constant({}),
    ),
  },
  {
    name: 'bucket policyText',
    ruleId: 's3-bucket-tls-only',
    items: () => [example('riverside-imaging-archive')],
    target: 0,
    subject: 'riverside-imaging-archive',
    path: ['supplementaryConfiguration', 'BucketPolicy', 'policyText'],
    bad: fc.oneof(
      fc.string({ minLength: 1 }).filter((s) => !s.trim().startsWith('{')),
      fc.integer(),
      fc.constant([1]),
    ),
  },
  {
    name: 'bucket BucketPolicy',
    ruleId: 's3-bucket-tls-only',
    items: () => [example('riverside-imaging-archive')],
    target: 0,
    subject: 'riverside-imaging-archive',
    path: ['supplementaryConfiguration', 'BucketPolicy'],
    bad: fc.oneof(
      fc.string({ minLength: 1 }).filter((s) => !/^\s*[[{]/.test(s)),
      fc.integer(),
      fc.boolean(),
      fc.constant(DELETE),
    ),
  },
  {
    name: 'listener Protocol',
    ruleId: 'load-balancer-https-only',
    items: () => [example('arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/ehr-portal/4f1a2b3c4d5e6f70/0a1b2c3d4e5f6a01')],
    target: 0,
    subject: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/ehr-portal/4f1a2b3c4d5e6f70/0a1b2c3d4e5f6a01',
    path: ['configuration', 'Protocol'],
    bad: fc.oneof(outside('HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'), notAString, fc.constant(DELETE)),
  },
  {
    name: 'listener SslPolicy',
    ruleId: 'load-balancer-https-only',
    items: () => [example('arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/ehr-portal/4f1a2b3c4d5e6f70/0a1b2c3d4e5f6a01')],
    target: 0,
    subject: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/ehr-portal/4f1a2b3c4d5e6f70/0a1b2c3d4e5f6a01',
    path: ['configuration', 'SslPolicy'],
    bad: fc.oneof(outside(...TLS12_POLICIES), notAString, fc.constant(''), fc.constant(DELETE)),
  },
  {
    name: 'listener RedirectConfig.Protocol',
    ruleId: 'load-balancer-https-only',
    items: () => [example('arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/ehr-portal/4f1a2b3c4d5e6f70/0a1b2c3d4e5f6a02')],
    target: 0,
    subject: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/ehr-portal/4f1a2b3c4d5e6f70/0a1b2c3d4e5f6a02',
    path: ['configuration', 'DefaultActions', 0, 'RedirectConfig', 'Protocol'],
    bad: fc.oneof(outside('HTTPS'), notAString, fc.constant(DELETE)),
  },
  {
    name: 'recovery point Status',
    ruleId: 'resource-recent-recovery-point',
    items: volumeWithPoint,
    target: 1,
    subject: VOLUME_ID,
    path: ['configuration', 'Status'],
    bad: fc.oneof(outside('COMPLETED', 'PARTIAL', 'DELETING', 'EXPIRED', 'AVAILABLE', 'STOPPED', 'CREATING'), fc.constant(''), notAString, fc.constant(DELETE)),
  },
  {
    name: 'recovery point CreationDate',
    ruleId: 'resource-recent-recovery-point',
    items: volumeWithPoint,
    target: 1,
    subject: VOLUME_ID,
    path: ['configuration', 'CreationDate'],
    bad: fc.oneof(
      fc.string({ minLength: 1 }).filter((s) => Number.isNaN(Date.parse(s))),
      fc.boolean(),
      fc.constant({}),
      fc.constant([]),
    ),
  },
];

describe('a deciding field that cannot be read never yields COMPLIANT or NOT_APPLICABLE (real items, mutated)', () => {
  test.each(ITEM_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // The unbroken item passes: the property below can only hold because of the breakage.
    expect(verdictOf(verdicts(c.ruleId, c.items(), c.extras?.(), c.params), c.subject).compliance).toBe('COMPLIANT');
    fc.assert(
      fc.property(c.bad, (bad) => {
        const raws = c.items();
        raws[c.target] = mutate(raws[c.target] as Json, c.path, bad);
        notAPass(verdictOf(verdicts(c.ruleId, raws, c.extras?.(), c.params), c.subject));
      }),
      { numRuns: 60 },
    );
  });
});

describe('backup selections and credential reports that cannot be read never pass', () => {
  const plan = () => rawSampleItem(SHAPED.backupPlan);
  const volume = () => volumeWithPoint()[0] as Json;
  const [output] = sampleJson(SHAPED.getBackupSelection) as Json[];

  test('a live GetBackupSelection response with a field AWS cannot return makes coverage unknown, never COMPLIANT', () => {
    const live = (doc: Json) => ({
      backupSelections: parseLiveBackupSelections([doc], 'live', { accountId: ACCOUNT, region: 'us-east-1' }),
      backupSelectionsComplete: true,
    });
    expect(verdictOf(verdicts('resource-protected-by-backup', [plan(), volume()], live(output as Json)), VOLUME_ID).compliance).toBe('COMPLIANT');
    const field = fc.constantFrom<Path>(
      ['BackupSelection', 'Resources'],
      ['BackupSelection', 'ListOfTags'],
      ['BackupSelection', 'Conditions'],
      ['BackupSelection', 'IamRoleArn'],
      ['BackupSelection', 'NotResources'],
    );
    const bad = fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.constant([1]), fc.constant([{}]), fc.constant({ StringContains: [] }));
    fc.assert(
      fc.property(field, bad, (path, value) => {
        fc.pre(!(path[1] === 'Conditions' && value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0));
        notAPass(verdictOf(verdicts('resource-protected-by-backup', [plan(), volume()], live(mutate(output as Json, path, value))), VOLUME_ID));
      }),
      { numRuns: 80 },
    );
  });

  test('a credential report flag outside true/false never passes the row it decides', () => {
    const csv = exampleReport();
    const [header = '', ...rows] = csv.trim().split('\n');
    const columns = header.split(',');
    const word = fc.stringMatching(/^[A-Za-z0-9_/ -]{0,12}$/).filter((s) => !/^\s*(true|false)\s*$/i.test(s) && s.trim().toLowerCase() !== 'not_supported');
    // mfa_active decides only where no password is ruled out; password_enabled only where MFA is off.
    const cases = fc.constantFrom(
      { user: 'it-admin', column: 'mfa_active', ruleId: 'iam-user-console-mfa', subject: 'it-admin' },
      { user: 'pacs-integration', column: 'password_enabled', ruleId: 'iam-user-console-mfa', subject: 'pacs-integration' },
      { user: 'billing-clerk', column: 'password_enabled', ruleId: 'iam-user-console-mfa', subject: 'billing-clerk' },
      { user: '<root_account>', column: 'mfa_active', ruleId: 'root-account-mfa', subject: '111122223333' },
    );
    fc.assert(
      fc.property(cases, word, (c, value) => {
        const edited = rows.map((row) => {
          const cells = row.split(',');
          if (cells[0] === c.user) cells[columns.indexOf(c.column)] = value;
          return cells.join(',');
        });
        const report = parseCredentialReport([header, ...edited].join('\n'), 'report.csv');
        notAPass(verdictOf(verdicts(c.ruleId, [], { credentialReports: [report] }), c.subject));
      }),
      { numRuns: 80 },
    );
  });
});

describe('the whole example clinic with one item broken: that item could not be evaluated, every other one still is', () => {
  const raws = exampleItems();
  const extras = (): InventoryExtras => ({
    credentialReports: [parseCredentialReport(exampleReport(), 'report.csv')],
    backupSelections: parseLiveBackupSelections(exampleSelections(), 'selections.json', {}),
  });
  const runnable = CATALOG.filter((entry) => !entry.liveOnly);
  const params = parseAllParameters(CATALOG, {});
  const run = (items: readonly Json[]) => runRules(runnable, buildInventory(items.map(normalizeConfigurationItem), extras()), params, { now: NOW });
  const key = (e: Evaluation) => `${e.ruleId}\u0000${e.resourceType}\u0000${e.resourceId}`;
  const baseline = run(raws);
  const judgedTypes = new Set<string>(runnable.flatMap((entry) => entry.resourceTypes));

  test('configuration null, "null", "" or absent with status OK: every verdict on that resource is could-not-be-evaluated; the rest are unchanged', () => {
    const judged = raws.map((raw, index) => ({ raw, index })).filter(({ raw }) => judgedTypes.has(raw.resourceType as string));
    fc.assert(
      fc.property(
        fc.constantFrom(...judged),
        fc.constantFrom<Mutation>(null, 'null', '', DELETE),
        fc.constantFrom('OK', 'ResourceDiscovered'),
        ({ raw, index }, configuration, status) => {
          const broken = mutate({ ...raw, configurationItemStatus: status }, ['configuration'], configuration);
          const items = raws.map((other, i) => (i === index ? broken : other));
          const evaluations = run(items);
          // Nothing dropped, nothing added: the same rule and resource pairs as before.
          expect(evaluations.map(key).sort()).toEqual(baseline.map(key).sort());
          const mine = evaluations.filter((e) => e.resourceId === raw.resourceId && e.resourceType === raw.resourceType);
          expect(mine.length).toBeGreaterThan(0);
          for (const evaluation of mine) expect(evaluation).toMatchObject({ compliance: 'INSUFFICIENT_DATA', error: true });
          // Item rules judge each item alone: every other item's verdict is exactly as before.
          const itemRules = new Set<string>(runnable.filter((entry) => entry.kind === 'item').map((entry) => entry.id));
          const before = new Map(baseline.map((e) => [key(e), e]));
          for (const evaluation of evaluations) {
            if (evaluation.resourceId === raw.resourceId || !itemRules.has(evaluation.ruleId)) continue;
            expect(evaluation).toEqual(before.get(key(evaluation)));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  test('a deciding field broken in one example item: that resource does not pass, and no other evaluation is lost', () => {
    const cases = fc.constantFrom(
      { id: 'vol-0a11e4c5d6e7f8101', path: ['configuration', 'encrypted'], rule: 'ebs-volume-encrypted' },
      {
        id: 'riverside-imaging-archive',
        path: ['supplementaryConfiguration', 'ServerSideEncryptionConfiguration', 'rules', 0, 'applyServerSideEncryptionByDefault', 'sseAlgorithm'],
        rule: 's3-bucket-encrypted',
      },
      { id: 'fs-0c1a2b3c4d5e6f701', path: ['configuration', 'Encrypted'], rule: 'efs-filesystem-encrypted' },
      { id: 'db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9', path: ['configuration', 'backupRetentionPeriod'], rule: 'rds-backup-retention' },
      { id: '0f6b2c1d-8e3a-4b5c-9d7e-1a2b3c4d5e01', path: [...RULE0, 'Lifecycle'], rule: 'backup-plan-frequency-retention' },
      { id: 'AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8001', path: [...PATCH, 'ALAS2023-2026-1187', 'PatchState'], rule: 'instance-patch-compliant' },
    );
    fc.assert(
      fc.property(cases, fc.oneof(fc.constantFrom('NONE', 'none', 'maybe'), fc.constant({}), fc.constant([2])), (c, value) => {
        // An empty Lifecycle object is a documented shape (no expiry), not a broken one.
        fc.pre(!(c.path.at(-1) === 'Lifecycle' && !Array.isArray(value) && typeof value === 'object'));
        const items = raws.map((raw) => (raw.resourceId === c.id ? mutate(raw, c.path, value) : raw));
        const evaluations = run(items);
        expect(evaluations.map(key).sort()).toEqual(baseline.map(key).sort());
        const subject = evaluations.find((e) => e.ruleId === c.rule && e.resourceId === c.id);
        expect(baseline.find((e) => e.ruleId === c.rule && e.resourceId === c.id)?.compliance).toBe('COMPLIANT');
        expect(subject).toMatchObject({ compliance: 'INSUFFICIENT_DATA', error: true });
      }),
      { numRuns: 40 },
    );
  });
});
