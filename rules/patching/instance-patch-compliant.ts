import { RuleInputError } from '../fields.js';
import { instanceIdOf, instanceState, isStoppedInstance } from '../instances.js';
import { isGone, type ConfigurationItem } from '../inventory.js';
import { HIPAA_PATCHING } from '../mapping.js';
import { enumParam, integerParam } from '../params.js';
import { defineInventoryRule, type ActiveItem, type Verdict } from '../types.js';
import { compliant, judge, nonCompliant, notApplicable } from '../verdicts.js';
import { counts, readPatchData, SEVERITIES, severitiesFrom, type PatchSeverity } from './patches.js';

const DAY_MS = 86_400_000;

function instanceKey(accountId: string, region: string, instanceId: string): string {
  return `${accountId}\u0000${region}\u0000${instanceId}`;
}

function decide(item: ActiveItem, instance: ConfigurationItem | undefined, minSeverity: PatchSeverity, maxScanAgeDays: number, now: Date): Verdict {
  if (instance !== undefined && (isGone(instance) || isStoppedInstance(instance))) {
    const state = isGone(instance) ? instance.status : `${instanceState(instance)} (state.name)`;
    return notApplicable(`Instance ${instance.resourceId} is ${state}; its patch state is checked while it runs.`);
  }
  const data = readPatchData(item.configuration);
  const wanted = new Set(severitiesFrom(minSeverity));
  const threshold = minSeverity === 'UNSPECIFIED' ? '' : ` at severity ${minSeverity} or above`;
  const problems: string[] = [];
  if (data.patches.length > 0) {
    const failing = data.patches.filter((patch) => wanted.has(patch.severity) && counts(patch));
    if (failing.length > 0) {
      const names = failing.slice(0, 3).map((patch) => `${patch.id} ${patch.state ?? patch.status ?? ''}`.trim());
      problems.push(`${failing.length} patch${failing.length === 1 ? ' is' : 'es are'} missing or failed${threshold} (PatchState: ${names.join(', ')}${failing.length > 3 ? ', …' : ''})`);
    }
  } else if (data.summary !== undefined) {
    const missing = SEVERITIES.filter((s) => wanted.has(s)).reduce((sum, s) => sum + (data.summary?.nonCompliantCounts[s] ?? 0), 0);
    if (missing > 0) problems.push(`${missing} patch${missing === 1 ? ' is' : 'es are'} non-compliant${threshold} (ComplianceSummary NonCompliant counts)`);
  } else {
    throw new RuleInputError('configuration."AWS:ComplianceItem".Content.Patch holds no patches and no ComplianceSummary');
  }
  const scanTime = data.scanTime ?? Date.parse(item.captureTime);
  const scanSource = data.scanTime === undefined ? 'item captured' : 'ExecutionTime';
  const ageDays = Math.floor((now.getTime() - scanTime) / DAY_MS);
  const scanned = `last patch scan ${new Date(scanTime).toISOString()} (${scanSource})`;
  if (now.getTime() - scanTime > maxScanAgeDays * DAY_MS) problems.push(`the ${scanned} is ${ageDays} days old; maxScanAgeDays is ${maxScanAgeDays}`);
  if (problems.length > 0) return nonCompliant(`${capitalize(problems.join('; '))}.`);
  return compliant(`No missing or failed patches${threshold}; ${scanned}.`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Instances are patched (AWS's EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK, SSM.2) and their
 * patch state is fresh. Stricter than the managed rule in one way: a patch scan older than
 * maxScanAgeDays fails, because compliance data that nobody refreshes proves nothing. Periodic, since
 * a scan that stops running changes no configuration item.
 */
export const instancePatchCompliant = defineInventoryRule({
  id: 'instance-patch-compliant',
  title: 'Instances have no missing patches and a recent patch scan',
  area: 'patching',
  description:
    'COMPLIANT when the SSM patch compliance data of the instance lists no Missing or Failed patch at minSeverity or above and the last patch scan is at most maxScanAgeDays old; stopped instances are NOT_APPLICABLE.',
  resourceTypes: ['AWS::SSM::PatchCompliance'],
  trigger: 'periodic',
  severity: 'HIGH',
  hipaa: HIPAA_PATCHING,
  awsManagedRule: 'EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK',
  securityHubControls: ['SSM.2'],
  reads: ['AWS::EC2::Instance'],
  parameters: {
    minSeverity: enumParam({ values: SEVERITIES, default: 'UNSPECIFIED', description: 'Lowest patch severity that counts (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED = all).' }),
    maxScanAgeDays: integerParam({ default: 7, min: 1, max: 365, description: 'Oldest acceptable patch scan, in days.' }),
  },
  remediation: {
    summary: 'Install the missing patches with Patch Manager and keep a scheduled scan running.',
    steps: [
      'Systems Manager, Patch Manager: run Patch now with Scan and install on the instance (or a maintenance window with AWS-RunPatchBaseline, Operation=Install).',
      'Reboot if patches are pending a reboot, then confirm the compliance report shows no Missing or Failed patches.',
      'Keep a patch policy or State Manager association that scans at least weekly.',
    ],
    url: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager.html',
  },
  evaluate(inventory, { minSeverity, maxScanAgeDays }, { now }) {
    const instances = new Map<string, ConfigurationItem>();
    for (const instance of inventory.ofType('AWS::EC2::Instance')) instances.set(instanceKey(instance.accountId, instance.awsRegion, instance.resourceId), instance);
    return inventory.ofType('AWS::SSM::PatchCompliance').map((item) => {
      const instance = instances.get(instanceKey(item.accountId, item.awsRegion, instanceIdOf(item.resourceId)));
      // Patch compliance items carry no tags of their own: the instance's exemption tag governs them.
      const withTags = instance === undefined || Object.keys(instance.tags).length === 0 ? item : { ...item, tags: { ...instance.tags, ...item.tags } };
      return judge(withTags, (active) => decide(active, instance, minSeverity, maxScanAgeDays, now));
    });
  },
});
