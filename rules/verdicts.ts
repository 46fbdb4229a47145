import { isGone, type ConfigurationItem } from './inventory.js';
import type { ActiveItem, ResourceVerdict, Verdict } from './types.js';

export const compliant = (annotation: string): Verdict => ({ compliance: 'COMPLIANT', annotation });
export const nonCompliant = (annotation: string): Verdict => ({ compliance: 'NON_COMPLIANT', annotation });
export const notApplicable = (annotation: string): Verdict => ({ compliance: 'NOT_APPLICABLE', annotation });

/** Why a deleted or unrecorded resource is NOT_APPLICABLE: the same words for item and inventory rules. */
export function goneAnnotation(item: ConfigurationItem): string {
  return isGone(item) ? `Resource is ${item.status === 'ResourceNotRecorded' ? 'no longer recorded' : 'deleted'} (${item.status}).` : 'Resource has no recorded configuration.';
}

/** A verdict about the resource of a configuration item, carrying the item so exemptions and names apply. */
export function onItem(item: ConfigurationItem, verdict: Verdict): ResourceVerdict {
  // A literal, not a spread: inventory-wide rules build one per resource over 100k-item inventories.
  return { compliance: verdict.compliance, annotation: verdict.annotation, resourceType: item.resourceType, resourceId: item.resourceId, accountId: item.accountId, region: item.awsRegion, item };
}

/**
 * Judges one resource inside an inventory-wide rule: a gone resource is NOT_APPLICABLE, and a decision
 * that throws (a field the rule cannot do without) marks that resource as an error instead of
 * failing the whole rule.
 */
export function judge(item: ConfigurationItem, decide: (item: ActiveItem) => Verdict): ResourceVerdict {
  if (isGone(item) || item.configuration === null) return onItem(item, notApplicable(goneAnnotation(item)));
  try {
    return onItem(item, decide(item as ActiveItem));
  } catch (error) {
    return { ...onItem(item, nonCompliant(`Could not evaluate: ${error instanceof Error ? error.message : String(error)}.`)), error: true };
  }
}
