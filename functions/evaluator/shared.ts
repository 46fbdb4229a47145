/** What both evaluators do around the rules: skip-logging, retiring vanished resources, putting what changed, reporting. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { SkippedItem } from '../../rules/inventory.js';
import type { Evaluation } from '../../rules/types.js';
import type { ConfigAdapter, PreviousResult } from '../config/adapter.js';
import { changedOnly, DEFAULT_RESTATE_DAYS, MAX_RESTATE_DAYS } from '../config/changes.js';
import { toConfigEvaluation } from '../config/evaluations.js';
import { retireStale, type Unseen } from '../config/stale.js';

export interface EvaluatorResult {
  readonly ruleId: string;
  /** Verdicts and retirements of the run. */
  readonly evaluations: number;
  /** Of those, what went to Config (a periodic run puts only what changed). */
  readonly put: number;
  readonly putCalls: number;
  readonly nonCompliant: number;
}

/** Names where an unreadable item was, never its contents; counts them in the UnreadableItems metric. */
export function logSkipped(logger: Logger, skipped: readonly SkippedItem[], metrics?: Metrics): void {
  for (const item of skipped)
    logger.warn('skipped an unreadable configuration item', {
      location: item.location,
      resourceType: item.resourceType,
      resourceId: item.resourceId,
      reason: item.reason,
    });
  metrics?.addMetric('UnreadableItems', MetricUnit.Count, skipped.length);
}

/** PERIODIC_RESTATE_DAYS, checked at cold start: a bad value fails loudly instead of re-stating never or always. */
export function restateDaysFrom(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.PERIODIC_RESTATE_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_RESTATE_DAYS;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || days > MAX_RESTATE_DAYS)
    throw new Error(`PERIODIC_RESTATE_DAYS must be a whole number of days from 0 to ${MAX_RESTATE_DAYS}, got ${JSON.stringify(raw)}`);
  return days;
}

/**
 * What Config holds for the rule, read once per run; undefined when it cannot be read. Then nothing
 * is compared and nothing retired, and everything is put: correct, only not cheaper.
 */
export async function readStored(
  config: ConfigAdapter,
  configRuleName: string,
  logger: Logger,
  metrics: Metrics | undefined,
): Promise<PreviousResult[] | undefined> {
  try {
    return await config.previousResults(configRuleName);
  } catch (error) {
    logger.warn("could not read the rule's current results from Config; putting every evaluation (nothing compared, nothing retired)", {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    metrics?.addMetric('ComparisonUnavailable', MetricUnit.Count, 1);
    return undefined;
  }
}

/** What a run could not read, and where to say so. */
export interface Observed {
  readonly unseen: Unseen;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
}

/**
 * The evaluations plus NOT_APPLICABLE for resources the rule reported last time that are gone now —
 * except those the run could not read: their results stay as they are (logged, and counted in the
 * RetireHeldBack metric) until a run that reads everything confirms or retires them.
 */
export function withRetired(
  previous: readonly PreviousResult[],
  evaluations: readonly Evaluation[],
  context: { ruleId: string; accountId: string; region: string; now: Date },
  observed: Observed,
): Evaluation[] {
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

export interface Statement {
  /** Verdicts plus retirements: what the run found. */
  readonly all: Evaluation[];
  /** What went to Config. */
  readonly put: Evaluation[];
  readonly putCalls: number;
}

/**
 * A scheduled run's statement to Config, in three separate steps: read the current results once,
 * retire resources that are gone, put only what changed (plus the re-statements due).
 */
export async function stateChanges(
  config: ConfigAdapter,
  event: { readonly configRuleName: string; readonly resultToken: string },
  evaluations: readonly Evaluation[],
  context: { ruleId: string; accountId: string; region: string; now: Date; restateDays: number },
  log: Observed,
): Promise<Statement> {
  const stored = await readStored(config, event.configRuleName, log.logger, log.metrics);
  const all = withRetired(stored ?? [], evaluations, context, log);
  const changes = stored === undefined ? { put: all, unchanged: 0, restated: 0 } : changedOnly(all, stored, context);
  const putCalls = await config.putEvaluations(event.resultToken, changes.put.map(toConfigEvaluation));
  log.logger.info('put what changed', {
    evaluations: all.length,
    put: changes.put.length,
    unchanged: changes.unchanged,
    restated: changes.restated,
    compared: stored !== undefined,
  });
  log.metrics?.addMetric('EvaluationsPut', MetricUnit.Count, changes.put.length);
  log.metrics?.addMetric('SkippedUnchanged', MetricUnit.Count, changes.unchanged);
  log.metrics?.addMetric('Restated', MetricUnit.Count, changes.restated);
  return { all, put: changes.put, putCalls };
}

/** One log line per evaluation (ids and compliance only) and the run's metrics; returns the non-compliant count. */
export function reportEvaluations(logger: Logger, metrics: Metrics | undefined, evaluations: readonly Evaluation[]): number {
  let nonCompliant = 0;
  for (const evaluation of evaluations) {
    if (evaluation.compliance === 'NON_COMPLIANT' || evaluation.compliance === 'INSUFFICIENT_DATA') nonCompliant++;
    logger.info('evaluated', {
      resourceType: evaluation.resourceType,
      resourceId: evaluation.resourceId,
      compliance: evaluation.compliance,
      ...(evaluation.error && { error: true }),
    });
  }
  metrics?.addMetric('Evaluations', MetricUnit.Count, evaluations.length);
  metrics?.addMetric('NonCompliant', MetricUnit.Count, nonCompliant);
  return nonCompliant;
}
