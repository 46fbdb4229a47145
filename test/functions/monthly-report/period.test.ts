/** Which month a run reports: the schedule's month before, or the month asked for by hand. */
import { monthsUpTo, periodOf, previousMonth, requestedPeriod, ReportRequestError } from '../../../functions/monthly-report/period.js';

const NOW = new Date('2026-11-01T06:00:12Z');

describe('the reported month', () => {
  test('a scheduled run reports the calendar month (UTC) before its event time', () => {
    const period = requestedPeriod({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-11-01T06:00:00Z', detail: {} }, NOW);
    expect(period).toEqual({ month: '2026-10', from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') });
  });

  test('January reports December of the year before; without an event, the month before now', () => {
    expect(requestedPeriod({ time: '2027-01-01T06:00:00Z' }, NOW).month).toBe('2026-12');
    expect(requestedPeriod(undefined, NOW).month).toBe('2026-10');
    expect(previousMonth(new Date('2026-03-31T23:59:59Z'))).toBe('2026-02');
  });

  test('run by hand, {"month": "YYYY-MM"} picks the month, the current one included', () => {
    expect(requestedPeriod({ month: '2026-02' }, NOW)).toEqual({
      month: '2026-02',
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
    });
    expect(requestedPeriod({ month: '2026-11' }, NOW).month).toBe('2026-11');
  });

  test.each([
    [{ month: '2026-13' }, /month: expected YYYY-MM/],
    [{ month: 'October' }, /month: expected YYYY-MM/],
    [{ time: 'yesterday' }, /time: expected an ISO-8601 timestamp/],
    [{ month: '2026-12' }, /month 2026-12 has not begun/],
  ])('%j is refused, saying why', (event, message) => {
    expect(() => requestedPeriod(event, NOW)).toThrow(ReportRequestError);
    expect(() => requestedPeriod(event, NOW)).toThrow(message);
  });

  test('the look-back months end with the month given, oldest first, across years', () => {
    expect(monthsUpTo('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodOf('2024-02').to).toEqual(new Date('2024-03-01T00:00:00Z'));
  });
});
