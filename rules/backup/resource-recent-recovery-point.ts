import { optionalString, optionalTime, RuleInputError } from '../fields.js';
import { instanceState, isStoppedInstance } from '../instances.js';
import { isGone, type ConfigurationItem } from '../inventory.js';
import { HIPAA_BACKUPS } from '../mapping.js';
import { integerParam } from '../params.js';
import { defineInventoryRule, type Inventory, type ResourceVerdict, type Verdict } from '../types.js';
import { compliant, judge, nonCompliant, notApplicable, onItem } from '../verdicts.js';
import { coveringResources, indexResources, PROTECTED_TYPES, resourceArn, resourceTypesParam, type ResourceIndex } from './resources.js';

const HOUR_MS = 3_600_000;

interface Point {
  readonly at: number;
  readonly status: string;
}

interface Points {
  /** Newest COMPLETED recovery point per source resource ARN. */
  readonly completed: Map<string, Point>;
  /** Newest recovery point in any other state, to say what went wrong. */
  readonly other: Map<string, Point>;
}

function newer(map: Map<string, Point>, arn: string, point: Point): void {
  const seen = map.get(arn);
  if (seen === undefined || point.at > seen.at) map.set(arn, point);
}

/** One pass over the recovery points, keyed by the ARN of the resource they back up. */
function indexRecoveryPoints(inventory: Inventory): Points {
  const points: Points = { completed: new Map(), other: new Map() };
  for (const item of inventory.ofType('AWS::Backup::RecoveryPoint')) {
    if (isGone(item) || item.configuration === null) continue;
    const source = optionalString(item.configuration, 'ResourceArn');
    const at = optionalTime(item.configuration, 'CreationDate') ?? optionalTime(item.configuration, 'CompletionDate') ?? (item.resourceCreationTime ? Date.parse(item.resourceCreationTime) : undefined);
    if (source === undefined || at === undefined || Number.isNaN(at)) continue;
    const status = (optionalString(item.configuration, 'Status') ?? 'UNKNOWN').toUpperCase();
    newer(status === 'COMPLETED' ? points.completed : points.other, source, { at, status });
  }
  return points;
}

function hoursAgo(now: Date, at: number): number {
  return Math.floor((now.getTime() - at) / HOUR_MS);
}

/**
 * Backups actually run: each resource has a COMPLETED recovery point created within maxAgeHours
 * (AWS's *_LAST_BACKUP_RECOVERY_POINT_CREATED family). The default of 26 hours gives a daily plan its
 * start and completion windows. A recovery point of the instance a volume is attached to, or of an
 * instance's cluster, counts for it.
 */
export const resourceRecentRecoveryPoint = defineInventoryRule({
  id: 'resource-recent-recovery-point',
  title: 'Data stores have a recent completed backup',
  area: 'backup',
  description:
    'COMPLIANT when the resource (or the instance or cluster whose backup includes it) has a COMPLETED AWS Backup recovery point created within maxAgeHours; resources younger than that and stopped instances are NOT_APPLICABLE.',
  resourceTypes: [...PROTECTED_TYPES],
  trigger: 'periodic',
  severity: 'HIGH',
  hipaa: HIPAA_BACKUPS,
  awsManagedRule: 'EBS_LAST_BACKUP_RECOVERY_POINT_CREATED',
  securityHubControls: [],
  reads: ['AWS::Backup::RecoveryPoint'],
  parameters: {
    maxAgeHours: integerParam({ default: 26, min: 1, max: 8760, description: 'Oldest acceptable age of the newest completed recovery point, in hours.' }),
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

const NONE_FOUND = nonCompliant('No COMPLETED recovery point (AWS::Backup::RecoveryPoint) of this resource was found.');

function decide(item: ConfigurationItem, points: Points, index: ResourceIndex, now: Date, maxAgeHours: number, maxAgeMs: number, windowStartDay: string): Verdict {
  if (isStoppedInstance(item)) return notApplicable(`EC2 instance is ${instanceState(item)} (state.name); only running instances are checked.`);
  const arn = resourceArn(item);
  if (arn === undefined) throw new RuleInputError('the item has no ARN to match recovery points against');
  let best = points.completed.get(arn);
  let via = '';
  let other = points.other.get(arn);
  for (const cover of coveringResources(item, index)) {
    const point = points.completed.get(cover.arn);
    if (point !== undefined && (best === undefined || point.at > best.at)) {
      best = point;
      via = cover.via;
    }
    const failed = points.other.get(cover.arn);
    if (failed !== undefined && (other === undefined || failed.at > other.at)) other = failed;
  }
  if (best !== undefined) {
    const of = via === '' ? '' : ` (of its ${via})`;
    const when = `${hoursAgo(now, best.at)} hours ago (${new Date(best.at).toISOString()})`;
    if (now.getTime() - best.at <= maxAgeMs) return compliant(`Newest COMPLETED recovery point${of} was created ${when}.`);
    return nonCompliant(`Newest COMPLETED recovery point${of} was created ${when}; maxAgeHours is ${maxAgeHours}.`);
  }
  const created = createdWithin(item.resourceCreationTime, now, maxAgeMs, windowStartDay);
  if (created !== undefined) {
    return notApplicable(`Resource was created ${hoursAgo(now, created)} hours ago; its first backup is not due yet (maxAgeHours ${maxAgeHours}).`);
  }
  if (other === undefined) return NONE_FOUND;
  return nonCompliant(`No COMPLETED recovery point (AWS::Backup::RecoveryPoint) of this resource was found. The newest recovery point is ${other.status} (${new Date(other.at).toISOString()}).`);
}
