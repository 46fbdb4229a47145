/**
 * Every resource type a rule reports on or reads, declared once: the label people read, the ASFF
 * resource type, how to build its ARN and its console page, and whether AWS Config records it. The
 * findings and alerts (functions/shared/resources.ts), the README's export query (`npm run docs`) and
 * the rules' `resourceTypes`/`reads` (typed with ResourceType, so an undeclared type fails tsc) all
 * read it. Pure data with small string builders: rules/ stays free of anything outside it.
 */

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** What an ARN or console path is built from: Config's resource id and, where it differs, its name. */
export interface ArnParts {
  readonly partition: Partition;
  readonly region: string;
  readonly account: string;
  readonly id: string;
  readonly name: string | undefined;
}

export interface ResourceTypeDeclaration {
  /** What on-call and auditors read, in alert subjects and finding titles: "EBS volume". */
  readonly label: string;
  /** ASFF `Resources[].Type` (the SDK's ResourceDetails names); `Other` where Security Hub has none. */
  readonly asffType: string;
  /**
   * AWS Config records items of this type, so the recorder and the README's export query must include
   * it. False only for the account itself, which rules judge from account-level APIs.
   */
  readonly recordedByConfig: boolean;
  /**
   * The resource's ARN from what Config reports; undefined when those parts are not enough (RDS and IAM
   * need the name, which change events lack). `null`: the type has no ARN worth building.
   */
  readonly arn: ((parts: ArnParts) => string | undefined) | null;
  /** Path and fragment of its service console page, after `https://<console host>/`; `null`: none. */
  readonly console: ((parts: ArnParts) => string | undefined) | null;
}

const enc = encodeURIComponent;

export const RESOURCE_TYPES = {
  'AWS::EC2::Volume': {
    label: 'EBS volume',
    asffType: 'AwsEc2Volume',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:ec2:${p.region}:${p.account}:volume/${p.id}`,
    console: (p) => `ec2/home?region=${p.region}#VolumeDetails:volumeId=${enc(p.id)}`,
  },
  'AWS::EC2::Instance': {
    label: 'EC2 instance',
    asffType: 'AwsEc2Instance',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:ec2:${p.region}:${p.account}:instance/${p.id}`,
    console: (p) => `ec2/home?region=${p.region}#InstanceDetails:instanceId=${enc(p.id)}`,
  },
  'AWS::RDS::DBInstance': {
    label: 'RDS instance',
    asffType: 'AwsRdsDbInstance',
    recordedByConfig: true,
    // Config's resourceId is the DbiResourceId (db-…); the ARN and console use the identifier (resourceName).
    arn: (p) => (p.name ? `arn:${p.partition}:rds:${p.region}:${p.account}:db:${p.name}` : undefined),
    console: (p) => (p.name ? `rds/home?region=${p.region}#database:id=${enc(p.name)};is-cluster=false` : undefined),
  },
  'AWS::RDS::DBCluster': {
    label: 'RDS cluster',
    asffType: 'AwsRdsDbCluster',
    recordedByConfig: true,
    arn: (p) => (p.name ? `arn:${p.partition}:rds:${p.region}:${p.account}:cluster:${p.name}` : undefined),
    console: (p) => (p.name ? `rds/home?region=${p.region}#database:id=${enc(p.name)};is-cluster=true` : undefined),
  },
  'AWS::S3::Bucket': {
    label: 'S3 bucket',
    asffType: 'AwsS3Bucket',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:s3:::${p.id}`,
    console: (p) => `s3/buckets/${enc(p.id)}?region=${p.region}`,
  },
  'AWS::DynamoDB::Table': {
    label: 'DynamoDB table',
    asffType: 'AwsDynamoDbTable',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:dynamodb:${p.region}:${p.account}:table/${p.name ?? p.id}`,
    console: (p) => `dynamodbv2/home?region=${p.region}#table?name=${enc(p.name ?? p.id)}`,
  },
  'AWS::EFS::FileSystem': {
    label: 'EFS file system',
    // ASFF has no EFS file-system type (only AwsEfsAccessPoint).
    asffType: 'Other',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:elasticfilesystem:${p.region}:${p.account}:file-system/${p.id}`,
    console: (p) => `efs/home?region=${p.region}#/file-systems/${enc(p.id)}`,
  },
  'AWS::IAM::User': {
    label: 'IAM user',
    asffType: 'AwsIamUser',
    recordedByConfig: true,
    // Config's resourceId is the user id (AIDA…); the ARN and console need the user name.
    arn: (p) => (p.name ? `arn:${p.partition}:iam::${p.account}:user/${p.name}` : undefined),
    console: (p) => (p.name ? `iam/home#/users/details/${enc(p.name)}` : undefined),
  },
  'AWS::::Account': {
    label: 'AWS account',
    asffType: 'AwsAccount',
    recordedByConfig: false,
    // The form Security Hub itself uses for account-level findings.
    arn: (p) => `AWS::::Account:${p.account}`,
    console: null,
  },
  'AWS::Backup::BackupPlan': {
    label: 'backup plan',
    asffType: 'AwsBackupBackupPlan',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:backup:${p.region}:${p.account}:backup-plan:${p.id}`,
    console: (p) => `backup/home?region=${p.region}#/backupplan/details/${enc(p.id)}`,
  },
  'AWS::Backup::BackupSelection': {
    label: 'backup selection',
    // Read for coverage, never reported on; ASFF has no selection type.
    asffType: 'Other',
    recordedByConfig: true,
    arn: null,
    console: null,
  },
  'AWS::Backup::BackupVault': {
    label: 'backup vault',
    asffType: 'AwsBackupBackupVault',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:backup:${p.region}:${p.account}:backup-vault:${p.name ?? p.id}`,
    console: null,
  },
  'AWS::Backup::RecoveryPoint': {
    label: 'recovery point',
    asffType: 'AwsBackupRecoveryPoint',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:backup:${p.region}:${p.account}:recovery-point:${p.id}`,
    console: null,
  },
  'AWS::SSM::PatchCompliance': {
    label: 'instance patches',
    asffType: 'AwsSsmPatchCompliance',
    recordedByConfig: true,
    arn: null,
    console: null,
  },
  'AWS::SSM::ManagedInstanceInventory': {
    label: 'managed instance inventory',
    // Read to tell whether an instance is managed, never reported on; ASFF has no inventory type.
    asffType: 'Other',
    recordedByConfig: true,
    arn: null,
    console: null,
  },
  'AWS::EC2::SecurityGroup': {
    label: 'security group',
    asffType: 'AwsEc2SecurityGroup',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:ec2:${p.region}:${p.account}:security-group/${p.id}`,
    console: (p) => `ec2/home?region=${p.region}#SecurityGroup:groupId=${enc(p.id)}`,
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    label: 'load balancer listener',
    // ASFF has load balancer types but none for a listener.
    asffType: 'Other',
    recordedByConfig: true,
    // Config's resourceId of a listener is its ARN.
    arn: (p) => (p.id.startsWith('arn:') ? p.id : undefined),
    console: null,
  },
  'AWS::ElasticLoadBalancing::LoadBalancer': {
    label: 'Classic load balancer',
    asffType: 'AwsElbLoadBalancer',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:elasticloadbalancing:${p.region}:${p.account}:loadbalancer/${p.name ?? p.id}`,
    console: null,
  },
  'AWS::CloudTrail::Trail': {
    label: 'CloudTrail trail',
    // Read offline in place of DescribeTrails, never reported on.
    asffType: 'AwsCloudTrailTrail',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:cloudtrail:${p.region}:${p.account}:trail/${p.name ?? p.id}`,
    console: null,
  },
  'AWS::GuardDuty::Detector': {
    label: 'GuardDuty detector',
    // Read offline in place of GetDetector, never reported on.
    asffType: 'AwsGuardDutyDetector',
    recordedByConfig: true,
    arn: (p) => `arn:${p.partition}:guardduty:${p.region}:${p.account}:detector/${p.id}`,
    console: null,
  },
} satisfies Readonly<Record<string, ResourceTypeDeclaration>>;

export type ResourceType = keyof typeof RESOURCE_TYPES;

export function isResourceType(type: string): type is ResourceType {
  return Object.hasOwn(RESOURCE_TYPES, type);
}

/** The declaration of a type, or undefined for one no rule declares (a malformed or foreign event). */
export function declarationOf(type: string): ResourceTypeDeclaration | undefined {
  return isResourceType(type) ? RESOURCE_TYPES[type] : undefined;
}
