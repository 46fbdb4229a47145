/**
 * A clinic that deployed the monitor keeps its resources when the code is reorganized: CloudFormation
 * replaces a resource whose logical ID changes, which for the key, the queues, the alert ledger and the
 * buckets (the evidence bucket under Object Lock) means new, empty ones, and for a resource with a fixed
 * name (alarms, named roles, Config rules) a failed deployment. The IDs below were recorded from the
 * templates of the single, flat stack before it was split into parts (infra/constructs/stack-part.ts).
 */
import { createHash } from 'node:crypto';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { createMonitorApp } from '../../infra/monitor-app.js';
import { StackPart } from '../../infra/constructs/stack-part.js';
import { ComplianceMonitorStack } from '../../infra/stack.js';
import { ORG, resourcesOf, settingsFrom, unbundledStack } from './helpers.js';

const STATEFUL_TYPES = [
  'AWS::KMS::Key',
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::Logs::LogGroup',
  'AWS::CloudFormation::StackSet',
  'AWS::SecurityHub::Hub',
];

/** In every configuration: the data the monitor keeps, and the log groups kept as evidence. */
const STATEFUL = {
  'AWS::DynamoDB::Table': ['AlertLedgerTable51583E22'],
  'AWS::KMS::Key': ['Key961B73FD'],
  'AWS::Logs::LogGroup': [
    'ChangeEvaluatorLogs17B887F9',
    'FindingsRefresherLogsC8712726',
    'MonthlyReportFunctionLogsAAE8AD94',
    'NotifierLogsEC358FAB',
    'PeriodicEvaluatorLogsECC61B2C',
    'RecorderHealthFunctionLogs38B8F6BF',
  ],
  'AWS::S3::Bucket': ['EvidenceAccessLogs6F1E67A5', 'EvidenceBucketC67FF768'],
  'AWS::SNS::Topic': ['AlarmTopicD01E77F9', 'AlertTopic2720D535'],
  'AWS::SQS::Queue': [
    'ChangeEvaluatorDeadLetterQueue099B8311',
    'FindingsRefresherDeadLetterQueue2C087398',
    'MonthlyReportFunctionDeadLetterQueue1B6A10F1',
    'NotifierDeadLetterQueueCA1ED4BE',
    'NotifierQueue7EBC3A53',
    'PeriodicEvaluatorDeadLetterQueue8BB05E02',
    'RecorderHealthFunctionDeadLetterQueueF1C8B017',
  ],
};

/** Named `<stack>-<alarm>`: a new logical ID would collide with the alarm of the same name. */
const ALARMS = [
  'HealthChangeDlqDepthB15A99D4',
  'HealthChangeEvaluatorErrors7EAA1FDE',
  'HealthChangeEvaluatorThrottles725901D4',
  'HealthComplianceChangeRuleFailedInvocations57E592A8',
  'HealthConfigRecorderUnhealthy9CD89F3C',
  'HealthFindingsRefreshScheduleFailedInvocations7F99989D',
  'HealthFindingsRefresherErrors7BCA58C6',
  'HealthFindingsRefresherThrottles62F16D45',
  'HealthMonthlyReportDlqDepthEC961A37',
  'HealthMonthlyReportErrorsE879F550',
  'HealthMonthlyReportScheduleFailedInvocations4A5DE233',
  'HealthMonthlyReportThrottles8670C8B4',
  'HealthNoPeriodicRunE68EEB76',
  'HealthNotifierDlqDepthF4CB161C',
  'HealthNotifierErrors56B8CD25',
  'HealthNotifierQueueAge27060446',
  'HealthNotifierThrottlesABFF687E',
  'HealthPeriodicDlqDepth234845F5',
  'HealthPeriodicEvaluatorErrorsEE0385E0',
  'HealthPeriodicEvaluatorThrottles0D0E52E8',
  'HealthRecorderHealthDlqDepthB0A63810',
  'HealthRecorderHealthErrors37CDE358',
  'HealthRecorderHealthScheduleFailedInvocationsE8B543E6',
  'HealthRecorderHealthThrottles062FA28A',
  'HealthRefresherDlqDepth6EC9E855',
];

/** Org-wide, member roles trust these roles by name. */
const ROLES = [
  'ChangeEvaluatorRoleC1B29B60',
  'FindingsRefresherRoleABCD43C6',
  'MonthlyReportFunctionRoleA45E828A',
  'NotifierRole62983FBE',
  'PeriodicEvaluatorRole321B5B97',
  'RecorderHealthFunctionRoleA618B5F0',
];

/** CDK's ID for a construct path directly under the stack: the path's letters and digits, then the first 8 hex digits of its MD5, upper case. */
function flatLogicalId(path: string[]): string {
  const readable = path
    .filter((part) => part !== 'Resource')
    .join('')
    .replace(/[^A-Za-z0-9]/g, '');
  return readable + createHash('md5').update(path.join('/')).digest('hex').slice(0, 8).toUpperCase();
}

function idsByType(template: Template, types: readonly string[]): Record<string, string[]> {
  const byType: Record<string, string[]> = {};
  for (const type of types) {
    const ids = resourcesOf(template, type).map(([id]) => id);
    if (ids.length > 0) byType[type] = ids.sort();
  }
  return byType;
}

describe('logical IDs of a single-account stack', () => {
  const template = Template.fromStack(unbundledStack(settingsFrom({})));

  it('keep the stateful resources', () => {
    expect(idsByType(template, STATEFUL_TYPES)).toEqual(STATEFUL);
  });

  it('keep the named alarms and the named compliance-change rule', () => {
    expect(
      resourcesOf(template, 'AWS::CloudWatch::Alarm')
        .map(([id]) => id)
        .sort(),
    ).toEqual(ALARMS);
    expect(
      resourcesOf(template, 'AWS::Events::Rule')
        .filter(([, rule]) => rule.Properties?.Name !== undefined)
        .map(([id]) => id),
    ).toEqual(['ComplianceChangeRuleD13C3795']);
  });

  it('keep each Config rule (named ccm-<id>) where the flat stack had it', () => {
    const rules = resourcesOf(template, 'AWS::Config::ConfigRule');
    expect(rules.length).toBeGreaterThan(0);
    for (const [id, rule] of rules) expect(id).toBe(flatLogicalId([`Rule-${String(rule.Properties?.ConfigRuleName).slice('ccm-'.length)}`, 'Resource']));
  });

  it('keep the Security Hub the stack enables', () => {
    const withHub = Template.fromStack(unbundledStack(settingsFrom({ enableSecurityHub: true })));
    expect(idsByType(withHub, STATEFUL_TYPES)).toEqual({ ...STATEFUL, 'AWS::SecurityHub::Hub': ['SecurityHub'] });
  });
});

describe('logical IDs of the org-wide central stacks', () => {
  const { stacks } = createMonitorApp({
    settings: settingsFrom({ alarms: [{ protocol: 'email', endpoint: 'it@clinic.internal' }], organization: ORG }),
    appProps: { context: { 'aws:cdk:bundling-stacks': [] } },
  });
  const templates = new Map(stacks.map((stack) => [stack.region, Template.fromStack(stack)]));

  it.each(['us-east-1', 'us-west-2'])('keep the stateful resources in %s (the member StackSet in the home Region)', (region) => {
    const template = templates.get(region) as Template;
    expect(idsByType(template, STATEFUL_TYPES)).toEqual(
      region === ORG.regions[0] ? { ...STATEFUL, 'AWS::CloudFormation::StackSet': ['MemberStackSet57CC6A95'] } : STATEFUL,
    );
  });

  it.each(['us-east-1', 'us-west-2'])('keep the named roles, alarms, event bus policy and organization rules in %s', (region) => {
    const template = templates.get(region) as Template;
    expect(
      resourcesOf(template, 'AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual(ROLES);
    expect(
      resourcesOf(template, 'AWS::CloudWatch::Alarm')
        .map(([id]) => id)
        .sort(),
    ).toEqual(ALARMS);
    expect(resourcesOf(template, 'AWS::Events::EventBusPolicy').map(([id]) => id)).toEqual(['OrganizationEventBusPolicy7CCDC47D']);
    for (const [id, rule] of resourcesOf(template, 'AWS::Config::OrganizationConfigRule')) {
      expect(id).toBe(flatLogicalId([`OrgRule-${String(rule.Properties?.OrganizationConfigRuleName).slice('ccm-'.length)}`, 'Resource']));
    }
  });
});

describe('stack parts', () => {
  const build = () =>
    new ComplianceMonitorStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'ClinicComplianceMonitor', { settings: settingsFrom({}) });
  const thing = (scope: Construct, id: string) => new CfnResource(scope, id, { type: 'Test::Thing' });

  it('group constructs without entering their logical IDs, at any depth', () => {
    const stack = build();
    const plain = new Stack(new App(), 'Plain');
    expect(stack.getLogicalId(thing(new StackPart(stack, 'Part'), 'Thing'))).toBe(plain.getLogicalId(thing(plain, 'Thing')));
    const nested = new StackPart(new Construct(stack, 'Group'), 'Inner');
    expect(stack.getLogicalId(thing(new Construct(nested, 'Deep'), 'Thing'))).toBe(
      plain.getLogicalId(thing(new Construct(new Construct(plain, 'Group'), 'Deep'), 'Thing')),
    );
  });

  it('cannot hide a clash: two resources with one logical ID fail synthesis', () => {
    const stack = build();
    thing(new StackPart(stack, 'One'), 'Same');
    thing(new StackPart(stack, 'Two'), 'Same');
    expect(() => Template.fromStack(stack)).toThrow(/section 'Resources' already contains 'Same'/);
  });
});
