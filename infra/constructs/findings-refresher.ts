import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { LAMBDAS } from '../../functions/shared/services.js';
import { SIZING } from '../sizing.js';
import { defaultProductArn, hubArn } from './auditor-insights.js';
import type { HealthAlarms } from './health.js';
import type { MemberRoleAccess } from './member-role-access.js';
import { MonitorFunction } from './monitor-function.js';
import { StackPart } from './stack-part.js';

export interface FindingsRefresherProps {
  readonly key: IKey;
  readonly health: HealthAlarms;
  readonly logRetentionDays: number;
  /** Org-wide: refresh every monitored account's findings in that account, through its member role. */
  readonly members?: MemberRoleAccess;
}

/**
 * Security Hub deletes findings 90 days after their last update, and a resource that stays failing
 * sends no compliance change: once a day a function reads our active findings back and re-imports
 * the ones due (functions/refresher). Alarmed on errors, its dead-letter queue and its schedule.
 */
export class FindingsRefresher extends StackPart {
  readonly fn: MonitorFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: FindingsRefresherProps) {
    super(scope, id);
    const { members } = props;
    this.fn = new MonitorFunction(this, 'FindingsRefresher', {
      entry: LAMBDAS.refresher.entry,
      description: 'Clinic Compliance Monitor findings refresher: re-imports our active findings before Security Hub expires them',
      environment: { POWERTOOLS_SERVICE_NAME: LAMBDAS.refresher.service, ...members?.accountFilterEnvironment() },
      ...SIZING.refresher,
      ...(members !== undefined && { central: { access: members, role: 'refresher' } }),
      logRetentionDays: props.logRetentionDays,
      key: props.key,
      asyncDeadLetterQueue: true,
      statements: [
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['securityhub:GetFindings'], resources: [hubArn()] }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['securityhub:BatchImportFindings'], resources: [defaultProductArn()] }),
      ],
    });
    members?.addAccountListPolicy(
      this.fn,
      "List the organization's accounts whose findings the refresher keeps alive",
      `The findings refresher lists the accounts of organization ${members.organization.organizationId} once a day to keep each one's findings from expiring.`,
    );
    this.schedule = new Rule(this, 'FindingsRefreshSchedule', {
      description: "Once a day: keep the monitor's still-active Security Hub findings from expiring",
      schedule: Schedule.rate(Duration.days(1)),
      targets: [new LambdaFunction(this.fn.function, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    props.health.watchFunction('FindingsRefresher', LAMBDAS.refresher.name, this.fn.function);
    if (this.fn.deadLetterQueue !== undefined) {
      props.health.watchDeadLetterQueue(
        'RefresherDlq',
        'findings-refresher-dlq',
        this.fn.deadLetterQueue,
        'The daily findings refresh failed after Lambda retries: failing findings may expire from Security Hub.',
      );
    }
    props.health.watchRuleDelivery('FindingsRefreshSchedule', 'findings-refresh-schedule', this.schedule);
  }
}
