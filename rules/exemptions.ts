/**
 * Exemptions: a resource tagged `compliance:exempt` (the key is a setting) with a reason and an
 * optional expiry (`until=YYYY-MM-DD`) is NOT_APPLICABLE with that reason until the expiry day ends
 * (UTC). An expired or malformed exemption is ignored, and the annotation says so, so nobody mistakes
 * a lapsed waiver for a pass. The outcome travels on the evaluation too: the evidence report lists
 * every exemption in force and every one that was ignored.
 */
import type { ConfigurationItem } from './inventory.js';
import type { Verdict } from './types.js';

export const DEFAULT_EXEMPTION_TAG_KEY = 'compliance:exempt';

export type Exemption =
  | { readonly state: 'active'; readonly reason: string; readonly until?: string }
  | { readonly state: 'expired'; readonly reason: string; readonly until: string }
  /** The reason is kept when there is one (a bad `until=`), so the register can say whose waiver lapsed. */
  | { readonly state: 'malformed'; readonly problem: string; readonly reason?: string };

/** A verdict after the exemption tag was read: `exemption` is set whenever the resource carries the tag. */
export interface ExemptedVerdict extends Verdict {
  readonly exemption?: Exemption;
}

const UNTIL = /(?:^|\s)until=(\S*)/i;

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

export function parseExemption(value: string, now: Date): Exemption {
  const match = UNTIL.exec(value);
  const reason = value.replace(UNTIL, ' ').replace(/\s+/g, ' ').trim();
  if (reason === '') return { state: 'malformed', problem: 'the tag gives no reason' };
  if (match === null) return { state: 'active', reason };
  const until = match[1] ?? '';
  if (!isCalendarDate(until)) return { state: 'malformed', problem: `until=${until} is not a date (YYYY-MM-DD)`, reason };
  const endOfDay = Date.parse(`${until}T23:59:59.999Z`);
  return now.getTime() <= endOfDay ? { state: 'active', reason, until } : { state: 'expired', reason, until };
}

export function applyExemption(item: ConfigurationItem, verdict: Verdict, tagKey: string, now: Date): ExemptedVerdict {
  const value = item.tags[tagKey];
  if (value === undefined) return verdict;
  const exemption = parseExemption(value, now);
  switch (exemption.state) {
    case 'active':
      return {
        compliance: 'NOT_APPLICABLE',
        annotation: `Exempt (${tagKey}${exemption.until ? ` until ${exemption.until}` : ''}): ${exemption.reason}`,
        exemption,
      };
    case 'expired':
      return { compliance: verdict.compliance, annotation: `Exemption expired on ${exemption.until}, ignored. ${verdict.annotation}`, exemption };
    case 'malformed':
      return { compliance: verdict.compliance, annotation: `Exemption tag ${tagKey} ignored: ${exemption.problem}. ${verdict.annotation}`, exemption };
  }
}

/** What AWS Config keeps of an expired exemption: the annotation names its end date, not its reason. */
export const REASON_NOT_RECORDED = '(reason not kept in the AWS Config result; see the resource tag)';

/**
 * The exemption an annotation written by applyExemption reports, read back: AWS Config keeps a result's
 * annotation (at most 256 characters, so a long reason may end cut), not the tag it came from.
 * Undefined for an annotation that reports no exemption.
 */
export function exemptionFromAnnotation(annotation: string): Exemption | undefined {
  const active = /^Exempt \([^)]*?(?: until (\d{4}-\d{2}-\d{2}))?\): (.+)$/s.exec(annotation);
  if (active !== null) return { state: 'active', reason: active[2] ?? '', ...(active[1] !== undefined && { until: active[1] }) };
  const expired = /^Exemption expired on (\d{4}-\d{2}-\d{2}), ignored\. /.exec(annotation);
  if (expired !== null) return { state: 'expired', reason: REASON_NOT_RECORDED, until: expired[1] ?? '' };
  const malformed = /^Exemption tag .+? ignored: (.+?)\. /s.exec(annotation);
  if (malformed !== null) return { state: 'malformed', problem: malformed[1] ?? '' };
  return undefined;
}
