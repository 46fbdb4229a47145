/** Sizing of the monitor's functions: explicit and small; the README's cost estimate uses these numbers. */
import { Duration } from 'aws-cdk-lib';
import { routeRule } from './routing.js';
import type { EnabledRule } from './settings.js';

export const SIZING = {
  change: { memorySize: 256, timeout: Duration.minutes(1), reservedConcurrency: 10 },
  /** Reserved concurrency: one per periodic rule (at least 2), see reservedConcurrency. */
  periodic: { memorySize: 1024, timeout: Duration.minutes(5) },
  notifier: { memorySize: 256, timeout: Duration.minutes(1), reservedConcurrency: 2 },
  /** Daily: pages through our findings at GetFindings' 3 requests/second, then re-imports the due ones. */
  refresher: { memorySize: 512, timeout: Duration.minutes(10), reservedConcurrency: 1 },
  /** Every 6 hours: two Config reads per monitored account, four accounts at a time. */
  recorderHealth: { memorySize: 256, timeout: Duration.minutes(2), reservedConcurrency: 1 },
  /** One run a month; it pages through every rule's results in every account, so it gets Lambda's longest timeout. */
  monthlyReport: { memorySize: 1024, timeout: Duration.minutes(15), reservedConcurrency: 1 },
} as const;

/**
 * Reserved concurrency of each function for the rules a Region's stack deploys; a function that is not
 * deployed reserves 0. Periodic rules fire together: one concurrent run each (at least 2), so a daily
 * cycle is never throttled. `npm run doctor` checks the account's Lambda quota against the sum.
 */
export function reservedConcurrency(
  deployed: readonly EnabledRule['entry'][],
): Record<'change' | 'periodic' | 'notifier' | 'refresher' | 'recorderHealth' | 'monthlyReport', number> {
  const periodic = deployed.filter((entry) => routeRule(entry).evaluator === 'periodic').length;
  return {
    change: deployed.length > periodic ? SIZING.change.reservedConcurrency : 0,
    periodic: periodic === 0 ? 0 : Math.max(2, periodic),
    notifier: SIZING.notifier.reservedConcurrency,
    refresher: SIZING.refresher.reservedConcurrency,
    recorderHealth: SIZING.recorderHealth.reservedConcurrency,
    monthlyReport: SIZING.monthlyReport.reservedConcurrency,
  };
}
