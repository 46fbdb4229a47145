/**
 * The rule catalog: every rule definition, with its HIPAA mapping. The CLI, the Lambdas and the CDK
 * stack all loop over it. Rules are listed in rules/index.generated.ts, which `npm run docs` writes
 * from the rule files under rules/<area>/ (static imports, so esbuild bundles them into the Lambdas;
 * a test fails when the list is stale): adding a rule is adding its file and its test.
 */
import { RULES } from './index.generated.js';
import { offlineItemTypes } from './inputs.js';
import type { ParamSpecs } from './params.js';
import { RESOURCE_TYPES, type ResourceType } from './resource-types.js';
import type { Rule } from './types.js';

/** The id of a rule of the catalog: a union of literal ids, so a misspelled id fails tsc. */
export type RuleId = (typeof RULES)[number]['id'];

export type CatalogEntry<S extends ParamSpecs = ParamSpecs> = Rule<S> & { readonly id: RuleId };

// Each rule is typed with its own parameters; the catalog holds them under the common shape.
export const CATALOG: readonly CatalogEntry[] = RULES as unknown as readonly CatalogEntry[];

export const RULE_IDS: readonly RuleId[] = CATALOG.map((entry) => entry.id);

export class UnknownRuleError extends Error {
  constructor(readonly ruleId: string) {
    super(`unknown rule id ${JSON.stringify(ruleId)}; known rules: ${RULE_IDS.join(', ')}`);
    this.name = 'UnknownRuleError';
  }
}

const BY_ID = new Map<string, CatalogEntry>(CATALOG.map((entry) => [entry.id, entry]));

export function getRule(id: string): CatalogEntry {
  const entry = BY_ID.get(id);
  if (entry === undefined) throw new UnknownRuleError(id);
  return entry;
}

/**
 * The configuration item types a rule reports on and reads, as AWS Config records them (the account
 * pseudo-type is left out): what the periodic evaluator selects and the recorder must record.
 */
export function recordedTypes(rule: Pick<Rule, 'resourceTypes' | 'reads'>): ResourceType[] {
  return [...new Set([...rule.resourceTypes, ...(rule.reads ?? [])])].filter((type) => RESOURCE_TYPES[type].recordedByConfig);
}

/**
 * The configuration item types the offline scan gives a rule: those it reads live, and those that
 * stand in for a live API out of reach offline (a trail's item for DescribeTrails). The export must
 * hold all of them; the deployed monitor's recorder needs only recordedTypes.
 */
export function offlineTypes(rule: Pick<Rule, 'resourceTypes' | 'reads' | 'needs'>): ResourceType[] {
  return [...new Set([...recordedTypes(rule), ...offlineItemTypes(rule)])];
}
