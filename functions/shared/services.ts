/**
 * The monitor's Lambda functions, each named once: the handlers take their logs' and metrics' names
 * from here, infra its entries, environment, alarms and central role names. Plain data, so infra/
 * imports it without loading any Lambda code. Renaming a `service` or `name` renames deployed
 * things (metric dimensions the alarms watch, org roles member accounts trust): don't.
 */

/** The CloudWatch namespace of the monitor's own metrics, which its health alarms watch. */
export const METRICS_NAMESPACE = 'ClinicComplianceMonitor';

/** The periodic evaluator's heartbeat: one per successful run; silence for 25 hours raises an alarm. */
export const PERIODIC_RUNS_METRIC = 'PeriodicRuns';
/** The recorder health check's count of accounts whose Config recorder is unhealthy; ≥ 1 raises an alarm. */
export const UNHEALTHY_RECORDERS_METRIC = 'UnhealthyRecorders';

export interface LambdaService {
  /** The entry file, relative to the repository root: an index.ts that reads the environment and wires the handler factory. */
  readonly entry: string;
  /** The Powertools service: POWERTOOLS_SERVICE_NAME, the logs' `service` key, the metrics' `service` dimension. */
  readonly service: string;
  /** The function's short name: its org-mode session (`ccm-<name>`) and central role (`ccm-<name>-<region>`), its alarms. */
  readonly name: string;
}

export const LAMBDAS = {
  change: { entry: 'functions/evaluator/change/index.ts', service: 'change-evaluator', name: 'change-evaluator' },
  periodic: { entry: 'functions/evaluator/periodic/index.ts', service: 'periodic-evaluator', name: 'periodic-evaluator' },
  notifier: { entry: 'functions/notifier/index.ts', service: 'ccm-notifier', name: 'notifier' },
  refresher: { entry: 'functions/refresher/index.ts', service: 'findings-refresher', name: 'findings-refresher' },
  recorderHealth: { entry: 'functions/recorder-health/index.ts', service: 'recorder-health', name: 'recorder-health' },
  report: { entry: 'functions/monthly-report/index.ts', service: 'monthly-report', name: 'monthly-report' },
} as const satisfies Record<string, LambdaService>;

export type LambdaId = keyof typeof LAMBDAS;
