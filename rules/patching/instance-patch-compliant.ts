import { RuleInputError } from '../fields.js';
import { instanceIdOf, instanceState, isStoppedInstance } from '../instances.js';
import { isGone, type ConfigurationItem } from '../inventory.js';
import { HIPAA_PATCHING } from '../mapping.js';
import { enumParam, integerParam } from '../params.js';
import { defineInventoryRule, type ActiveItem, type PatchScan, type Verdict } from '../types.js';
import { compliant, judge, nonCompliant, notApplicable } from '../verdicts.js';
import { counts, explain, readPatchData, SEVERITIES, severitiesFrom, type PatchData, type PatchSeverity } from './patches.js';

const DAY_MS = 86_400_000;

function instanceKey(accountId: string, region: string, instanceId: string): string {
  return `${accountId}\u0000${region}\u0000${instanceId}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What is wrong with the patches themselves, or undefined when nothing is. */
function patchProblem(data: PatchData, minSeverity: PatchSeverity): string | undefined {
  const wanted = new Set(severitiesFrom(minSeverity));
  const threshold = minSeverity === 'UNSPECIFIED' ? '' : ` at severity ${minSeverity} or above`;
  if (data.patches.length > 0) {
    let any = false;
    const failing = [];
    for (const patch of data.patches) {
      if (!counts(patch)) continue;
      any = true;
      if (wanted.has(patch.severity)) failing.push(patch);
    }
    if (failing.length > 0) {
      const names = failing.slice(0, 3).map((patch) => `${patch.id} ${explain(patch)}`);
      return `${plural(failing.length, 'patch is', 'patches are')} NON_COMPLIANT${threshold} (${names.join('; ')}${failing.length > 3 ? '; …' : ''})`;
    }
    // The summary is the instance's verdict: if it disagrees with the listed patches, it is not overruled.
    if (!any && data.summary?.status === 'NON_COMPLIANT') return 'ComplianceSummary.Status is NON_COMPLIANT although no listed patch is';
    return undefined;
  }
  const summary = data.summary;
  if (summary === undefined) throw new RuleInputError('configuration."AWS:ComplianceItem".Content.Patch holds no patches and no ComplianceSummary');
  const known = Object.keys(summary.nonCompliantCounts).length > 0;
  if (summary.status === undefined && !known) throw new RuleInputError('the ComplianceSummary has neither Status nor NonCompliant counts');
  if (summary.status === 'UNSPECIFIED_DATA') throw new RuleInputError('ComplianceSummary.Status is UNSPECIFIED_DATA and no patches are listed');
  const missing = SEVERITIES.filter((s) => wanted.has(s)).reduce((sum, s) => sum + (summary.nonCompliantCounts[s] ?? 0), 0);
  if (missing > 0) return `${plural(missing, 'patch is', 'patches are')} NON_COMPLIANT${threshold} (ComplianceSummary NonCompliant counts)`;
  if (summary.status === 'NON_COMPLIANT' && (minSeverity === 'UNSPECIFIED' || !known)) return 'ComplianceSummary.Status is NON_COMPLIANT';
  return undefined;
}

function decide(
  item: ActiveItem,
  instance: ConfigurationItem | undefined,
  scans: ReadonlyMap<string, PatchScan> | undefined,
  minSeverity: PatchSeverity,
  maxScanAgeDays: number,
  now: Date,
): Verdict {
  if (instance !== undefined && (isGone(instance) || isStoppedInstance(instance))) {
    const state = isGone(instance) ? instance.status : `${instanceState(instance)} (state.name)`;
    return notApplicable(`Instance ${instance.resourceId} is ${state}; its patch state is checked while it runs.`);
  }
  const problem = patchProblem(readPatchData(item.configuration), minSeverity);
  const problems = problem === undefined ? [] : [problem];
  let scanned: string;
  if (scans === undefined) {
    scanned = 'the last scan time is not in Config data, so maxScanAgeDays was not checked';
  } else {
    const instanceId = instanceIdOf(item.resourceId);
    const at = scans.get(instanceKey(item.accountId, item.awsRegion, instanceId))?.executionTime;
    if (at === undefined)
      throw new RuleInputError(`Systems Manager returned no last patch scan time for ${instanceId} (ListResourceComplianceSummaries ExecutionTime)`);
    const ageDays = Math.floor((now.getTime() - at) / DAY_MS);
    scanned = `last patch scan ${new Date(at).toISOString()} (Systems Manager ExecutionTime)`;
    if (now.getTime() - at > maxScanAgeDays * DAY_MS) problems.push(`the ${scanned} is ${ageDays} days old; maxScanAgeDays is ${maxScanAgeDays}`);
  }
  if (problems.length > 0) return nonCompliant(`${capitalize(problems.join('; '))}.`);
  const threshold = minSeverity === 'UNSPECIFIED' ? '' : ` at severity ${minSeverity} or above`;
  return compliant(`No NON_COMPLIANT patch${threshold}; ${scanned}.`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Instances are patched (AWS's EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK, SSM.2): the
 * per-patch Status and the summary's Status decide, as in the managed rule; PatchState explains. A
 * patch installed but awaiting a reboot, or installed although rejected, counts as Systems Manager
 * counts it (docs/aws-semantics.md, "Patch compliance"). Stricter than the managed rule in one way:
 * where the last scan time is known (the deployed monitor reads it from Systems Manager), a scan older
 * than maxScanAgeDays fails, because compliance data that nobody refreshes proves nothing. Config data
 * holds no scan time, so offline the age is not checked, and the annotation says so.
 */
export const instancePatchCompliant = defineInventoryRule({
  id: 'instance-patch-compliant',
  title: 'Instances have no missing patches and a recent patch scan',
  area: 'patching',
  description:
    'COMPLIANT when the SSM patch compliance data of the instance shows no NON_COMPLIANT patch at minSeverity or above (missing, failed, rejected or awaiting a reboot) and, where Systems Manager gives the last scan time, the scan is at most maxScanAgeDays old; stopped instances are NOT_APPLICABLE.',
  resourceTypes: ['AWS::SSM::PatchCompliance'],
  trigger: 'periodic',
  severity: 'HIGH',
  hipaa: HIPAA_PATCHING,
  awsManagedRule: 'EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK',
  securityHubControls: ['SSM.2'],
  reads: ['AWS::EC2::Instance'],
  needs: ['patchScanTimes'],
  parameters: {
    minSeverity: enumParam({
      values: SEVERITIES,
      default: 'UNSPECIFIED',
      description: 'Lowest patch severity that counts (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED = all).',
    }),
    maxScanAgeDays: integerParam({
      default: 7,
      min: 1,
      max: 365,
      description: 'Oldest acceptable patch scan, in days (checked where Systems Manager gives the scan time: the deployed monitor).',
    }),
  },
  remediation: {
    summary: 'Install the missing patches with Patch Manager and keep a scheduled scan running.',
    steps: [
      'Systems Manager, Patch Manager: run Patch now with Scan and install on the instance (or a maintenance window with AWS-RunPatchBaseline, Operation=Install).',
      'Reboot if patches are pending a reboot, remove rejected patches, then confirm the compliance report shows no non-compliant patch.',
      'Keep a patch policy or State Manager association that scans at least weekly.',
    ],
    url: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager.html',
  },
  evaluate(inventory, { minSeverity, maxScanAgeDays }, { now }) {
    const instances = new Map<string, ConfigurationItem>();
    for (const instance of inventory.ofType('AWS::EC2::Instance'))
      instances.set(instanceKey(instance.accountId, instance.awsRegion, instance.resourceId), instance);
    const scans =
      inventory.patchScans === undefined
        ? undefined
        : new Map(inventory.patchScans.map((scan) => [instanceKey(scan.accountId, scan.region, scan.resourceId), scan]));
    return inventory.ofType('AWS::SSM::PatchCompliance').map((item) => {
      const instance = instances.get(instanceKey(item.accountId, item.awsRegion, instanceIdOf(item.resourceId)));
      // Patch compliance items carry no tags of their own: the instance's exemption tag governs them.
      const withTags = instance === undefined || Object.keys(instance.tags).length === 0 ? item : { ...item, tags: { ...instance.tags, ...item.tags } };
      return judge(withTags, (active) => decide(active, instance, scans, minSeverity, maxScanAgeDays, now));
    });
  },
});
