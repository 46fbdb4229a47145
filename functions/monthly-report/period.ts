/**
 * Which month a run reports. The schedule's event carries its time: the report covers the calendar
 * month (UTC) before it. Run by hand, `{"month": "YYYY-MM"}` picks the month (not a future one).
 */
import * as z from 'zod/mini';
import type { Month } from '../evidence/transitions.js';

export interface ReportPeriod {
  readonly month: Month;
  /** First instant of the month, UTC. */
  readonly from: Date;
  /** First instant of the next month: the period is [from, to). */
  readonly to: Date;
}

export class ReportRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportRequestError';
  }
}

function monthOf(year: number, monthIndex: number): Month {
  const date = new Date(Date.UTC(year, monthIndex, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}` as Month;
}

export function periodOf(month: Month): ReportPeriod {
  const [year, mm] = month.split('-').map(Number);
  if (year === undefined || mm === undefined) throw new ReportRequestError(`not a month: ${month}`);
  return { month, from: new Date(Date.UTC(year, mm - 1, 1)), to: new Date(Date.UTC(year, mm, 1)) };
}

/** The month before the one `date` falls in (UTC). */
export function previousMonth(date: Date): Month {
  return monthOf(date.getUTCFullYear(), date.getUTCMonth() - 1);
}

/** `count` months ending with `month`, oldest first. */
export function monthsUpTo(month: Month, count: number): Month[] {
  const { from } = periodOf(month);
  return Array.from({ length: count }, (_, i) => monthOf(from.getUTCFullYear(), from.getUTCMonth() - (count - 1 - i)));
}

const requestSchema = z.object({
  month: z.optional(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM, e.g. 2026-10'))),
  time: z.optional(z.string().check(z.refine((text) => !Number.isNaN(Date.parse(text)), { message: 'expected an ISO-8601 timestamp' }))),
});

/** The month to report for an invocation: `month` if given, else the month before the event's `time` (or now). */
export function requestedPeriod(event: unknown, now: Date): ReportPeriod {
  const parsed = requestSchema.safeParse(event ?? {});
  if (!parsed.success)
    throw new ReportRequestError(
      `monthly report request: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`).join('; ')}`,
    );
  const { month, time } = parsed.data;
  if (month === undefined) return periodOf(previousMonth(time === undefined ? now : new Date(time)));
  const period = periodOf(month as Month);
  if (period.from.getTime() > now.getTime()) throw new ReportRequestError(`monthly report request: month ${month} has not begun`);
  return period;
}
