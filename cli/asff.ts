/**
 * `--format asff`: the scan's evaluations as the ASFF findings the deployed monitor imports (same
 * mapper), as a JSON array an auditor can pass to `aws securityhub batch-import-findings --findings
 * file://…` (100 findings per call: the README shows how to split the file).
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { getRule } from '../rules/catalog.js';
import { toFinding } from '../functions/findings/to-finding.js';
import { InputFileError } from './load.js';
import type { ScanResult } from './report.js';

export function toAsffFindings(result: ScanResult): AwsSecurityFinding[] {
  const now = new Date(result.summary.generatedAt);
  return result.evaluations.map((evaluation) => {
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
