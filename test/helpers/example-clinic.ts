/**
 * The example clinic (examples/clinic/), scanned exactly as `npm run demo` scans it. Each rule's
 * test asserts that rule's own verdicts on it, so the expectations live beside the rule and the CLI
 * tests only check what the CLI adds.
 */
import { join } from 'node:path';
import { scan } from '../../cli/run.js';
import type { ScanResult } from '../../cli/report.js';
import type { RuleId } from '../../rules/catalog.js';
import type { Compliance } from '../../rules/types.js';
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
    if (e.ruleId === ruleId) verdicts[e.compliance].push(e.resourceName && e.resourceName !== e.resourceId ? `${e.resourceId} (${e.resourceName})` : e.resourceId);
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
