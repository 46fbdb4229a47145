/**
 * How a catalog entry becomes a Config rule, as plain data: which evaluator runs it, which messages
 * trigger it, its scope and name. The stack and `npm run doctor` both read this, and it is tested
 * without synthesizing anything.
 */
import { DEFAULT_RULE_PREFIX } from '../functions/alerts/compliance-change.js';
import { recordedTypes, type CatalogEntry } from '../rules/catalog.js';
import { isAccountWide } from '../rules/inputs.js';
import { declarationOf } from '../rules/resource-types.js';

/** Config rules are named `<prefix><ruleId>`; the notifier and the EventBridge pattern depend on it. */
export const CONFIG_RULE_PREFIX = DEFAULT_RULE_PREFIX;

/** PutConfigRule: Scope.ComplianceResourceTypes holds at most 100 types. */
export const MAX_SCOPE_RESOURCE_TYPES = 100;

export type Evaluator = 'change' | 'periodic';

export interface RuleRoute {
  readonly evaluator: Evaluator;
  /** ConfigurationItemChangeNotification + OversizedConfigurationItemChangeNotification, scoped to `scope`. */
  readonly onChange: boolean;
  /** ScheduledNotification at the configured frequency. */
  readonly periodic: boolean;
  /** Scope.ComplianceResourceTypes; only for change-triggered rules (a scope only filters change triggers). */
  readonly scope?: readonly string[];
  /** Account-wide data (the IAM credential report, multi-Region trails): created in the home Region only. */
  readonly global: boolean;
}

export function configRuleName(ruleId: string): string {
  return `${CONFIG_RULE_PREFIX}${ruleId}`;
}

/**
 * Item rules judge one configuration item: the change evaluator, triggered by changes to their
 * resource types (or on a schedule if the rule says periodic). Inventory rules need the whole
 * inventory: the periodic evaluator, which accepts ScheduledNotification only.
 */
export function routeRule(entry: CatalogEntry): RuleRoute {
  const global = isAccountWide(entry);
  if (entry.kind === 'inventory') return { evaluator: 'periodic', onChange: false, periodic: true, global };
  if (entry.trigger === 'periodic') return { evaluator: 'change', onChange: false, periodic: true, global };
  const scope = [...new Set(entry.resourceTypes)];
  // The account pseudo-type is not recorded: no change ever triggers on it.
  if (scope.length === 0 || scope.some((type) => declarationOf(type)?.recordedByConfig === false)) {
    throw new Error(`rule ${entry.id} is change-triggered but its resource types (${entry.resourceTypes.join(', ') || 'none'}) cannot scope a Config rule`);
  }
  if (scope.length > MAX_SCOPE_RESOURCE_TYPES) {
    throw new Error(`rule ${entry.id} lists ${scope.length} resource types; a Config rule scope allows at most ${MAX_SCOPE_RESOURCE_TYPES}`);
  }
  return { evaluator: 'change', onChange: true, periodic: false, scope, global };
}

/**
 * Configuration item types the rule's evaluation reads from Config's recorder: what it reports on and
 * what it reads besides (AWS::::Account is not recorded). The recorder must record them.
 */
export function recordedTypesFor(entry: CatalogEntry): string[] {
  return recordedTypes(entry);
}
