/**
 * The ComplianceMonitor stack: AWS Config custom rules from the catalog and the evaluators they invoke,
 * the compliance-change pipeline (EventBridge → encrypted SQS → notifier → SNS alerts and Security Hub
 * findings), the findings refresher, the evidence archive and monthly report, auditor insights, and
 * alarms on the monitor's own health. Each part is a construct with its own alarms and cdk-nag
 * acknowledgements; this class composes them.
 */
import { CfnOutput, RemovalPolicy, Stack, Token, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { CfnFindingAggregator, CfnHub } from 'aws-cdk-lib/aws-securityhub';
import type { Construct } from 'constructs';
import { AuditorInsights } from './constructs/auditor-insights.js';
import { ConfigRules } from './constructs/config-rules.js';
import { EvidenceArchive } from './constructs/evidence-archive.js';
import { FindingsRefresher } from './constructs/findings-refresher.js';
import { HealthAlarms } from './constructs/health.js';
import { MemberRoleAccess } from './constructs/member-role-access.js';
import { MonitorKey } from './constructs/monitor-key.js';
import { MonitorTopic } from './constructs/monitor-topic.js';
import { MonthlyReport } from './constructs/monthly-report.js';
import { NotifierPipeline } from './constructs/notifier-pipeline.js';
import { RecorderHealth } from './constructs/recorder-health.js';
import { logicalIdScopes } from './constructs/stack-part.js';
import { ACKNOWLEDGE_CONTEXT, acknowledgementsIn, type NagAcknowledgement } from './nag.js';
import type { MonitorSettings, OrganizationSettings } from './settings.js';

export const STACK_NAME = 'ClinicComplianceMonitor';

export interface ComplianceMonitorStackProps extends StackProps {
  readonly settings: MonitorSettings;
  /**
   * Record the reviewed cdk-nag acknowledgements. Off, every finding shows: how the tests prove each
   * acknowledgement answers a real finding.
   * @default true
   */
  readonly acknowledgeNagFindings?: boolean;
}

export class ComplianceMonitorStack extends Stack {
  readonly key: MonitorKey;
  readonly alertTopic: MonitorTopic;
  readonly alarmTopic: MonitorTopic;
  readonly health: HealthAlarms;
  /** The Config rules and their evaluators. */
  readonly configRules: ConfigRules;
  /** EventBridge → queue → notifier → findings and alerts. */
  readonly notifications: NotifierPipeline;
  readonly refresher: FindingsRefresher;
  readonly recorderHealth: RecorderHealth;
  /** The evidence bucket (transitions and monthly reports, under Object Lock) and its access-log bucket. */
  readonly evidence: EvidenceArchive;
  readonly monthlyReport: MonthlyReport;
  readonly insights: AuditorInsights;
  /** Org-wide settings, when this is a central stack. */
  readonly organization?: OrganizationSettings;
  /** Org-wide, home Region, more than one Region: Security Hub findings of the other Regions. */
  readonly findingAggregator?: CfnFindingAggregator;

  constructor(scope: Construct, id: string, props: ComplianceMonitorStackProps) {
    super(scope, id, {
      description: 'Clinic Compliance Monitor: HIPAA-basics checks (encryption, MFA, patching, backups) as AWS Config rules, alerts and Security Hub findings',
      ...props,
    });
    if (props.acknowledgeNagFindings === false) this.node.setContext(ACKNOWLEDGE_CONTEXT, false);
    const { settings } = props;
    const org = (this.organization = settings.organization);
    if (org !== undefined && Token.isUnresolved(this.region)) {
      throw new Error('an org-wide monitor stack needs a concrete Region (the app creates one per organization.regions entry)');
    }
    const { logRetentionDays } = settings;

    const key = (this.key = new MonitorKey(this, 'Key'));
    this.alertTopic = new MonitorTopic(this, 'AlertTopic', { displayName: 'Clinic Compliance Monitor alerts', key, subscriptions: settings.alerts });
    this.alarmTopic = new MonitorTopic(this, 'AlarmTopic', { displayName: 'Clinic Compliance Monitor health', key, subscriptions: settings.alarms });
    const health = (this.health = new HealthAlarms(this, 'Health', { topic: this.alarmTopic }));
    const members = org === undefined ? undefined : new MemberRoleAccess(org, this.region, this.alarmTopic);
    const shared = { key, health, ...(members !== undefined && { members }) };

    this.configRules = new ConfigRules(this, 'Rules', { settings, ...shared });
    this.notifications = new NotifierPipeline(this, 'Notifications', { settings, alertTopic: this.alertTopic, ...shared });
    this.evidence = new EvidenceArchive(this, 'Evidence', { key, settings: settings.evidence });
    this.evidence.acceptTransitionsFrom(this.notifications.notifier);
    this.monthlyReport = new MonthlyReport(this, 'MonthlyReport', { settings, alertTopic: this.alertTopic, archive: this.evidence, ...shared });
    this.refresher = new FindingsRefresher(this, 'Refresher', { logRetentionDays, ...shared });
    // If AWS Config stops recording, every rule goes silent and stays green: check it on a schedule of our own.
    this.recorderHealth = new RecorderHealth(this, 'RecorderHealth', { alarmTopic: this.alarmTopic, logRetentionDays, ...shared });

    const hub = settings.enableSecurityHub
      ? new CfnHub(this, 'SecurityHub', { enableDefaultStandards: false, controlFindingGenerator: 'SECURITY_CONTROL' })
      : undefined;
    // Removing the monitor must not switch off Security Hub: other products' findings live there too.
    hub?.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.insights = new AuditorInsights(this, 'AuditorInsights', {
      rules: settings.rules.map((rule) => rule.entry),
      allAccounts: org !== undefined,
      ...(hub !== undefined && { hub }),
    });
    // Nothing to aggregate with a single Region.
    if (org?.createFindingAggregator && org.homeRegion === this.region && org.regions.length > 1) {
      this.findingAggregator = new CfnFindingAggregator(this, 'FindingAggregator', {
        regionLinkingMode: 'SPECIFIED_REGIONS',
        regions: org.regions.filter((r) => r !== org.homeRegion),
      });
      if (hub !== undefined) this.findingAggregator.node.addDependency(hub);
    }

    new CfnOutput(this, 'AlertTopicArn', {
      value: this.alertTopic.topicArn,
      description: 'Subscribe on-call here (alerts carry severity, ruleId, accountId, compliance, transition attributes)',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: "Alarms about the monitor's own health" });
  }

  /** The cdk-nag acknowledgements made, each on its construct, for review and tests. */
  get nagAcknowledgements(): NagAcknowledgement[] {
    return acknowledgementsIn(this);
  }

  /**
   * CDK's own naming scheme (readable path and hash), over the element's path without the stack
   * parts: grouping resources into parts changed none of their logical IDs (constructs/stack-part.ts).
   */
  protected override allocateLogicalId(element: CfnElement): string {
    const scopes = logicalIdScopes(element);
    if (scopes.length === element.node.scopes.length) return super.allocateLogicalId(element);
    // The default scheme reads the element's scopes and its stack, nothing else.
    return super.allocateLogicalId(Object.create(element, { node: { value: { scopes } } }) as CfnElement);
  }
}
