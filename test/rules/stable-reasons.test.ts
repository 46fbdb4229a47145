/**
 * The audit behind "put only what changed": the periodic evaluator compares a verdict with the result
 * Config holds on compliance and stableReason (the annotation without its figures). A rule whose
 * words moved with the clock alone would be re-put on every run. So every rule, over the whole
 * example clinic, must give the same reason for a resource whose compliance did not change when the
 * same inventory is judged later.
 */
import { scan } from '../../cli/run.js';
import { CATALOG } from '../../rules/catalog.js';
import type { Evaluation } from '../../rules/types.js';
import { stableReason } from '../../rules/verdicts.js';
import { EXAMPLE_REPORT, EXAMPLE_SELECTIONS, EXAMPLE_SNAPSHOT } from '../helpers/example-clinic.js';
import { NOW } from '../helpers/rules.js';

const HOUR = 3_600_000;
const key = (e: Evaluation) => `${e.ruleId} ${e.resourceType} ${e.resourceId}`;

async function verdictsAt(now: Date): Promise<Map<string, Evaluation>> {
  const { evaluations } = await scan({ snapshots: [EXAMPLE_SNAPSHOT], credentialReports: [EXAMPLE_REPORT], backupSelections: [EXAMPLE_SELECTIONS], now });
  return new Map(evaluations.map((e) => [key(e), e]));
}

describe('a verdict whose compliance holds keeps its reason as the clock moves', () => {
  let before: Map<string, Evaluation>;
  beforeAll(async () => {
    before = await verdictsAt(NOW);
  });

  test('the example clinic exercises every rule the offline scan runs', () => {
    const judged = new Set([...before.values()].map((e) => e.ruleId));
    expect(CATALOG.filter((entry) => !entry.liveOnly && !judged.has(entry.id)).map((entry) => entry.id)).toEqual([]);
  });

  // Not longer: from day 5 a patch scan of the clinic passes maxScanAgeDays, a new problem and a real change.
  test.each([
    ['an hour', HOUR],
    ['a day', 24 * HOUR],
    ['three days', 72 * HOUR],
  ])('%s later', async (_later, ms) => {
    const after = await verdictsAt(new Date(NOW.getTime() + ms));
    let moved = 0;
    for (const [id, earlier] of before) {
      const later = after.get(id);
      if (later === undefined || later.compliance !== earlier.compliance) continue;
      expect({ id, reason: stableReason(later.annotation) }).toEqual({ id, reason: stableReason(earlier.annotation) });
      if (later.annotation !== earlier.annotation) moved++;
    }
    // The clinic has figures that move with the clock (ages of backups, patch scans): the audit compares something.
    expect(moved).toBeGreaterThan(0);
  });
});
