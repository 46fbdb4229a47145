/**
 * The ComplianceMonitor stack: AWS Config custom rules from the catalog, the two evaluators they
 * invoke, the compliance-change pipeline (EventBridge → encrypted SQS → notifier → SNS alerts and
 * Security Hub findings), auditor insights, and alarms on the monitor's own health.
 */
import { Aws, CfnCondition, CfnOutput, Duration, Fn, RemovalPolicy, Stack, Token, type StackProps } from 'aws-cdk-lib';
import { Match as EventMatch, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, ManagedPolicy, PolicyStatement, ServicePrincipal, type CfnManagedPolicy } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { CfnFindingAggregator, CfnHub } from 'aws-cdk-lib/aws-securityhub';
import { SubscriptionFilter, SubscriptionProtocol, Topic, type ITopicSubscription } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { DETAIL_TYPE } from '../functions/alerts/compliance-change.js';
import { AuditorInsights, defaultProductArn, hubArn } from './constructs/auditor-insights.js';
import { ComplianceRule } from './constructs/compliance-rule.js';
import { AlertLedger } from './constructs/alert-ledger.js';
import { EncryptedQueueTarget } from './constructs/encrypted-queue-target.js';
import { EvidenceArchive } from './constructs/evidence-archive.js';
import { LAMBDAS, METRICS_NAMESPACE } from '../functions/shared/services.js';
import { HealthAlarms } from './constructs/health.js';
import { MonitorFunction } from './constructs/monitor-function.js';
import { MonthlyReport, REPORT_SIZING } from './constructs/monthly-report.js';
import { RecorderHealth } from './constructs/recorder-health.js';
import { acknowledge } from './nag.js';
import { centralRoleName, MemberStackSet, OrganizationComplianceRule, OrganizationEventBusPolicy, ruleNamePatterns, ORG_RULE_COPY_PREFIX } from './org.js';
import { CONFIG_RULE_PREFIX, routeRule, type Evaluator } from './routing.js';
import type { EnabledRule, MonitorSettings, OrganizationSettings, Subscription } from './settings.js';

export const STACK_NAME = 'ClinicComplianceMonitor';

/** Sizing: explicit and small; the README's cost estimate uses these numbers. */
export const SIZING = {
  change: { memorySize: 256, timeout: Duration.minutes(1), reservedConcurrency: 10 },
  /** Reserved concurrency: one per periodic rule (at least 2), set in the stack. */
  periodic: { memorySize: 1024, timeout: Duration.minutes(5) },
  notifier: { memorySize: 256, timeout: Duration.minutes(1), reservedConcurrency: 2 },
  /** Daily: pages through our findings at GetFindings' 3 requests/second, then re-imports the due ones. */
  refresher: { memorySize: 512, timeout: Duration.minutes(10), reservedConcurrency: 1 },
  /** Every 6 hours: two Config reads per monitored account, four accounts at a time. */
  recorderHealth: { memorySize: 256, timeout: Duration.minutes(2), reservedConcurrency: 1 },
} as const;

/**
 * Reserved concurrency of each function for the rules a Region's stack deploys; a function that is not
 * deployed reserves 0. Periodic rules fire together: one concurrent run each (at least 2), so a daily
 * cycle is never throttled. `npm run doctor` checks the account's Lambda quota against the sum.
 */
export function reservedConcurrency(deployed: readonly EnabledRule['entry'][]): Record<'change' | 'periodic' | 'notifier' | 'refresher' | 'recorderHealth' | 'monthlyReport', number> {
  const periodic = deployed.filter((entry) => routeRule(entry).evaluator === 'periodic').length;
  return {
    change: deployed.length > periodic ? SIZING.change.reservedConcurrency : 0,
    periodic: periodic === 0 ? 0 : Math.max(2, periodic),
    notifier: SIZING.notifier.reservedConcurrency,
    refresher: SIZING.refresher.reservedConcurrency,
    recorderHealth: SIZING.recorderHealth.reservedConcurrency,
    monthlyReport: REPORT_SIZING.reservedConcurrency,
  };
}

/** SQS: a queue's visibility timeout should be at least six times its consumer's timeout. */
const NOTIFIER_VISIBILITY = Duration.seconds(SIZING.notifier.timeout.toSeconds() * 6);

export interface ComplianceMonitorStackProps extends StackProps {
  readonly settings: MonitorSettings;
  /**
   * Record the reviewed cdk-nag acknowledgements. Off, every finding shows: how the tests prove each
   * acknowledgement answers a real finding.
   * @default true
   */
  readonly acknowledgeNagFindings?: boolean;
}

export interface NagAcknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

export class ComplianceMonitorStack extends Stack {
  readonly key: Key;
  readonly alertTopic: Topic;
  readonly alarmTopic: Topic;
  readonly evaluators: Partial<Record<Evaluator, MonitorFunction>> = {};
  readonly rules: ComplianceRule[] = [];
  /** Org-wide: the organization Config rules (instead of `rules`). */
  readonly organizationRules: OrganizationComplianceRule[] = [];
  /** Org-wide, home Region only: the member part in every target account and Region. */
  readonly memberStackSet?: MemberStackSet;
  readonly eventBusPolicy?: OrganizationEventBusPolicy;
  readonly findingAggregator?: CfnFindingAggregator;
  /** Org-wide settings, when this is a central stack. */
  readonly organization?: OrganizationSettings;
  readonly notifier: MonitorFunction;
  readonly refresher: MonitorFunction;
  readonly refreshSchedule: Rule;
  readonly notifierQueue: Queue;
  readonly notifierDeadLetterQueue: Queue;
  /** What the notifier paged last per rule and resource: each change pages once, never over a newer one. */
  readonly alertLedger: AlertLedger;
  readonly complianceChangeRule: Rule;
  readonly health: HealthAlarms;
  readonly recorderHealth: RecorderHealth;
  readonly insights: AuditorInsights;
  /** The evidence bucket (transitions and monthly reports, under Object Lock) and its access-log bucket. */
  readonly evidence: EvidenceArchive;
  readonly monthlyReport: MonthlyReport;
  /** The cdk-nag acknowledgements made, for review and tests. */
  readonly nagAcknowledgements: NagAcknowledgement[] = [];

  constructor(scope: Construct, id: string, props: ComplianceMonitorStackProps) {
    super(scope, id, { description: 'Clinic Compliance Monitor: HIPAA-basics checks (encryption, MFA, patching, backups) as AWS Config rules, alerts and Security Hub findings', ...props });
    const { settings } = props;
    this.organization = settings.organization;
    if (this.organization !== undefined && Token.isUnresolved(this.region)) {
      throw new Error('an org-wide monitor stack needs a concrete Region (the app creates one per organization.regions entry)');
    }

    this.key = new Key(this, 'Key', {
      description: 'Clinic Compliance Monitor: encrypts its topics, queues and log groups',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.allowServicesToUseKey();

    this.alertTopic = new Topic(this, 'AlertTopic', { displayName: 'Clinic Compliance Monitor alerts', masterKey: this.key, enforceSSL: true });
    this.alarmTopic = new Topic(this, 'AlarmTopic', { displayName: 'Clinic Compliance Monitor health', masterKey: this.key, enforceSSL: true });
    for (const subscription of settings.alerts) this.alertTopic.addSubscription(toSubscription(subscription));
    for (const subscription of settings.alarms) this.alarmTopic.addSubscription(toSubscription(subscription));
    this.health = new HealthAlarms(this, 'Health', { topic: this.alarmTopic });

    this.createEvaluatorsAndRules(settings);

    this.notifierDeadLetterQueue = new Queue(this, 'NotifierDeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.notifierQueue = new Queue(this, 'NotifierQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      visibilityTimeout: NOTIFIER_VISIBILITY,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.notifierDeadLetterQueue, maxReceiveCount: 5 },
    });
    this.alertLedger = new AlertLedger(this, 'AlertLedger', { key: this.key });
    this.notifier = new MonitorFunction(this, 'Notifier', {
      orgWide: this.organization !== undefined,
      entry: LAMBDAS.notifier.entry,
      description: 'Clinic Compliance Monitor notifier: compliance changes to Security Hub findings and SNS alerts',
      environment: {
        ALERT_TOPIC_ARN: this.alertTopic.topicArn,
        ALERT_LEDGER_TABLE_ARN: this.alertLedger.table.tableArn,
        DIGEST_THRESHOLD: String(settings.digestThreshold),
        CONFIG_RULE_PREFIX,
        POWERTOOLS_SERVICE_NAME: LAMBDAS.notifier.service,
        ...(settings.accountName !== undefined && { ACCOUNT_NAME: settings.accountName }),
        ...this.orgEnvironment(),
      },
      ...SIZING.notifier,
      ...(this.organization !== undefined && { roleName: centralRoleName('notifier', this.region) }),
      logRetentionDays: settings.logRetentionDays,
      key: this.key,
      asyncDeadLetterQueue: false,
      statements: [
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['sns:Publish'], resources: [this.alertTopic.topicArn] }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.key.keyArn] }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['securityhub:BatchImportFindings'], resources: [defaultProductArn()] }),
        this.alertLedger.writerStatement(),
        ...this.orgStatements(),
        ...(this.organization === undefined
          ? []
          : [
              new PolicyStatement({
                sid: 'AccountNames',
                effect: Effect.ALLOW,
                actions: ['organizations:DescribeAccount'],
                resources: [`arn:${Aws.PARTITION}:organizations::*:account/${this.organization.organizationId}/*`],
              }),
            ]),
      ],
    });
    // The mapping itself, not SqsEventSource: that one's grant adds sqs:ChangeMessageVisibility and
    // sqs:GetQueueUrl, which Lambda's poller does not use. Lambda's SQS event source needs
    // ReceiveMessage, DeleteMessage and GetQueueAttributes (Lambda developer guide, "Using Lambda with
    // Amazon SQS", execution role permissions), and kms:Decrypt on the queue's key (granted above).
    this.notifier.role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'ConsumeNotifierQueue', effect: Effect.ALLOW, actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [this.notifierQueue.queueArn] }),
    );
    this.notifier.function.addEventSourceMapping('NotifierQueue', {
      eventSourceArn: this.notifierQueue.queueArn,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(20),
      reportBatchItemFailures: true,
      maxConcurrency: SIZING.notifier.reservedConcurrency,
    });

    const ruleName = `${this.stackName}-compliance-changes`;
    this.complianceChangeRule = new Rule(this, 'ComplianceChangeRule', {
      ruleName,
      description: `Compliance changes of this monitor's Config rules (${CONFIG_RULE_PREFIX}*${this.organization === undefined ? '' : `, ${ORG_RULE_COPY_PREFIX}* from member accounts`}) to the notifier queue`,
      eventPattern: {
        source: ['aws.config'],
        detailType: [DETAIL_TYPE],
        detail: {
          messageType: ['ComplianceChangeNotification'],
          // Org-wide, member accounts know the organization rules as OrgConfigRule-ccm-…-<suffix>.
          configRuleName: this.organization === undefined ? EventMatch.prefix(CONFIG_RULE_PREFIX) : ruleNamePatterns(),
        },
      },
      targets: [new EncryptedQueueTarget(this.notifierQueue, this.key, { ruleName, deadLetterQueue: this.notifierDeadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });

    this.health.watchFunction('Notifier', LAMBDAS.notifier.name, this.notifier.function);
    this.health.watchDeadLetterQueue('NotifierDlq', 'notifier-dlq', this.notifierDeadLetterQueue, 'Compliance changes could not be turned into findings and alerts after 5 attempts.');
    this.health.watchQueueAge('NotifierQueue', 'notifier-queue', this.notifierQueue, Duration.hours(1));
    this.health.watchRuleDelivery('ComplianceChangeRule', 'compliance-change-rule', this.complianceChangeRule);

    this.evidence = new EvidenceArchive(this, 'Evidence', { key: this.key, settings: settings.evidence });
    this.evidence.acceptTransitionsFrom(this.notifier);
    this.monthlyReport = new MonthlyReport(this, 'MonthlyReport', {
      settings,
      key: this.key,
      alertTopic: this.alertTopic,
      archive: this.evidence,
      health: this.health,
      environment: { ...this.orgEnvironment(), ...this.accountFilterEnvironment() },
      statements: this.orgStatements(),
      ...(this.organization !== undefined && { roleName: centralRoleName('report', this.region) }),
    });

    // Security Hub deletes findings 90 days after their last update; a resource that stays failing sends no change.
    // Org-wide it refreshes every monitored account's findings in that account, through the member role.
    this.refresher = new MonitorFunction(this, 'FindingsRefresher', {
      orgWide: this.organization !== undefined,
      entry: LAMBDAS.refresher.entry,
      description: 'Clinic Compliance Monitor findings refresher: re-imports our active findings before Security Hub expires them',
      environment: { POWERTOOLS_SERVICE_NAME: LAMBDAS.refresher.service, ...this.orgEnvironment(), ...this.accountFilterEnvironment() },
      ...SIZING.refresher,
      ...(this.organization !== undefined && { roleName: centralRoleName('refresher', this.region) }),
      logRetentionDays: settings.logRetentionDays,
      key: this.key,
      asyncDeadLetterQueue: true,
      statements: [
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['securityhub:GetFindings'], resources: [hubArn()] }),
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['securityhub:BatchImportFindings'], resources: [defaultProductArn()] }),
        ...this.orgStatements(),
      ],
    });
    if (this.organization !== undefined) {
      // Its own policy, so the "*" it needs is acknowledged on nothing else.
      new ManagedPolicy(this.refresher, 'AccountListPolicy', {
        description: "List the organization's accounts whose findings the refresher keeps alive",
        roles: [this.refresher.role],
        statements: [new PolicyStatement({ sid: 'ListOrganizationAccounts', effect: Effect.ALLOW, actions: ['organizations:ListAccounts'], resources: ['*'] })],
      });
    }
    this.refreshSchedule = new Rule(this, 'FindingsRefreshSchedule', {
      description: "Once a day: keep the monitor's still-active Security Hub findings from expiring",
      schedule: Schedule.rate(Duration.days(1)),
      targets: [new LambdaFunction(this.refresher.function, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    this.health.watchFunction('FindingsRefresher', LAMBDAS.refresher.name, this.refresher.function);
    if (this.refresher.deadLetterQueue !== undefined) {
      this.health.watchDeadLetterQueue('RefresherDlq', 'findings-refresher-dlq', this.refresher.deadLetterQueue, 'The daily findings refresh failed after Lambda retries: failing findings may expire from Security Hub.');
    }
    this.health.watchRuleDelivery('FindingsRefreshSchedule', 'findings-refresh-schedule', this.refreshSchedule);

    // If AWS Config stops recording, every rule goes silent and stays green: check it on a schedule of our own.
    this.recorderHealth = new RecorderHealth(this, 'RecorderHealth', {
      key: this.key,
      alarmTopic: this.alarmTopic,
      health: this.health,
      logRetentionDays: settings.logRetentionDays,
      sizing: SIZING.recorderHealth,
      ...(this.organization !== undefined && {
        org: {
          roleName: centralRoleName('recorderHealth', this.region),
          environment: { ...this.orgEnvironment(), ...this.accountFilterEnvironment() },
          statements: this.orgStatements(),
        },
      }),
    });

    const hub = settings.enableSecurityHub ? new CfnHub(this, 'SecurityHub', { enableDefaultStandards: false, controlFindingGenerator: 'SECURITY_CONTROL' }) : undefined;
    // Removing the monitor must not switch off Security Hub: other products' findings live there too.
    hub?.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.insights = new AuditorInsights(this, 'AuditorInsights', { rules: settings.rules.map((rule) => rule.entry), allAccounts: this.organization !== undefined, ...(hub !== undefined && { hub }) });

    const org = this.organization;
    if (org !== undefined) {
      // Member accounts' forwarders put compliance changes on this Region's default bus.
      this.eventBusPolicy = new OrganizationEventBusPolicy(this, 'OrganizationEventBusPolicy', { organizationId: org.organizationId });
      if (this.region === org.homeRegion) {
        this.memberStackSet = new MemberStackSet(this, 'MemberStackSet', { organization: org, rules: settings.rules, centralAccountId: Aws.ACCOUNT_ID, partition: Aws.PARTITION });
        // Config evaluates a change rule when it is created; without the member role that first evaluation
        // fails, and resources that never change keep no result. So the rules wait for the members' roles.
        for (const rule of this.organizationRules) rule.resource.node.addDependency(this.memberStackSet.resource);
        new CfnOutput(this, 'MemberStackSetName', { value: this.memberStackSet.resource.attrStackSetId, description: 'The member StackSet (role and compliance-change forwarding in each monitored account)' });
        // Nothing to aggregate with a single Region.
        if (org.createFindingAggregator && org.regions.length > 1) {
          this.findingAggregator = new CfnFindingAggregator(this, 'FindingAggregator', { regionLinkingMode: 'SPECIFIED_REGIONS', regions: org.regions.filter((r) => r !== org.homeRegion) });
          if (hub !== undefined) this.findingAggregator.node.addDependency(hub);
        }
      }
    }

    new CfnOutput(this, 'AlertTopicArn', { value: this.alertTopic.topicArn, description: 'Subscribe on-call here (alerts carry severity, ruleId, accountId, compliance, transition attributes)' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: "Alarms about the monitor's own health" });

    if (props.acknowledgeNagFindings ?? true) this.acknowledgeNagFindings();
  }

  private acknowledge(construct: IConstruct, id: string, reason: string): void {
    acknowledge(construct, id, reason);
    this.nagAcknowledgements.push({ path: construct.node.path, id, reason });
  }

  /**
   * Service principals that encrypt or decrypt with the key: CloudWatch Logs (log groups, scoped to
   * this account's log groups) and CloudWatch alarms publishing to the encrypted alarm topic.
   * EventBridge's use for the notifier queue is granted by EncryptedQueueTarget (scoped to the rule).
   */
  private allowServicesToUseKey(): void {
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsEncryptsMonitorLogGroups',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
  }

  private createEvaluatorsAndRules(settings: MonitorSettings): void {
    const routed = settings.rules.map((rule) => ({ rule, route: routeRule(rule.entry) }));
    const { globalCondition, includeGlobal } = this.homeRegionPlacement(settings.organization?.homeRegion ?? settings.homeRegion);
    const deployed = routed.filter(({ route }) => includeGlobal || !route.global);
    const homeRegion = settings.organization?.homeRegion ?? settings.homeRegion ?? Aws.REGION;
    // Both evaluators run scheduled rules, and put only what changed in them.
    const common = { EXEMPTION_TAG_KEY: settings.exemptionTagKey, PERIODIC_RESTATE_DAYS: String(settings.periodicRestateDays), POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE };

    for (const evaluator of ['change', 'periodic'] as const) {
      const mine = deployed.filter(({ route }) => route.evaluator === evaluator);
      if (mine.length === 0) continue;
      const entries = mine.map(({ rule }) => rule.entry);
      const fn = new MonitorFunction(this, evaluator === 'change' ? 'ChangeEvaluator' : 'PeriodicEvaluator', {
        orgWide: this.organization !== undefined,
        entry: LAMBDAS[evaluator].entry,
        description:
          evaluator === 'change'
            ? 'Clinic Compliance Monitor change evaluator: Config rules on one configuration item'
            : 'Clinic Compliance Monitor periodic evaluator: Config rules over the whole inventory',
        environment: {
          ...(evaluator === 'change' ? { ...common, POWERTOOLS_SERVICE_NAME: LAMBDAS.change.service } : { ...common, POWERTOOLS_SERVICE_NAME: LAMBDAS.periodic.service, HOME_REGION: homeRegion }),
          ...this.orgEnvironment(),
          ...(settings.organization !== undefined && Object.keys(settings.organization.accountOverrides).length > 0 && { ACCOUNT_OVERRIDES: JSON.stringify(settings.organization.accountOverrides) }),
        },
        ...(settings.organization !== undefined && { roleName: centralRoleName(evaluator, this.region) }),
        memorySize: SIZING[evaluator].memorySize,
        timeout: SIZING[evaluator].timeout,
        reservedConcurrency: reservedConcurrency(entries)[evaluator],
        logRetentionDays: settings.logRetentionDays,
        key: this.key,
        asyncDeadLetterQueue: true,
        statements: [...evaluatorStatements(evaluator, entries), ...this.orgStatements()],
      });
      this.evaluators[evaluator] = fn;
      // Org-wide, each member account's Config invokes the function: no SourceAccount can name them all
      // (Lambda offers no organization condition for service principals). README "Org-wide deployment".
      fn.function.addPermission('ConfigInvoke', {
        principal: new ServicePrincipal('config.amazonaws.com'),
        ...(settings.organization === undefined && { sourceAccount: Aws.ACCOUNT_ID }),
        action: 'lambda:InvokeFunction',
      });
      const permission = fn.function.permissionsNode.findChild('ConfigInvoke') as CfnPermission;

      if (settings.organization !== undefined) {
        const excludedAccounts = settings.organization.excludeAccounts;
        this.organizationRules.push(
          ...mine.map(
            ({ rule }) =>
              new OrganizationComplianceRule(this, `OrgRule-${rule.entry.id}`, { rule, evaluator: fn.function, invokePermission: permission, maximumExecutionFrequency: settings.periodicFrequency, excludedAccounts }),
          ),
        );
        // This account's copies of the organization rules are named OrgConfigRule-ccm-…-<suffix>, their ARNs by Config's generated id.
        if (readsRuleResults(evaluator, entries)) {
          new ManagedPolicy(fn, 'RuleResultsPolicy', {
            description: 'Read the results of the rules this evaluator reports for',
            roles: [fn.role],
            statements: [new PolicyStatement({ effect: Effect.ALLOW, actions: ['config:GetComplianceDetailsByConfigRule'], resources: [`arn:${Aws.PARTITION}:config:${Aws.REGION}:${Aws.ACCOUNT_ID}:config-rule/*`] })],
          });
        }
        this.watchEvaluator(evaluator, fn, mine, undefined);
        continue;
      }

      const rules = mine.map(
        ({ rule, route }) =>
          new ComplianceRule(this, `Rule-${rule.entry.id}`, {
            rule,
            evaluator: fn.function,
            invokePermission: permission,
            maximumExecutionFrequency: settings.periodicFrequency,
            ...(route.global && globalCondition !== undefined && { condition: globalCondition }),
          }),
      );
      this.rules.push(...rules);
      if (readsRuleResults(evaluator, entries)) this.addRuleResultsPolicy(fn, rules.filter((rule) => rule.route.periodic), globalCondition);
      this.watchEvaluator(evaluator, fn, mine, globalCondition);
    }
  }

  private watchEvaluator(evaluator: Evaluator, fn: MonitorFunction, mine: readonly { route: { global: boolean } }[], globalCondition: CfnCondition | undefined): void {
    this.health.watchFunction(evaluator === 'change' ? 'ChangeEvaluator' : 'PeriodicEvaluator', LAMBDAS[evaluator].name, fn.function);
    if (fn.deadLetterQueue !== undefined) {
      this.health.watchDeadLetterQueue(`${evaluator === 'change' ? 'Change' : 'Periodic'}Dlq`, `${evaluator}-evaluator-dlq`, fn.deadLetterQueue, 'Config rule evaluations failed after Lambda retries: those resources keep their last result until the next trigger.');
    }
    if (evaluator === 'periodic') {
      // If every periodic rule exists only in the home Region, so does the heartbeat.
      const onlyGlobal = mine.every(({ route }) => route.global);
      this.health.watchPeriodicHeartbeat(onlyGlobal ? globalCondition : undefined);
    }
  }

  /** Org-wide: what the functions that act in member accounts read at cold start (functions/org/env.ts). */
  private orgEnvironment(): Record<string, string> {
    const org = this.organization;
    if (org === undefined) return {};
    return { MEMBER_ROLE_NAME: org.memberRoleName, CENTRAL_ACCOUNT_ID: Aws.ACCOUNT_ID, HEALTH_TOPIC_ARN: this.alarmTopic.topicArn };
  }

  /** Org-wide: which of the organization's accounts the refresher covers (functions/refresher/organization.ts). */
  private accountFilterEnvironment(): Record<string, string> {
    const org = this.organization;
    if (org === undefined) return {};
    return {
      ...(org.excludeAccounts.length > 0 && { EXCLUDED_ACCOUNTS: org.excludeAccounts.join(',') }),
      ...(org.includeAccounts !== undefined && { INCLUDED_ACCOUNTS: org.includeAccounts.join(',') }),
    };
  }

  /**
   * Org-wide: assume the member role in accounts of this organization only (aws:ResourceOrgID), and
   * report a missing or refusing member role on the health topic.
   */
  private orgStatements(): PolicyStatement[] {
    const org = this.organization;
    if (org === undefined) return [];
    return [
      new PolicyStatement({
        sid: 'AssumeMemberRole',
        effect: Effect.ALLOW,
        actions: ['sts:AssumeRole'],
        resources: [`arn:${Aws.PARTITION}:iam::*:role/${org.memberRoleName}`],
        conditions: { StringEquals: { 'aws:ResourceOrgID': org.organizationId } },
      }),
      new PolicyStatement({ sid: 'MemberRoleAlerts', effect: Effect.ALLOW, actions: ['sns:Publish'], resources: [this.alarmTopic.topicArn] }),
    ];
  }

  /**
   * Account-wide IAM rules run in the home Region only. With a concrete stack Region the choice is
   * made at synth; with an environment-agnostic stack it is a template condition on AWS::Region.
   */
  private homeRegionPlacement(homeRegion: string | undefined): { includeGlobal: boolean; globalCondition?: CfnCondition } {
    if (homeRegion === undefined) return { includeGlobal: true };
    if (!Token.isUnresolved(this.region)) return { includeGlobal: this.region === homeRegion };
    const globalCondition = new CfnCondition(this, 'IsHomeRegion', { expression: Fn.conditionEquals(Aws.REGION, homeRegion) });
    return { includeGlobal: true, globalCondition };
  }

  /**
   * config:GetComplianceDetailsByConfigRule on the evaluator's own rules (to retire results of
   * resources that are gone). A separate policy, created after the rules, because rule ARNs carry
   * Config's generated rule id.
   */
  private addRuleResultsPolicy(fn: MonitorFunction, rules: readonly ComplianceRule[], condition: CfnCondition | undefined): void {
    // All rules conditioned alike: the policy takes the condition. Some: each conditioned ARN drops out where its rule does not exist.
    const policyCondition = condition !== undefined && rules.every((rule) => rule.resource.cfnOptions.condition !== undefined) ? condition : undefined;
    const arn = (rule: ComplianceRule): string => {
      const ruleCondition = rule.resource.cfnOptions.condition;
      return policyCondition !== undefined || ruleCondition === undefined ? rule.configRuleArn : Fn.conditionIf(ruleCondition.logicalId, rule.configRuleArn, Aws.NO_VALUE).toString();
    };
    const policy = new ManagedPolicy(fn, 'RuleResultsPolicy', {
      description: 'Read the results of the rules this evaluator reports for',
      roles: [fn.role],
      statements: [new PolicyStatement({ effect: Effect.ALLOW, actions: ['config:GetComplianceDetailsByConfigRule'], resources: rules.map(arn) })],
    });
    if (policyCondition !== undefined) (policy.node.defaultChild as CfnManagedPolicy).cfnOptions.condition = policyCondition;
  }

  /** Org-wide findings: the member role is assumed in accounts unknown at deploy time; this account's org rule copies have generated ARNs. */
  private acknowledgeOrgNagFindings(org: OrganizationSettings): void {
    const memberRole = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${org.memberRoleName}]`;
    for (const fn of [...Object.values(this.evaluators), this.notifier, this.refresher, this.recorderHealth.fn, this.monthlyReport.fn]) {
      this.acknowledge(
        fn.role.policy,
        memberRole,
        `sts:AssumeRole on the member role (${org.memberRoleName}) in any account: the monitored accounts are the organization's, present and future (StackSet auto-deployment), so their ids are unknown at deploy time. The statement is limited to accounts of organization ${org.organizationId} (aws:ResourceOrgID), and each member role trusts only this account's named monitor roles.`,
      );
    }
    for (const fn of Object.values(this.evaluators)) {
      const ruleResults = fn.node.tryFindChild('RuleResultsPolicy');
      if (ruleResults === undefined) continue;
      this.acknowledge(
        ruleResults,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]',
        "config:GetComplianceDetailsByConfigRule (read-only) on this account's Config rules in this Region: organization rules reach this account as copies named OrgConfigRule-ccm-<id>-<suffix> whose ARNs end in Config's generated rule id, which the stack cannot reference.",
      );
    }
    this.acknowledge(
      this.refresher.node.findChild('AccountListPolicy'),
      'AwsSolutions-IAM5[Resource::*]',
      `organizations:ListAccounts (read-only), alone in this policy: it has no resource type in the Service Authorization Reference, so it accepts only Resource "*". The findings refresher lists the accounts of organization ${org.organizationId} once a day to keep each one's findings from expiring.`,
    );
    if (this.recorderHealth.accountListPolicy !== undefined) {
      this.acknowledge(
        this.recorderHealth.accountListPolicy,
        'AwsSolutions-IAM5[Resource::*]',
        `organizations:ListAccounts (read-only), alone in this policy: it has no resource type in the Service Authorization Reference, so it accepts only Resource "*". The recorder health check lists the accounts of organization ${org.organizationId} every 6 hours to check each one's AWS Config recorder.`,
      );
    }
    this.acknowledge(
      this.notifier.role.policy,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::*:account/${org.organizationId}/*]`,
      `organizations:DescribeAccount (read-only; the account's name for alert subjects) on accounts of organization ${org.organizationId} only; the accounts are the organization's, present and future, and the management account id in the ARN is not known to a delegated administrator's stack.`,
    );
  }

  /** Every acknowledgement sits on the construct it concerns and says why; see README "Security review". */
  private acknowledgeNagFindings(): void {
    if (this.organization !== undefined) this.acknowledgeOrgNagFindings(this.organization);
    const functions = [...Object.values(this.evaluators), this.notifier, this.refresher, this.recorderHealth.fn, this.monthlyReport.fn];
    for (const { construct, id, reason } of [...this.evidence.nagAcknowledgements(), ...this.monthlyReport.nagAcknowledgements()]) this.acknowledge(construct, id, reason);
    for (const fn of functions) {
      this.acknowledge(
        fn.function,
        'HIPAA.Security-LambdaInsideVPC',
        'The function reaches only AWS public APIs (Config, IAM, Backup, EC2, Systems Manager, CloudTrail, GuardDuty, Security Hub, SNS, S3, DynamoDB) over TLS with SigV4, and no resource of its own lives in a VPC. A VPC would need a NAT gateway or an interface endpoint per service in each AZ (~$45+/month each AZ) for a small clinic, and adds no protection to these calls.',
      );
    }
    this.acknowledge(
      this.notifier.function,
      'HIPAA.Security-LambdaDLQ',
      "The notifier is invoked only by its SQS event source mapping, synchronously; a function DeadLetterConfig applies to asynchronous invocations only. Records that keep failing move to the source queue's redrive DLQ (NotifierDeadLetterQueue), which has an alarm.",
    );
    this.acknowledge(this.alertLedger.table, 'HIPAA.Security-DynamoDBInBackupPlan', AlertLedger.NO_BACKUP_PLAN);
    const change = this.evaluators.change;
    if (change !== undefined) {
      this.acknowledge(
        change.role.policy,
        'AwsSolutions-IAM5[Resource::*]',
        change.node.tryFindChild('RuleResultsPolicy') === undefined
          ? 'config:PutEvaluations and config:GetResourceConfigHistory have no resource types in the Service Authorization Reference: they accept only Resource "*".'
          : 'config:PutEvaluations, config:GetResourceConfigHistory and config:SelectResourceConfig (for scheduled item rules) have no resource types in the Service Authorization Reference: they accept only Resource "*". config:GetComplianceDetailsByConfigRule is scoped to this evaluator\'s rule ARNs in RuleResultsPolicy.',
      );
    }
    this.acknowledge(
      this.recorderHealth.fn.role.policy,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:configuration-recorder/*]',
      "config:DescribeConfigurationRecorderStatus (read-only) on this account's recorders in this Region: the recorder's name and id are the account's own, unknown at deploy time.",
    );
    this.acknowledge(
      this.recorderHealth.fn.role.policy,
      'AwsSolutions-IAM5[Resource::*]',
      'config:DescribeDeliveryChannelStatus (read-only) has no resource type in the Service Authorization Reference: it accepts only Resource "*".',
    );
    const periodic = this.evaluators.periodic;
    if (periodic !== undefined) {
      this.acknowledge(
        periodic.role.policy,
        'AwsSolutions-IAM5[Resource::*]',
        'Resource "*" only for actions without resource types in the Service Authorization Reference: config:PutEvaluations, config:SelectResourceConfig, iam:GenerateCredentialReport, iam:GetCredentialReport, backup:ListBackupPlans, ec2:GetEbsEncryptionByDefault, ssm:ListResourceComplianceSummaries, cloudtrail:DescribeTrails, guardduty:ListDetectors (account-level reads). config:GetComplianceDetailsByConfigRule is scoped to this evaluator\'s rule ARNs in RuleResultsPolicy.',
      );
      if (hasStatement(periodic, 'CloudTrailTrailStatus')) {
        this.acknowledge(
          periodic.role.policy,
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudtrail:*:*:trail/*]',
          "cloudtrail:GetTrailStatus (read-only) on trails, its resource type: the trails are what the audit rule checks, unknown at deploy time; a multi-Region trail's ARN names its home Region, and the trail an AWS Organizations management account applies to every member names that account, so neither Region nor account can be pinned.",
        );
      }
      if (hasStatement(periodic, 'GuardDutyDetectorRead')) {
        this.acknowledge(
          periodic.role.policy,
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:guardduty:<AWS::Region>:<AWS::AccountId>:detector/*]',
          "guardduty:GetDetector (read-only) on this account's detectors in this Region, its resource type: the detector id is GuardDuty's, learned from ListDetectors at run time.",
        );
      }
      if (hasBackupPlanStatement(periodic)) {
        this.acknowledge(
          periodic.role.policy,
          `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:backup:<AWS::Region>:<AWS::AccountId>:backup-plan:*]`,
          'backup:ListBackupSelections and backup:GetBackupSelection are scoped to backup plans (their resource type) in this account and Region; the plans are what the rules audit, so their ids are not known at deploy time.',
        );
      }
    }
  }
}

function hasBackupPlanStatement(fn: MonitorFunction): boolean {
  return JSON.stringify(Stack.of(fn).resolve(fn.role.policy.document.toJSON())).includes(':backup-plan:*');
}

function hasStatement(fn: MonitorFunction, sid: string): boolean {
  return JSON.stringify(Stack.of(fn).resolve(fn.role.policy.document.toJSON())).includes(`"Sid":"${sid}"`);
}

/**
 * Whether the evaluator queries the inventory and its rules' earlier results (config:SelectResourceConfig,
 * config:GetComplianceDetailsByConfigRule): the periodic evaluator always does; the change evaluator only
 * for an item rule on a schedule (catalog trigger "periodic"), since a change event carries its item.
 */
export function readsRuleResults(evaluator: Evaluator, entries: readonly EnabledRule['entry'][]): boolean {
  return evaluator === 'periodic' || entries.some((entry) => routeRule(entry).periodic);
}

/**
 * What each evaluator calls, per the Service Authorization Reference: account-level actions without
 * resource types take "*"; the Backup selection reads are scoped to backup plans, GetTrailStatus to
 * trails and GetDetector to this account's detectors. Only the data the enabled rules need (`needs`)
 * is granted.
 */
export function evaluatorStatements(evaluator: Evaluator, entries: readonly EnabledRule['entry'][]): PolicyStatement[] {
  const needs = new Set(entries.flatMap((entry) => entry.needs ?? []));
  const configActions =
    evaluator === 'change'
      ? ['config:PutEvaluations', 'config:GetResourceConfigHistory', ...(readsRuleResults(evaluator, entries) ? ['config:SelectResourceConfig'] : [])]
      : ['config:PutEvaluations', 'config:SelectResourceConfig'];
  const statements = [new PolicyStatement({ sid: 'ConfigEvaluations', effect: Effect.ALLOW, actions: configActions, resources: ['*'] })];
  if (evaluator === 'periodic') {
    if (needs.has('credentialReport')) {
      statements.push(new PolicyStatement({ sid: 'IamCredentialReport', effect: Effect.ALLOW, actions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'], resources: ['*'] }));
    }
    if (needs.has('backupSelections')) {
      statements.push(new PolicyStatement({ sid: 'BackupPlansList', effect: Effect.ALLOW, actions: ['backup:ListBackupPlans'], resources: ['*'] }));
      statements.push(
        new PolicyStatement({
          sid: 'BackupSelectionsRead',
          effect: Effect.ALLOW,
          actions: ['backup:ListBackupSelections', 'backup:GetBackupSelection'],
          resources: [`arn:${Aws.PARTITION}:backup:${Aws.REGION}:${Aws.ACCOUNT_ID}:backup-plan:*`],
        }),
      );
    }
    if (needs.has('ebsEncryptionByDefault')) {
      statements.push(new PolicyStatement({ sid: 'EbsEncryptionByDefault', effect: Effect.ALLOW, actions: ['ec2:GetEbsEncryptionByDefault'], resources: ['*'] }));
    }
    if (needs.has('patchScanTimes')) {
      statements.push(new PolicyStatement({ sid: 'SsmPatchScanTimes', effect: Effect.ALLOW, actions: ['ssm:ListResourceComplianceSummaries'], resources: ['*'] }));
    }
    if (needs.has('cloudTrailTrails')) {
      statements.push(new PolicyStatement({ sid: 'CloudTrailTrailsList', effect: Effect.ALLOW, actions: ['cloudtrail:DescribeTrails'], resources: ['*'] }));
      // A multi-Region trail's ARN names its home Region, an organization trail's the management account.
      statements.push(new PolicyStatement({ sid: 'CloudTrailTrailStatus', effect: Effect.ALLOW, actions: ['cloudtrail:GetTrailStatus'], resources: [`arn:${Aws.PARTITION}:cloudtrail:*:*:trail/*`] }));
    }
    if (needs.has('guardDutyDetectors')) {
      statements.push(new PolicyStatement({ sid: 'GuardDutyDetectorsList', effect: Effect.ALLOW, actions: ['guardduty:ListDetectors'], resources: ['*'] }));
      statements.push(
        new PolicyStatement({ sid: 'GuardDutyDetectorRead', effect: Effect.ALLOW, actions: ['guardduty:GetDetector'], resources: [`arn:${Aws.PARTITION}:guardduty:${Aws.REGION}:${Aws.ACCOUNT_ID}:detector/*`] }),
      );
    }
  }
  return statements;
}

function toSubscription(subscription: Subscription): ITopicSubscription {
  const filterPolicy =
    subscription.filter === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(subscription.filter)
            .filter((pair): pair is [string, string[]] => Array.isArray(pair[1]))
            .map(([key, values]) => [key, SubscriptionFilter.stringFilter({ allowlist: values })]),
        );
  const options = filterPolicy === undefined ? {} : { filterPolicy };
  switch (subscription.protocol) {
    case 'email':
      return new EmailSubscription(subscription.endpoint, options);
    case 'sms':
      return new SmsSubscription(subscription.endpoint, options);
    case 'https':
      return new UrlSubscription(subscription.endpoint, { ...options, protocol: SubscriptionProtocol.HTTPS });
  }
}

