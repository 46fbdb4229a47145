/** What both evaluators do around the rules: skip-logging, retiring vanished resources, reporting. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { SkippedItem } from '../../rules/inventory.js';
import type { Evaluation } from '../../rules/types.js';
import type { ConfigAdapter } from '../config/adapter.js';
import { retireStale } from '../config/stale.js';

export interface EvaluatorResult {
  readonly ruleId: string;
  readonly evaluations: number;
  readonly putCalls: number;
  readonly nonCompliant: number;
}

/** Names where an unreadable item was, never its contents. */
export function logSkipped(logger: Logger, skipped: readonly SkippedItem[]): void {
  for (const item of skipped) logger.warn('skipped an unreadable configuration item', { location: item.location, resourceType: item.resourceType, resourceId: item.resourceId, reason: item.reason });
}

/** The evaluations plus NOT_APPLICABLE for resources the rule reported last time that are gone now. */
export async function withRetired(
  config: ConfigAdapter,
  configRuleName: string,
  evaluations: readonly Evaluation[],
  context: { ruleId: string; accountId: string; region: string; now: Date },
): Promise<Evaluation[]> {
  const previous = await config.previousResults(configRuleName);
  return [...evaluations, ...retireStale(previous, evaluations, context)];
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
