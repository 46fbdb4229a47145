/** What both evaluators do around the rules: skip-logging, retiring vanished resources, reporting. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { SkippedItem } from '../../rules/inventory.js';
import type { Evaluation } from '../../rules/types.js';
import type { ConfigAdapter } from '../config/adapter.js';
import { retireStale, type Unseen } from '../config/stale.js';

export interface EvaluatorResult {
  readonly ruleId: string;
  readonly evaluations: number;
  readonly putCalls: number;
  readonly nonCompliant: number;
}

/** Names where an unreadable item was, never its contents; counts them in the UnreadableItems metric. */
export function logSkipped(logger: Logger, skipped: readonly SkippedItem[], metrics?: Metrics): void {
  for (const item of skipped) logger.warn('skipped an unreadable configuration item', { location: item.location, resourceType: item.resourceType, resourceId: item.resourceId, reason: item.reason });
  metrics?.addMetric('UnreadableItems', MetricUnit.Count, skipped.length);
}

/**
 * The evaluations plus NOT_APPLICABLE for resources the rule reported last time that are gone now —
 * except those the run could not read: their results stay as they are (logged, and counted in the
 * RetireHeldBack metric) until a run that reads everything confirms or retires them.
 */
export async function withRetired(
  config: ConfigAdapter,
  configRuleName: string,
  evaluations: readonly Evaluation[],
  context: { ruleId: string; accountId: string; region: string; now: Date },
  observed: { readonly unseen: Unseen; readonly logger: Logger; readonly metrics?: Metrics },
): Promise<Evaluation[]> {
  const previous = await config.previousResults(configRuleName);
  const { retired, heldBack } = retireStale(previous, evaluations, context, observed.unseen);
  if (heldBack.length > 0) {
    observed.logger.warn('this run could not read every resource: results it could not see are kept, not retired', {
      heldBack: heldBack.length,
      retired: retired.length,
      unreadableTypes: [...observed.unseen.types],
      typeUnknown: observed.unseen.everything,
    });
  }
  observed.metrics?.addMetric('RetireHeldBack', MetricUnit.Count, heldBack.length);
  return [...evaluations, ...retired];
}

/** One log line per evaluation (ids and compliance only) and the run's metrics; returns the non-compliant count. */
export function reportEvaluations(logger: Logger, metrics: Metrics | undefined, evaluations: readonly Evaluation[]): number {
  let nonCompliant = 0;
  for (const evaluation of evaluations) {
    if (evaluation.compliance === 'NON_COMPLIANT' || evaluation.compliance === 'INSUFFICIENT_DATA') nonCompliant++;
    logger.info('evaluated', { resourceType: evaluation.resourceType, resourceId: evaluation.resourceId, compliance: evaluation.compliance, ...(evaluation.error && { error: true }) });
  }
  metrics?.addMetric('Evaluations', MetricUnit.Count, evaluations.length);
  metrics?.addMetric('NonCompliant', MetricUnit.Count, nonCompliant);
  return nonCompliant;
}
