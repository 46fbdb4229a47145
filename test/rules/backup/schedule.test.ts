import fc from 'fast-check';
import { describeMinutes, maxGapMinutes, parseSchedule, ScheduleError } from '../../../rules/backup/schedule.js';
import { NOW } from '../../helpers/rules.js';

const HOUR = 60;
const DAY = 1440;

function gap(expression: string, from = NOW): number {
  return maxGapMinutes(parseSchedule(expression), from);
}

describe('schedule expressions: the largest gap between runs', () => {
  test.each([
    ['cron(0 5 ? * * *)', 24 * HOUR, "AWS Backup's default: daily at 05:00"],
    ['cron(0 5 * * ? *)', 24 * HOUR, 'daily, with * and ? swapped'],
    ['cron(0 3 ? * SUN *)', 7 * DAY, 'weekly on Sunday'],
    ['cron(0 3 ? * 1 *)', 7 * DAY, 'weekly, day 1 = Sunday'],
    ['cron(0 6,18 * * ? *)', 12 * HOUR, 'twice a day, evenly'],
    ['cron(0 6,8 * * ? *)', 22 * HOUR, 'twice a day, two hours apart'],
    ['cron(30 */4 * * ? *)', 4 * HOUR, 'every four hours'],
    ['cron(0 5 ? * MON-FRI *)', 3 * DAY, 'weekdays: Friday to Monday'],
    ['cron(0 5 ? * FRI-MON *)', 4 * DAY, 'a range that wraps the week'],
    ['cron(0 5 1 * ? *)', 31 * DAY, 'day-of-month 1: monthly'],
    ['cron(0 5 1,15 * ? *)', 17 * DAY, 'twice a month: 15th to the 1st of a 31-day month'],
    ['cron(0 5 L * ? *)', 31 * DAY, 'last day of the month'],
    ['cron(0 5 ? * 6#3 *)', 35 * DAY, 'third Friday of the month'],
    ['cron(0 5 ? * 6L *)', 35 * DAY, 'last Friday of the month'],
    ['cron(0 0 1 JAN,JUL ? *)', 184 * DAY, 'January and July'],
    ['rate(12 hours)', 12 * HOUR, 'rate in hours'],
    ['rate(1 day)', DAY, 'rate in days'],
    ['rate(90 minutes)', 90, 'rate in minutes'],
    ['  CRON(0 5 ? * * *) ', 24 * HOUR, 'case and spaces'],
  ])('%s → %d minutes (%s)', (expression, minutes) => {
    expect(gap(expression)).toBe(minutes);
  });

  test('the nearest weekday (15W) moves around weekends: never more than 34 days apart', () => {
    const minutes = gap('cron(0 5 15W * ? *)');
    expect(minutes).toBeGreaterThanOrEqual(28 * DAY);
    expect(minutes).toBeLessThanOrEqual(34 * DAY);
  });

  test('LW, the last weekday of the month, stays within 35 days', () => {
    expect(gap('cron(0 5 LW * ? *)')).toBeLessThanOrEqual(35 * DAY);
  });

  test('a leap-day schedule runs every four years', () => {
    expect(gap('cron(0 5 29 2 ? *)')).toBeGreaterThanOrEqual(4 * 365 * DAY);
  });

  test('a schedule limited to past years never runs: an infinite gap', () => {
    expect(gap('cron(0 5 ? * * 2020-2025)')).toBe(Infinity);
  });

  test('a schedule that stops after this year shows the gap after its last run', () => {
    expect(gap('cron(0 5 ? * * 2026)')).toBeGreaterThan(365 * DAY);
  });

  test.each([
    ['daily', /not a cron\(\.\.\.\) or rate\(\.\.\.\) expression/],
    ['cron(0 5 * * *)', /cron needs 6 fields .* got 5/],
    ['cron(0 25 ? * * *)', /hours value 25 is outside 0-23/],
    ['cron(0 5 1 * MON *)', /cannot both be set; one of them must be \?/],
    ['cron(0 5 ? * ? *)', /cannot both be \?/],
    ['cron(*/0 5 ? * * *)', /increment "0" is not a positive number/],
    ['cron(0 5 ? * FUNDAY *)', /day-of-week value "FUNDAY" is not a number or name/],
    ['cron(0 5 ? * 2#6 *)', /the week number must be 1-5/],
    ['cron(0 5 L-3 * ? *)', /day-of-month term "L-3" is not supported/],
    ['cron(0 5 ,1 * ? *)', /has an empty term/],
    ['rate(0 hours)', /rate must be at least 1/],
    ['rate(2 weeks)', /rate needs a whole number and a unit/],
  ])('%s is rejected: %s', (expression, message) => {
    expect(() => parseSchedule(expression)).toThrow(ScheduleError);
    expect(() => parseSchedule(expression)).toThrow(message);
  });

  test.each([
    [24 * HOUR, '24 hours'],
    [7 * DAY, '7 days'],
    [HOUR, '1 hour'],
    [90, '90 minutes'],
    [Infinity, 'never'],
  ])('describeMinutes(%d) = %s', (minutes, text) => {
    expect(describeMinutes(minutes)).toBe(text);
  });
});

describe('schedule expressions: properties', () => {
  const anyDay = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true });

  test('rate(N unit) gives exactly N units, whatever the day', () => {
    const unit = fc.constantFrom(['minutes', 1], ['hours', HOUR], ['days', DAY]) as fc.Arbitrary<[string, number]>;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), unit, anyDay, (n, [name, size], from) => {
        expect(maxGapMinutes(parseSchedule(`rate(${n} ${name})`), from)).toBe(n * size);
      }),
    );
  });

  test('a cron with H hour values every day gives the largest gap between those hours, around midnight too', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 24 }),
        fc.integer({ min: 0, max: 59 }),
        anyDay,
        (hours, minute, from) => {
          const sorted = [...hours].sort((a, b) => a - b);
          const gaps = sorted.map((h, i) => (i === 0 ? 24 - (sorted[sorted.length - 1] ?? 0) + h : h - (sorted[i - 1] ?? 0)));
          expect(maxGapMinutes(parseSchedule(`cron(${minute} ${hours.join(',')} * * ? *)`), from)).toBe(Math.max(...gaps) * HOUR);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a cron on a set of weekdays gives the largest gap between those days, around the week too', () => {
    const names = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), fc.boolean(), anyDay, (days, useNames, from) => {
        const sorted = [...days].sort((a, b) => a - b);
        const gaps = sorted.map((d, i) => (i === 0 ? 7 - (sorted[sorted.length - 1] ?? 0) + d : d - (sorted[i - 1] ?? 0)));
        const field = days.map((d) => (useNames ? names[d - 1] : String(d))).join(',');
        expect(maxGapMinutes(parseSchedule(`cron(0 2 ? * ${field} *)`), from)).toBe(Math.max(...gaps) * DAY);
      }),
      { numRuns: 100 },
    );
  });

  test('adding run hours never makes the gap longer', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 23 }), (hours, extra) => {
        const base = gap(`cron(0 ${hours.join(',')} ? * * *)`);
        const more = gap(`cron(0 ${[...new Set([...hours, extra])].join(',')} ? * * *)`);
        expect(more).toBeLessThanOrEqual(base);
      }),
      { numRuns: 100 },
    );
  });

  test('any text either parses or raises ScheduleError, never another exception', () => {
    const token = fc.constantFrom(
      '*',
      '?',
      '0',
      '5',
      '23',
      '59',
      '1-5',
      '*/15',
      '0/4',
      'L',
      'LW',
      '15W',
      '6#3',
      '6L',
      'MON',
      'MON-FRI',
      'JAN',
      'x',
      '',
      '1,2',
      '99',
      '-',
      '/',
      '#',
    );
    const cronLike = fc.array(token, { minLength: 4, maxLength: 8 }).map((tokens) => `cron(${tokens.join(' ')})`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), cronLike), (expression) => {
        try {
          const schedule = parseSchedule(expression);
          expect(maxGapMinutes(schedule, NOW)).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(ScheduleError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
