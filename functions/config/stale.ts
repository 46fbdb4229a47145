/** Results for resources that are gone must not linger: a periodic run retires them as NOT_APPLICABLE. */
import type { Evaluation } from '../../rules/types.js';
import type { PreviousResult } from './adapter.js';

const key = (resourceType: string, resourceId: string) => `${resourceType}\u0000${resourceId}`;

export function retireStale(previous: readonly PreviousResult[], current: readonly Evaluation[], context: { ruleId: string; accountId: string; region: string; now: Date }): Evaluation[] {
  const seen = new Set(current.map((e) => key(e.resourceType, e.resourceId)));
  const out: Evaluation[] = [];
  for (const result of previous) {
    if (result.compliance === 'NOT_APPLICABLE' || seen.has(key(result.resourceType, result.resourceId))) continue;
    seen.add(key(result.resourceType, result.resourceId));
    out.push({
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
  return out;
}
