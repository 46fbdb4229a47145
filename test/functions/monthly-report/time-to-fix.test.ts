/** The month's problems opened, fixed and closed per severity, and the median and 90th-percentile time to fix. */
import type { TransitionRecord } from '../../../functions/evidence/transitions.js';
import { periodOf } from '../../../functions/monthly-report/period.js';
import { distinctRecords, median, percentile, timeToFix, type SeverityFigures } from '../../../functions/monthly-report/time-to-fix.js';
import type { Compliance, Severity } from '../../../rules/types.js';
import { volumeTransition } from '../../helpers/transitions.js';

const OCTOBER = periodOf('2026-10');
let sequence = 0;

/** One transition of resource `id` at `at`; rule and severity vary by the severity given. */
function change(id: string, at: string, from: Compliance | null, to: Compliance, severity: Severity = 'HIGH'): TransitionRecord {
  return volumeTransition({
    eventId: `evt-${sequence++}`,
    resourceId: id,
    oldCompliance: from,
    newCompliance: to,
    recordedAt: at,
    ...(severity !== 'HIGH' && { ruleId: 'rds-backup-retention', configRuleName: 'ccm-rds-backup-retention', severity }),
  });
}

/** A problem opened at `opened` and fixed `hours` later. */
const fixedAfter = (id: string, opened: string, hours: number, severity: Severity = 'HIGH'): TransitionRecord[] => [
  change(id, opened, 'COMPLIANT', 'NON_COMPLIANT', severity),
  change(id, new Date(Date.parse(opened) + hours * 3_600_000).toISOString(), 'NON_COMPLIANT', 'COMPLIANT', severity),
];

const row = (figures: SeverityFigures[], severity: Severity) => figures.find((f) => f.severity === severity);

describe('median and 90th percentile', () => {
  test.each([
    [[5], 5, 5],
    [[1, 2, 3, 4, 10], 3, 10],
    [[1, 2, 3, 4], 2.5, 4],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9],
    [Array.from({ length: 20 }, (_, i) => i + 1), 10.5, 18],
  ])('of %j: median %d, p90 %d (nearest rank)', (values, med, p90) => {
    expect(median(values)).toBe(med);
    expect(percentile(values, 90)).toBe(p90);
  });

  test('of nothing: none', () => {
    expect(median([])).toBeNull();
    expect(percentile([], 90)).toBeNull();
  });
});

describe('time to fix', () => {
  test('known fixes in the month: counts, median and p90 in hours', () => {
    const records = [1, 2, 3, 4, 10].flatMap((hours, i) => fixedAfter(`vol-${i}`, `2026-10-0${i + 1}T08:00:00.000Z`, hours));
    expect(row(timeToFix(records, OCTOBER), 'HIGH')).toEqual({
      severity: 'HIGH',
      opened: 5,
      fixed: 5,
      closed: 0,
      openedStillOpen: 0,
      fixedUntimed: 0,
      medianHoursToFix: 3,
      p90HoursToFix: 10,
    });
  });

  test('per severity, worst first, every severity listed', () => {
    const records = [...fixedAfter('vol-a', '2026-10-10T00:00:00.000Z', 1.25), ...fixedAfter('db-a', '2026-10-10T00:00:00.000Z', 48, 'MEDIUM')];
    const figures = timeToFix(records, OCTOBER);
    expect(figures.map((f) => f.severity)).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']);
    expect(row(figures, 'HIGH')).toMatchObject({ fixed: 1, medianHoursToFix: 1.3, p90HoursToFix: 1.3 });
    expect(row(figures, 'MEDIUM')).toMatchObject({ fixed: 1, medianHoursToFix: 48 });
    expect(row(figures, 'CRITICAL')).toEqual({
      severity: 'CRITICAL',
      opened: 0,
      fixed: 0,
      closed: 0,
      openedStillOpen: 0,
      fixedUntimed: 0,
      medianHoursToFix: null,
      p90HoursToFix: null,
    });
  });

  test('across month boundaries: opened in September and fixed in October is an October fix timed from September', () => {
    const records = fixedAfter('vol-1', '2026-09-30T22:00:00.000Z', 4);
    expect(row(timeToFix(records, OCTOBER), 'HIGH')).toMatchObject({ opened: 0, fixed: 1, medianHoursToFix: 4 });
    expect(row(timeToFix(records, periodOf('2026-09')), 'HIGH')).toMatchObject({ opened: 1, fixed: 0, openedStillOpen: 1, medianHoursToFix: null });
  });

  test('opened in October and fixed in November: opened and still open at the end of October', () => {
    const records = fixedAfter('vol-1', '2026-10-31T23:00:00.000Z', 2);
    expect(row(timeToFix(records, OCTOBER), 'HIGH')).toMatchObject({ opened: 1, fixed: 0, openedStillOpen: 1, medianHoursToFix: null });
  });

  test('a problem opened and not fixed counts as opened and still open, with no time to fix', () => {
    const records = [
      change('vol-1', '2026-10-03T00:00:00.000Z', null, 'NON_COMPLIANT'),
      change('vol-1', '2026-10-04T00:00:00.000Z', 'NON_COMPLIANT', 'INSUFFICIENT_DATA'),
    ];
    expect(row(timeToFix(records, OCTOBER), 'HIGH')).toEqual({
      severity: 'HIGH',
      opened: 1,
      fixed: 0,
      closed: 0,
      openedStillOpen: 1,
      fixedUntimed: 0,
      medianHoursToFix: null,
      p90HoursToFix: null,
    });
  });

  test('a fix whose opening is older than the records read is counted but not timed', () => {
    const records = [change('vol-1', '2026-10-03T00:00:00.000Z', 'NON_COMPLIANT', 'COMPLIANT')];
    expect(row(timeToFix(records, OCTOBER), 'HIGH')).toMatchObject({ fixed: 1, fixedUntimed: 1, medianHoursToFix: null });
  });

  test('deleted, out of scope or exempted is closed, not fixed, and not timed', () => {
    const records = [
      change('vol-1', '2026-10-03T00:00:00.000Z', 'COMPLIANT', 'NON_COMPLIANT'),
      change('vol-1', '2026-10-05T00:00:00.000Z', 'NON_COMPLIANT', 'NOT_APPLICABLE'),
    ];
    expect(row(timeToFix(records, OCTOBER), 'HIGH')).toMatchObject({ opened: 1, fixed: 0, closed: 1, openedStillOpen: 0, medianHoursToFix: null });
  });

  test('could not be evaluated opens a problem too, and becoming compliant fixes it', () => {
    const records = [
      change('vol-1', '2026-10-03T00:00:00.000Z', 'COMPLIANT', 'INSUFFICIENT_DATA'),
      change('vol-1', '2026-10-03T06:00:00.000Z', 'INSUFFICIENT_DATA', 'COMPLIANT'),
    ];
    expect(row(timeToFix(records, OCTOBER), 'HIGH')).toMatchObject({ opened: 1, fixed: 1, medianHoursToFix: 6 });
  });

  test('fixed and broken again in the month: two problems, the second still open', () => {
    const records = [...fixedAfter('vol-1', '2026-10-01T00:00:00.000Z', 2), change('vol-1', '2026-10-20T00:00:00.000Z', 'COMPLIANT', 'NON_COMPLIANT')];
    expect(row(timeToFix(records, OCTOBER), 'HIGH')).toMatchObject({ opened: 2, fixed: 1, openedStillOpen: 1, medianHoursToFix: 2 });
  });

  test('records archived twice count once, and out-of-order records are put in recording order', () => {
    const [open, fix] = fixedAfter('vol-1', '2026-10-01T00:00:00.000Z', 5);
    if (open === undefined || fix === undefined) throw new Error('fixture');
    expect(distinctRecords([fix, open, fix]).records).toEqual([open, fix]);
    expect(distinctRecords([fix, open, fix]).duplicates).toBe(1);
    expect(row(timeToFix([fix, open, fix, open], OCTOBER), 'HIGH')).toMatchObject({ opened: 1, fixed: 1, medianHoursToFix: 5 });
  });

  test('the same resource under two rules is two problems', () => {
    const records = [...fixedAfter('vol-1', '2026-10-01T00:00:00.000Z', 1), ...fixedAfter('vol-1', '2026-10-01T00:00:00.000Z', 3, 'MEDIUM')];
    const figures = timeToFix(records, OCTOBER);
    expect([row(figures, 'HIGH')?.medianHoursToFix, row(figures, 'MEDIUM')?.medianHoursToFix]).toEqual([1, 3]);
  });
});
