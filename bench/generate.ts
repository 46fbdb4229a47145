/**
 * Synthetic snapshots for the benchmark: AWS's own sample items (test/fixtures) cloned with new
 * ids and varied settings, mixed across the types the rules read plus types they ignore.
 */
import { createWriteStream } from 'node:fs';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { parseAwsJson } from '../rules/json.js';

const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');

type Json = Record<string, unknown>;

interface Template {
  readonly item: Json;
  readonly vary: (configuration: Json, supplementary: Json, n: number) => void;
}

function load(relative: string): Json {
  const doc = parseAwsJson(readFileSync(join(FIXTURES, relative), 'utf8')) as Json;
  const item = structuredClone((doc.configurationItem as Json | undefined) ?? doc);
  if (typeof item.configuration === 'string') item.configuration = JSON.parse(item.configuration);
  return item;
}

const TEMPLATES: Template[] = [
  { item: load('aws-samples/config-ci/rdk/AWS_EC2_Volume.json'), vary: (c, _s, n) => void (c.encrypted = n % 7 !== 0) },
  { item: load('aws-samples/config-ci/rdk/AWS_EC2_Volume.json'), vary: (c, _s, n) => void ((c.encrypted = n % 5 !== 0), (c.attachments = [])) },
  { item: load('aws-samples/config-ci/rdk/AWS_EC2_Instance.json'), vary: () => undefined },
  {
    item: load('aws-samples/config-ci/other/AWS_S3_Bucket.with-SSE.hanegraaff.json'),
    vary: (_c, s, n) => {
      if (n % 4 === 0) delete s.ServerSideEncryptionConfiguration;
    },
  },
  { item: load('aws-samples/config-ci/rdk/AWS_RDS_DBInstance.json'), vary: (c, _s, n) => void (c.storageEncrypted = n % 3 !== 0) },
  { item: load('aws-samples/config-ci/rdk/AWS_RDS_DBCluster.json'), vary: () => undefined },
  {
    item: load('aws-samples/config-ci/rdk/AWS_DynamoDB_Table.json'),
    vary: (c, _s, n) =>
      void (
        n % 2 === 0 &&
        (c.ssedescription = {
          status: 'ENABLED',
          ssetype: 'KMS',
          kmsmasterKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/7c1e2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b',
        })
      ),
  },
  { item: load('aws-samples/config-ci/other/AWS_EFS_FileSystem.configdg.json'), vary: (c, _s, n) => void (c.Encrypted = n % 6 !== 0) },
  { item: load('ci/AWS_Backup_RecoveryPoint.json'), vary: (c, _s, n) => void (c.IsEncrypted = n % 9 !== 0) },
  { item: load('aws-samples/config-ci/rdk/AWS_KMS_Key.json'), vary: () => undefined },
  { item: load('aws-samples/config-ci/rdk/AWS_SNS_Topic.json'), vary: () => undefined },
  { item: load('aws-samples/config-ci/rdk/AWS_IAM_User.json'), vary: () => undefined },
  {
    item: load('aws-samples/config-ci/rdk/AWS_EC2_SecurityGroup.json'),
    vary: (c, _s, n) =>
      void ((c.ipPermissions as Json[])[0] = { ...((c.ipPermissions as Json[])[0] as Json), fromPort: 22 + (n % 4000), toPort: 22 + (n % 4000) }),
  },
  { item: load('aws-samples/config-ci/rdk/AWS_S3_Bucket.json'), vary: () => undefined },
  {
    item: load('aws-samples/config-ci/rdk/AWS_ElasticLoadBalancingV2_Listener.json'),
    vary: (c, _s, n) => void (n % 2 === 0 && Object.assign(c, { Protocol: 'HTTPS', Port: 443, SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' })),
  },
  { item: load('aws-samples/config-ci/rdk/AWS_ELASTICLOADBALANCING_LOADBALANCER.json'), vary: () => undefined },
];

/** The n-th synthetic item: a template with a unique id, in the S3 snapshot (event) style. */
export function syntheticItem(n: number): Json {
  const template = TEMPLATES[n % TEMPLATES.length] as Template;
  const base = template.item;
  const configuration = structuredClone(base.configuration as Json);
  const supplementary = structuredClone((base.supplementaryConfiguration as Json | undefined) ?? {});
  template.vary(configuration, supplementary, Math.floor(n / TEMPLATES.length));
  const id = `${String(base.resourceId).slice(0, 40)}-${n.toString(36)}`;
  return {
    ...base,
    arn: undefined,
    accountId: undefined,
    version: undefined,
    ARN: `${String(base.arn ?? base.ARN ?? 'arn:aws:x')}-${n.toString(36)}`,
    awsAccountId: String(111122223333 + (n % 3)),
    configurationItemVersion: '1.3',
    resourceId: id,
    configuration,
    supplementaryConfiguration: supplementary,
  };
}

/** Streams a Config snapshot of `count` items to `file`; returns its size in bytes. */
export async function writeSnapshot(file: string, count: number): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('{"fileVersion":"1.0","configSnapshotId":"bench","configurationItems":[\n');
  for (let n = 0; n < count; n++) await write((n ? ',\n' : '') + JSON.stringify(syntheticItem(n)));
  await write('\n]}\n');
  out.end();
  await once(out, 'finish');
  return bytes;
}
