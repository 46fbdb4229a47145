/**
 * `--format asff`: the scan's evaluations as the ASFF findings the deployed monitor imports (same
 * mapper), as a JSON array an auditor can pass to `aws securityhub batch-import-findings --findings
 * file://…` (100 findings per call: the README shows how to split the file).
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { getRule } from '../rules/catalog.js';
import { toFinding } from '../functions/findings/to-finding.js';
import { InputFileError } from './load.js';
import type { Evaluation } from '../rules/types.js';
import type { ScanResult } from './report.js';

/**
 * A rule not run for lack of an input (the MFA rules without a credential report) becomes, per account
 * of the scan, one finding "could not be evaluated" (Compliance NOT_AVAILABLE): in an array of
 * findings, a rule that is simply absent would be invisible.
 */
function notRun(result: ScanResult): Evaluation[] {
  const accounts = [...new Set(result.evaluations.map((evaluation) => evaluation.accountId))].filter((account) => /^\d{12}$/.test(account));
  const out: Evaluation[] = [];
  for (const skipped of result.summary.rulesSkipped) {
    const entry = getRule(skipped.ruleId);
    // Offline, live-only rules never run: not a gap of this scan. Live, a skip names its one account and Region.
    if (entry.liveOnly && skipped.accountId === undefined) continue;
    for (const accountId of skipped.accountId === undefined ? accounts : [skipped.accountId]) {
      out.push({
        ruleId: entry.id,
        resourceType: 'AWS::::Account',
        resourceId: accountId,
        accountId,
        region: skipped.region ?? 'global',
        compliance: 'INSUFFICIENT_DATA',
        annotation: `Not evaluated: rule ${entry.id} ${skipped.reason}.`,
        severity: entry.severity,
        hipaa: entry.hipaa,
        orderingTimestamp: result.summary.generatedAt,
        error: true,
      });
    }
  }
  return out;
}

export function toAsffFindings(result: ScanResult): AwsSecurityFinding[] {
  const now = new Date(result.summary.generatedAt);
  return [...result.evaluations, ...notRun(result)].map((evaluation) => {
    if (!/^\d{12}$/.test(evaluation.accountId)) {
      throw new InputFileError(
        '--format asff',
        `${evaluation.ruleId} ${evaluation.resourceType} ${evaluation.resourceId} has account id ${JSON.stringify(evaluation.accountId)}; an ASFF finding needs the 12-digit account id`,
      );
    }
    return toFinding(evaluation, getRule(evaluation.ruleId), { now });
  });
}

export function toAsff(result: ScanResult): string {
  return JSON.stringify(toAsffFindings(result), null, 2) + '\n';
}
