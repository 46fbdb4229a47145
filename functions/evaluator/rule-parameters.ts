/** A Config rule's input parameters: `ruleId` picks the catalog rule, the rest are that rule's own. */
import { getRule, type CatalogEntry } from '../../rules/catalog.js';
import { parseParameters, type ParamSpecs, type ParamValues } from '../../rules/params.js';

export interface ResolvedRule {
  readonly entry: CatalogEntry;
  readonly params: ParamValues<ParamSpecs>;
}

/** Throws naming the parameter and value: Config shows the message as the rule's last error. */
export function resolveRule(ruleParameters: Readonly<Record<string, unknown>>): ResolvedRule {
  const { ruleId, ...own } = ruleParameters;
  if (typeof ruleId !== 'string' || ruleId === '') {
    throw new Error(
      `rule input parameter ruleId is ${ruleId === undefined ? 'missing' : `invalid (${JSON.stringify(ruleId)})`}; it names the catalog rule to run`,
    );
  }
  const entry = getRule(ruleId);
  return { entry, params: parseParameters(entry.id, entry.parameters, own) };
}
