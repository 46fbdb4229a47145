/** What the scanner prints: the JSON contract of DESIGN.md and a table grouped by rule. */
import type { CatalogEntry } from '../rules/catalog.js';
import { describeLiveRead } from '../functions/reports/model.js';
import type { ScanResult } from '../functions/reports/summary.js';
import type { SkippedItem } from '../rules/inventory.js';
import type { Compliance, Evaluation } from '../rules/types.js';

export const COMPLIANCE_VALUES: readonly Compliance[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'];

// The summary and the JSON contract are shared with the deployed monthly report (functions/reports/summary.ts).
export { summarize, toJson, type ScanResult } from '../functions/reports/summary.js';

/**
 * 0 when everything evaluated is compliant, 1 when anything is non-compliant or could not be evaluated,
 * nothing was evaluated, or (live) an account or Region could not be read or does not record.
 */
export function exitCodeFor(result: ScanResult): 0 | 1 {
  const { compliance, skippedItems, nothingEvaluated, live } = result.summary;
  return nothingEvaluated || compliance.NON_COMPLIANT > 0 || compliance.INSUFFICIENT_DATA > 0 || skippedItems.length > 0 || live?.complete === false ? 1 : 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function toTable(result: ScanResult, catalog: readonly CatalogEntry[]): string {
  const lines: string[] = [];
  const byRule = new Map<string, Evaluation[]>();
  for (const evaluation of result.evaluations) {
    let list = byRule.get(evaluation.ruleId);
    if (list === undefined) byRule.set(evaluation.ruleId, (list = []));
    list.push(evaluation);
  }
  const { summary } = result;
  if (summary.live !== undefined) lines.push(describeLiveRead(summary.live), '');
  // Before any rule block: a reader skimming the first lines must see what was not checked.
  for (const warning of summary.warnings) lines.push(`!!!   ${warning}`);
  if (summary.warnings.length > 0) lines.push('');
  for (const entry of catalog) {
    const counts = summary.rules[entry.id];
    if (counts === undefined) continue;
    const status = counts.NON_COMPLIANT + counts.INSUFFICIENT_DATA > 0 ? 'FAIL' : counts.COMPLIANT > 0 ? 'PASS' : '----';
    lines.push(
      `${status}  ${entry.id}  [${entry.severity}]  ${entry.title}  (HIPAA ${entry.hipaa.join(', ')})`,
      `      ${counts.COMPLIANT} compliant, ${counts.NON_COMPLIANT} non-compliant, ${counts.NOT_APPLICABLE} not applicable${counts.INSUFFICIENT_DATA ? `, ${counts.INSUFFICIENT_DATA} could not be evaluated` : ''}`,
    );
    for (const evaluation of byRule.get(entry.id) ?? []) {
      if (evaluation.compliance !== 'NON_COMPLIANT' && evaluation.compliance !== 'INSUFFICIENT_DATA') continue;
      const name = evaluation.resourceName && evaluation.resourceName !== evaluation.resourceId ? ` (${evaluation.resourceName})` : '';
      lines.push(`      ✗ ${evaluation.resourceType} ${evaluation.resourceId}${name} ${evaluation.accountId}/${evaluation.region}: ${evaluation.annotation}`);
    }
  }
  // Skipped in one place (live, Config not recording there): one line per place, not per rule.
  const byPlace = new Map<string, string[]>();
  for (const skipped of summary.rulesSkipped) {
    if (skipped.accountId === undefined) lines.push(`skip  ${skipped.ruleId}: ${skipped.reason}`);
    else byPlace.set(skipped.reason, [...(byPlace.get(skipped.reason) ?? []), skipped.ruleId]);
  }
  for (const [reason, ruleIds] of byPlace) lines.push(`skip  ${ruleIds.join(', ')}: ${reason}`);
  if (summary.skippedItems.length > 0) {
    lines.push('', `${plural(summary.skippedItems.length, 'item')} could not be read and ${summary.skippedItems.length === 1 ? 'was' : 'were'} left out:`);
    for (const item of summary.skippedItems) lines.push(`      ${describeSkipped(item)}`);
  }
  const c = summary.compliance;
  lines.push(
    '',
    summary.evaluations === 0
      ? 'Nothing was evaluated (0 resources): not a pass.'
      : `${plural(summary.resourcesEvaluated, 'resource')}, ${plural(summary.evaluations, 'evaluation')}: ${c.COMPLIANT} compliant, ${c.NON_COMPLIANT} non-compliant, ${c.NOT_APPLICABLE} not applicable${c.INSUFFICIENT_DATA ? `, ${c.INSUFFICIENT_DATA} could not be evaluated` : ''}.`,
  );
  return lines.join('\n') + '\n';
}

export function describeSkipped(item: SkippedItem): string {
  const what = item.resourceType || item.resourceId ? ` (${[item.resourceType, item.resourceId].filter(Boolean).join(' ')})` : '';
  return `${item.source} ${item.location}${what}: ${item.reason}`;
}
