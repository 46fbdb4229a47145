import { isGone, type ConfigurationItem } from './inventory.js';
import type { ActiveItem, ResourceVerdict, Verdict } from './types.js';

export const compliant = (annotation: string): Verdict => ({ compliance: 'COMPLIANT', annotation });
export const nonCompliant = (annotation: string): Verdict => ({ compliance: 'NON_COMPLIANT', annotation });
export const notApplicable = (annotation: string): Verdict => ({ compliance: 'NOT_APPLICABLE', annotation });

/** Why a deleted or unrecorded resource is NOT_APPLICABLE: the same words for item and inventory rules. */
export function goneAnnotation(item: ConfigurationItem): string {
  return `Resource is ${item.status === 'ResourceNotRecorded' ? 'no longer recorded' : 'deleted'} (${item.status}).`;
}

/**
 * Why an existing, recorded resource without a configuration could not be evaluated. Config records
 * `configuration` for every resource that exists (docs/aws-semantics.md, "Configuration items"), so
 * its absence is unreadable data, never "not applicable".
 */
export function missingConfigurationReason(item: ConfigurationItem): string {
  return `Could not evaluate: the configuration item records no configuration although the resource exists (configurationItemStatus ${item.status}).`;
}

/** A verdict about the resource of a configuration item, carrying the item so exemptions and names apply. */
export function onItem(item: ConfigurationItem, verdict: Verdict): ResourceVerdict {
  // A literal, not a spread: inventory-wide rules build one per resource over 100k-item inventories.
  return {
    compliance: verdict.compliance,
    annotation: verdict.annotation,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    accountId: item.accountId,
    region: item.awsRegion,
    item,
  };
}

/**
 * Judges one resource inside an inventory-wide rule: a gone resource is NOT_APPLICABLE; an existing one
 * without configuration, or a decision that throws (a field the rule cannot do without, a value
 * outside what AWS documents), marks that resource as an error instead of failing the whole rule.
 */
export function judge(item: ConfigurationItem, decide: (item: ActiveItem) => Verdict): ResourceVerdict {
  if (isGone(item)) return onItem(item, notApplicable(goneAnnotation(item)));
  if (item.configuration === null) return { ...onItem(item, nonCompliant(missingConfigurationReason(item))), error: true };
  try {
    return onItem(item, decide(item as ActiveItem));
  } catch (error) {
    return { ...onItem(item, nonCompliant(`Could not evaluate: ${error instanceof Error ? error.message : String(error)}.`)), error: true };
  }
}

/** A number as annotations write it: counts, ages, days, times and dates (every run of digits, with its separators). */
const FIGURE = /\d+(?:[.,:]\d+)*/g;

/**
 * The reason an annotation gives, without its figures: what the periodic evaluator compares to
 * decide whether a verdict changed. "Created 20 hours ago (2026-11-28T05:00:00.000Z)" and
 * "Created 44 hours ago (2026-11-29T05:00:00.000Z)" give the same reason, so a rule may report
 * figures that move every day; what decides a verdict must be in its words or its compliance.
 */
export function stableReason(annotation: string): string {
  return annotation.replace(FIGURE, '#');
}
