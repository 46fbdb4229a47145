/**
 * Builds the example clinic's Config snapshot from AWS's own sample items
 * (test/fixtures/aws-samples), changing only names, ids and the settings under test.
 * Run: npx tsx examples/clinic/build.ts  (the output is committed; a test pins its scan result)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAwsJson } from '../../rules/json.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SAMPLES = join(HERE, '..', '..', 'test', 'fixtures');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const CAPTURED = '2026-11-27T06:00:00.000Z';

type Json = Record<string, unknown>;

function template(relative: string): Json {
  const doc = parseAwsJson(readFileSync(join(SAMPLES, relative), 'utf8')) as Json;
  return (doc.configurationItem as Json | undefined) ?? doc;
}

/** Rewrites a sample (API or event style) into the S3 snapshot style Config delivers. */
function snapshotItem(relative: string, id: string, options: { name?: string; arn: string; tags?: Record<string, string>; configuration?: Json; supplementary?: Json; relationships?: Json[] }): Json {
  const sample = structuredClone(template(relative));
  const configuration = typeof sample.configuration === 'string' ? (JSON.parse(sample.configuration) as Json) : (sample.configuration as Json);
  return {
    relatedEvents: [],
    relationships: options.relationships ?? [],
    configuration: { ...configuration, ...options.configuration },
    supplementaryConfiguration: { ...(sample.supplementaryConfiguration as Json), ...options.supplementary },
    tags: options.tags ?? {},
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: CAPTURED,
    configurationStateId: 1795759200000,
    awsAccountId: ACCOUNT,
    configurationItemStatus: 'OK',
    resourceType: sample.resourceType,
    resourceId: id,
    resourceName: options.name ?? id,
    ARN: options.arn,
    awsRegion: REGION,
    availabilityZone: sample.availabilityZone,
    configurationStateMd5Hash: '',
    resourceCreationTime: '2025-03-02T14:00:00.000Z',
  };
}

const CMK = `arn:aws:kms:${REGION}:${ACCOUNT}:key/7c1e2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b`;
const ec2 = (kind: string, id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${kind}/${id}`;

function instance(id: string, name: string, state: 'running' | 'stopped', volumeId: string, tags: Record<string, string> = {}): Json {
  return snapshotItem('aws-samples/config-ci/rdk/AWS_EC2_Instance.json', id, {
    arn: ec2('instance', id),
    tags: { Name: name, ...tags },
    configuration: {
      instanceId: id,
      state: { code: state === 'running' ? 16 : 80, name: state },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeId, status: 'attached', attachTime: '2025-03-02T14:00:00.000Z', deleteOnTermination: true } }],
      tags: Object.entries({ Name: name, ...tags }).map(([key, value]) => ({ key, value })),
    },
    relationships: [{ resourceType: 'AWS::EC2::Volume', resourceId: volumeId, relationshipName: 'Is attached to Volume' }],
  });
}

function volume(id: string, name: string, encrypted: boolean, attachedTo?: string, tags: Record<string, string> = {}): Json {
  return snapshotItem('aws-samples/config-ci/rdk/AWS_EC2_Volume.json', id, {
    arn: ec2('volume', id),
    tags: { Name: name, ...tags },
    configuration: {
      volumeId: id,
      availabilityZone: `${REGION}a`,
      state: attachedTo ? 'in-use' : 'available',
      attachments: attachedTo ? [{ volumeId: id, instanceId: attachedTo, device: '/dev/xvda', state: 'attached', attachTime: '2025-03-02T14:00:00.000Z', deleteOnTermination: true }] : [],
      encrypted,
      kmsKeyId: encrypted ? CMK : null,
      tags: Object.entries({ Name: name, ...tags }).map(([key, value]) => ({ key, value })),
    },
    relationships: attachedTo ? [{ resourceType: 'AWS::EC2::Instance', resourceId: attachedTo, relationshipName: 'Is attached to Instance' }] : [],
  });
}

function bucket(name: string, sse: Json | null, tags: Record<string, string> = {}): Json {
  const item = snapshotItem('aws-samples/config-ci/other/AWS_S3_Bucket.with-SSE.hanegraaff.json', name, {
    arn: `arn:aws:s3:::${name}`,
    tags,
    configuration: { name, creationDate: '2025-03-02T14:00:00.000Z' },
    supplementary: sse === null ? {} : { ServerSideEncryptionConfiguration: { rules: [{ applyServerSideEncryptionByDefault: sse, bucketKeyEnabled: sse.sseAlgorithm !== 'AES256' }] } },
  });
  if (sse === null) delete (item.supplementaryConfiguration as Json).ServerSideEncryptionConfiguration;
  return item;
}

function database(resourceId: string, name: string, encrypted: boolean): Json {
  return snapshotItem('aws-samples/config-ci/rdk/AWS_RDS_DBInstance.json', resourceId, {
    name,
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:${name}`,
    configuration: { dBInstanceIdentifier: name, dBInstanceStatus: 'available', storageEncrypted: encrypted, kmsKeyId: encrypted ? CMK : null, dbiResourceId: resourceId, backupRetentionPeriod: 14 },
  });
}

function table(name: string, sse: Json | null): Json {
  return snapshotItem('aws-samples/config-ci/rdk/AWS_DynamoDB_Table.json', name, {
    arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
    configuration: { tableName: name, tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`, tableId: name, ...(sse && { ssedescription: sse }) },
  });
}

function fileSystem(id: string, name: string, encrypted: boolean): Json {
  return snapshotItem('aws-samples/config-ci/other/AWS_EFS_FileSystem.configdg.json', id, {
    arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`,
    tags: { Name: name },
    configuration: { FileSystemId: id, Arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`, Encrypted: encrypted, KmsKeyId: encrypted ? CMK : null, FileSystemTags: [{ Key: 'Name', Value: name }] },
  });
}

function recoveryPoint(uuid: string, sourceArn: string, encrypted: boolean): Json {
  const arn = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:${uuid}`;
  return snapshotItem('ci/AWS_Backup_RecoveryPoint.json', arn, {
    name: uuid,
    arn,
    configuration: {
      RecoveryPointArn: arn,
      ResourceArn: sourceArn,
      BackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:clinic-vault`,
      IsEncrypted: encrypted,
      EncryptionKeyArn: encrypted ? CMK : null,
      CreationDate: '2026-11-27T05:00:00.000Z',
      CompletionDate: '2026-11-27T05:11:32.000Z',
    },
  });
}

const items: Json[] = [
  instance('i-0a11e4c5d6e7f8001', 'ehr-app-01', 'running', 'vol-0a11e4c5d6e7f8101'),
  instance('i-0a11e4c5d6e7f8002', 'ehr-app-02', 'running', 'vol-0a11e4c5d6e7f8102'),
  instance('i-0a11e4c5d6e7f8003', 'pacs-gateway', 'running', 'vol-0a11e4c5d6e7f8103'),
  instance('i-0a11e4c5d6e7f8004', 'fileserver-win', 'running', 'vol-0a11e4c5d6e7f8104'),
  instance('i-0a11e4c5d6e7f8005', 'old-reporting', 'stopped', 'vol-0a11e4c5d6e7f8105'),
  volume('vol-0a11e4c5d6e7f8101', 'ehr-app-01-root', true, 'i-0a11e4c5d6e7f8001'),
  volume('vol-0a11e4c5d6e7f8102', 'ehr-app-02-root', true, 'i-0a11e4c5d6e7f8002'),
  volume('vol-0a11e4c5d6e7f8103', 'pacs-gateway-cache', false, 'i-0a11e4c5d6e7f8003'),
  volume('vol-0a11e4c5d6e7f8104', 'fileserver-data', true, 'i-0a11e4c5d6e7f8004'),
  volume('vol-0a11e4c5d6e7f8105', 'old-reporting-root', false, 'i-0a11e4c5d6e7f8005', { 'compliance:exempt': 'decommissioning, wiped by vendor until=2027-01-31' }),
  volume('vol-0a11e4c5d6e7f8106', 'detached-restore-copy', false),
  bucket('riverside-imaging-archive', { sseAlgorithm: 'aws:kms', kmsMasterKeyID: CMK }),
  bucket('riverside-portal-uploads', { sseAlgorithm: 'AES256', kmsMasterKeyID: null }),
  bucket('riverside-ehr-exports-legacy', null),
  bucket('riverside-cloudtrail-logs', { sseAlgorithm: 'AES256', kmsMasterKeyID: null }),
  database('db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9', 'ehr-primary', true),
  database('db-BILLINGLEGACY1A2B3C4D5E6F7G', 'billing-legacy', false),
  snapshotItem('aws-samples/config-ci/rdk/AWS_RDS_DBCluster.json', 'cluster-REPORTING4H5J6K7L8M9N0P', {
    name: 'reporting-aurora',
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:reporting-aurora`,
    configuration: { dBClusterIdentifier: 'reporting-aurora', storageEncrypted: true, kmsKeyId: CMK, dbClusterResourceId: 'cluster-REPORTING4H5J6K7L8M9N0P', backupRetentionPeriod: 7 },
  }),
  table('appointment-reminders', null),
  table('portal-sessions', { status: 'ENABLED', ssetype: 'KMS', kmsmasterKeyArn: CMK }),
  fileSystem('fs-0c1a2b3c4d5e6f701', 'scanned-documents', true),
  fileSystem('fs-0c1a2b3c4d5e6f702', 'department-shares', false),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C01', `arn:aws:rds:${REGION}:${ACCOUNT}:db:ehr-primary`, true),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C02', `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0c1a2b3c4d5e6f701`, true),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C03', ec2('volume', 'vol-0a11e4c5d6e7f8103'), false),
  snapshotItem('aws-samples/config-ci/rdk/AWS_KMS_Key.json', '7c1e2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b', { arn: CMK }),
  snapshotItem('aws-samples/config-ci/rdk/AWS_SNS_Topic.json', `arn:aws:sns:${REGION}:${ACCOUNT}:clinic-it-alerts`, { name: 'clinic-it-alerts', arn: `arn:aws:sns:${REGION}:${ACCOUNT}:clinic-it-alerts` }),
];

const snapshot = { fileVersion: '1.0', configSnapshotId: '5d1e7f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6', configurationItems: items };
writeFileSync(join(HERE, 'config-snapshot.json'), JSON.stringify(snapshot, null, 2) + '\n');
console.log(`wrote ${items.length} configuration items to examples/clinic/config-snapshot.json`);
