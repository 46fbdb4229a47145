/**
 * Builds the example clinic from AWS's own sample items (test/fixtures/aws-samples, and the shaped
 * items of test/fixtures/ci for types AWS publishes no sample of), changing only names, ids and the
 * settings under test. Writes the Config snapshot, the IAM credential report and the
 * get-backup-selection output the offline scan reads.
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
  let doc = parseAwsJson(readFileSync(join(SAMPLES, relative), 'utf8')) as Json;
  // A whole Config rule event carries its item inside the invokingEvent string.
  if (typeof doc.invokingEvent === 'string') doc = parseAwsJson(doc.invokingEvent) as Json;
  return (doc.configurationItem as Json | undefined) ?? doc;
}

/** Rewrites a sample (API or event style) into the S3 snapshot style Config delivers. */
function snapshotItem(
  relative: string,
  id: string,
  options: {
    name?: string;
    arn?: string;
    tags?: Record<string, string>;
    configuration?: Json;
    supplementary?: Json;
    relationships?: Json[];
    region?: string;
    captured?: string;
  },
): Json {
  const sample = structuredClone(template(relative));
  const configuration = typeof sample.configuration === 'string' ? (JSON.parse(sample.configuration) as Json) : (sample.configuration as Json);
  const captured = options.captured ?? CAPTURED;
  return {
    relatedEvents: [],
    relationships: options.relationships ?? [],
    configuration: { ...configuration, ...options.configuration },
    supplementaryConfiguration: { ...(sample.supplementaryConfiguration as Json), ...options.supplementary },
    tags: options.tags ?? {},
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: captured,
    configurationStateId: Date.parse(captured),
    awsAccountId: ACCOUNT,
    configurationItemStatus: 'OK',
    resourceType: sample.resourceType,
    resourceId: id,
    resourceName: options.name ?? id,
    ...(options.arn !== undefined && { ARN: options.arn }),
    awsRegion: options.region ?? REGION,
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
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { volumeId, status: 'attached', attachTime: '2025-03-02T14:00:00.000Z', deleteOnTermination: true } },
      ],
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
      attachments: attachedTo
        ? [{ volumeId: id, instanceId: attachedTo, device: '/dev/xvda', state: 'attached', attachTime: '2025-03-02T14:00:00.000Z', deleteOnTermination: true }]
        : [],
      encrypted,
      kmsKeyId: encrypted ? CMK : null,
      tags: Object.entries({ Name: name, ...tags }).map(([key, value]) => ({ key, value })),
    },
    relationships: attachedTo ? [{ resourceType: 'AWS::EC2::Instance', resourceId: attachedTo, relationshipName: 'Is attached to Instance' }] : [],
  });
}

function bucket(name: string, sse: Json | null, tags: Record<string, string> = {}, policy: ((arn: string) => Json[]) | null = null): Json {
  const arn = `arn:aws:s3:::${name}`;
  const item = snapshotItem('aws-samples/config-ci/other/AWS_S3_Bucket.with-SSE.hanegraaff.json', name, {
    arn,
    tags,
    configuration: { name, creationDate: '2025-03-02T14:00:00.000Z' },
    supplementary: {
      ...(sse !== null && {
        ServerSideEncryptionConfiguration: { rules: [{ applyServerSideEncryptionByDefault: sse, bucketKeyEnabled: sse.sseAlgorithm !== 'AES256' }] },
      }),
      // Config records the policy as {"policyText": "<policy JSON>"}; the sample's is {"policyText": null}.
      ...(policy !== null && { BucketPolicy: { policyText: JSON.stringify({ Version: '2012-10-17', Statement: policy(arn) }) } }),
    },
  });
  if (sse === null) delete (item.supplementaryConfiguration as Json).ServerSideEncryptionConfiguration;
  return item;
}

/** The deny of the RDK sample bucket's policy (Deny s3:* to "*" when aws:SecureTransport is "false"), on the given resources. */
const tlsDeny = (sid: string, action: string, resources: string[]): Json => ({
  Sid: sid,
  Effect: 'Deny',
  Principal: '*',
  Action: action,
  Resource: resources,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});
const TLS_ONLY = (arn: string) => [tlsDeny('DenyInsecureTransport', 's3:*', [arn, `${arn}/*`])];
/** Only downloads refused over HTTP, as in Cloud Custodian's recorded policy: uploads still go through in the clear. */
const TLS_DOWNLOADS_ONLY = (arn: string) => [tlsDeny('DenyInsecureDownloads', 's3:GetObject', [`${arn}/*`])];

function database(resourceId: string, name: string, encrypted: boolean, backupRetentionPeriod = 14, member?: { cluster: string; engine: string }): Json {
  return snapshotItem('aws-samples/config-ci/rdk/AWS_RDS_DBInstance.json', resourceId, {
    name,
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:${name}`,
    configuration: {
      dBInstanceIdentifier: name,
      dBInstanceStatus: 'available',
      storageEncrypted: encrypted,
      kmsKeyId: encrypted ? CMK : null,
      dbiResourceId: resourceId,
      backupRetentionPeriod,
      ...(member && { dBClusterIdentifier: member.cluster, engine: member.engine }),
    },
  });
}

function table(name: string, sse: Json | null): Json {
  return snapshotItem('aws-samples/config-ci/rdk/AWS_DynamoDB_Table.json', name, {
    arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
    configuration: { tableName: name, tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`, tableId: name, ...(sse && { ssedescription: sse }) },
  });
}

function fileSystem(id: string, name: string, encrypted: boolean, tags: Record<string, string> = {}): Json {
  const all = { Name: name, ...tags };
  return snapshotItem('aws-samples/config-ci/other/AWS_EFS_FileSystem.configdg.json', id, {
    arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`,
    tags: all,
    configuration: {
      FileSystemId: id,
      Arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`,
      Encrypted: encrypted,
      KmsKeyId: encrypted ? CMK : null,
      FileSystemTags: Object.entries(all).map(([Key, Value]) => ({ Key, Value })),
    },
  });
}

function recoveryPoint(
  uuid: string,
  sourceArn: string,
  encrypted: boolean,
  created = '2026-11-27T05:00:00.000Z',
  plan: string = PLANS.daily,
  status = 'COMPLETED',
): Json {
  const arn = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:${uuid}`;
  const completed = new Date(Date.parse(created) + 11 * 60_000 + 32_000).toISOString();
  return snapshotItem('ci/AWS_Backup_RecoveryPoint.json', arn, {
    name: uuid,
    arn,
    captured: new Date(Date.parse(completed) + 20 * 60_000).toISOString(),
    configuration: {
      RecoveryPointArn: arn,
      ResourceArn: sourceArn,
      ResourceType: resourceTypeOf(sourceArn),
      BackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:clinic-vault`,
      CreatedBy: { BackupPlanId: plan, BackupPlanArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:${plan}` },
      IsEncrypted: encrypted,
      EncryptionKeyArn: encrypted ? CMK : null,
      Status: status,
      CreationDate: created,
      CompletionDate: completed,
      CalculatedLifecycle: { DeleteAt: new Date(Date.parse(created) + 35 * 86_400_000).toISOString() },
    },
  });
}

function resourceTypeOf(arn: string): string {
  if (arn.includes(':volume/')) return 'EBS';
  if (arn.includes(':instance/')) return 'EC2';
  if (arn.includes(':rds:')) return arn.includes(':cluster:') ? 'Aurora' : 'RDS';
  if (arn.includes(':dynamodb:')) return 'DynamoDB';
  return 'EFS';
}

/** Backup plan ids, made up; the plans, their selections and recovery points refer to them. */
const PLANS = {
  daily: '0f6b2c1d-8e3a-4b5c-9d7e-1a2b3c4d5e01',
  imaging: '0f6b2c1d-8e3a-4b5c-9d7e-1a2b3c4d5e02',
  fileShare: '0f6b2c1d-8e3a-4b5c-9d7e-1a2b3c4d5e03',
} as const;
const DR_REGION_VAULT = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:clinic-dr-vault`;
const BACKUP_ACCOUNT_VAULT = 'arn:aws:backup:us-east-1:444455556666:backup-vault:clinic-backup-account-vault';
const BACKUP_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`;

function backupPlan(id: string, name: string, rule: Json): Json {
  const arn = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:${id}`;
  return snapshotItem('ci/AWS_Backup_BackupPlan.json', id, {
    name,
    arn,
    configuration: {
      BackupPlan: {
        BackupPlanName: name,
        BackupPlanRule: [{ TargetBackupVault: 'clinic-vault', StartWindowMinutes: 60, CompletionWindowMinutes: 180, EnableContinuousBackup: false, ...rule }],
      },
      BackupPlanArn: arn,
      BackupPlanId: id,
    },
  });
}

interface Selection {
  readonly id: string;
  readonly plan: string;
  readonly name: string;
  readonly resources: readonly string[];
  readonly notResources?: readonly string[];
  readonly listOfTags?: readonly Json[];
  readonly conditions?: Json;
}

/** The Config item of a selection: what Config records (no tag conditions). */
function selectionItem(selection: Selection): Json {
  return snapshotItem('ci/AWS_Backup_BackupSelection.json', selection.id, {
    name: selection.name,
    configuration: {
      BackupPlanId: selection.plan,
      SelectionId: selection.id,
      BackupSelection: { SelectionName: selection.name, IamRoleArn: BACKUP_ROLE, Resources: selection.resources, NotResources: selection.notResources ?? [] },
    },
  });
}

/** The same selection as aws backup get-backup-selection prints it, tag conditions included. */
function selectionOutput(selection: Selection): Json {
  return {
    BackupSelection: {
      SelectionName: selection.name,
      IamRoleArn: BACKUP_ROLE,
      Resources: selection.resources,
      ListOfTags: selection.listOfTags ?? [],
      NotResources: selection.notResources ?? [],
      Conditions: { StringEquals: [], StringNotEquals: [], StringLike: [], StringNotLike: [], ...selection.conditions },
    },
    SelectionId: selection.id,
    BackupPlanId: selection.plan,
    CreationDate: '2025-03-02T14:30:00.000000+00:00',
    CreatorRequestId: `${selection.id.slice(0, 24)}0000c0ffee01`,
  };
}

const SELECTIONS: readonly Selection[] = [
  {
    id: '5c2e8a41-7d3b-4f6e-9a1c-2b3d4e5f6a01',
    plan: PLANS.daily,
    name: 'clinical-data',
    resources: [
      `arn:aws:rds:${REGION}:${ACCOUNT}:db:ehr-primary`,
      `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:reporting-aurora`,
      `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/*`,
    ],
    notResources: [`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/portal-sessions`],
    listOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }],
    conditions: { StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/environment', ConditionValue: 'test' }] },
  },
  {
    id: '5c2e8a41-7d3b-4f6e-9a1c-2b3d4e5f6a02',
    plan: PLANS.imaging,
    name: 'imaging-archive',
    resources: ['arn:aws:elasticfilesystem:*:*:file-system/*'],
    conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/data-class', ConditionValue: 'imaging' }] },
  },
  { id: '5c2e8a41-7d3b-4f6e-9a1c-2b3d4e5f6a03', plan: PLANS.fileShare, name: 'file-server', resources: [ec2('instance', 'i-0a11e4c5d6e7f8004')] },
];

function iamUser(userId: string, name: string, groups: string[]): Json {
  const arn = `arn:aws:iam::${ACCOUNT}:user/${name}`;
  return snapshotItem('aws-samples/config-ci/rdk/AWS_IAM_User.json', userId, {
    name,
    arn,
    region: 'global',
    configuration: {
      path: '/',
      userName: name,
      userId,
      arn,
      createDate: '2025-03-02T14:00:00.000Z',
      userPolicyList: [],
      groupList: groups,
      attachedManagedPolicies: [],
    },
  });
}

/** The SSM agent's inventory of an instance, from AWS's sample with the long software lists cut to their first entries. */
function managedInventory(instanceId: string, sample: 'Linux' | 'Windows', computerName: string): Json {
  const item = snapshotItem(`aws-samples/config-ci/rdk/AWS_SSM_ManagedInstanceInventory_${sample}.json`, instanceId, {
    name: '',
    arn: `arn:aws:ssm:${REGION}:${ACCOUNT}:managed-instance-inventory/${instanceId}`,
    relationships: [{ resourceType: 'AWS::EC2::Instance', resourceId: instanceId, resourceName: '', relationshipName: 'Is associated with ' }],
  });
  const configuration = item.configuration as Record<string, { Content: unknown }>;
  for (const entry of Object.values(configuration)) if (Array.isArray(entry.Content)) entry.Content = entry.Content.slice(0, 3);
  const info = configuration['AWS:InstanceInformation'];
  if (info) {
    const [details] = Object.values(info.Content as Record<string, Json>);
    const linux = sample === 'Linux';
    info.Content = {
      [instanceId]: {
        ...details,
        InstanceId: instanceId,
        ComputerName: computerName,
        ...(linux && { PlatformName: 'Amazon Linux', PlatformVersion: '2023', PlatformType: 'Linux', AgentVersion: '3.3.1142.0' }),
      },
    };
  }
  return item;
}

/**
 * The patch compliance item of an instance: per-patch entries and the ComplianceSummary with the
 * fields Security Hub's mirror of it documents (AwsSsmComplianceSummary). No scan time: Config items
 * carry none (docs/aws-semantics.md), so the capture time is simply when the patch state last changed.
 */
function patchCompliance(instanceId: string, changed: string, patches: Record<string, Json>): Json {
  const entries = Object.fromEntries(
    Object.entries(patches).map(([id, patch]) => [
      id,
      {
        Id: id,
        Title: '',
        Status: 'COMPLIANT',
        Severity: 'UNSPECIFIED',
        PatchSeverity: '',
        Classification: '',
        PatchState: 'Installed',
        InstalledTime: '',
        PatchBaselineId: 'pb-0c1a2b3c4d5e6f789',
        PatchGroup: '',
        CVEIds: '',
        ...patch,
      },
    ]),
  );
  const missing = Object.values(entries).filter((p) => p.Status === 'NON_COMPLIANT');
  const count = (severity: string) => missing.filter((p) => p.Severity === severity).length;
  const summary = {
    Status: missing.length > 0 ? 'NON_COMPLIANT' : 'COMPLIANT',
    OverallSeverity: missing.length > 0 ? 'CRITICAL' : 'UNSPECIFIED',
    ComplianceType: 'Patch',
    PatchBaselineId: 'pb-0c1a2b3c4d5e6f789',
    PatchGroup: '',
    ExecutionType: 'Command',
    NonCompliantCriticalCount: count('CRITICAL'),
    NonCompliantHighCount: count('HIGH'),
    NonCompliantMediumCount: count('MEDIUM'),
    NonCompliantLowCount: count('LOW'),
    NonCompliantInformationalCount: 0,
    NonCompliantUnspecifiedCount: count('UNSPECIFIED'),
  };
  return snapshotItem('ci/AWS_SSM_PatchCompliance.json', `AWS::SSM::ManagedInstanceInventory/${instanceId}`, {
    name: instanceId,
    captured: changed,
    configuration: { 'AWS:ComplianceItem': { SchemaVersion: '1.0', Content: { Patch: { ...entries, ComplianceSummary: summary } } } },
  });
}

/**
 * A security group in the newest item shape (Cloud Custodian's recorded rule event): each IPv4 source
 * both as an ipRanges string and as ipv4Ranges {cidrIp}, IPv6 sources as ipv6Ranges {cidrIpv6}.
 */
function securityGroup(id: string, name: string, ingress: { protocol: string; port: number; cidrs?: string[]; groups?: string[] }[]): Json {
  return snapshotItem('aws-samples/config-events/custodian-event-config-rule-security-group.json', id, {
    name,
    arn: ec2('security-group', id),
    configuration: {
      groupName: name,
      groupId: id,
      description: name,
      ownerId: ACCOUNT,
      vpcId: 'vpc-0a11e4c5d6e7f8300',
      ipPermissions: ingress.map(({ protocol, port, cidrs = [], groups = [] }) => {
        const v4 = cidrs.filter((cidr) => !cidr.includes(':'));
        return {
          fromPort: port,
          toPort: port,
          ipProtocol: protocol,
          ipv6Ranges: cidrs.filter((cidr) => cidr.includes(':')).map((cidrIpv6) => ({ cidrIpv6 })),
          prefixListIds: [],
          userIdGroupPairs: groups.map((groupId) => ({ groupId, userId: ACCOUNT })),
          ipv4Ranges: v4.map((cidrIp) => ({ cidrIp })),
          ipRanges: v4,
        };
      }),
    },
    relationships: [{ resourceType: 'AWS::EC2::VPC', resourceId: 'vpc-0a11e4c5d6e7f8300', relationshipName: 'Is contained in Vpc' }],
  });
}

const ALB = (name: string, id: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${name}/${id}`;

/** An Application Load Balancer listener, in the PascalCase shape of AWS's listener item and DescribeListeners. */
function listener(loadBalancer: string, listenerId: string, settings: Json): Json {
  const arn = `${loadBalancer.replace(':loadbalancer/', ':listener/')}/${listenerId}`;
  return snapshotItem('aws-samples/config-ci/rdk/AWS_ElasticLoadBalancingV2_Listener.json', arn, {
    name: '',
    arn,
    configuration: { LoadBalancerArn: loadBalancer, ListenerArn: arn, Certificates: [], AlpnPolicy: [], ...settings },
  });
}
const forwardTo = (targetGroup: string): Json[] => {
  const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${targetGroup}`;
  return [
    {
      Type: 'forward',
      TargetGroupArn: arn,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: arn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
    },
  ];
};
const PORTAL = ALB('ehr-portal', '4f1a2b3c4d5e6f70');
const PACS_VIEWER = ALB('pacs-viewer', '5a6b7c8d9e0f1a2b');
const CERTIFICATE = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/3b2a1c0d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;

const DECOMMISSIONING = { 'compliance:exempt': 'decommissioning, wiped by vendor until=2027-01-31' };
const RECENT = '2026-11-28T05:00:00.000Z';

const items: Json[] = [
  instance('i-0a11e4c5d6e7f8001', 'ehr-app-01', 'running', 'vol-0a11e4c5d6e7f8101', { backup: 'daily' }),
  instance('i-0a11e4c5d6e7f8002', 'ehr-app-02', 'running', 'vol-0a11e4c5d6e7f8102', { backup: 'daily' }),
  instance('i-0a11e4c5d6e7f8003', 'pacs-gateway', 'running', 'vol-0a11e4c5d6e7f8103'),
  instance('i-0a11e4c5d6e7f8004', 'fileserver-win', 'running', 'vol-0a11e4c5d6e7f8104'),
  instance('i-0a11e4c5d6e7f8005', 'old-reporting', 'stopped', 'vol-0a11e4c5d6e7f8105', DECOMMISSIONING),
  volume('vol-0a11e4c5d6e7f8101', 'ehr-app-01-root', true, 'i-0a11e4c5d6e7f8001'),
  volume('vol-0a11e4c5d6e7f8102', 'ehr-app-02-root', true, 'i-0a11e4c5d6e7f8002'),
  volume('vol-0a11e4c5d6e7f8103', 'pacs-gateway-cache', false, 'i-0a11e4c5d6e7f8003'),
  volume('vol-0a11e4c5d6e7f8104', 'fileserver-data', true, 'i-0a11e4c5d6e7f8004'),
  volume('vol-0a11e4c5d6e7f8105', 'old-reporting-root', false, 'i-0a11e4c5d6e7f8005', DECOMMISSIONING),
  volume('vol-0a11e4c5d6e7f8106', 'detached-restore-copy', false),
  bucket('riverside-imaging-archive', { sseAlgorithm: 'aws:kms', kmsMasterKeyID: CMK }, {}, TLS_ONLY),
  bucket('riverside-portal-uploads', { sseAlgorithm: 'AES256', kmsMasterKeyID: null }, {}, TLS_DOWNLOADS_ONLY),
  bucket('riverside-ehr-exports-legacy', null),
  bucket('riverside-cloudtrail-logs', { sseAlgorithm: 'AES256', kmsMasterKeyID: null }, {}, TLS_ONLY),
  database('db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9', 'ehr-primary', true),
  database('db-BILLINGLEGACY1A2B3C4D5E6F7G', 'billing-legacy', false, 1),
  database('db-REPORTINGINST1Q2W3E4R5T6Y7', 'reporting-aurora-instance-1', true, 7, { cluster: 'reporting-aurora', engine: 'aurora-mysql' }),
  snapshotItem('aws-samples/config-ci/rdk/AWS_RDS_DBCluster.json', 'cluster-REPORTING4H5J6K7L8M9N0P', {
    name: 'reporting-aurora',
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:reporting-aurora`,
    configuration: {
      dbclusterIdentifier: 'reporting-aurora',
      storageEncrypted: true,
      kmsKeyId: CMK,
      dbClusterResourceId: 'cluster-REPORTING4H5J6K7L8M9N0P',
      backupRetentionPeriod: 7,
    },
  }),
  table('appointment-reminders', null),
  table('portal-sessions', { status: 'ENABLED', ssetype: 'KMS', kmsmasterKeyArn: CMK }),
  fileSystem('fs-0c1a2b3c4d5e6f701', 'scanned-documents', true, { 'data-class': 'imaging' }),
  fileSystem('fs-0c1a2b3c4d5e6f702', 'department-shares', false),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C01', `arn:aws:rds:${REGION}:${ACCOUNT}:db:ehr-primary`, true),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C02', `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0c1a2b3c4d5e6f701`, true),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C03', ec2('volume', 'vol-0a11e4c5d6e7f8103'), false),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C04', `arn:aws:rds:${REGION}:${ACCOUNT}:db:ehr-primary`, true, RECENT),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C05', `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:reporting-aurora`, true, RECENT),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C06', ec2('instance', 'i-0a11e4c5d6e7f8001'), true, RECENT),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C07', ec2('instance', 'i-0a11e4c5d6e7f8002'), true, RECENT),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C08', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/appointment-reminders`, true, RECENT),
  recoveryPoint('4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C09', ec2('instance', 'i-0a11e4c5d6e7f8004'), true, '2026-11-28T06:00:00.000Z', PLANS.fileShare, 'AVAILABLE'),
  backupPlan(PLANS.daily, 'clinic-daily', {
    RuleName: 'daily-35d',
    ScheduleExpression: 'cron(0 5 ? * * *)',
    Lifecycle: { DeleteAfterDays: 35 },
    CopyActions: [{ DestinationBackupVaultArn: DR_REGION_VAULT, Lifecycle: { DeleteAfterDays: 35 } }],
  }),
  backupPlan(PLANS.imaging, 'imaging-weekly', { RuleName: 'weekly-90d', ScheduleExpression: 'cron(0 3 ? * SUN *)', Lifecycle: { DeleteAfterDays: 90 } }),
  backupPlan(PLANS.fileShare, 'file-share-twice-daily', {
    RuleName: 'twice-daily-14d',
    ScheduleExpression: 'cron(0 6,18 * * ? *)',
    Lifecycle: { DeleteAfterDays: 14 },
    CopyActions: [{ DestinationBackupVaultArn: BACKUP_ACCOUNT_VAULT, Lifecycle: { DeleteAfterDays: 14 } }],
  }),
  ...SELECTIONS.map(selectionItem),
  iamUser('AIDA2ITADMINR7Q4K8XW3', 'it-admin', ['clinic-admins']),
  iamUser('AIDA2BILLINGCLERK5T7Y', 'billing-clerk', ['billing']),
  iamUser('AIDA2RADIOLOGYTECH9P4', 'radiology-tech', ['imaging']),
  iamUser('AIDA2VENDORSUPPORT3M6', 'vendor-support', ['vendors']),
  iamUser('AIDA2PACSINTEGRATN8J2', 'pacs-integration', ['integrations']),
  managedInventory('i-0a11e4c5d6e7f8001', 'Linux', 'ip-10-20-1-11.ec2.internal'),
  managedInventory('i-0a11e4c5d6e7f8002', 'Linux', 'ip-10-20-1-12.ec2.internal'),
  managedInventory('i-0a11e4c5d6e7f8004', 'Windows', 'FILESERVER01.RIVERSIDE'),
  managedInventory('i-0a11e4c5d6e7f8005', 'Linux', 'ip-10-20-1-15.ec2.internal'),
  patchCompliance('i-0a11e4c5d6e7f8001', '2026-11-27T03:40:05Z', {
    'ALAS2023-2026-1187': { Severity: 'CRITICAL', PatchSeverity: 'Critical', Classification: 'Security', InstalledTime: '2026-11-20T03:41:10Z' },
    'ALAS2023-2026-1202': { Severity: 'HIGH', PatchSeverity: 'Important', Classification: 'Security', InstalledTime: '2026-11-27T03:42:37Z' },
  }),
  patchCompliance('i-0a11e4c5d6e7f8002', '2026-11-27T03:40:11Z', {
    'ALAS2023-2026-1187': { Severity: 'CRITICAL', PatchSeverity: 'Critical', Classification: 'Security', InstalledTime: '2026-11-20T03:41:52Z' },
    'ALAS2023-2026-1202': { Status: 'NON_COMPLIANT', Severity: 'HIGH', PatchSeverity: 'Important', Classification: 'Security', PatchState: 'Missing' },
  }),
  patchCompliance('i-0a11e4c5d6e7f8004', '2026-11-16T04:05:19Z', {
    KB5044281: { Severity: 'CRITICAL', PatchSeverity: 'Critical', Classification: 'SecurityUpdates', InstalledTime: '2026-10-16T03:12:44Z' },
    KB5046617: {
      Status: 'NON_COMPLIANT',
      Severity: 'CRITICAL',
      PatchSeverity: 'Critical',
      Classification: 'SecurityUpdates',
      PatchState: 'InstalledPendingReboot',
      InstalledTime: '2026-11-16T04:03:40Z',
    },
    KB890830: { Status: '', Classification: 'UpdateRollups', PatchState: 'NotApplicable' },
  }),
  patchCompliance('i-0a11e4c5d6e7f8005', '2026-06-02T03:40:00Z', {
    'ALAS2023-2026-0611': { Status: 'NON_COMPLIANT', Severity: 'CRITICAL', PatchSeverity: 'Critical', Classification: 'Security', PatchState: 'Missing' },
  }),
  snapshotItem('aws-samples/config-ci/rdk/AWS_KMS_Key.json', '7c1e2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b', { arn: CMK }),
  securityGroup('sg-0a11e4c5d6e7f8201', 'ehr-web', [
    { protocol: 'tcp', port: 443, cidrs: ['0.0.0.0/0', '::/0'] },
    { protocol: 'tcp', port: 22, cidrs: ['10.20.0.0/16'] },
  ]),
  securityGroup('sg-0a11e4c5d6e7f8202', 'ehr-db', [{ protocol: 'tcp', port: 5432, groups: ['sg-0a11e4c5d6e7f8201'] }]),
  securityGroup('sg-0a11e4c5d6e7f8203', 'fileserver-rdp', [{ protocol: 'tcp', port: 3389, cidrs: ['0.0.0.0/0'] }]),
  listener(PORTAL, '0a1b2c3d4e5f6a01', {
    Protocol: 'HTTPS',
    Port: 443,
    SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    Certificates: [{ CertificateArn: CERTIFICATE }],
    DefaultActions: forwardTo('ehr-portal/6c7d8e9f0a1b2c3d'),
  }),
  listener(PORTAL, '0a1b2c3d4e5f6a02', {
    Protocol: 'HTTP',
    Port: 80,
    DefaultActions: [
      { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } },
    ],
  }),
  listener(PACS_VIEWER, '0a1b2c3d4e5f6a03', { Protocol: 'HTTP', Port: 8080, DefaultActions: forwardTo('pacs-viewer/7d8e9f0a1b2c3d4e') }),
  snapshotItem('aws-samples/config-ci/rdk/AWS_Cloudtrail_Trail.json', 'clinic-audit-trail', {
    name: 'clinic-audit-trail',
    arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/clinic-audit-trail`,
    configuration: {
      name: 'clinic-audit-trail',
      s3BucketName: 'riverside-cloudtrail-logs',
      s3KeyPrefix: 'CloudTrail',
      homeRegion: REGION,
      trailARN: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/clinic-audit-trail`,
      kmsKeyId: CMK,
      hasCustomEventSelectors: false,
    },
  }),
  snapshotItem('aws-samples/config-ci/other/AWS_GuardDuty_Detector.prescriptive-guidance.json', '4cc6f1a2b3d4e5f60718293a4b5c6d7e', {
    arn: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/4cc6f1a2b3d4e5f60718293a4b5c6d7e`,
    configuration: { Id: '4cc6f1a2b3d4e5f60718293a4b5c6d7e' },
  }),
  snapshotItem('aws-samples/config-ci/rdk/AWS_SNS_Topic.json', `arn:aws:sns:${REGION}:${ACCOUNT}:clinic-it-alerts`, {
    name: 'clinic-it-alerts',
    arn: `arn:aws:sns:${REGION}:${ACCOUNT}:clinic-it-alerts`,
  }),
];

const snapshot = { fileVersion: '1.0', configSnapshotId: '5d1e7f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6', configurationItems: items };
writeFileSync(join(HERE, 'config-snapshot.json'), JSON.stringify(snapshot, null, 2) + '\n');
console.log(`wrote ${items.length} configuration items to examples/clinic/config-snapshot.json`);

writeFileSync(join(HERE, 'backup-selections.json'), JSON.stringify(SELECTIONS.map(selectionOutput), null, 2) + '\n');
console.log(`wrote ${SELECTIONS.length} backup selections to examples/clinic/backup-selections.json`);

/**
 * The IAM credential report, in the 22-column shape of AWS's sample (lowercase flags, N/A for what
 * does not apply). Staff roles only: no person's name.
 */
function reportRow(user: string, arn: string, created: string, cells: { password: string; passwordUsed?: string; mfa: boolean; key1?: boolean }): string {
  const keyActive = cells.key1 ?? false;
  return [
    user,
    arn,
    created,
    cells.password,
    cells.passwordUsed ?? 'N/A',
    cells.password === 'true' ? '2025-03-02T14:20:00+00:00' : cells.password === 'not_supported' ? 'not_supported' : 'N/A',
    cells.password === 'not_supported' ? 'not_supported' : 'N/A',
    String(cells.mfa),
    String(keyActive),
    keyActive ? '2025-09-14T10:02:11+00:00' : 'N/A',
    keyActive ? '2026-11-28T04:15:00+00:00' : 'N/A',
    keyActive ? REGION : 'N/A',
    keyActive ? 's3' : 'N/A',
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
}

const REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const report = [
  REPORT_HEADER,
  reportRow('<root_account>', `arn:aws:iam::${ACCOUNT}:root`, '2025-03-01T09:00:00+00:00', {
    password: 'not_supported',
    passwordUsed: '2025-03-01T09:30:00+00:00',
    mfa: true,
  }),
  reportRow('it-admin', userArn('it-admin'), '2025-03-02T14:00:00+00:00', { password: 'true', passwordUsed: '2026-11-27T16:05:00+00:00', mfa: true }),
  reportRow('billing-clerk', userArn('billing-clerk'), '2025-03-02T14:00:00+00:00', {
    password: 'true',
    passwordUsed: '2026-11-26T08:31:00+00:00',
    mfa: false,
  }),
  reportRow('radiology-tech', userArn('radiology-tech'), '2025-03-02T14:00:00+00:00', {
    password: 'true',
    passwordUsed: '2026-11-25T07:58:00+00:00',
    mfa: true,
  }),
  reportRow('vendor-support', userArn('vendor-support'), '2025-03-02T14:00:00+00:00', {
    password: 'true',
    passwordUsed: '2026-10-02T19:12:00+00:00',
    mfa: false,
  }),
  reportRow('pacs-integration', userArn('pacs-integration'), '2025-03-02T14:00:00+00:00', { password: 'false', mfa: false, key1: true }),
];
writeFileSync(join(HERE, 'credential-report.csv'), report.join('\n') + '\n');
console.log(`wrote ${report.length - 1} rows to examples/clinic/credential-report.csv`);
