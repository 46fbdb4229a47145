/**
 * What the month's compliance transitions say, per severity: problems opened, fixed and closed, and
 * how long fixes took. A problem is one resource under one rule (account, Region, rule, resource
 * type and id) from the moment it becomes NON_COMPLIANT or could not be evaluated (INSUFFICIENT_DATA)
 * until it becomes COMPLIANT (fixed) or NOT_APPLICABLE (closed: deleted, out of scope or exempted —
 * not a fix, so not timed). Time to fix runs from the transition that opened the problem to the one
 * that fixed it, as AWS Config recorded them; a problem opened before the month is found in the
 * earlier months' records given (the look-back), and a fix whose opening is older than those is counted
 * but not timed. Median and 90th percentile use the nearest-rank definition, except that the median
 * of an even count is the mean of the two middle values.
 */
import type { Severity } from '../../rules/types.js';
import type { TransitionRecord } from '../evidence/transitions.js';

/** Months of archived transitions read before the reported one, to find when its fixed problems began. */
export const LOOKBACK_MONTHS = 12;

export const SEVERITY_ORDER: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];

export interface SeverityFigures {
  readonly severity: Severity;
  /** Problems that began in the month. */
  readonly opened: number;
  /** Problems that ended in the month by becoming compliant. */
  readonly fixed: number;
  /** Problems that ended in the month by leaving the rule: resource deleted, out of scope or exempted. */
  readonly closed: number;
  /** Of the problems opened in the month, those still open when it ended. */
  readonly openedStillOpen: number;
  /** Fixes whose problem began before the records read: counted in `fixed`, not timed. */
  readonly fixedUntimed: number;
  readonly medianHoursToFix: number | null;
  readonly p90HoursToFix: number | null;
}

const OPEN: ReadonlySet<string | null> = new Set(['NON_COMPLIANT', 'INSUFFICIENT_DATA']);
const HOUR_MS = 3_600_000;

/** The middle value of ascending numbers (the mean of the two middle ones for an even count). */
export function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const low = sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
  const high = sorted[Math.ceil((sorted.length - 1) / 2)] ?? NaN;
  return (low + high) / 2;
}

/** Nearest rank: the smallest value with at least `p` percent of the values at or below it. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] ?? null;
}

const hours = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / (HOUR_MS / 10)) / 10);

/** One record per event id (a retried batch may have archived some twice), ordered by Config's recording time. */
export function distinctRecords(records: readonly TransitionRecord[]): { records: TransitionRecord[]; duplicates: number } {
  const byEvent = new Map<string, TransitionRecord>();
  for (const record of records) if (!byEvent.has(record.eventId)) byEvent.set(record.eventId, record);
  const distinct = [...byEvent.values()].sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || a.eventId.localeCompare(b.eventId));
  return { records: distinct, duplicates: records.length - distinct.length };
}

interface ProblemState {
  open: boolean;
  /** When the open problem began, if the records show it. */
  since?: number;
  openedInPeriod: boolean;
  severity: Severity;
}

/** Per severity, worst first: the month's problems opened, fixed and closed, and the time fixes took. */
export function timeToFix(records: readonly TransitionRecord[], period: { readonly from: Date; readonly to: Date }): SeverityFigures[] {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const figures = new Map(SEVERITY_ORDER.map((severity) => [severity, { opened: 0, fixed: 0, closed: 0, fixedUntimed: 0, durations: [] as number[] }]));
  const problems = new Map<string, ProblemState>();
  for (const record of distinctRecords(records).records) {
    const at = Date.parse(record.recordedAt);
    if (at >= to) continue;
    const inPeriod = at >= from;
    const key = JSON.stringify([record.accountId, record.region, record.ruleId, record.resourceType, record.resourceId]);
    const state = problems.get(key) ?? { open: OPEN.has(record.oldCompliance), openedInPeriod: false, severity: record.severity };
    const counts = figures.get(record.severity);
    const nowOpen = OPEN.has(record.newCompliance);
    if (!state.open && nowOpen) {
      problems.set(key, { open: true, since: at, openedInPeriod: inPeriod, severity: record.severity });
      if (inPeriod && counts) counts.opened++;
    } else if (state.open && !nowOpen) {
      problems.set(key, { open: false, openedInPeriod: false, severity: record.severity });
      if (!inPeriod || counts === undefined) continue;
      if (record.newCompliance === 'COMPLIANT') {
        counts.fixed++;
        if (state.since === undefined) counts.fixedUntimed++;
        else counts.durations.push(at - state.since);
      } else counts.closed++;
    } else problems.set(key, state);
  }
  const stillOpen = new Map<Severity, number>();
  for (const state of problems.values()) if (state.open && state.openedInPeriod) stillOpen.set(state.severity, (stillOpen.get(state.severity) ?? 0) + 1);
  return SEVERITY_ORDER.map((severity) => {
    const counts = figures.get(severity) ?? { opened: 0, fixed: 0, closed: 0, fixedUntimed: 0, durations: [] };
    const sorted = [...counts.durations].sort((a, b) => a - b);
    return {
      severity,
      opened: counts.opened,
      fixed: counts.fixed,
      closed: counts.closed,
      openedStillOpen: stillOpen.get(severity) ?? 0,
      fixedUntimed: counts.fixedUntimed,
      medianHoursToFix: hours(median(sorted)),
      p90HoursToFix: hours(percentile(sorted, 90)),
    };
  });
}
