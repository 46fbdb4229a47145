/**
 * The example clinic (examples/clinic/), scanned exactly as `npm run demo` scans it. Each rule's
 * test asserts that rule's own verdicts on it, so the expectations live beside the rule and the CLI
 * tests only check what the CLI adds.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scan } from '../../cli/run.js';
import type { ScanResult } from '../../cli/report.js';
import type { RuleId } from '../../rules/catalog.js';
import type { Compliance } from '../../rules/types.js';
import type { FakeAccount } from './fake-aws.js';
import { NOW } from './rules.js';

export const EXAMPLE_DIR = join(import.meta.dirname, '..', '..', 'examples', 'clinic');
export const EXAMPLE_SNAPSHOT = join(EXAMPLE_DIR, 'config-snapshot.json');
export const EXAMPLE_REPORT = join(EXAMPLE_DIR, 'credential-report.csv');
export const EXAMPLE_SELECTIONS = join(EXAMPLE_DIR, 'backup-selections.json');

let scanned: Promise<ScanResult> | undefined;

/** Every input of the example clinic, as of its date (NOW): the README's demo. */
export function scanExampleClinic(): Promise<ScanResult> {
  return (scanned ??= scan({ snapshots: [EXAMPLE_SNAPSHOT], credentialReports: [EXAMPLE_REPORT], backupSelections: [EXAMPLE_SELECTIONS], now: NOW }));
}

export type Verdicts = Record<Compliance, string[]>;

/** One rule's verdicts on the example clinic: the resources (`id (name)`) per compliance value, sorted. */
export async function exampleVerdicts(ruleId: RuleId): Promise<Verdicts> {
  const verdicts: Verdicts = { COMPLIANT: [], NON_COMPLIANT: [], NOT_APPLICABLE: [], INSUFFICIENT_DATA: [] };
  for (const e of (await scanExampleClinic()).evaluations) {
    if (e.ruleId === ruleId)
      verdicts[e.compliance].push(e.resourceName && e.resourceName !== e.resourceId ? `${e.resourceId} (${e.resourceName})` : e.resourceId);
  }
  for (const ids of Object.values(verdicts)) ids.sort();
  return verdicts;
}

/**
 * The test of one rule's verdicts on the example clinic: every resource it judges, by verdict
 * (a verdict left out means none).
 */
export function testOnExampleClinic(ruleId: RuleId, why: string, expected: Partial<Verdicts>): void {
  test(`on the example clinic: ${why}`, async () => {
    expect(await exampleVerdicts(ruleId)).toEqual({ COMPLIANT: [], NON_COMPLIANT: [], NOT_APPLICABLE: [], INSUFFICIENT_DATA: [], ...expected });
  });
}

/**
 * The example clinic as a live account, for the fake AWS server (test/helpers/fake-aws.ts): the same
 * three files, served the way the APIs give them. What the files do not hold is decided here, and
 * is what a live scan legitimately adds:
 * - each patch scan's ExecutionTime is the capture time of the instance's patch compliance item
 *   (Config records that item when a scan reports), its Status the item's ComplianceSummary Status;
 * - the credential report's GeneratedTime is 6 hours before the example's date (inferred: a CSV does
 *   not carry it);
 * - EBS encryption by default is off (inferred: no export records it; the clinic has unencrypted volumes);
 * - DescribeTrails lists the trail of the trail item, its fields as the API names them (the item's
 *   configuration mirrors DescribeTrails with the first letter lowercased), and GetTrailStatus says it
 *   is logging (inferred: no Config item records IsLogging);
 * - GetDetector reports the detector of the detector item ENABLED, as its `Enable: true` says, with its
 *   EBS_MALWARE_PROTECTION feature ENABLED (inferred: the item does not record features).
 */
export async function exampleClinicAccount(): Promise<FakeAccount> {
  const snapshot = JSON.parse(await readFile(EXAMPLE_SNAPSHOT, 'utf8')) as { configurationItems: Record<string, unknown>[] };
  const selections = JSON.parse(await readFile(EXAMPLE_SELECTIONS, 'utf8')) as Record<string, unknown>[];
  const items = snapshot.configurationItems;
  const planNames = new Map(
    items.filter((item) => item.resourceType === 'AWS::Backup::BackupPlan').map((item) => [String(item.resourceId), String(item.resourceName)]),
  );
  const planIds = [...new Set(selections.map((selection) => String(selection.BackupPlanId)))];
  const patchSummaries = items
    .filter((item) => item.resourceType === 'AWS::SSM::PatchCompliance')
    .map((item) => {
      const patch = ((item.configuration as Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>)['AWS:ComplianceItem']
        ?.Content?.Patch ?? {}) as Record<string, Record<string, unknown>>;
      return {
        resourceId: String(item.resourceName),
        status: patch.ComplianceSummary?.Status === 'NON_COMPLIANT' ? ('NON_COMPLIANT' as const) : ('COMPLIANT' as const),
        executionTime: new Date(String(item.configurationItemCaptureTime)),
      };
    });
  return {
    accountId: '111122223333',
    credentialReportCsv: await readFile(EXAMPLE_REPORT, 'utf8'),
    credentialReportGeneratedAt: new Date(NOW.getTime() - 6 * 3_600_000),
    regions: {
      'us-east-1': {
        items,
        backupPlans: planIds.map((planId) => ({
          planId,
          planName: planNames.get(planId) ?? planId,
          selections: selections.filter((selection) => selection.BackupPlanId === planId),
        })),
        ebsEncryptionByDefault: false,
        patchSummaries,
        trails: ofType(items, 'AWS::CloudTrail::Trail').map((item) => ({
          trail: pascalKeys(item.configuration as Record<string, unknown>),
          status: { IsLogging: true },
        })),
        detectors: ofType(items, 'AWS::GuardDuty::Detector').map((item) => ({
          detectorId: String(item.resourceId),
          detector: {
            status: (item.configuration as Record<string, unknown>).Enable === true ? 'ENABLED' : 'DISABLED',
            serviceRole: 'arn:aws:iam::111122223333:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty',
            features: [{ name: 'EBS_MALWARE_PROTECTION', status: 'ENABLED' }],
          },
        })),
      },
    },
  };
}

const ofType = (items: readonly Record<string, unknown>[], type: string): Record<string, unknown>[] => items.filter((item) => item.resourceType === type);

/** A trail item's configuration as DescribeTrails names its fields (`isMultiRegionTrail` → `IsMultiRegionTrail`). */
const pascalKeys = (configuration: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(configuration).map(([key, value]) => [key.charAt(0).toUpperCase() + key.slice(1), value]));
