import { getRule } from '../../rules/catalog.js';
import { evaluateItem } from '../../rules/engine.js';
import type { ConfigurationItem } from '../../rules/inventory.js';
import { parseParameters } from '../../rules/params.js';
import type { Evaluation } from '../../rules/types.js';

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
