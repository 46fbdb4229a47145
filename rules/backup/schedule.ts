/**
 * AWS Backup schedule expressions: `cron(minutes hours day-of-month month day-of-week year)` with the
 * EventBridge extensions (`?`, `L`, `W`, `#`, month and weekday names, 1 = SUN … 7 = SAT) and
 * `rate(N minutes|hours|days)`.
 *
 * The question a backup rule asks is "how long can we go without a backup?", so a schedule is judged
 * by the largest gap between consecutive runs. Reasoning on fields alone gets day-of-month, `L`, `W`
 * and `#` wrong, so runs are found by walking calendar days (UTC) over a window of eight years from the
 * evaluation day: long enough to see leap days and every weekday/date alignment, short enough to stay
 * cheap (and results are cached per expression and day). Runs before the window and after it are not
 * seen, so a schedule limited to past or future years shows the gap until it runs or after it stops.
 * ScheduleExpressionTimezone is not applied: a daylight-saving shift moves a run by at most an hour.
 */

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

type DomTerm =
  | { readonly kind: 'days'; readonly days: ReadonlySet<number> }
  | { readonly kind: 'last' }
  | { readonly kind: 'lastWeekday' }
  | { readonly kind: 'nearestWeekday'; readonly day: number };
type DowTerm =
  | { readonly kind: 'days'; readonly days: ReadonlySet<number> }
  | { readonly kind: 'lastOfMonth'; readonly dow: number }
  | { readonly kind: 'nth'; readonly dow: number; readonly n: number };
type DayRule =
  { readonly kind: 'every' } | { readonly kind: 'dom'; readonly terms: readonly DomTerm[] } | { readonly kind: 'dow'; readonly terms: readonly DowTerm[] };

export interface CronFields {
  /** Minutes past midnight at which a run day runs, ascending. */
  readonly timesOfDay: readonly number[];
  readonly months: ReadonlySet<number>;
  /** `null`: every year. */
  readonly years: ReadonlySet<number> | null;
  readonly day: DayRule;
}

export type Schedule =
  | { readonly kind: 'rate'; readonly expression: string; readonly everyMinutes: number }
  | { readonly kind: 'cron'; readonly expression: string; readonly fields: CronFields };

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };
const DAY_NAMES = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };

const MINUTES: FieldSpec = { name: 'minutes', min: 0, max: 59 };
const HOURS: FieldSpec = { name: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTH_NAMES };
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 1, max: 7, names: DAY_NAMES };
const YEAR: FieldSpec = { name: 'year', min: 1970, max: 2199 };

function value(text: string, spec: FieldSpec): number {
  const named = spec.names?.[text.toUpperCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new ScheduleError(`${spec.name} value ${JSON.stringify(text)} is not a number${spec.names ? ' or name' : ''}`);
  const number = Number(text);
  if (number < spec.min || number > spec.max) throw new ScheduleError(`${spec.name} value ${number} is outside ${spec.min}-${spec.max}`);
  return number;
}

/** One comma-separated term: `*`, `n`, `a-b`, `*\/s`, `a/s`, `a-b/s`; ranges may wrap (FRI-MON). */
function term(text: string, spec: FieldSpec, out: Set<number>): void {
  const [range = '', stepText, extra] = text.split('/');
  if (extra !== undefined) throw new ScheduleError(`${spec.name} term ${JSON.stringify(text)} has more than one /`);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) === 0)
      throw new ScheduleError(`${spec.name} increment ${JSON.stringify(stepText)} is not a positive number`);
    step = Number(stepText);
  }
  let start: number;
  let end: number;
  if (range === '*') {
    start = spec.min;
    end = spec.max;
  } else if (range.includes('-')) {
    const [from = '', to = '', more] = range.split('-');
    if (more !== undefined || from === '' || to === '') throw new ScheduleError(`${spec.name} range ${JSON.stringify(range)} is malformed`);
    start = value(from, spec);
    end = value(to, spec);
  } else {
    start = value(range, spec);
    end = stepText === undefined ? start : spec.max;
  }
  const span = spec.max - spec.min + 1;
  const count = end >= start ? end - start : end - start + span;
  for (let offset = 0; offset <= count; offset += step) out.add(((start - spec.min + offset) % span) + spec.min);
}

function list(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of terms(text, spec)) term(part, spec, out);
  return out;
}

function terms(text: string, spec: FieldSpec): string[] {
  const parts = text.split(',');
  if (parts.includes('')) throw new ScheduleError(`${spec.name} field ${JSON.stringify(text)} has an empty term`);
  return parts;
}

function dayOfMonthTerms(text: string): DomTerm[] {
  return terms(text, DAY_OF_MONTH).map((part): DomTerm => {
    const upper = part.toUpperCase();
    if (upper === 'L') return { kind: 'last' };
    if (upper === 'LW') return { kind: 'lastWeekday' };
    const nearest = /^(\d+)W$/.exec(upper);
    if (nearest) return { kind: 'nearestWeekday', day: value(nearest[1] ?? '', DAY_OF_MONTH) };
    if (/[LW#]/.test(upper)) throw new ScheduleError(`day-of-month term ${JSON.stringify(part)} is not supported (use L, LW or nW)`);
    const days = new Set<number>();
    term(part, DAY_OF_MONTH, days);
    return { kind: 'days', days };
  });
}

function dayOfWeekTerms(text: string): DowTerm[] {
  return terms(text, DAY_OF_WEEK).map((part): DowTerm => {
    const upper = part.toUpperCase();
    // A lone L is the last day of the week (Saturday).
    if (upper === 'L') return { kind: 'days', days: new Set([7]) };
    const last = /^(\w+)L$/.exec(upper);
    if (last && !(upper in DAY_NAMES)) return { kind: 'lastOfMonth', dow: value(last[1] ?? '', DAY_OF_WEEK) };
    const nth = /^(\w+)#(\d+)$/.exec(upper);
    if (nth) {
      const n = Number(nth[2]);
      if (n < 1 || n > 5) throw new ScheduleError(`day-of-week term ${JSON.stringify(part)}: the week number must be 1-5`);
      return { kind: 'nth', dow: value(nth[1] ?? '', DAY_OF_WEEK), n };
    }
    if (/[L#W]/.test(upper.replace(/[A-Z]{3}/g, ''))) throw new ScheduleError(`day-of-week term ${JSON.stringify(part)} is not supported`);
    const days = new Set<number>();
    term(part, DAY_OF_WEEK, days);
    return { kind: 'days', days };
  });
}

function dayRule(dom: string, dow: string): DayRule {
  const domAny = dom === '?' || dom === '*';
  const dowAny = dow === '?' || dow === '*';
  if (dom === '?' && dow === '?') throw new ScheduleError('day-of-month and day-of-week cannot both be ?');
  if (!domAny && !dowAny) throw new ScheduleError('day-of-month and day-of-week cannot both be set; one of them must be ?');
  if (!domAny) return { kind: 'dom', terms: dayOfMonthTerms(dom) };
  if (!dowAny) return { kind: 'dow', terms: dayOfWeekTerms(dow) };
  return { kind: 'every' };
}

function parseCron(body: string): CronFields {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new ScheduleError(`cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`);
  const [minutes = '', hours = '', dom = '', month = '', dow = '', year = ''] = parts;
  const minuteSet = [...list(minutes, MINUTES)];
  const hourSet = [...list(hours, HOURS)];
  const timesOfDay = hourSet.flatMap((h) => minuteSet.map((m) => h * 60 + m)).sort((a, b) => a - b);
  return {
    timesOfDay,
    months: list(month, MONTH),
    years: year === '*' || year === '?' ? null : list(year, YEAR),
    day: dayRule(dom, dow),
  };
}

const RATE_UNITS: Readonly<Record<string, number>> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };

export function parseSchedule(expression: string): Schedule {
  const match = /^\s*(cron|rate)\s*\((.*)\)\s*$/is.exec(expression);
  if (match === null) throw new ScheduleError('not a cron(...) or rate(...) expression');
  const kind = (match[1] ?? '').toLowerCase();
  const body = match[2] ?? '';
  if (kind === 'rate') {
    const rate = /^\s*(\d+)\s+([a-z]+)\s*$/i.exec(body);
    const unit = RATE_UNITS[(rate?.[2] ?? '').toLowerCase()];
    if (rate === null || unit === undefined) throw new ScheduleError('rate needs a whole number and a unit (minutes, hours or days)');
    const amount = Number(rate[1]);
    if (amount < 1) throw new ScheduleError('rate must be at least 1');
    return { kind: 'rate', expression, everyMinutes: amount * unit };
  }
  return { kind: 'cron', expression, fields: parseCron(body) };
}

const MINUTES_PER_DAY = 1440;
const DAY_MS = 86_400_000;
export const WINDOW_DAYS = 8 * 365 + 2;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday, as EventBridge numbers them. */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function nearestWeekday(year: number, month: number, target: number): number {
  const last = daysInMonth(year, month);
  const day = Math.min(target, last);
  const dow = weekday(year, month, day);
  if (dow === 7) return day > 1 ? day - 1 : day + 2;
  if (dow === 1) return day < last ? day + 1 : day - 2;
  return day;
}

function lastWeekday(year: number, month: number): number {
  let day = daysInMonth(year, month);
  while (weekday(year, month, day) === 1 || weekday(year, month, day) === 7) day--;
  return day;
}

function runsOn(fields: CronFields, date: Date): boolean {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  if (fields.years !== null && !fields.years.has(year)) return false;
  if (!fields.months.has(month)) return false;
  const day = date.getUTCDate();
  const rule = fields.day;
  if (rule.kind === 'every') return true;
  const last = daysInMonth(year, month);
  if (rule.kind === 'dom') {
    return rule.terms.some((t) => {
      switch (t.kind) {
        case 'days':
          return t.days.has(day);
        case 'last':
          return day === last;
        case 'lastWeekday':
          return day === lastWeekday(year, month);
        case 'nearestWeekday':
          return day === nearestWeekday(year, month, t.day);
      }
    });
  }
  const dow = date.getUTCDay() + 1;
  return rule.terms.some((t) => {
    switch (t.kind) {
      case 'days':
        return t.days.has(dow);
      case 'lastOfMonth':
        return dow === t.dow && day + 7 > last;
      case 'nth':
        return dow === t.dow && Math.ceil(day / 7) === t.n;
    }
  });
}

const gapCache = new Map<string, number>();

/**
 * The largest gap, in minutes, between consecutive runs in the window that starts on the UTC day of
 * `from`, counting the stretch before the first run and after the last one. `Infinity` when the
 * schedule never runs in the window.
 */
export function maxGapMinutes(schedule: Schedule, from: Date): number {
  if (schedule.kind === 'rate') return schedule.everyMinutes;
  const startDay = Math.floor(from.getTime() / DAY_MS);
  const key = `${startDay}\u0000${schedule.expression}`;
  const cached = gapCache.get(key);
  if (cached !== undefined) return cached;
  const { timesOfDay } = schedule.fields;
  const first = timesOfDay[0];
  const lastTime = timesOfDay[timesOfDay.length - 1];
  let gap = Infinity;
  if (first !== undefined && lastTime !== undefined) {
    let withinDay = 0;
    for (let i = 1; i < timesOfDay.length; i++) withinDay = Math.max(withinDay, (timesOfDay[i] ?? 0) - (timesOfDay[i - 1] ?? 0));
    let previous: number | undefined;
    let largest = 0;
    for (let offset = 0; offset < WINDOW_DAYS; offset++) {
      if (!runsOn(schedule.fields, new Date((startDay + offset) * DAY_MS))) continue;
      largest = Math.max(
        largest,
        previous === undefined ? offset * MINUTES_PER_DAY + first : (offset - previous) * MINUTES_PER_DAY + first - lastTime,
        withinDay,
      );
      previous = offset;
    }
    if (previous !== undefined) gap = Math.max(largest, WINDOW_DAYS * MINUTES_PER_DAY - (previous * MINUTES_PER_DAY + lastTime));
  }
  if (gapCache.size > 1_000) gapCache.clear();
  gapCache.set(key, gap);
  return gap;
}

/** "24 hours", "7 days", "90 minutes": the gap as an annotation says it. */
export function describeMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return 'never';
  if (minutes % MINUTES_PER_DAY === 0 && minutes >= 2 * MINUTES_PER_DAY) return `${minutes / MINUTES_PER_DAY} days`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minutes`;
}
