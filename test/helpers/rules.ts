import { getRule } from '../../rules/catalog.js';
import { evaluateItem, runRule } from '../../rules/engine.js';
import type { ConfigurationItem } from '../../rules/inventory.js';
import { parseParameters } from '../../rules/params.js';
import { buildInventory, type Evaluation, type InventoryExtras } from '../../rules/types.js';

export const NOW = new Date('2026-11-28T12:00:00Z');

export interface ItemCase {
  readonly name: string;
  readonly item: () => ConfigurationItem;
  readonly params?: Record<string, unknown>;
  readonly compliance: Evaluation['compliance'];
  /** A fragment the annotation must contain: the setting that decided. */
  readonly annotation: RegExp;
}

/** Runs an item rule through the engine exactly as the CLI and the Lambda do. */
export function evaluate(ruleId: string, item: ConfigurationItem, params: Record<string, unknown> = {}): Evaluation {
  const rule = getRule(ruleId);
  return evaluateItem(rule, item, parseParameters(rule.id, rule.parameters, params), { now: NOW });
}

export function runItemCases(ruleId: string, cases: readonly ItemCase[]): void {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = evaluate(ruleId, c.item(), c.params);
    expect(result.compliance).toBe(c.compliance);
    expect(result.annotation).toMatch(c.annotation);
    expect(result.annotation.length).toBeGreaterThan(0);
    expect(result.annotation.length).toBeLessThanOrEqual(256);
    expect(result.ruleId).toBe(ruleId);
  });
}

export function expectBadParameter(ruleId: string, params: Record<string, unknown>, message: RegExp): void {
  const rule = getRule(ruleId);
  expect(() => parseParameters(rule.id, rule.parameters, params)).toThrow(message);
}

/** Runs an inventory-wide rule over items (and reports, selections) through the engine, as the CLI and the periodic Lambda do. */
export function runInventoryRule(
  ruleId: string,
  items: readonly ConfigurationItem[],
  options: { params?: Record<string, unknown>; extras?: InventoryExtras; exemptionTagKey?: string; now?: Date } = {},
): Evaluation[] {
  const rule = getRule(ruleId);
  return runRule(rule, buildInventory(items, options.extras), parseParameters(rule.id, rule.parameters, options.params ?? {}), {
    now: options.now ?? NOW,
    ...(options.exemptionTagKey !== undefined && { exemptionTagKey: options.exemptionTagKey }),
  });
}

/** The one evaluation of a resource; fails the test when there is none or several. */
export function evaluationOf(evaluations: readonly Evaluation[], resourceId: string): Evaluation {
  const found = evaluations.filter((e) => e.resourceId === resourceId);
  if (found.length !== 1) throw new Error(`expected one evaluation of ${resourceId}, got ${found.length}: ${evaluations.map((e) => e.resourceId).join(', ')}`);
  return found[0] as Evaluation;
}

/** Every annotation a rule produces must be one sentence Config accepts. */
export function expectValidAnnotations(evaluations: readonly Evaluation[]): void {
  for (const e of evaluations) {
    expect(e.annotation.length).toBeGreaterThan(0);
    expect(e.annotation.length).toBeLessThanOrEqual(256);
  }
}
