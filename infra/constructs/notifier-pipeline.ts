import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { Match as EventMatch, Rule } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DETAIL_TYPE } from '../../functions/alerts/compliance-change.js';
import { LAMBDAS } from '../../functions/shared/services.js';
import { acknowledge } from '../nag.js';
import { ORG_RULE_COPY_PREFIX, OrganizationEventBusPolicy, ruleNamePatterns } from '../org.js';
import { CONFIG_RULE_PREFIX } from '../routing.js';
import type { MonitorSettings } from '../settings.js';
import { SIZING } from '../sizing.js';
import { AlertLedger } from './alert-ledger.js';
import { defaultProductArn } from './auditor-insights.js';
import { EncryptedQueueTarget } from './encrypted-queue-target.js';
import type { HealthAlarms } from './health.js';
import type { MemberRoleAccess } from './member-role-access.js';
import { MonitorFunction } from './monitor-function.js';
import { StackPart } from './stack-part.js';

/** SQS: a queue's visibility timeout should be at least six times its consumer's timeout. */
const NOTIFIER_VISIBILITY = Duration.seconds(SIZING.notifier.timeout.toSeconds() * 6);

export interface NotifierPipelineProps {
  readonly settings: Pick<MonitorSettings, 'digestThreshold' | 'accountName' | 'logRetentionDays'>;
  /** Encrypts the queues and the ledger; EventBridge may use it for this pipeline's rule only. */
  readonly key: Key;
  readonly alertTopic: ITopic;
  readonly health: HealthAlarms;
  /** Org-wide: compliance changes of every member account, imported into each one's Security Hub. */
  readonly members?: MemberRoleAccess;
}

/**
 * The compliance-change pipeline: EventBridge (org-wide, fed by the member accounts' forwarders) →
 * encrypted SQS queue (with its redrive DLQ) → the notifier, which imports Security Hub findings and publishes SNS alerts, paging each change once
 * through the alert ledger. Alarmed at every step: the function, the DLQ, the queue's age and the
 * rule's deliveries.
 */
export class NotifierPipeline extends StackPart {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** What the notifier paged last per rule and resource: each change pages once, never over a newer one. */
  readonly alertLedger: AlertLedger;
  readonly notifier: MonitorFunction;
  readonly complianceChangeRule: Rule;
  /** Org-wide: member accounts' forwarders put compliance changes on this Region's default bus. */
  readonly eventBusPolicy?: OrganizationEventBusPolicy;

  constructor(scope: Construct, id: string, props: NotifierPipelineProps) {
    super(scope, id);
    const { key } = props;
    this.deadLetterQueue = new Queue(this, 'NotifierDeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'NotifierQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      visibilityTimeout: NOTIFIER_VISIBILITY,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    this.alertLedger = new AlertLedger(this, 'AlertLedger', { key });
    this.notifier = this.createNotifier(props);
    this.consumeQueue();
    this.complianceChangeRule = this.routeComplianceChanges(key, props.members !== undefined);
    if (props.members !== undefined)
      this.eventBusPolicy = new OrganizationEventBusPolicy(this, 'OrganizationEventBusPolicy', { organizationId: props.members.organization.organizationId });
    this.watch(props.health);
    acknowledge(
      this.notifier.function,
      'HIPAA.Security-LambdaDLQ',
      "The notifier is invoked only by its SQS event source mapping, synchronously; a function DeadLetterConfig applies to asynchronous invocations only. Records that keep failing move to the source queue's redrive DLQ (NotifierDeadLetterQueue), which has an alarm.",
    );
  }

  private createNotifier(props: NotifierPipelineProps): MonitorFunction {
    const { settings, key, alertTopic, members } = props;
    const notifier = new MonitorFunction(this, 'Notifier', {
      entry: LAMBDAS.notifier.entry,
      description: 'Clinic Compliance Monitor notifier: compliance changes to Security Hub findings and SNS alerts',
      environment: {
        ALERT_TOPIC_ARN: alertTopic.topicArn,
        ALERT_LEDGER_TABLE_ARN: this.alertLedger.table.tableArn,
        DIGEST_THRESHOLD: String(settings.digestThreshold),
        CONFIG_RULE_PREFIX,
        POWERTOOLS_SERVICE_NAME: LAMBDAS.notifier.service,
        ...(settings.accountName !== undefined && { ACCOUNT_NAME: settings.accountName }),
      },
      ...SIZING.notifier,
      ...(members !== undefined && { central: { access: members, role: 'notifier' } }),
      logRetentionDays: settings.logRetentionDays,
      key,
      asyncDeadLetterQueue: false,
      statements: [
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['sns:Publish'], resources: [alertTopic.topicArn] }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['securityhub:BatchImportFindings'], resources: [defaultProductArn()] }),
        this.alertLedger.writerStatement(),
      ],
    });
    if (members !== undefined) {
      const { organizationId } = members.organization;
      notifier.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'AccountNames',
          effect: Effect.ALLOW,
          actions: ['organizations:DescribeAccount'],
          resources: [`arn:${Aws.PARTITION}:organizations::*:account/${organizationId}/*`],
        }),
      );
      acknowledge(
        notifier.role.policy,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::*:account/${organizationId}/*]`,
        `organizations:DescribeAccount (read-only; the account's name for alert subjects) on accounts of organization ${organizationId} only; the accounts are the organization's, present and future, and the management account id in the ARN is not known to a delegated administrator's stack.`,
      );
    }
    return notifier;
  }

  /**
   * The mapping itself, not SqsEventSource: that one's grant adds sqs:ChangeMessageVisibility and
   * sqs:GetQueueUrl, which Lambda's poller does not use. Lambda's SQS event source needs
   * ReceiveMessage, DeleteMessage and GetQueueAttributes (Lambda developer guide, "Using Lambda with
   * Amazon SQS", execution role permissions), and kms:Decrypt on the queue's key (granted with the function).
   */
  private consumeQueue(): void {
    this.notifier.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ConsumeNotifierQueue',
        effect: Effect.ALLOW,
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [this.queue.queueArn],
      }),
    );
    this.notifier.function.addEventSourceMapping('NotifierQueue', {
      eventSourceArn: this.queue.queueArn,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(20),
      reportBatchItemFailures: true,
      maxConcurrency: SIZING.notifier.reservedConcurrency,
    });
  }

  private routeComplianceChanges(key: Key, orgWide: boolean): Rule {
    const ruleName = `${Stack.of(this).stackName}-compliance-changes`;
    return new Rule(this, 'ComplianceChangeRule', {
      ruleName,
      description: `Compliance changes of this monitor's Config rules (${CONFIG_RULE_PREFIX}*${orgWide ? `, ${ORG_RULE_COPY_PREFIX}* from member accounts` : ''}) to the notifier queue`,
      eventPattern: {
        source: ['aws.config'],
        detailType: [DETAIL_TYPE],
        detail: {
          messageType: ['ComplianceChangeNotification'],
          // Org-wide, member accounts know the organization rules as OrgConfigRule-ccm-…-<suffix>.
          configRuleName: orgWide ? ruleNamePatterns() : EventMatch.prefix(CONFIG_RULE_PREFIX),
        },
      },
      targets: [
        new EncryptedQueueTarget(this.queue, key, { ruleName, deadLetterQueue: this.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) }),
      ],
    });
  }

  private watch(health: HealthAlarms): void {
    health.watchFunction('Notifier', LAMBDAS.notifier.name, this.notifier.function);
    health.watchDeadLetterQueue(
      'NotifierDlq',
      'notifier-dlq',
      this.deadLetterQueue,
      'Compliance changes could not be turned into findings and alerts after 5 attempts.',
    );
    health.watchQueueAge('NotifierQueue', 'notifier-queue', this.queue, Duration.hours(1));
    health.watchRuleDelivery('ComplianceChangeRule', 'compliance-change-rule', this.complianceChangeRule);
  }
}
