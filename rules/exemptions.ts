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
      return { compliance: 'NOT_APPLICABLE', annotation: `Exempt (${tagKey}${exemption.until ? ` until ${exemption.until}` : ''}): ${exemption.reason}`, exemption };
    case 'expired':
      return { compliance: verdict.compliance, annotation: `Exemption expired on ${exemption.until}, ignored. ${verdict.annotation}`, exemption };
    case 'malformed':
      return { compliance: verdict.compliance, annotation: `Exemption tag ${tagKey} ignored: ${exemption.problem}. ${verdict.annotation}`, exemption };
  }
}
