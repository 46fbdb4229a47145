/**
 * Results for resources that are gone must not linger: a periodic run retires them as NOT_APPLICABLE.
 * Only what is known to be gone: a resource the run could not read (a query row that did not parse,
 * an account whose credential report has no root row) is not gone, and retiring its NON_COMPLIANT
 * result would close an open problem — on-call gets "[CLOSED]" and the finding is archived.
 */
import type { SkippedItem } from '../../rules/inventory.js';
import type { Evaluation } from '../../rules/types.js';
import type { PreviousResult } from './adapter.js';

const key = (resourceType: string, resourceId: string) => `${resourceType}\u0000${resourceId}`;

/** What a run could not read. Results of these resources are neither confirmed nor retired. */
export interface Unseen {
  /** A row whose resource type could not be read: it may be any of them, so nothing is retired. */
  readonly everything: boolean;
  /** Types with an unreadable item whose id could not be read: nothing of these types is retired. */
  readonly types: ReadonlySet<string>;
  /** Ids of unreadable items whose type could not be read. */
  readonly ids: ReadonlySet<string>;
  /** Unreadable items whose type and id are known (`type\0id`). */
  readonly resources: ReadonlySet<string>;
}

export const NOTHING_UNSEEN: Unseen = { everything: false, types: new Set(), ids: new Set(), resources: new Set() };

/** The unseen resources of a run from its skipped items, plus resources it knows it could not judge. */
export function unseenFrom(skipped: readonly SkippedItem[], unread: readonly { resourceType: string; resourceId: string }[] = []): Unseen {
  if (skipped.length === 0 && unread.length === 0) return NOTHING_UNSEEN;
  let everything = false;
  const types = new Set<string>();
  const ids = new Set<string>();
  const resources = new Set(unread.map((r) => key(r.resourceType, r.resourceId)));
  for (const item of skipped) {
    if (item.resourceType !== undefined && item.resourceId !== undefined) resources.add(key(item.resourceType, item.resourceId));
    else if (item.resourceType !== undefined) types.add(item.resourceType);
    else if (item.resourceId !== undefined) ids.add(item.resourceId);
    else everything = true;
  }
  return { everything, types, ids, resources };
}

function isUnseen(unseen: Unseen, result: PreviousResult): boolean {
  return (
    unseen.everything ||
    unseen.types.has(result.resourceType) ||
    unseen.ids.has(result.resourceId) ||
    unseen.resources.has(key(result.resourceType, result.resourceId))
  );
}

export interface RetireOutcome {
  readonly retired: Evaluation[];
  /** Previous results of resources this run did not find but could not rule out: kept as they are. */
  readonly heldBack: readonly PreviousResult[];
}

export function retireStale(
  previous: readonly PreviousResult[],
  current: readonly Evaluation[],
  context: { ruleId: string; accountId: string; region: string; now: Date },
  unseen: Unseen = NOTHING_UNSEEN,
): RetireOutcome {
  const seen = new Set(current.map((e) => key(e.resourceType, e.resourceId)));
  const retired: Evaluation[] = [];
  const heldBack: PreviousResult[] = [];
  for (const result of previous) {
    if (result.compliance === 'NOT_APPLICABLE' || seen.has(key(result.resourceType, result.resourceId))) continue;
    seen.add(key(result.resourceType, result.resourceId));
    if (isUnseen(unseen, result)) {
      heldBack.push(result);
      continue;
    }
    retired.push({
      ruleId: context.ruleId,
      resourceType: result.resourceType,
      resourceId: result.resourceId,
      accountId: context.accountId,
      region: context.region,
      compliance: 'NOT_APPLICABLE',
      annotation: `Resource no longer found in this account and Region; its earlier ${result.compliance} result is retired.`,
      severity: 'INFORMATIONAL',
      hipaa: [],
      orderingTimestamp: context.now.toISOString(),
    });
  }
  return { retired, heldBack };
}
