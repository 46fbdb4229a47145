/**
 * The one generic evaluator: type guard, deleted resources, exemptions, error capture and
 * annotation limits happen here once, so each rule is only its decision.
 */
import type { CatalogEntry } from './catalog.js';
import { applyExemption, DEFAULT_EXEMPTION_TAG_KEY, type Exemption, type ExemptedVerdict } from './exemptions.js';
import { isGone, type ConfigurationItem } from './inventory.js';
import { parseParameters, type ParamSpecs, type ParamValues } from './params.js';
import type { ActiveItem, Evaluation, Inventory, ResourceVerdict, RuleContext, Verdict } from './types.js';
import { goneAnnotation, missingConfigurationReason, onItem } from './verdicts.js';

export const MAX_ANNOTATION = 256;
const TRUNCATED = ' [truncated]';

/** Config accepts 1–256 characters; longer text keeps its start and says it was cut. */
const UNTIDY = /\s\s|[\t\n\r\f\v]|^\s|\s$/;

export function clampAnnotation(text: string): string {
  const single = UNTIDY.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
  if (single.length <= MAX_ANNOTATION) return single;
  return single.slice(0, MAX_ANNOTATION - TRUNCATED.length) + TRUNCATED;
}

export interface EngineOptions {
  readonly now: Date;
  /** Tag that exempts a resource (value: reason, optionally `until=YYYY-MM-DD`). */
  readonly exemptionTagKey?: string;
}

export type RawParameters = Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;

/** Validates every rule's parameters up front: a bad one stops the run naming rule, parameter and value. */
export function parseAllParameters(entries: readonly CatalogEntry[], raw: RawParameters | undefined): Map<string, ParamValues<ParamSpecs>> {
  const parsed = new Map<string, ParamValues<ParamSpecs>>();
  for (const entry of entries) parsed.set(entry.id, parseParameters(entry.id, entry.parameters, raw?.[entry.id]));
  return parsed;
}

function toEvaluation(entry: CatalogEntry, verdict: ResourceVerdict, orderingTimestamp: string, error = false, exemption?: Exemption): Evaluation {
  // Built by assignment: this runs once per evaluation over snapshots of 100k items.
  const evaluation: { -readonly [K in keyof Evaluation]: Evaluation[K] } = {
    ruleId: entry.id,
    resourceType: verdict.resourceType,
    resourceId: verdict.resourceId,
    accountId: verdict.accountId,
    region: verdict.region,
    compliance: error ? 'INSUFFICIENT_DATA' : verdict.compliance,
    annotation: clampAnnotation(verdict.annotation),
    severity: entry.severity,
    hipaa: entry.hipaa,
    orderingTimestamp,
  };
  const resourceName = verdict.item?.resourceName;
  if (resourceName !== undefined) evaluation.resourceName = resourceName;
  if (error) evaluation.error = true;
  if (exemption !== undefined) evaluation.exemption = exemption;
  return evaluation;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Evaluates one configuration item with one rule, as a change-triggered Config rule does. Other
 * resource types, deleted and unrecorded resources are NOT_APPLICABLE; an existing resource whose item
 * has no configuration, and a rule that throws, yield an error evaluation (INSUFFICIENT_DATA,
 * `error: true`), never COMPLIANT or NOT_APPLICABLE.
 */
export function evaluateItem<S extends ParamSpecs>(
  entry: CatalogEntry<S>,
  item: ConfigurationItem,
  params: ParamValues<S>,
  options: EngineOptions,
): Evaluation {
  const context: RuleContext = { now: options.now };
  const generic = entry as unknown as CatalogEntry;
  if (entry.kind !== 'item' || !(entry.resourceTypes as readonly string[]).includes(item.resourceType)) {
    return toEvaluation(
      generic,
      onItem(item, { compliance: 'NOT_APPLICABLE', annotation: `Rule ${entry.id} does not evaluate ${item.resourceType}.` }),
      item.captureTime,
    );
  }
  if (isGone(item)) return toEvaluation(generic, onItem(item, { compliance: 'NOT_APPLICABLE', annotation: goneAnnotation(item) }), item.captureTime);
  if (item.configuration === null)
    return toEvaluation(generic, onItem(item, { compliance: 'NON_COMPLIANT', annotation: missingConfigurationReason(item) }), item.captureTime, true);
  let verdict: Verdict;
  try {
    verdict = entry.evaluate(item as ActiveItem, params, context);
  } catch (error) {
    return toEvaluation(
      generic,
      onItem(item, { compliance: 'NON_COMPLIANT', annotation: `Could not evaluate: ${errorMessage(error)}.` }),
      item.captureTime,
      true,
    );
  }
  const exempted = applyExemption(item, verdict, options.exemptionTagKey ?? DEFAULT_EXEMPTION_TAG_KEY, options.now);
  return toEvaluation(generic, onItem(item, exempted), item.captureTime, false, exempted.exemption);
}

/** Runs one rule over an inventory: item rules over each item of their types, inventory rules once. */
export function runRule(entry: CatalogEntry, inventory: Inventory, params: ParamValues<ParamSpecs>, options: EngineOptions): Evaluation[] {
  if (entry.kind === 'item') {
    const out: Evaluation[] = [];
    for (const type of entry.resourceTypes) for (const item of inventory.ofType(type)) out.push(evaluateItem(entry, item, params, options));
    return out;
  }
  const evaluatedAt = options.now.toISOString();
  let verdicts: ResourceVerdict[];
  try {
    verdicts = entry.evaluate(inventory, params, { now: options.now });
  } catch (error) {
    throw new Error(`rule ${entry.id} failed: ${errorMessage(error)}`, { cause: error });
  }
  return verdicts.map((verdict) => {
    if (verdict.error) return toEvaluation(entry, verdict, verdict.orderingTimestamp ?? evaluatedAt, true);
    const applied: ExemptedVerdict = verdict.item
      ? applyExemption(verdict.item, verdict, options.exemptionTagKey ?? DEFAULT_EXEMPTION_TAG_KEY, options.now)
      : verdict;
    // Most resources carry no exemption tag: applyExemption then returns the verdict itself.
    const exempted = applied === verdict ? verdict : { ...verdict, ...applied };
    return toEvaluation(entry, exempted, verdict.orderingTimestamp ?? evaluatedAt, false, applied.exemption);
  });
}

export function runRules(
  entries: readonly CatalogEntry[],
  inventory: Inventory,
  params: Map<string, ParamValues<ParamSpecs>>,
  options: EngineOptions,
): Evaluation[] {
  const out: Evaluation[] = [];
  for (const entry of entries) {
    const values = params.get(entry.id) ?? parseParameters(entry.id, entry.parameters, undefined);
    for (const evaluation of runRule(entry, inventory, values, options)) out.push(evaluation);
  }
  return out;
}
