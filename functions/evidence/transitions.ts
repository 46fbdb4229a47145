/**
 * The evidence archive's record of compliance transitions: one JSON object per line (JSON Lines),
 * one S3 object per notifier batch and day, under
 * `transitions/year=YYYY/month=MM/day=DD/<first recordedAt>-<digest>.jsonl` (Hive-style partitions, so
 * Athena can project them). The day is the day (UTC) AWS Config recorded the result, so a month's
 * records are all under its month, however late they were delivered.
 *
 * The key is derived from the records' event ids: a batch retried with the same records writes the same
 * key again (a new version of the same object, which Object Lock keeps too), never a second object. A
 * retry with a different mix of records does write some twice, so readers drop duplicates by `eventId`
 * (the EventBridge event id, unique per compliance change).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { CatalogEntry } from '../../rules/catalog.js';
import type { SkippedItem } from '../../rules/inventory.js';
import type { Compliance, Severity } from '../../rules/types.js';
import type { RuleTransition } from '../alerts/compliance-change.js';

export const TRANSITIONS_PREFIX = 'transitions/';
export const REPORTS_PREFIX = 'reports/';
export const TRANSITION_SCHEMA_VERSION = 1;

/** One compliance transition as kept for auditors: ids, settings and verdicts, never configuration contents. */
export interface TransitionRecord {
  readonly schemaVersion: typeof TRANSITION_SCHEMA_VERSION;
  /** The EventBridge event id: the identity readers deduplicate by. */
  readonly eventId: string;
  readonly ruleId: string;
  readonly configRuleName: string;
  /** The rule's severity. */
  readonly severity: Severity;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId: string;
  readonly region: string;
  /** Null on the resource's first evaluation under the rule. */
  readonly oldCompliance: Compliance | null;
  readonly newCompliance: Compliance;
  /** When AWS Config recorded the new result. */
  readonly recordedAt: string;
  /** The configuration capture time or periodic run the result is about. */
  readonly orderingTimestamp: string;
  /** The rule's annotation: the setting that decided (and an exemption's reason, as the tag gives it). */
  readonly annotation?: string;
}

export function toTransitionRecord(transition: RuleTransition, entry: CatalogEntry): TransitionRecord {
  if (transition.ruleId !== entry.id) throw new Error(`transition of rule ${transition.ruleId} given with catalog entry ${entry.id}`);
  return {
    schemaVersion: TRANSITION_SCHEMA_VERSION,
    eventId: transition.eventId,
    ruleId: entry.id,
    configRuleName: transition.configRuleName,
    severity: entry.severity,
    resourceType: transition.resourceType,
    resourceId: transition.resourceId,
    accountId: transition.accountId,
    region: transition.region,
    oldCompliance: transition.oldCompliance ?? null,
    newCompliance: transition.newCompliance,
    recordedAt: new Date(transition.recordedAt).toISOString(),
    orderingTimestamp: transition.orderingTimestamp,
    ...(transition.annotation !== undefined && { annotation: transition.annotation }),
  };
}

/** `YYYY-MM` of a month. */
export type Month = `${number}-${number}`;

/** `transitions/year=YYYY/month=MM/`: every record AWS Config recorded in that month (UTC). */
export function monthPrefix(month: Month): string {
  const [year, mm] = month.split('-');
  return `${TRANSITIONS_PREFIX}year=${year}/month=${mm}/`;
}

function dayPrefix(iso: string): string {
  const [year, month, day] = iso.slice(0, 10).split('-');
  return `${TRANSITIONS_PREFIX}year=${year}/month=${month}/day=${day}/`;
}

/** Where records of one day go: the first recording time (for people listing a day) and a digest of the event ids. */
export function transitionsKey(records: readonly TransitionRecord[]): string {
  const first = records.reduce((min, r) => (r.recordedAt < min ? r.recordedAt : min), records[0]?.recordedAt ?? '');
  if (first === '') throw new Error('no records to name an object for');
  const digest = createHash('sha256')
    .update([...new Set(records.map((r) => r.eventId))].sort().join('\n'))
    .digest('hex')
    .slice(0, 32);
  return `${dayPrefix(first)}${first.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${digest}.jsonl`;
}

export function toJsonLines(records: readonly TransitionRecord[]): string {
  return records.map((record) => JSON.stringify(record)).join('\n') + '\n';
}

/** The records of one batch grouped by the day they were recorded: one object each. */
export function byDay(records: readonly TransitionRecord[]): Map<string, number[]> {
  const days = new Map<string, number[]>();
  records.forEach((record, index) => {
    const day = record.recordedAt.slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), index]);
  });
  return days;
}

const compliance = z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA']);
const text = z.string().check(z.minLength(1));
const timestamp = z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an ISO-8601 timestamp' }));
const recordSchema = z.object({
  schemaVersion: z.literal(TRANSITION_SCHEMA_VERSION),
  eventId: text,
  ruleId: text,
  configRuleName: text,
  severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']),
  resourceType: text,
  resourceId: text,
  accountId: z.string().check(z.regex(/^\d{12}$/)),
  region: text,
  oldCompliance: z.nullable(compliance),
  newCompliance: compliance,
  recordedAt: timestamp,
  orderingTimestamp: timestamp,
  annotation: z.optional(z.string()),
});

/**
 * The records of one archived object. A line that is not a record is reported (object key and line
 * number, what is wrong, never its content) and left out; the others are kept.
 */
export function parseJsonLines(body: string, source: string): { records: TransitionRecord[]; problems: SkippedItem[] } {
  const records: TransitionRecord[] = [];
  const problems: SkippedItem[] = [];
  body.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const location = `line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ source, location, reason: 'not JSON' });
      return;
    }
    const parsed = recordSchema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else
      problems.push({
        source,
        location,
        reason: `not a transition record: ${parsed.error.issues
          .slice(0, 3)
          .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
          .join('; ')}`,
      });
  });
  return { records, problems };
}
