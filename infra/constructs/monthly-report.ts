import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, CfnOutput, Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { CONFIG_RULE_PREFIX } from '../routing.js';
import type { MonitorSettings } from '../settings.js';
import { SIZING } from '../sizing.js';
import type { EvidenceArchive } from './evidence-archive.js';
import type { HealthAlarms } from './health.js';
import type { MemberRoleAccess } from './member-role-access.js';
import { MonitorFunction, PROJECT_ROOT } from './monitor-function.js';
import { REPORTS_PREFIX, TRANSITIONS_PREFIX } from '../../functions/evidence/transitions.js';
import { LAMBDAS } from '../../functions/shared/services.js';

export interface MonthlyReportProps {
  readonly settings: MonitorSettings;
  readonly key: IKey;
  readonly alertTopic: ITopic;
  readonly archive: EvidenceArchive;
  readonly health: HealthAlarms;
  /** Org-wide: read every monitored account's results through its member role. */
  readonly members?: MemberRoleAccess;
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

  constructor(scope: Construct, id: string, props: MonthlyReportProps) {
    super(scope, id);
    const { settings, archive, members } = props;
    // This account's rules in this Region: organization rules reach accounts as OrgConfigRule-ccm-<id>-<suffix>, so names are listed, not known.
    const rulesArn = `arn:${Aws.PARTITION}:config:${Aws.REGION}:${Aws.ACCOUNT_ID}:config-rule/*`;
    this.fn = new MonitorFunction(this, 'Function', {
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
        ...members?.accountFilterEnvironment(),
      },
      ...SIZING.monthlyReport,
      ...(members !== undefined && { central: { access: members, role: 'report' } }),
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
      ],
    });
    members?.addAccountListPolicy(
      this.fn,
      "List the organization's accounts whose results the monthly report reads",
      `The monthly report lists the accounts of organization ${members.organization.organizationId} to read each one's rule results.`,
    );
    this.schedule = new Rule(this, 'Schedule', {
      description: `Monthly evidence report (${settings.evidence.reportSchedule}, UTC): the month before each run`,
      schedule: Schedule.expression(settings.evidence.reportSchedule),
      targets: [new LambdaFunction(this.fn.function, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    new CfnOutput(this, 'FunctionName', {
      value: this.fn.function.functionName,
      description: 'The monthly evidence report function: invoke with {"month": "YYYY-MM"} to (re)write a month',
    }).overrideLogicalId('MonthlyReportFunctionName');
    this.watch(props.health);
    this.acknowledgeNagFindings(archive);
  }

  private watch(health: HealthAlarms): void {
    health.watchFunction('MonthlyReport', LAMBDAS.report.name, this.fn.function);
    if (this.fn.deadLetterQueue !== undefined) {
      health.watchDeadLetterQueue(
        'MonthlyReportDlq',
        'monthly-report-dlq',
        this.fn.deadLetterQueue,
        'The monthly evidence report ended failed: an account or the archive could not be read, or the report could not be written or announced. Its log names what; fix it and run the report again for that month.',
      );
    }
    health.watchRuleDelivery('MonthlyReportSchedule', 'monthly-report-schedule', this.schedule);
  }

  private acknowledgeNagFindings(archive: EvidenceArchive): void {
    const policy = this.fn.role.policy;
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      'config:DescribeConfigRules (read-only: rule definitions) has no resource type in the Service Authorization Reference, so it accepts only Resource "*". The report lists the rules to find ours by name (ccm-<id>, or OrgConfigRule-ccm-<id>-<suffix> for organization rules) and their parameters in effect.',
    );
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]',
      "config:GetComplianceDetailsByConfigRule (read-only) on this account's Config rules in this Region: organization rules reach accounts as copies named OrgConfigRule-ccm-<id>-<suffix> whose ARNs end in Config's generated rule id, which the stack cannot reference; the report reads the results of the rules it found by name.",
    );
    archive.acknowledgePrefix(
      this.fn,
      TRANSITIONS_PREFIX,
      `s3:GetObject on the evidence bucket's ${TRANSITIONS_PREFIX} prefix only: the notifier names each object after its batch, so the month's objects are found by listing (s3:ListBucket, limited to the same prefix by s3:prefix).`,
    );
    archive.acknowledgePrefix(
      this.fn,
      REPORTS_PREFIX,
      `s3:PutObject on the evidence bucket's ${REPORTS_PREFIX} prefix only: one folder per month (${REPORTS_PREFIX}YYYY-MM/), known only when the report runs.`,
    );
  }
}
