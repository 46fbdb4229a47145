/**
 * Per-account rule parameters. An organization Config rule has one set of input parameters for every
 * account, so the evaluators merge the account's overrides (settings `organization.accountOverrides`,
 * passed as the ACCOUNT_OVERRIDES JSON) over them when the event's account matches.
 */
import * as z from 'zod/mini';
import { getRule } from '../../rules/catalog.js';
import { parseParameters } from '../../rules/params.js';

export type AccountOverrides = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;

const schema = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown())));

/** Validates the JSON at cold start: every account id, rule id, parameter name and value (on its own). */
export function parseAccountOverrides(text: string | undefined): AccountOverrides {
  if (text === undefined || text.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`ACCOUNT_OVERRIDES is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`ACCOUNT_OVERRIDES: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
  for (const [account, perRule] of Object.entries(parsed.data)) {
    if (!/^\d{12}$/.test(account)) throw new Error(`ACCOUNT_OVERRIDES: key ${JSON.stringify(account)} is not a 12-digit account id`);
    for (const [ruleId, values] of Object.entries(perRule)) {
      try {
        const entry = getRule(ruleId);
        parseParameters(entry.id, entry.parameters, values);
      } catch (error) {
        throw new Error(`ACCOUNT_OVERRIDES.${account}.${ruleId}: ${(error as Error).message}`);
      }
    }
  }
  return parsed.data;
}

/** The rule's parameters for this account: the Config input parameters with the account's overrides on top. */
export function applyAccountOverrides(
  ruleParameters: Readonly<Record<string, unknown>>,
  accountId: string,
  overrides: AccountOverrides | undefined,
): Readonly<Record<string, unknown>> {
  const ruleId = ruleParameters.ruleId;
  if (overrides === undefined || typeof ruleId !== 'string') return ruleParameters;
  const mine = overrides[accountId]?.[ruleId];
  return mine === undefined ? ruleParameters : { ...ruleParameters, ...mine, ruleId };
}
