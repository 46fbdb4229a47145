/** Real-format data copied from AWS's public repositories and docs (see fixtures/aws-samples/SOURCES.md). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeConfigurationItem, type ConfigurationItem } from '../../rules/inventory.js';
import { parseAwsJson } from '../../rules/json.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const SAMPLES = join(FIXTURES, 'aws-samples');

export function sampleText(relative: string): string {
  return readFileSync(join(SAMPLES, relative), 'utf8');
}

export function sampleJson(relative: string): unknown {
  return parseAwsJson(sampleText(relative));
}

export function sampleFiles(folder: string): string[] {
  return readdirSync(join(SAMPLES, folder))
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(folder, name));
}

type Json = Record<string, unknown>;

/** The raw item of a sample CI file (some are wrapped in an invoking-event body, or in a whole rule event). */
export function rawSampleItem(relative: string): Json {
  let doc = sampleJson(relative) as Json;
  if (typeof doc.invokingEvent === 'string') doc = parseAwsJson(doc.invokingEvent) as Json;
  return structuredClone((doc.configurationItem as Json | undefined) ?? doc);
}

/**
 * A real-format item: a sample CI with its configuration (or other top-level fields) changed.
 * `configuration` entries are merged into the sample's configuration; `null` removes a key.
 */
export function itemFrom(relative: string, changes: { configuration?: Json; supplementaryConfiguration?: Json; top?: Json } = {}): ConfigurationItem {
  const raw = rawSampleItem(relative);
  if (changes.configuration) {
    const configuration = (typeof raw.configuration === 'string' ? JSON.parse(raw.configuration) : raw.configuration) as Json;
    for (const [key, value] of Object.entries(changes.configuration)) {
      if (value === null) delete configuration[key];
      else configuration[key] = value;
    }
    raw.configuration = configuration;
  }
  if (changes.supplementaryConfiguration)
    raw.supplementaryConfiguration = { ...(raw.supplementaryConfiguration as Json), ...changes.supplementaryConfiguration };
  Object.assign(raw, changes.top ?? {});
  return normalizeConfigurationItem(raw);
}

/** The sample item as AWS Config reports a deleted resource: status ResourceDeleted, configuration null. */
export function deletedFrom(relative: string): ConfigurationItem {
  return itemFrom(relative, {
    top: { configurationItemStatus: 'ResourceDeleted', configuration: null, resourceCreationTime: null, supplementaryConfiguration: {} },
  });
}

export const SAMPLE = {
  volume: 'config-ci/rdk/AWS_EC2_Volume.json',
  instance: 'config-ci/rdk/AWS_EC2_Instance.json',
  dbInstance: 'config-ci/rdk/AWS_RDS_DBInstance.json',
  dbCluster: 'config-ci/rdk/AWS_RDS_DBCluster.json',
  table: 'config-ci/rdk/AWS_DynamoDB_Table.json',
  bucket: 'config-ci/rdk/AWS_S3_Bucket.json',
  bucketWithSse: 'config-ci/other/AWS_S3_Bucket.with-SSE.hanegraaff.json',
  efs: 'config-ci/other/AWS_EFS_FileSystem.configdg.json',
  kmsKey: 'config-ci/rdk/AWS_KMS_Key.json',
  iamUser: 'config-ci/rdk/AWS_IAM_User.json',
  ssmInventory: 'config-ci/rdk/AWS_SSM_ManagedInstanceInventory.json',
  ssmInventoryLinux: 'config-ci/rdk/AWS_SSM_ManagedInstanceInventory_Linux.json',
  ssmInventoryWindows: 'config-ci/rdk/AWS_SSM_ManagedInstanceInventory_Windows.json',
  credentialReport: 'iam/credential-report.coolfriends-oil.csv',
  securityGroup: 'config-ci/rdk/AWS_EC2_SecurityGroup.json',
  securityGroupClassic: 'config-ci/other/AWS_EC2_SecurityGroup.configdg-get-resource-config-history.json',
  securityGroupEvent: 'config-events/custodian-event-config-rule-security-group.json',
  bucketPolicySse: 'config-ci/other/AWS_S3_Bucket.BucketPolicy.custodian-s3-website-redirect.json',
  bucketPolicyLifecycle: 'config-ci/other/AWS_S3_Bucket.BucketPolicy.custodian-s3-lifecycle-null-predicate.json',
  bucketEvent: 'config-events/custodian-s3-from-rule.json',
  listener: 'config-ci/rdk/AWS_ElasticLoadBalancingV2_Listener.json',
  classicLoadBalancer: 'config-ci/rdk/AWS_ELASTICLOADBALANCING_LOADBALANCER.json',
  trail: 'config-ci/rdk/AWS_Cloudtrail_Trail.json',
  detector: 'config-ci/other/AWS_GuardDuty_Detector.prescriptive-guidance.json',
} as const;

/**
 * API responses (aws-samples/api): AWS CLI output as it is, Cloud Custodian's recorded boto3
 * responses under `.data` (see SOURCES.md).
 */
export function apiSample(relative: string): Record<string, unknown> {
  const doc = sampleJson(`api/${relative}`) as Record<string, unknown>;
  return (typeof doc.status_code === 'number' && typeof doc.data === 'object' && doc.data !== null ? doc.data : doc) as Record<string, unknown>;
}

/** Shaped fixtures (fixtures/ci, see its README) for the types AWS publishes no sample of, relative to SAMPLES like SAMPLE. */
export const SHAPED = {
  recoveryPoint: '../ci/AWS_Backup_RecoveryPoint.json',
  backupPlan: '../ci/AWS_Backup_BackupPlan.json',
  backupSelection: '../ci/AWS_Backup_BackupSelection.json',
  patchCompliance: '../ci/AWS_SSM_PatchCompliance.json',
  getBackupSelection: '../ci/get-backup-selection.json',
} as const;

export type { ConfigurationItem };

/**
 * A CLI or API sample as the SDK returns it: timestamps (`…Time` fields: epoch seconds in JSON 1.1
 * responses, ISO strings in newer CLI output) become Dates.
 */
export function asSdkOutput<T>(value: unknown): T {
  const convert = (v: unknown, key = ''): unknown => {
    if (Array.isArray(v)) return v.map((item) => convert(item));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, convert(inner, k)]));
    if (/Time$/.test(key) && typeof v === 'number') return new Date(v * 1000);
    if (/Time$/.test(key) && typeof v === 'string') return new Date(v);
    return v;
  };
  return convert(value) as T;
}
