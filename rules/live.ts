/**
 * Account-level verdicts of the rules that read a live API (CloudTrail, GuardDuty): the deployed
 * monitor hands them the API's answer in `accountSettings`; offline they fall back on configuration
 * items, which record less and so often cannot decide. Shared words and plumbing live here.
 */
import { field } from './fields.js';
import type { ConfigurationItem } from './inventory.js';
import type { AccountSettings, Inventory, ResourceVerdict, Verdict } from './types.js';

/** The prefix of every offline verdict the exported files cannot decide. */
export const OFFLINE_UNKNOWN = 'Could not be evaluated from the exported files';

/** A verdict on the account itself, or an error verdict (the data cannot decide) with its reason. */
export type AccountVerdict = Verdict | { readonly error: string };

export function onAccount(accountId: string, region: string, verdict: AccountVerdict): ResourceVerdict {
  const where = { resourceType: 'AWS::::Account', resourceId: accountId, accountId, region };
  return 'error' in verdict
    ? { ...where, compliance: 'NON_COMPLIANT', annotation: verdict.error, error: true }
    : { ...where, compliance: verdict.compliance, annotation: verdict.annotation };
}

/** A flag AWS returns as a boolean (the API) or as "true"/"false" (some exports); undefined when absent. */
export function flag(object: unknown, name: string): boolean | undefined {
  const value = field(object, name);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

/** The live readings of one input, per account and Region, in the order the inventory holds them. */
export function liveReadings<K extends keyof AccountSettings>(
  inventory: Inventory,
  key: K,
): { settings: AccountSettings; value: NonNullable<AccountSettings[K]> }[] {
  const out: { settings: AccountSettings; value: NonNullable<AccountSettings[K]> }[] = [];
  for (const settings of inventory.accountSettings) {
    const value = settings[key];
    if (value !== undefined && value !== null) out.push({ settings, value: value as NonNullable<AccountSettings[K]> });
  }
  return out;
}

/** Places per item list: three rules ask for the same inventory's, over up to 100k items. */
const placesCache = new WeakMap<readonly ConfigurationItem[], { accounts: string[]; regions: { accountId: string; region: string }[] }>();

/**
 * Every account, and every Region of it, that the configuration items show, in the order first seen:
 * offline, where no live reading exists, these are the places a rule owes a verdict on. Global items
 * (IAM, awsRegion "global") name the account but no Region.
 */
export function placesOf(items: readonly ConfigurationItem[]): { accounts: string[]; regions: { accountId: string; region: string }[] } {
  const cached = placesCache.get(items);
  if (cached !== undefined) return cached;
  const byAccount = new Map<string, Set<string>>();
  const regions: { accountId: string; region: string }[] = [];
  // Items of one account and Region usually come together: compare with the last one before any lookup.
  let lastAccount: string | undefined;
  let lastRegion: string | undefined;
  for (const item of items) {
    if (item.accountId === lastAccount && item.awsRegion === lastRegion) continue;
    lastAccount = item.accountId;
    lastRegion = item.awsRegion;
    let seen = byAccount.get(item.accountId);
    if (seen === undefined) byAccount.set(item.accountId, (seen = new Set()));
    if (item.awsRegion === 'global' || seen.has(item.awsRegion)) continue;
    seen.add(item.awsRegion);
    regions.push({ accountId: item.accountId, region: item.awsRegion });
  }
  const places = { accounts: [...byAccount.keys()], regions };
  placesCache.set(items, places);
  return places;
}
