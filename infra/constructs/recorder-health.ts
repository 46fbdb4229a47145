import { Aws, Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, type ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { SIZING } from '../sizing.js';
import { LAMBDAS, METRICS_NAMESPACE } from '../../functions/shared/services.js';
import type { HealthAlarms } from './health.js';
import type { MemberRoleAccess } from './member-role-access.js';
import { MonitorFunction } from './monitor-function.js';

/** How often the recorders are checked: also how often on-call is reminded while one stays unhealthy. */
export const RECORDER_CHECK_INTERVAL = Duration.hours(6);

export interface RecorderHealthProps {
  readonly key: IKey;
  /** Receives the message naming each unhealthy account (and the alarms). */
  readonly alarmTopic: ITopic;
  readonly health: HealthAlarms;
  readonly logRetentionDays: number;
  /** Org-wide: check every monitored account's recorder through its member role. */
  readonly members?: MemberRoleAccess;
}

/**
 * Watches the watcher's eyes: a function on its own schedule (not invoked by AWS Config, whose silence
 * it must notice, and not part of the daily findings refresher, which runs too rarely and whose Security
 * Hub failures would mute it) that checks every monitored account's Config recorder and delivery
 * channel in this Region (functions/recorder-health). Its role reads only the two statuses.
 */
export class RecorderHealth extends Construct {
  readonly fn: MonitorFunction;
  readonly schedule: Rule;
  readonly accountListPolicy?: ManagedPolicy;

  constructor(scope: Construct, id: string, props: RecorderHealthProps) {
    super(scope, id);
    const { members } = props;
    this.fn = new MonitorFunction(this, 'Function', {
      entry: LAMBDAS.recorderHealth.entry,
      description: 'Clinic Compliance Monitor recorder health: raises the health alarm when AWS Config stops recording or delivering',
      environment: {
        POWERTOOLS_SERVICE_NAME: LAMBDAS.recorderHealth.service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        HEALTH_TOPIC_ARN: props.alarmTopic.topicArn,
        ...members?.accountFilterEnvironment(),
      },
      ...SIZING.recorderHealth,
      ...(members !== undefined && { central: { access: members, role: 'recorderHealth' } }),
      logRetentionDays: props.logRetentionDays,
      key: props.key,
      asyncDeadLetterQueue: true,
      statements: [
        // DescribeConfigurationRecorderStatus takes the recorder as its resource; the name is the account's own choice.
        new PolicyStatement({
          sid: 'RecorderStatus',
          effect: Effect.ALLOW,
          actions: ['config:DescribeConfigurationRecorderStatus'],
          resources: [`arn:${Aws.PARTITION}:config:${Aws.REGION}:${Aws.ACCOUNT_ID}:configuration-recorder/*`],
        }),
        new PolicyStatement({ sid: 'DeliveryChannelStatus', effect: Effect.ALLOW, actions: ['config:DescribeDeliveryChannelStatus'], resources: ['*'] }),
        // The topic's key: the dead-letter queue's grant (same key) covers kms:GenerateDataKey and kms:Decrypt. Org-wide, the member-role statements publish to it.
        ...(members === undefined
          ? [new PolicyStatement({ sid: 'HealthMessages', effect: Effect.ALLOW, actions: ['sns:Publish'], resources: [props.alarmTopic.topicArn] })]
          : []),
      ],
    });
    this.accountListPolicy = members?.addAccountListPolicy(
      this.fn,
      "List the organization's accounts whose Config recorders are checked",
      `The recorder health check lists the accounts of organization ${members.organization.organizationId} every 6 hours to check each one's AWS Config recorder.`,
    );
    this.schedule = new Rule(this, 'Schedule', {
      description: 'Every 6 hours: is AWS Config recording and delivering in every monitored account of this Region?',
      schedule: Schedule.rate(RECORDER_CHECK_INTERVAL),
      targets: [new LambdaFunction(this.fn.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
    this.watch(props.health);
    this.acknowledgeNagFindings();
  }

  private watch(health: HealthAlarms): void {
    health.watchFunction('RecorderHealth', LAMBDAS.recorderHealth.name, this.fn.function);
    if (this.fn.deadLetterQueue !== undefined) {
      health.watchDeadLetterQueue(
        'RecorderHealthDlq',
        `${LAMBDAS.recorderHealth.name}-dlq`,
        this.fn.deadLetterQueue,
        'The Config recorder health check failed after Lambda retries: a stopped recorder may go unnoticed.',
      );
    }
    health.watchRuleDelivery('RecorderHealthSchedule', 'recorder-health-schedule', this.schedule);
    health.watchRecorders(LAMBDAS.recorderHealth.service);
  }

  private acknowledgeNagFindings(): void {
    acknowledge(
      this.fn.role.policy,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:configuration-recorder/*]',
      "config:DescribeConfigurationRecorderStatus (read-only) on this account's recorders in this Region: the recorder's name and id are the account's own, unknown at deploy time.",
    );
    acknowledge(
      this.fn.role.policy,
      'AwsSolutions-IAM5[Resource::*]',
      'config:DescribeDeliveryChannelStatus (read-only) has no resource type in the Service Authorization Reference: it accepts only Resource "*".',
    );
  }
}
