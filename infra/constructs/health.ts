import { Aws, Duration, Stack, type CfnCondition } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type CfnAlarm, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IRule } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LAMBDAS, METRICS_NAMESPACE, PERIODIC_RUNS_METRIC, UNHEALTHY_RECORDERS_METRIC } from '../../functions/shared/services.js';

/**
 * "No periodic evaluation in 25 hours" as 25 one-hour periods that must all be empty. CloudWatch
 * allows Period × EvaluationPeriods up to 7 days for periods of an hour or more (1 day below an hour),
 * so 3600 s × 25 = 90,000 s is valid; missing data counts as breaching, because silence is the failure.
 */
export const HEARTBEAT_PERIOD = Duration.hours(1);
export const HEARTBEAT_PERIODS = 25;

export interface HealthAlarmsProps {
  /** Every alarm notifies this topic when it fires and when it recovers. */
  readonly topic: ITopic;
}

/**
 * CloudWatch alarms publish to the topic as the service principal cloudwatch.amazonaws.com, checked
 * against the topic policy. Once a topic has a policy of its own (the SSL-only Deny), SNS's default
 * policy is gone, so without this statement every alarm action is refused and on-call hears nothing
 * (AWS knowledge center, "cloudwatch-receive-sns-for-alarm-trigger").
 *
 * Limited to this account (aws:SourceAccount) and to alarms named `<stack>-…` (aws:SourceArn, ArnLike).
 * Every health alarm has an explicit name with that prefix, so its ARN is known at synth; the prefix
 * rather than the list of exact ARNs keeps the policy one short statement that needs no
 * Fn::If for alarms that exist only in the home Region, and it still refuses every other alarm
 * of the account. A plain `alarm:*` would let any alarm of the account page the monitor's on-call.
 */
export function alarmsMayPublish(topicArn: string, alarmNamePrefix: string): PolicyStatement {
  return new PolicyStatement({
    sid: 'CloudWatchAlarmsOfThisMonitorPublish',
    effect: Effect.ALLOW,
    principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${alarmNamePrefix}-*` },
    },
  });
}

/** Alarms on the monitor itself: a compliance monitor that fails silently is worse than none. */
export class HealthAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: HealthAlarmsProps) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
    this.prefix = Stack.of(this).stackName;
    props.topic.addToResourcePolicy(alarmsMayPublish(props.topic.topicArn, this.prefix));
  }

  private add(
    id: string,
    name: string,
    description: string,
    metric: IMetric,
    options: { threshold: number; comparison: ComparisonOperator; periods?: number; missing: TreatMissingData },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.prefix}-${name}`,
      alarmDescription: description,
      metric,
      threshold: options.threshold,
      comparisonOperator: options.comparison,
      evaluationPeriods: options.periods ?? 1,
      datapointsToAlarm: options.periods ?? 1,
      treatMissingData: options.missing,
      actionsEnabled: true,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /** Errors and throttles of one function, each ≥ 1 in five minutes. */
  watchFunction(id: string, name: string, fn: IFunction): void {
    const period = Duration.minutes(5);
    this.add(
      `${id}Errors`,
      `${name}-errors`,
      `${name} failed at least once in 5 minutes: look at its log group for the error.`,
      fn.metricErrors({ period, statistic: 'Sum' }),
      {
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missing: TreatMissingData.NOT_BREACHING,
      },
    );
    this.add(
      `${id}Throttles`,
      `${name}-throttles`,
      `${name} was throttled in the last 5 minutes: evaluations or alerts are delayed (reserved concurrency reached).`,
      fn.metricThrottles({ period, statistic: 'Sum' }),
      {
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missing: TreatMissingData.NOT_BREACHING,
      },
    );
  }

  /** A dead-letter queue holding anything: an evaluation or an alert was lost after retries. */
  watchDeadLetterQueue(id: string, name: string, queue: IQueue, what: string): void {
    this.add(
      `${id}Depth`,
      `${name}-not-empty`,
      `${what} Messages are kept 14 days in ${name}; inspect and redrive them.`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      {
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missing: TreatMissingData.NOT_BREACHING,
      },
    );
  }

  /** The oldest message in a work queue is older than `maxAge`: its consumer is stuck or failing. */
  watchQueueAge(id: string, name: string, queue: IQueue, maxAge: Duration): void {
    this.add(
      `${id}Age`,
      `${name}-delayed`,
      `Messages have waited more than ${maxAge.toHumanString()} in ${name}: alerts and findings are delayed.`,
      queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      {
        threshold: maxAge.toSeconds(),
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missing: TreatMissingData.NOT_BREACHING,
      },
    );
  }

  /** EventBridge could not deliver compliance changes to the queue (for example, a key policy problem). */
  watchRuleDelivery(id: string, name: string, rule: IRule): void {
    const metric = new Metric({
      namespace: 'AWS/Events',
      metricName: 'FailedInvocations',
      dimensionsMap: { RuleName: rule.ruleName },
      period: Duration.minutes(5),
      statistic: 'Sum',
    });
    this.add(
      `${id}FailedInvocations`,
      `${name}-failed-deliveries`,
      `EventBridge failed to deliver compliance changes from ${name} to the notifier queue.`,
      metric,
      {
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missing: TreatMissingData.NOT_BREACHING,
      },
    );
  }

  /**
   * AWS Config is not recording or delivering in a monitored account and Region: the recorder health
   * check's count of unhealthy recorders, on each run. Between runs (every 6 hours) there is no data,
   * and the alarm keeps its state; it clears at the first run that finds every recorder healthy.
   */
  watchRecorders(service: string): Alarm {
    const metric = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: UNHEALTHY_RECORDERS_METRIC,
      dimensionsMap: { service },
      period: Duration.hours(1),
      statistic: 'Maximum',
    });
    return this.add(
      'ConfigRecorderUnhealthy',
      'config-recorder-unhealthy',
      'AWS Config stopped recording or delivering in a monitored account and Region: every rule there is silent and keeps its last result. The message on this topic from recorder-health names the accounts and what to do.',
      metric,
      {
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missing: TreatMissingData.IGNORE,
      },
    );
  }

  /** No successful periodic evaluation in 25 hours (see HEARTBEAT_PERIODS). */
  watchPeriodicHeartbeat(condition?: CfnCondition): Alarm {
    const metric = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: PERIODIC_RUNS_METRIC,
      dimensionsMap: { service: LAMBDAS.periodic.service },
      period: HEARTBEAT_PERIOD,
      statistic: 'Sum',
    });
    const hours = HEARTBEAT_PERIOD.toHours() * HEARTBEAT_PERIODS;
    const alarm = this.add(
      'NoPeriodicRun',
      `no-periodic-evaluation-${hours}h`,
      `No periodic rule evaluation succeeded in ${hours} hours: MFA, backup and patching checks have stopped. Check the periodic evaluator's errors and that AWS Config is recording.`,
      metric,
      {
        threshold: 1,
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        periods: HEARTBEAT_PERIODS,
        missing: TreatMissingData.BREACHING,
      },
    );
    if (condition !== undefined) (alarm.node.defaultChild as CfnAlarm).cfnOptions.condition = condition;
    return alarm;
  }
}
