/**
 * The change-triggered evaluator: one function serves every item rule. Config invokes it with a
 * changed item (or an oversized-item summary, or a schedule); it evaluates with the same rules/
 * code as the CLI and reports with PutEvaluations. Its entry point is ./change/index.ts.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { evaluateItem } from '../../rules/engine.js';
import { normalizeConfigurationItem, type ConfigurationItem } from '../../rules/inventory.js';
import type { Evaluation } from '../../rules/types.js';
import type { ConfigAdapter } from '../config/adapter.js';
import { unseenFrom } from '../config/stale.js';
import { parseConfigEvent, type ParsedConfigEvent } from '../config/event.js';
import { toConfigEvaluation } from '../config/evaluations.js';
import type { AccountRouter } from '../org/account-router.js';
import { applyAccountOverrides, type AccountOverrides } from '../org/overrides.js';
import { DEFAULT_RESTATE_DAYS } from '../config/changes.js';
import { resolveRule, type ResolvedRule } from './rule-parameters.js';
import { logSkipped, reportEvaluations, stateChanges, type EvaluatorResult, type Statement } from './shared.js';

/** What the change evaluator calls in the event's account. */
export interface ChangeAdapters {
  readonly config: ConfigAdapter;
}

export interface ChangeEvaluatorDeps {
  /** The function's own account. */
  readonly config: ConfigAdapter;
  /** Org mode: the adapters of the event's account (member role), and per-account parameters. */
  readonly org?: { readonly router: Pick<AccountRouter<ChangeAdapters>, 'run'>; readonly overrides?: AccountOverrides };
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly exemptionTagKey: string;
  readonly region: string;
  /** Scheduled runs: unchanged results older than this many days are put again (0: never); default DEFAULT_RESTATE_DAYS. */
  readonly restateDays?: number;
  readonly now?: () => Date;
}

function notApplicable(item: ConfigurationItem, rule: ResolvedRule, annotation: string): Evaluation {
  return {
    ruleId: rule.entry.id,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    accountId: item.accountId,
    region: item.awsRegion,
    compliance: 'NOT_APPLICABLE',
    annotation,
    severity: rule.entry.severity,
    hipaa: rule.entry.hipaa,
    orderingTimestamp: item.captureTime,
  };
}

/** The item of a change or oversized notification (the latter fetched from Config's history). */
async function changedItem(invoking: ParsedConfigEvent['invoking'], config: ConfigAdapter): Promise<ConfigurationItem | undefined> {
  if (invoking.messageType === 'ConfigurationItemChangeNotification') return normalizeConfigurationItem(invoking.configurationItem);
  if (invoking.messageType !== 'OversizedConfigurationItemChangeNotification') return undefined;
  const summary = invoking.configurationItemSummary;
  const raw = await config.getItemAt(summary.resourceType, summary.resourceId, summary.configurationItemCaptureTime);
  if (raw === undefined)
    throw new Error(`GetResourceConfigHistory returned no item for ${summary.resourceType} ${summary.resourceId} at ${summary.configurationItemCaptureTime}`);
  return normalizeConfigurationItem(raw);
}

/** A change puts its one evaluation; a scheduled run states what changed over every current item. */
async function evaluateChange(parsed: ParsedConfigEvent, rule: ResolvedRule, deps: ChangeEvaluatorDeps & ChangeAdapters, now: Date): Promise<Statement> {
  const { invoking, event } = parsed;
  const options = { now, exemptionTagKey: deps.exemptionTagKey };
  const item = await changedItem(invoking, deps.config);
  if (item !== undefined) {
    const evaluations = [
      event.eventLeftScope
        ? notApplicable(item, rule, 'Resource is no longer in the scope of this rule (eventLeftScope).')
        : evaluateItem(rule.entry, item, rule.params, options),
    ];
    return { all: evaluations, put: evaluations, putCalls: await deps.config.putEvaluations(event.resultToken, evaluations.map(toConfigEvaluation)) };
  }
  if (rule.entry.kind !== 'item') {
    throw new Error(`rule ${rule.entry.id} needs the whole inventory: deploy it on the periodic evaluator, not the change evaluator`);
  }
  const { items, skipped } = await deps.config.selectItems(rule.entry.resourceTypes);
  logSkipped(deps.logger, skipped, deps.metrics);
  const evaluations = items.map((current) => evaluateItem(rule.entry, current, rule.params, options));
  const context = { ruleId: rule.entry.id, accountId: event.accountId, region: deps.region, now, restateDays: deps.restateDays ?? DEFAULT_RESTATE_DAYS };
  return stateChanges(deps.config, event, evaluations, context, { unseen: unseenFrom(skipped), logger: deps.logger, metrics: deps.metrics });
}

export function createChangeEvaluatorHandler(deps: ChangeEvaluatorDeps): (event: unknown) => Promise<EvaluatorResult> {
  return async (event) => {
    const parsed = parseConfigEvent(event);
    const { accountId } = parsed.event;
    const rule = resolveRule(applyAccountOverrides(parsed.ruleParameters, accountId, deps.org?.overrides));
    deps.logger.appendKeys({ ruleId: rule.entry.id, configRuleName: parsed.event.configRuleName, messageType: parsed.invoking.messageType, accountId });
    const now = deps.now?.() ?? new Date();
    const work = (adapters: ChangeAdapters) => evaluateChange(parsed, rule, { ...deps, ...adapters }, now);
    const { all, put, putCalls } = deps.org === undefined ? await work({ config: deps.config }) : await deps.org.router.run(accountId, work);
    const nonCompliant = reportEvaluations(deps.logger, deps.metrics, all);
    return { ruleId: rule.entry.id, evaluations: all.length, put: put.length, putCalls, nonCompliant };
  };
}
