import { RuleInputError } from '../fields.js';
import { instanceState, isStoppedInstance } from '../instances.js';
import { HIPAA_BACKUPS } from '../mapping.js';
import { defineInventoryRule, type ActiveItem, type ResourceVerdict, type Verdict } from '../types.js';
import { compliant, judge, nonCompliant, notApplicable, onItem } from '../verdicts.js';
import { coveringResources, indexResources, PROTECTED_TYPES, resourceArn, resourceTypesParam } from './resources.js';
import { inScope, selects, selectionsInForce, type SelectionInForce } from './selection.js';

/**
 * Every resource that can hold patient data is assigned to a backup plan (AWS's
 * *_RESOURCES_PROTECTED_BY_BACKUP_PLAN family), with AWS Backup's own selection semantics
 * (rules/backup/selection.ts). Beyond the managed rules, a volume is covered through the instance it
 * is attached to (an instance backup includes its volumes) and a cluster member through its cluster.
 */
export const resourceProtectedByBackup = defineInventoryRule({
  id: 'resource-protected-by-backup',
  title: 'Data stores are covered by a backup plan',
  area: 'backup',
  description:
    'COMPLIANT when a backup selection of an existing backup plan selects the resource (or the instance or cluster whose backup includes it); stopped instances are NOT_APPLICABLE.',
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
    const index = indexResources(inventory);
    // Selections per account and Region, and the verdicts that depend only on them, built once.
    const scoped = new Map<string, { readonly applicable: readonly SelectionInForce[]; readonly uncovered: Verdict }>();
    let last: { readonly accountId: string; readonly region: string; readonly scope: { readonly applicable: readonly SelectionInForce[]; readonly uncovered: Verdict } } | undefined;
    const scopeOf = (item: ActiveItem) => {
      if (last !== undefined && last.accountId === item.accountId && last.region === item.awsRegion) return last.scope;
      const key = `${item.accountId}\u0000${item.awsRegion}`;
      let scope = scoped.get(key);
      if (scope === undefined) {
        const applicable = selections.filter((selection) => inScope(selection, item));
        // Known only from its Config item with no Resources: a tag-based selection whose tags we cannot see.
        const unknown = applicable.filter((selection) => !selection.tagConditionsKnown && selection.resources.length === 0);
        const hint = unknown.length > 0 ? ` Selection ${unknown.map((s) => s.selectionName).join(', ')} is recorded without its tag conditions; give its get-backup-selection output to check it.` : '';
        const checked = `${applicable.length} selection${applicable.length === 1 ? '' : 's'} in its account and Region checked`;
        scope = { applicable: applicable.filter((selection) => !unknown.includes(selection)), uncovered: nonCompliant(`No backup selection covers this resource (${checked}).${hint}`) };
        scoped.set(key, scope);
      }
      last = { accountId: item.accountId, region: item.awsRegion, scope };
      return scope;
    };
    const out: ResourceVerdict[] = [];
    for (const type of PROTECTED_TYPES) {
      const excluded = resourceTypes.includes(type) ? undefined : notApplicable(`Not checked: resourceTypes does not include ${type}.`);
      for (const item of inventory.ofType(type)) {
        if (excluded !== undefined) {
          out.push(onItem(item, excluded));
          continue;
        }
        out.push(
          judge(item, (active) => {
            if (isStoppedInstance(active)) return notApplicable(`EC2 instance is ${instanceState(active)} (state.name); only running instances are checked.`);
            const arn = resourceArn(active);
            if (arn === undefined) throw new RuleInputError('the item has no ARN to match backup selections against');
            const { applicable, uncovered } = scopeOf(active);
            if (applicable.length === 0) return uncovered;
            const candidates = [{ arn, tags: active.tags, via: '' }, ...coveringResources(active, index)];
            for (const selection of applicable) {
              const match = candidates.find((candidate) => selects(selection, candidate));
              if (match === undefined) continue;
              const through = match.via === '' ? '' : ` through its ${match.via}`;
              const plan = selection.planName === undefined ? '' : ` of plan ${selection.planName}`;
              const caveat = selection.tagConditionsKnown ? '' : ' (from its Config item; tag conditions not checked)';
              return compliant(`Selected${through} by backup selection ${selection.selectionName}${plan}${caveat}.`);
            }
            return uncovered;
          }),
        );
      }
    }
    return out;
  },
});
