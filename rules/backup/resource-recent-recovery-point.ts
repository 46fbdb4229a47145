import { field, optionalEnum, optionalString, optionalTime, RuleInputError } from '../fields.js';
import { instanceState, isStoppedInstance } from '../instances.js';
import { isGone, type ConfigurationItem } from '../inventory.js';
import { HIPAA_BACKUPS } from '../mapping.js';
import { integerParam } from '../params.js';
import { defineInventoryRule, type Inventory, type ResourceVerdict, type Verdict } from '../types.js';
import { compliant, judge, nonCompliant, notApplicable, onItem } from '../verdicts.js';
import { backedUpElsewhere, coveringResources, indexResources, PROTECTED_TYPES, resourceArn, resourceTypesParam, type ResourceIndex } from './resources.js';

const HOUR_MS = 3_600_000;

/** Every recovery point Status AWS Backup documents (DescribeRecoveryPoint, RecoveryPointStatus). */
export const RECOVERY_POINT_STATUSES = ['COMPLETED', 'PARTIAL', 'DELETING', 'EXPIRED', 'AVAILABLE', 'STOPPED', 'CREATING'] as const;
export type RecoveryPointStatus = (typeof RECOVERY_POINT_STATUSES)[number];

/** COMPLETED and AVAILABLE both mean "the backup was successfully created" (DescribeRecoveryPoint). */
const SUCCESSFUL: ReadonlySet<RecoveryPointStatus> = new Set(['COMPLETED', 'AVAILABLE']);

interface Point {
  readonly at: number;
  readonly status: RecoveryPointStatus;
  /** A continuous (point-in-time recovery) backup: one point that AWS Backup keeps updating. */
  readonly continuous: boolean;
}

interface Points {
  /** Newest successful snapshot point, and any successful continuous point, per source resource ARN. */
  readonly successful: Map<string, Point>;
  readonly continuous: Map<string, Point>;
  /** Newest recovery point in any other state, to say what went wrong. */
  readonly other: Map<string, Point>;
  /** Recovery points of a resource that could not be read, with why. */
  readonly unreadable: Map<string, string[]>;
}

function newer(map: Map<string, Point>, arn: string, point: Point): void {
  const seen = map.get(arn);
  if (seen === undefined || point.at > seen.at) map.set(arn, point);
}

/**
 * Continuous backup exists only for some services (AWS Backup point-in-time recovery: RDS, Aurora, S3,
 * SAP HANA on EC2). Its recovery point ARN has the form `…:recovery-point:continuous:…`, as AWS
 * Backup prints it; a point of another service is judged as a snapshot whatever its ARN says.
 */
const CONTINUOUS_SERVICES = new Set(['rds', 's3', 'ssm-sap']);

function isContinuous(pointArn: string, sourceArn: string): boolean {
  return pointArn.includes(':recovery-point:continuous:') && CONTINUOUS_SERVICES.has(sourceArn.split(':')[2] ?? '');
}

/** One pass over the recovery points, keyed by the ARN of the resource they back up. */
function indexRecoveryPoints(inventory: Inventory): Points {
  const points: Points = { successful: new Map(), continuous: new Map(), other: new Map(), unreadable: new Map() };
  for (const item of inventory.ofType('AWS::Backup::RecoveryPoint')) {
    if (isGone(item)) continue;
    // Without its ResourceArn a point cannot be attributed to any resource; nothing else can be said of it.
    const source = item.configuration === null ? undefined : field(item.configuration, 'ResourceArn');
    if (typeof source !== 'string' || source === '') continue;
    try {
      const status = optionalEnum(item.configuration, 'Status', RECOVERY_POINT_STATUSES);
      if (status === undefined) throw new RuleInputError('configuration.Status is missing');
      const at =
        optionalTime(item.configuration, 'CreationDate') ??
        optionalTime(item.configuration, 'CompletionDate') ??
        (item.resourceCreationTime ? Date.parse(item.resourceCreationTime) : undefined);
      if (at === undefined || Number.isNaN(at)) throw new RuleInputError('configuration.CreationDate is missing');
      const pointArn = item.arn ?? optionalString(item.configuration, 'RecoveryPointArn') ?? item.resourceId;
      const point: Point = { at, status, continuous: isContinuous(pointArn, source) };
      if (!SUCCESSFUL.has(status)) newer(points.other, source, point);
      else newer(point.continuous ? points.continuous : points.successful, source, point);
    } catch (error) {
      if (!(error instanceof RuleInputError)) throw error;
      let list = points.unreadable.get(source);
      if (list === undefined) points.unreadable.set(source, (list = []));
      list.push(`recovery point ${item.resourceName ?? item.resourceId}: ${error.message}`);
    }
  }
  return points;
}

function hoursAgo(now: Date, at: number): number {
  return Math.floor((now.getTime() - at) / HOUR_MS);
}

/**
 * Backups actually run: each resource has a successful recovery point (COMPLETED or AVAILABLE) created
 * within maxAgeHours (AWS's *_LAST_BACKUP_RECOVERY_POINT_CREATED family), or a successful continuous
 * backup, whose one recovery point AWS Backup keeps updating, so its creation date is not the age of
 * the newest restorable data. The default of 26 hours gives a daily plan its start and completion
 * windows. A recovery point of the instance a volume is attached to counts for the volume; cluster
 * members and read replicas are NOT_APPLICABLE, judged through their cluster or source.
 */
export const resourceRecentRecoveryPoint = defineInventoryRule({
  id: 'resource-recent-recovery-point',
  title: 'Data stores have a recent completed backup',
  area: 'backup',
  description:
    'COMPLIANT when the resource (or the instance whose backup includes it) has a successful (COMPLETED or AVAILABLE) AWS Backup recovery point created within maxAgeHours, or a successful continuous backup; resources younger than that, stopped instances, cluster members and read replicas are NOT_APPLICABLE.',
  resourceTypes: [...PROTECTED_TYPES],
  trigger: 'periodic',
  severity: 'HIGH',
  hipaa: HIPAA_BACKUPS,
  awsManagedRule: 'EBS_LAST_BACKUP_RECOVERY_POINT_CREATED',
  securityHubControls: [],
  reads: ['AWS::Backup::RecoveryPoint'],
  parameters: {
    maxAgeHours: integerParam({ default: 26, min: 1, max: 8760, description: 'Oldest acceptable age of the newest successful recovery point, in hours.' }),
    resourceTypes: resourceTypesParam,
  },
  remediation: {
    summary: 'Find out why backups stopped: the resource may not be assigned to a plan, or its backup jobs fail.',
    steps: [
      'Check that the resource is assigned to a backup plan (rule resource-protected-by-backup).',
      'Open AWS Backup, Jobs, and look for failed or expired backup jobs of the resource; fix the cause (IAM role permissions, KMS key access, backup window too short).',
      'Start an on-demand backup to get a recovery point now.',
    ],
    url: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/troubleshooting.html',
  },
  evaluate(inventory, { maxAgeHours, resourceTypes }, { now }) {
    const points = indexRecoveryPoints(inventory);
    const index = indexResources(inventory);
    const maxAgeMs = maxAgeHours * HOUR_MS;
    const windowStartDay = new Date(now.getTime() - maxAgeMs).toISOString().slice(0, 10);
    const out: ResourceVerdict[] = [];
    for (const type of PROTECTED_TYPES) {
      const excluded = resourceTypes.includes(type) ? undefined : notApplicable(`Not checked: resourceTypes does not include ${type}.`);
      for (const item of inventory.ofType(type)) {
        if (excluded !== undefined) out.push(onItem(item, excluded));
        else out.push(judge(item, (active) => decide(active, points, index, now, maxAgeHours, maxAgeMs, windowStartDay)));
      }
    }
    return out;
  },
});

/** The creation time when it lies within the window; most resources are older, which an ISO day prefix shows without parsing. */
function createdWithin(created: string | undefined, now: Date, windowMs: number, windowStartDay: string): number | undefined {
  if (created === undefined) return undefined;
  if (created.length >= 10 && created[4] === '-' && created[7] === '-' && created.slice(0, 10) < windowStartDay) return undefined;
  const at = Date.parse(created);
  return !Number.isNaN(at) && now.getTime() - at < windowMs ? at : undefined;
}

const NONE_FOUND = nonCompliant('No successful recovery point (COMPLETED or AVAILABLE AWS::Backup::RecoveryPoint) of this resource was found.');

function decide(
  item: ConfigurationItem,
  points: Points,
  index: ResourceIndex,
  now: Date,
  maxAgeHours: number,
  maxAgeMs: number,
  windowStartDay: string,
): Verdict {
  if (isStoppedInstance(item)) return notApplicable(`EC2 instance is ${instanceState(item)} (state.name); only running instances are checked.`);
  const elsewhere = backedUpElsewhere(item);
  if (elsewhere !== undefined) return elsewhere;
  const arn = resourceArn(item);
  if (arn === undefined) throw new RuleInputError('the item has no ARN to match recovery points against');
  const covers = coveringResources(item, index);
  const self = { arn, via: '' };
  const sources = covers.length === 0 ? [self] : [self, ...covers];
  let best: { point: Point; via: string } | undefined;
  let other: Point | undefined;
  const unreadable: string[] = [];
  for (const source of sources) {
    const continuous = points.continuous.get(source.arn);
    if (continuous !== undefined) {
      const of = source.via === '' ? '' : ` of its ${source.via}`;
      return compliant(`Continuous backup${of} is running: its point-in-time recovery point is ${continuous.status}.`);
    }
    const point = points.successful.get(source.arn);
    if (point !== undefined && (best === undefined || point.at > best.point.at)) best = { point, via: source.via };
    const failed = points.other.get(source.arn);
    if (failed !== undefined && (other === undefined || failed.at > other.at)) other = failed;
    if (points.unreadable.size > 0) unreadable.push(...(points.unreadable.get(source.arn) ?? []));
  }
  const newest = (found: { point: Point; via: string }) =>
    `Newest successful recovery point (${found.point.status}${found.via === '' ? '' : `, of its ${found.via}`}) was created ${hoursAgo(now, found.point.at)} hours ago (${new Date(found.point.at).toISOString()})`;
  if (best !== undefined && now.getTime() - best.point.at <= maxAgeMs) return compliant(`${newest(best)}.`);
  // A point that cannot be read might be the recent one: the resource could not be evaluated.
  if (unreadable.length > 0) throw new RuleInputError(`no readable recent recovery point, and ${unreadable.slice(0, 2).join('; ')}`);
  if (best !== undefined) return nonCompliant(`${newest(best)}; maxAgeHours is ${maxAgeHours}.`);
  const created = createdWithin(item.resourceCreationTime, now, maxAgeMs, windowStartDay);
  if (created !== undefined) {
    return notApplicable(`Resource was created ${hoursAgo(now, created)} hours ago; its first backup is not due yet (maxAgeHours ${maxAgeHours}).`);
  }
  if (other === undefined) return NONE_FOUND;
  const what = other.continuous ? 'continuous backup' : 'newest recovery point';
  return nonCompliant(
    `No successful recovery point (COMPLETED or AVAILABLE) of this resource was found; the ${what} is ${other.status} (${new Date(other.at).toISOString()}).`,
  );
}
