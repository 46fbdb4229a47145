/**
 * The resources whose backups the backup rules check, and how a backup of one covers another: an EC2
 * instance backup (an AMI) includes its attached EBS volumes, and an Aurora or Multi-AZ cluster
 * backup includes its member instances.
 */
import * as z from 'zod/mini';
import { field, optionalString } from '../fields.js';
import { isGone, isRecord, type ConfigurationItem } from '../inventory.js';
import { stringListParam } from '../params.js';
import type { Inventory } from '../types.js';

export const PROTECTED_TYPES = ['AWS::EC2::Volume', 'AWS::EC2::Instance', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::DynamoDB::Table', 'AWS::EFS::FileSystem'] as const;

export const resourceTypesParam = stringListParam({
  default: PROTECTED_TYPES,
  allowed: 'the default types',
  item: () => z.enum(PROTECTED_TYPES, { error: `expected one of ${PROTECTED_TYPES.join(', ')}` }),
  description: 'Resource types to check (comma-separated); default all of EBS volumes, EC2 instances, RDS instances and clusters, DynamoDB tables and EFS file systems.',
});

export function resourceArn(item: ConfigurationItem): string | undefined {
  if (item.arn !== undefined) return item.arn;
  for (const key of ['tableArn', 'Arn', 'dBInstanceArn', 'dbclusterArn']) {
    const arn = optionalString(item.configuration, key);
    if (arn !== undefined) return arn;
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
}

export interface ResourceIndex {
  readonly instances: ReadonlyMap<string, ConfigurationItem>;
  readonly clusters: ReadonlyMap<string, ConfigurationItem>;
}

function key(item: ConfigurationItem, id: string): string {
  return `${item.accountId}\u0000${item.awsRegion}\u0000${id}`;
}

const indexes = new WeakMap<Inventory, ResourceIndex>();

/** Instances and clusters by account, Region and id; built once per inventory (both backup coverage rules use it). */
export function indexResources(inventory: Inventory): ResourceIndex {
  const cached = indexes.get(inventory);
  if (cached !== undefined) return cached;
  const instances = new Map<string, ConfigurationItem>();
  for (const item of inventory.ofType('AWS::EC2::Instance')) if (!isGone(item)) instances.set(key(item, item.resourceId), item);
  const clusters = new Map<string, ConfigurationItem>();
  for (const item of inventory.ofType('AWS::RDS::DBCluster')) {
    const identifier = optionalString(item.configuration, 'dbclusterIdentifier') ?? item.resourceName;
    if (identifier !== undefined && !isGone(item)) clusters.set(key(item, identifier), item);
  }
  const index = { instances, clusters };
  indexes.set(inventory, index);
  return index;
}

function cover(item: ConfigurationItem | undefined, via: string): readonly Cover[] {
  const arn = item === undefined ? undefined : resourceArn(item);
  return item === undefined || arn === undefined ? NO_COVER : [{ arn, tags: item.tags, via }];
}

const NO_COVER: readonly Cover[] = Object.freeze([]);

/** The resources whose backups include this one (the instance a volume is attached to, an instance's cluster). */
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
      if (instance !== undefined && arn !== undefined) (covers ??= []).push({ arn, tags: instance.tags, via: `attached instance ${id}` });
    }
    return covers ?? NO_COVER;
  }
  if (item.resourceType === 'AWS::RDS::DBInstance') {
    if (index.clusters.size === 0) return NO_COVER;
    const cluster = optionalString(item.configuration, 'dBClusterIdentifier');
    return cluster === undefined ? NO_COVER : cover(index.clusters.get(key(item, cluster)), `cluster ${cluster}`);
  }
  return NO_COVER;
}
