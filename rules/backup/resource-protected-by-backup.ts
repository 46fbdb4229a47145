import { RuleInputError } from '../fields.js';
import { instanceState, isStoppedInstance } from '../instances.js';
import { HIPAA_BACKUPS } from '../mapping.js';
import { defineInventoryRule, type ActiveItem, type ResourceVerdict, type Verdict } from '../types.js';
import { compliant, judge, nonCompliant, notApplicable, onItem } from '../verdicts.js';
import {
  backedUpElsewhere,
  clusterEngineFamily,
  coveringResources,
  indexResources,
  optInName,
  PROTECTED_TYPES,
  resourceArn,
  resourceTypesParam,
  type ResourceIndex,
} from './resources.js';
import { coverage, scoped, selectionsInForce, type ScopedSelection, type SelectedBy } from './selection.js';

/**
 * Every resource that can hold patient data is assigned to a backup plan (AWS's
 * *_RESOURCES_PROTECTED_BY_BACKUP_PLAN family), with AWS Backup's own selection semantics
 * (rules/backup/selection.ts): a selection covers resources of its plan's Region only, and one whose
 * tag conditions or Region are unknown cannot prove coverage, so the answer is then "could not be
 * evaluated", never COMPLIANT. Beyond the managed rules, a volume is covered through the instance it is
 * attached to (an instance backup includes its volumes); cluster members and read replicas are
 * NOT_APPLICABLE, judged through their cluster or source.
 */
export const resourceProtectedByBackup = defineInventoryRule({
  id: 'resource-protected-by-backup',
  title: 'Data stores are covered by a backup plan',
  area: 'backup',
  description:
    'COMPLIANT when a backup selection of an existing backup plan in the same account and Region selects the resource (or the instance whose backup includes it); stopped instances, cluster members and read replicas are NOT_APPLICABLE.',
  resourceTypes: [...PROTECTED_TYPES],
  trigger: 'periodic',
  severity: 'HIGH',
  hipaa: HIPAA_BACKUPS,
  awsManagedRule: 'EBS_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
  securityHubControls: ['RDS.26', 'EC2.28', 'DynamoDB.4', 'EFS.2'],
  needs: ['backupSelections'],
  reads: ['AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection'],
  parameters: { resourceTypes: resourceTypesParam },
  remediation: {
    summary: 'Assign the resource to a backup plan: add its ARN, resource type or tag to a resource assignment of the plan.',
    steps: [
      'Open AWS Backup, Backup plans, the plan, Assign resources.',
      'Include the resource by ID or by resource type, or tag it with the tag the assignment selects (for example backup=daily).',
      'Check that no NotResources entry or tag condition excludes it.',
    ],
    url: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html',
  },
  evaluate(inventory, { resourceTypes }) {
    const selections = selectionsInForce(inventory);
    // The selections that may apply per account and Region, and the verdict when none covers, built once;
    // consecutive items mostly share account and Region, which the last lookup short-circuits.
    const byPlace = new Map<string, Place>();
    let last: { readonly accountId: string; readonly region: string; readonly place: Place } | undefined;
    const scopeFor = (item: ActiveItem): Place => {
      if (last !== undefined && last.accountId === item.accountId && last.region === item.awsRegion) return last.place;
      const key = `${item.accountId}\u0000${item.awsRegion}`;
      let place = byPlace.get(key);
      if (place === undefined) {
        const applicable = scoped(selections, item);
        const checked = applicable.length;
        byPlace.set(
          key,
          (place = {
            applicable,
            uncovered: nonCompliant(
              `No backup selection covers this resource (${checked} selection${checked === 1 ? '' : 's'} in its account and Region checked).`,
            ),
          }),
        );
      }
      last = { accountId: item.accountId, region: item.awsRegion, place };
      return place;
    };
    const index = indexResources(inventory);
    const out: ResourceVerdict[] = [];
    for (const type of PROTECTED_TYPES) {
      const excluded = resourceTypes.includes(type) ? undefined : notApplicable(`Not checked: resourceTypes does not include ${type}.`);
      for (const item of inventory.ofType(type)) {
        if (excluded !== undefined) {
          out.push(onItem(item, excluded));
          continue;
        }
        out.push(judge(item, (active) => decide(active, scopeFor(active), index)));
      }
    }
    return out;
  },
});

interface Place {
  readonly applicable: readonly ScopedSelection[];
  readonly uncovered: Verdict;
}

function decide(item: ActiveItem, { applicable, uncovered }: Place, index: ResourceIndex): Verdict {
  if (isStoppedInstance(item)) return notApplicable(`EC2 instance is ${instanceState(item)} (state.name); only running instances are checked.`);
  const elsewhere = backedUpElsewhere(item);
  if (elsewhere !== undefined) return elsewhere;
  const arn = resourceArn(item);
  if (arn === undefined) throw new RuleInputError('the item has no ARN to match backup selections against');
  if (applicable.length === 0) return uncovered;
  const covers = coveringResources(item, index);
  const self = { arn, tags: item.tags, via: '', item };
  const candidates = covers.length === 0 ? [self] : [self, ...covers];
  const found = coverage(applicable, candidates);
  // Nothing known selects it, and something that might cannot be checked: never COMPLIANT, never NON_COMPLIANT.
  if (found.kind === 'unknown') throw new RuleInputError(found.reason);
  if (found.kind === 'none') return uncovered;
  const { selection, by, via } = found;
  const through = via === '' ? '' : ` through its ${via}`;
  const plan = selection.planName === undefined ? '' : ` of plan ${selection.planName}`;
  const covered = via === '' ? item : (candidates.find((c) => c.via === via)?.item ?? item);
  const family = clusterEngineFamily(covered);
  const optIn =
    by !== 'type' || family !== undefined ? ` (${OPT_IN_REASON[by]}: backed up while the Region's AWS Backup opt-in for ${optInName(covered)} is on)` : '';
  return compliant(`Selected${through} by backup selection ${selection.selectionName}${plan}${optIn}.`);
}

const OPT_IN_REASON: Readonly<Record<SelectedBy, string>> = {
  type: 'named by ARN',
  service: 'by a service-wide ARN pattern',
  tags: 'by tag',
  all: 'as all resources',
};
