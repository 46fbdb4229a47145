/**
 * The periodic evaluator: rules that need the whole inventory (MFA over the credential report,
 * backup coverage, recent recovery points, EBS encryption by default, patch freshness, the audit
 * trail, GuardDuty) run on Config's schedule. It builds the inventory through the shared live loader
 * — advanced query for items, IAM, Backup, EC2, Systems Manager, CloudTrail and GuardDuty for what no
 * item records — then runs the same rules/ code as the CLI. Its entry point is ./periodic/index.ts.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { recordedTypes, type CatalogEntry } from '../../rules/catalog.js';
import { runRule } from '../../rules/engine.js';
import { isAccountWide } from '../../rules/inputs.js';
import { buildInventory, type InventoryExtras } from '../../rules/types.js';
import { DEFAULT_RESTATE_DAYS } from '../config/changes.js';
import { unseenFrom } from '../config/stale.js';
import { parseConfigEvent } from '../config/event.js';
import { loadInventory, requestFor, type LiveReaders } from '../inventory/live.js';
import type { AccountRouter } from '../org/account-router.js';
import { applyAccountOverrides, type AccountOverrides } from '../org/overrides.js';
import { PERIODIC_RUNS_METRIC } from '../shared/services.js';
import { logSkipped, reportEvaluations, stateChanges, type EvaluatorResult } from './shared.js';
import { resolveRule } from './rule-parameters.js';

/** What the periodic evaluator reads (the shared live loader's readers) and writes (Config) in the event's account. */
export type PeriodicAdapters = LiveReaders;

export interface PeriodicEvaluatorDeps extends PeriodicAdapters {
  /** Org mode: the adapters of the event's account (member role), and per-account parameters. */
  readonly org?: { readonly router: Pick<AccountRouter<PeriodicAdapters>, 'run'>; readonly overrides?: AccountOverrides };
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly exemptionTagKey: string;
  readonly region: string;
  /** Account-wide checks (IAM is global; multi-Region trails) report from this Region only, once per account. */
  readonly homeRegion: string;
  /** Unchanged results older than this many days are put again (0: never); default DEFAULT_RESTATE_DAYS. */
  readonly restateDays?: number;
  readonly now?: () => Date;
}

/** The configuration item types a rule reports on and reads (AWS::::Account is not an item type). */
export function itemTypesFor(entry: CatalogEntry): string[] {
  return recordedTypes(entry);
}

export function isGlobal(entry: CatalogEntry): boolean {
  return isAccountWide(entry);
}

/**
 * An account whose credential report has no `<root_account>` row was not judged on root MFA: that
 * says nothing about the root user being gone, so its earlier result must not be retired.
 */
function unreadAccounts(extras: InventoryExtras, accountId: string): { resourceType: string; resourceId: string }[] {
  return (extras.credentialReports ?? [])
    .filter((report) => report.root === undefined)
    .map((report) => ({ resourceType: 'AWS::::Account', resourceId: report.accountId ?? accountId }));
}

export function createPeriodicEvaluatorHandler(deps: PeriodicEvaluatorDeps): (event: unknown) => Promise<EvaluatorResult> {
  return async (event) => {
    const parsed = parseConfigEvent(event);
    const { accountId, configRuleName } = parsed.event;
    const { entry, params } = resolveRule(applyAccountOverrides(parsed.ruleParameters, accountId, deps.org?.overrides));
    deps.logger.appendKeys({ ruleId: entry.id, configRuleName, messageType: parsed.invoking.messageType, accountId });
    if (parsed.invoking.messageType !== 'ScheduledNotification') {
      throw new Error(
        `the periodic evaluator runs on ScheduledNotification only; rule ${configRuleName} sent ${parsed.invoking.messageType}: give it a periodic trigger`,
      );
    }
    if (isGlobal(entry) && deps.region !== deps.homeRegion) {
      deps.logger.info('skipped: account-wide check runs in the home Region only', { homeRegion: deps.homeRegion });
      return { ruleId: entry.id, evaluations: 0, put: 0, putCalls: 0, nonCompliant: 0 };
    }
    const now = deps.now?.() ?? new Date();
    const context = { ruleId: entry.id, accountId, region: deps.region, now, restateDays: deps.restateDays ?? DEFAULT_RESTATE_DAYS };
    // In org mode all of it, the read of the current results included, runs in the event's account.
    const work = async (adapters: PeriodicAdapters) => {
      const { items, skipped, extras } = await loadInventory(requestFor([entry]), adapters, { accountId, region: deps.region });
      logSkipped(deps.logger, skipped, deps.metrics);
      const evaluations = runRule(entry, buildInventory(items, extras), params, { now, exemptionTagKey: deps.exemptionTagKey });
      const unseen = unseenFrom(skipped, unreadAccounts(extras, accountId));
      return stateChanges(adapters.config, parsed.event, evaluations, context, { unseen, logger: deps.logger, metrics: deps.metrics });
    };
    const { all, put, putCalls } = deps.org === undefined ? await work(deps) : await deps.org.router.run(accountId, work);
    deps.metrics?.addMetric(PERIODIC_RUNS_METRIC, MetricUnit.Count, 1);
    const nonCompliant = reportEvaluations(deps.logger, deps.metrics, all);
    return { ruleId: entry.id, evaluations: all.length, put: put.length, putCalls, nonCompliant };
  };
}
