/**
 * What the findings and the alerts say about a resource, per Config resource type: a readable kind
 * ("EBS volume"), the ASFF resource type, a best-effort ARN and console links. Data first, so adding a
 * resource type is adding one entry.
 */

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface ResourceRef {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly accountId: string;
  readonly region: string;
}

interface ArnParts {
  readonly partition: Partition;
  readonly region: string;
  readonly account: string;
  readonly id: string;
  readonly name: string | undefined;
}

interface ResourceKind {
  /** What on-call reads: "EBS volume". */
  readonly label: string;
  /** ASFF `Resources[].Type` (AWS-FACTS §3: no EFS file-system type, so `Other`). */
  readonly asffType: string;
  readonly arn?: (parts: ArnParts) => string | undefined;
  /** Path and fragment of the service console page, after `https://<console host>/`. */
  readonly console?: (parts: ArnParts) => string | undefined;
}

const enc = encodeURIComponent;

const KINDS: Readonly<Record<string, ResourceKind>> = {
  'AWS::EC2::Volume': {
    label: 'EBS volume',
    asffType: 'AwsEc2Volume',
    arn: (p) => `arn:${p.partition}:ec2:${p.region}:${p.account}:volume/${p.id}`,
    console: (p) => `ec2/home?region=${p.region}#VolumeDetails:volumeId=${enc(p.id)}`,
  },
  'AWS::EC2::Instance': {
    label: 'EC2 instance',
    asffType: 'AwsEc2Instance',
    arn: (p) => `arn:${p.partition}:ec2:${p.region}:${p.account}:instance/${p.id}`,
    console: (p) => `ec2/home?region=${p.region}#InstanceDetails:instanceId=${enc(p.id)}`,
  },
  'AWS::RDS::DBInstance': {
    label: 'RDS instance',
    asffType: 'AwsRdsDbInstance',
    // Config's resourceId is the DbiResourceId (db-…); the ARN and console use the identifier (resourceName).
    arn: (p) => (p.name ? `arn:${p.partition}:rds:${p.region}:${p.account}:db:${p.name}` : undefined),
    console: (p) => (p.name ? `rds/home?region=${p.region}#database:id=${enc(p.name)};is-cluster=false` : undefined),
  },
  'AWS::RDS::DBCluster': {
    label: 'RDS cluster',
    asffType: 'AwsRdsDbCluster',
    arn: (p) => (p.name ? `arn:${p.partition}:rds:${p.region}:${p.account}:cluster:${p.name}` : undefined),
    console: (p) => (p.name ? `rds/home?region=${p.region}#database:id=${enc(p.name)};is-cluster=true` : undefined),
  },
  'AWS::S3::Bucket': {
    label: 'S3 bucket',
    asffType: 'AwsS3Bucket',
    arn: (p) => `arn:${p.partition}:s3:::${p.id}`,
    console: (p) => `s3/buckets/${enc(p.id)}?region=${p.region}`,
  },
  'AWS::DynamoDB::Table': {
    label: 'DynamoDB table',
    asffType: 'AwsDynamoDbTable',
    arn: (p) => `arn:${p.partition}:dynamodb:${p.region}:${p.account}:table/${p.name ?? p.id}`,
    console: (p) => `dynamodbv2/home?region=${p.region}#table?name=${enc(p.name ?? p.id)}`,
  },
  'AWS::EFS::FileSystem': {
    label: 'EFS file system',
    asffType: 'Other',
    arn: (p) => `arn:${p.partition}:elasticfilesystem:${p.region}:${p.account}:file-system/${p.id}`,
    console: (p) => `efs/home?region=${p.region}#/file-systems/${enc(p.id)}`,
  },
  'AWS::IAM::User': {
    label: 'IAM user',
    asffType: 'AwsIamUser',
    // Config's resourceId is the user id (AIDA…); the ARN and console need the user name.
    arn: (p) => (p.name ? `arn:${p.partition}:iam::${p.account}:user/${p.name}` : undefined),
    console: (p) => (p.name ? `iam/home#/users/details/${enc(p.name)}` : undefined),
  },
  'AWS::::Account': {
    label: 'AWS account',
    asffType: 'AwsAccount',
    // The form Security Hub itself uses for account-level findings (control-finding-control-tower.json).
    arn: (p) => `AWS::::Account:${p.account}`,
  },
  'AWS::Backup::BackupPlan': {
    label: 'backup plan',
    asffType: 'AwsBackupBackupPlan',
    arn: (p) => `arn:${p.partition}:backup:${p.region}:${p.account}:backup-plan:${p.id}`,
    console: (p) => `backup/home?region=${p.region}#/backupplan/details/${enc(p.id)}`,
  },
  'AWS::Backup::BackupVault': {
    label: 'backup vault',
    asffType: 'AwsBackupBackupVault',
    arn: (p) => `arn:${p.partition}:backup:${p.region}:${p.account}:backup-vault:${p.name ?? p.id}`,
  },
  'AWS::Backup::RecoveryPoint': {
    label: 'recovery point',
    asffType: 'AwsBackupRecoveryPoint',
    arn: (p) => `arn:${p.partition}:backup:${p.region}:${p.account}:recovery-point:${p.id}`,
  },
  'AWS::SSM::PatchCompliance': {
    label: 'instance patches',
    asffType: 'AwsSsmPatchCompliance',
  },
};

const FALLBACK: ResourceKind = { label: 'resource', asffType: 'Other' };

function kindOf(resourceType: string): ResourceKind {
  return KINDS[resourceType] ?? FALLBACK;
}

/** The partition a Region belongs to (AWS-FACTS: the ProductArn carries it). */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const CONSOLE_HOST: Readonly<Record<Partition, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** IAM users are recorded in Region `global`; links and ProductArns need a real Region. */
export const GLOBAL_REGION = 'global';

function parts(ref: ResourceRef, partition: Partition, region: string): ArnParts {
  return { partition, region, account: ref.accountId, id: ref.resourceId, name: ref.resourceName };
}

export function resourceLabel(resourceType: string): string {
  return kindOf(resourceType).label;
}

export function asffResourceType(resourceType: string): string {
  return kindOf(resourceType).asffType;
}

/** The resource's name when it has one that differs from its id, else its id. */
export function displayName(ref: Pick<ResourceRef, 'resourceId' | 'resourceName'>): string {
  return ref.resourceName && ref.resourceName !== ref.resourceId ? ref.resourceName : ref.resourceId;
}

/**
 * The resource's ARN when it can be built from what Config reports (an id that already is an ARN is
 * kept), else undefined: RDS and IAM need the resource name, which change events do not carry.
 */
export function resourceArn(ref: ResourceRef, options: { partition?: Partition; region?: string } = {}): string | undefined {
  if (ref.resourceId.startsWith('arn:')) return ref.resourceId;
  const region = options.region ?? ref.region;
  return kindOf(ref.resourceType).arn?.(parts(ref, options.partition ?? partitionOf(region), region));
}

/** AWS Config's page for the resource (configuration timeline and compliance): works for every type. */
export function configConsoleUrl(ref: ResourceRef, region: string): string {
  const host = CONSOLE_HOST[partitionOf(region)];
  return `https://${host}/config/home?region=${region}#/resources/details?resourceId=${enc(ref.resourceId)}&resourceType=${enc(ref.resourceType)}`;
}

/** The service console page of the resource, when its id is enough to build one. */
export function serviceConsoleUrl(ref: ResourceRef, region: string): string | undefined {
  const partition = partitionOf(region);
  const path = kindOf(ref.resourceType).console?.(parts(ref, partition, region));
  return path === undefined ? undefined : `https://${CONSOLE_HOST[partition]}/${path}`;
}
