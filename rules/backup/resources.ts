/**
 * The resources whose backups the backup rules check, and how a backup of one covers another: an EC2
 * instance backup (an AMI) includes its attached EBS volumes. A DB instance that is a member of a
 * cluster (Aurora, Multi-AZ DB cluster, DocumentDB, Neptune) or a read replica holds no data of its
 * own to back up: all three backup rules judge the cluster or the source instead and call the member
 * NOT_APPLICABLE (docs/aws-semantics.md, "Cluster members and read replicas").
 */
import * as z from 'zod/mini';
import { field, optionalString } from '../fields.js';
import type { Verdict } from '../types.js';
import { notApplicable } from '../verdicts.js';
import { isGone, isRecord, type ConfigurationItem } from '../inventory.js';
import { stringListParam } from '../params.js';
import type { Inventory } from '../types.js';

export const PROTECTED_TYPES = [
  'AWS::EC2::Volume',
  'AWS::EC2::Instance',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::DynamoDB::Table',
  'AWS::EFS::FileSystem',
] as const;

export const resourceTypesParam = stringListParam({
  default: PROTECTED_TYPES,
  allowed: 'the default types',
  item: () => z.enum(PROTECTED_TYPES, { error: `expected one of ${PROTECTED_TYPES.join(', ')}` }),
  description:
    'Resource types to check (comma-separated); default all of EBS volumes, EC2 instances, RDS instances and clusters, DynamoDB tables and EFS file systems.',
});

/**
 * Why a DB instance is judged through another resource, or undefined when it is judged itself: a
 * cluster member's storage is the cluster's (AWS Backup and RDS back up the cluster), and a read
 * replica's data is its source's.
 */
export function backedUpElsewhere(item: ConfigurationItem): Verdict | undefined {
  if (item.resourceType !== 'AWS::RDS::DBInstance') return undefined;
  const cluster = optionalString(item.configuration, 'dBClusterIdentifier');
  if (cluster !== undefined)
    return notApplicable(`RDS instance belongs to cluster ${cluster} (dBClusterIdentifier); its data is backed up with the cluster, which is judged itself.`);
  const source = optionalString(item.configuration, 'readReplicaSourceDBInstanceIdentifier');
  if (source !== undefined)
    return notApplicable(
      `RDS instance is a read replica of ${source} (readReplicaSourceDBInstanceIdentifier); its data is backed up through the source, which is judged itself.`,
    );
  return undefined;
}

/**
 * The name AWS Backup's service opt-in uses for the resource's type (DescribeRegionSettings
 * ResourceTypeOptInPreference), for annotations that depend on it.
 */
export function optInName(item: ConfigurationItem): string {
  switch (item.resourceType) {
    case 'AWS::EC2::Volume':
      return 'EBS';
    case 'AWS::EC2::Instance':
      return 'EC2';
    case 'AWS::RDS::DBCluster':
      return clusterEngineFamily(item) ?? 'RDS';
    case 'AWS::DynamoDB::Table':
      return 'DynamoDB';
    case 'AWS::EFS::FileSystem':
      return 'EFS';
    default:
      return 'RDS';
  }
}

/** Aurora, DocumentDB and Neptune clusters, which AWS Backup protects only while their service opt-in is on, even when named explicitly. */
export function clusterEngineFamily(item: ConfigurationItem): 'Aurora' | 'DocumentDB' | 'Neptune' | undefined {
  if (item.resourceType !== 'AWS::RDS::DBCluster') return undefined;
  const engine = field(item.configuration, 'engine');
  if (typeof engine !== 'string') return undefined;
  if (engine.startsWith('aurora')) return 'Aurora';
  if (engine === 'docdb') return 'DocumentDB';
  if (engine === 'neptune') return 'Neptune';
  return undefined;
}

/** The resource's ARN: recorded, read from the configuration, or (for types whose ARN is built from the id) built. */
export function resourceArn(item: ConfigurationItem): string | undefined {
  if (item.arn !== undefined) return item.arn;
  for (const key of ['tableArn', 'Arn', 'dBInstanceArn', 'dbclusterArn']) {
    const arn = field(item.configuration, key);
    if (typeof arn === 'string' && arn !== '') return arn;
  }
  // Only items recorded without an ARN get here; the commercial partition is assumed.
  const base = 'arn:aws:';
  switch (item.resourceType) {
    case 'AWS::EC2::Volume':
      return `${base}ec2:${item.awsRegion}:${item.accountId}:volume/${item.resourceId}`;
    case 'AWS::EC2::Instance':
      return `${base}ec2:${item.awsRegion}:${item.accountId}:instance/${item.resourceId}`;
    case 'AWS::EFS::FileSystem':
      return `${base}elasticfilesystem:${item.awsRegion}:${item.accountId}:file-system/${item.resourceId}`;
    default:
      return undefined;
  }
}

/** A resource whose backup also covers the one judged: its ARN and tags (for selections), and how. */
export interface Cover {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly via: string;
  readonly item: ConfigurationItem;
}

export interface ResourceIndex {
  readonly instances: ReadonlyMap<string, ConfigurationItem>;
}

function key(item: ConfigurationItem, id: string): string {
  return `${item.accountId}\u0000${item.awsRegion}\u0000${id}`;
}

const indexes = new WeakMap<Inventory, ResourceIndex>();

/** Instances by account, Region and id; built once per inventory (both backup coverage rules use it). */
export function indexResources(inventory: Inventory): ResourceIndex {
  const cached = indexes.get(inventory);
  if (cached !== undefined) return cached;
  const instances = new Map<string, ConfigurationItem>();
  for (const item of inventory.ofType('AWS::EC2::Instance')) if (!isGone(item) && item.configuration !== null) instances.set(key(item, item.resourceId), item);
  const index = { instances };
  indexes.set(inventory, index);
  return index;
}

const NO_COVER: readonly Cover[] = Object.freeze([]);

/** The resources whose backups include this one: the instances a volume is attached to. */
export function coveringResources(item: ConfigurationItem, index: ResourceIndex): readonly Cover[] {
  if (item.resourceType === 'AWS::EC2::Volume') {
    if (index.instances.size === 0) return NO_COVER;
    const instanceIds: string[] = [];
    const attachments = field(item.configuration, 'attachments');
    if (Array.isArray(attachments)) {
      for (const attachment of attachments) {
        const instanceId = isRecord(attachment) ? attachment.instanceId : undefined;
        if (typeof instanceId === 'string' && instanceId !== '' && !instanceIds.includes(instanceId)) instanceIds.push(instanceId);
      }
    }
    for (const relationship of item.relationships) {
      const instanceId = relationship.resourceId;
      if (relationship.resourceType === 'AWS::EC2::Instance' && instanceId !== undefined && !instanceIds.includes(instanceId)) instanceIds.push(instanceId);
    }
    let covers: Cover[] | undefined;
    for (const id of instanceIds) {
      const instance = index.instances.get(key(item, id));
      const arn = instance === undefined ? undefined : resourceArn(instance);
      if (instance !== undefined && arn !== undefined) (covers ??= []).push({ arn, tags: instance.tags, via: `attached instance ${id}`, item: instance });
    }
    return covers ?? NO_COVER;
  }
  return NO_COVER;
}
