import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, CfnOutput, Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CONFIG_RULE_PREFIX } from '../routing.js';
import type { MonitorSettings } from '../settings.js';
import type { ConstructAcknowledgement, EvidenceArchive } from './evidence-archive.js';
import type { HealthAlarms } from './health.js';
import { MonitorFunction, PROJECT_ROOT } from './monitor-function.js';
import { REPORTS_PREFIX, TRANSITIONS_PREFIX } from '../../functions/evidence/transitions.js';
import { LAMBDAS } from '../../functions/shared/services.js';

/** One run a month; it pages through every rule's results in every account, so it gets Lambda's longest timeout. */
export const REPORT_SIZING = { memorySize: 1024, timeout: Duration.minutes(15), reservedConcurrency: 1 } as const;

export interface MonthlyReportProps {
  readonly settings: MonitorSettings;
  readonly key: IKey;
  readonly alertTopic: ITopic;
  readonly archive: EvidenceArchive;
  readonly health: HealthAlarms;
  /** Org-wide: the member-role environment and account filter (functions/org/env.ts, refresher/organization.ts). */
  readonly environment: Readonly<Record<string, string>>;
  /** Org-wide: assume the member role, report a refusing one on the health topic. */
  readonly statements: readonly PolicyStatement[];
  /** Org-wide: the role name member roles trust. */
  readonly roleName?: string;
}

function projectVersion(): string {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/**
 * The monthly evidence report: on a schedule (settings `evidence.reportSchedule`) a function reads the
 * current results of our Config rules (org-wide, in every monitored account through its member role)
 * and the month's compliance transitions from the archive, writes the HTML, CSV and JSON reports to
 * `reports/YYYY-MM/` and announces them on the alert topic (`transition` = `report`).
 */
export class MonthlyReport extends Construct {
  readonly fn: MonitorFunction;
  readonly schedule: Rule;
  private readonly acknowledgements: ConstructAcknowledgement[] = [];

  constructor(scope: Construct, id: string, props: MonthlyReportProps) {
    super(scope, id);
    const { settings, archive } = props;
    const orgWide = settings.organization !== undefined;
    // This account's rules in this Region: organization rules reach accounts as OrgConfigRule-ccm-<id>-<suffix>, so names are listed, not known.
    const rulesArn = `arn:${Aws.PARTITION}:config:${Aws.REGION}:${Aws.ACCOUNT_ID}:config-rule/*`;
    this.fn = new MonitorFunction(this, 'Function', {
      orgWide,
      entry: LAMBDAS.report.entry,
      description: "Clinic Compliance Monitor monthly report: HIPAA evidence (HTML, CSV, JSON) from the rules' results and the month's transitions",
      environment: {
        POWERTOOLS_SERVICE_NAME: LAMBDAS.report.service,
        EVIDENCE_BUCKET: archive.bucket.bucketName,
        ALERT_TOPIC_ARN: props.alertTopic.topicArn,
        RULE_IDS: settings.rules.map((rule) => rule.entry.id).join(','),
        CONFIG_RULE_PREFIX,
        EXEMPTION_TAG_KEY: settings.exemptionTagKey,
        ACCOUNT_ID: Aws.ACCOUNT_ID,
        PROJECT_VERSION: projectVersion(),
        ...(settings.accountName !== undefined && { ACCOUNT_NAME: settings.accountName }),
        ...props.environment,
      },
      ...REPORT_SIZING,
      ...(props.roleName !== undefined && { roleName: props.roleName }),
      logRetentionDays: settings.logRetentionDays,
      key: props.key,
      asyncDeadLetterQueue: true,
      // A retry would write and announce the month again; a failed run is re-run by hand (README "Monthly evidence report").
      asyncRetryAttempts: 0,
      statements: [
        // DescribeConfigRules has no resource type (Service Authorization Reference): it lists every rule's definition, read-only.
        new PolicyStatement({ sid: 'ListRules', effect: Effect.ALLOW, actions: ['config:DescribeConfigRules'], resources: ['*'] }),
        new PolicyStatement({ sid: 'ReadRuleResults', effect: Effect.ALLOW, actions: ['config:GetComplianceDetailsByConfigRule'], resources: [rulesArn] }),
        ...archive.reportStatements(),
        new PolicyStatement({ sid: 'AnnounceReport', effect: Effect.ALLOW, actions: ['sns:Publish'], resources: [props.alertTopic.topicArn] }),
        ...props.statements,
      ],
    });
    this.acknowledgements.push(
      {
        construct: this.fn.role.policy,
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'config:DescribeConfigRules (read-only: rule definitions) has no resource type in the Service Authorization Reference, so it accepts only Resource "*". The report lists the rules to find ours by name (ccm-<id>, or OrgConfigRule-ccm-<id>-<suffix> for organization rules) and their parameters in effect.',
      },
      {
        construct: this.fn.role.policy,
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]',
        reason:
          "config:GetComplianceDetailsByConfigRule (read-only) on this account's Config rules in this Region: organization rules reach accounts as copies named OrgConfigRule-ccm-<id>-<suffix> whose ARNs end in Config's generated rule id, which the stack cannot reference; the report reads the results of the rules it found by name.",
      },
      archive.prefixAcknowledgement(
        this.fn,
        TRANSITIONS_PREFIX,
        `s3:GetObject on the evidence bucket's ${TRANSITIONS_PREFIX} prefix only: the notifier names each object after its batch, so the month's objects are found by listing (s3:ListBucket, limited to the same prefix by s3:prefix).`,
      ),
      archive.prefixAcknowledgement(
        this.fn,
        REPORTS_PREFIX,
        `s3:PutObject on the evidence bucket's ${REPORTS_PREFIX} prefix only: one folder per month (${REPORTS_PREFIX}YYYY-MM/), known only when the report runs.`,
      ),
    );
    const org = settings.organization;
    if (org !== undefined) {
      // Its own policy, so the "*" it needs is acknowledged on nothing else.
      const accountList = new ManagedPolicy(this.fn, 'AccountListPolicy', {
        description: "List the organization's accounts whose results the monthly report reads",
        roles: [this.fn.role],
        statements: [new PolicyStatement({ sid: 'ListOrganizationAccounts', effect: Effect.ALLOW, actions: ['organizations:ListAccounts'], resources: ['*'] })],
      });
      this.acknowledgements.push({
        construct: accountList,
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `organizations:ListAccounts (read-only), alone in this policy: it has no resource type in the Service Authorization Reference, so it accepts only Resource "*". The monthly report lists the accounts of organization ${org.organizationId} to read each one's rule results.`,
      });
    }

    this.schedule = new Rule(this, 'Schedule', {
      description: `Monthly evidence report (${settings.evidence.reportSchedule}, UTC): the month before each run`,
      schedule: Schedule.expression(settings.evidence.reportSchedule),
      targets: [new LambdaFunction(this.fn.function, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });

    new CfnOutput(this, 'FunctionName', { value: this.fn.function.functionName, description: 'The monthly evidence report function: invoke with {"month": "YYYY-MM"} to (re)write a month' }).overrideLogicalId('MonthlyReportFunctionName');

    props.health.watchFunction('MonthlyReport', LAMBDAS.report.name, this.fn.function);
    if (this.fn.deadLetterQueue !== undefined) {
      props.health.watchDeadLetterQueue(
        'MonthlyReportDlq',
        'monthly-report-dlq',
        this.fn.deadLetterQueue,
        'The monthly evidence report ended failed: an account or the archive could not be read, or the report could not be written or announced. Its log names what; fix it and run the report again for that month.',
      );
    }
    props.health.watchRuleDelivery('MonthlyReportSchedule', 'monthly-report-schedule', this.schedule);
  }

  /** The cdk-nag findings this construct's permissions raise, each with its reason. */
  nagAcknowledgements(): ConstructAcknowledgement[] {
    return [...this.acknowledgements];
  }
}
