/**
 * The org-wide variant: one central stack per Region with organization Config rules, and in the home
 * Region the service-managed StackSet carrying the member role and the compliance-change forwarder.
 * Synthesized with the real app builder (cdk-nag and CloudFormation validation on), without bundling.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { parseAccountOverrides } from '../../functions/org/overrides.js';
import { loadAccountFilterEnv } from '../../functions/org/organization-accounts.js';
import { createMonitorApp } from '../../infra/monitor-app.js';
import { centralRoleName, MEMBER_WILDCARD_ACTIONS, memberTemplate, TRUST_POLICY_LIMIT } from '../../infra/org.js';
import type { MonitorSettings } from '../../infra/settings.js';
import { routeRule } from '../../infra/routing.js';
import { ComplianceMonitorStack } from '../../infra/stack.js';
import { CATALOG } from '../../rules/catalog.js';
import { ORG, onlyResource, resourcesOf, settingsFrom, capturePrinted, type Json } from './helpers.js';

const CENTRAL = '111122223333';
const GLOBAL: string[] = CATALOG.filter((e) => routeRule(e).global).map((e) => e.id);

function synth(raw: unknown): Record<string, Template> {
  const outdir = mkdtempSync(join(tmpdir(), 'ccm-org-'));
  try {
    const { result, printed } = capturePrinted(() => {
      const { app, stacks } = createMonitorApp({ settings: settingsFrom(raw), appProps: { outdir, context: { 'aws:cdk:bundling-stacks': [] } } });
      return { stacks, assembly: app.synth() };
    });
    expect(printed).toEqual([]);
    const { stacks, assembly } = result;
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
    return Object.fromEntries(
      stacks.map((stack) => [stack.region, Template.fromJSON(assembly.getStackByName(stack.stackName).template as Record<string, unknown>)]),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A token-joined string as CloudFormation would resolve it in the central account. */
function resolveCentral(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Json;
  if ('Ref' in object)
    return ({ 'AWS::AccountId': CENTRAL, 'AWS::Partition': 'aws' } as Record<string, string>)[String(object.Ref)] ?? `<${String(object.Ref)}>`;
  if ('Fn::Join' in object) {
    const [sep, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveCentral).join(sep);
  }
  if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const SETTINGS = { alarms: [{ protocol: 'email', endpoint: 'it@clinic.internal' }], organization: ORG };
const templates = synth(SETTINGS);
const home = templates['us-east-1'] as Template;
const other = templates['us-west-2'] as Template;

function memberTemplateOf(template: Template): { Resources: Record<string, { Type: string; Condition?: string; Properties: Json }>; Conditions: Json } {
  const [, stackSet] = onlyResource(template, 'AWS::CloudFormation::StackSet', 'MemberStackSet');
  return JSON.parse(resolveCentral(stackSet.Properties?.TemplateBody)) as never;
}
const member = memberTemplateOf(home);
const memberRole = member.Resources.MemberRole;
const memberStatements = (member.Resources.MemberPolicy?.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

describe('org-wide central stacks', () => {
  it('are one per organization Region', () => {
    expect(Object.keys(templates).sort()).toEqual(['us-east-1', 'us-west-2']);
  });

  it('deploy the other Regions after the home Region, whose StackSet brings the member roles', () => {
    const { stacks, stack: homeStack } = createMonitorApp({ settings: settingsFrom(SETTINGS), appProps: { context: { 'aws:cdk:bundling-stacks': [] } } });
    const others = stacks.filter((s) => s !== homeStack);
    expect(others.map((s) => s.region)).toEqual(['us-west-2']);
    for (const s of others) expect(s.dependencies).toEqual([homeStack]);
    expect(homeStack.dependencies).toEqual([]);
  });

  it('create the organization rules after the member StackSet in the home Region', () => {
    const [stackSetId] = onlyResource(home, 'AWS::CloudFormation::StackSet', 'MemberStackSet');
    const rules = resourcesOf(home, 'AWS::Config::OrganizationConfigRule');
    expect(rules.length).toBe(CATALOG.length);
    for (const [, rule] of rules) expect(rule.DependsOn).toContain(stackSetId);
  });

  it('create an organization Config rule per enabled catalog entry instead of account rules', () => {
    expect(resourcesOf(home, 'AWS::Config::ConfigRule')).toEqual([]);
    const names = (t: Template) =>
      resourcesOf(t, 'AWS::Config::OrganizationConfigRule')
        .map(([, r]) => String(r.Properties?.OrganizationConfigRuleName))
        .sort();
    expect(names(home)).toEqual(CATALOG.map((e) => `ccm-${e.id}`).sort());
    // Account-wide IAM checks once per account: in the home Region only.
    expect(names(other)).toEqual(
      CATALOG.filter((e) => !GLOBAL.includes(e.id))
        .map((e) => `ccm-${e.id}`)
        .sort(),
    );
  });

  it('give each organization rule its evaluator, triggers, scope, parameters and the excluded accounts', () => {
    for (const [, rule] of resourcesOf(home, 'AWS::Config::OrganizationConfigRule')) {
      const props = rule.Properties as Json;
      const id = String(props.OrganizationConfigRuleName).slice('ccm-'.length);
      const route = routeRule(CATALOG.find((e) => e.id === id) as (typeof CATALOG)[number]);
      const meta = props.OrganizationCustomRuleMetadata as Json;
      expect(props.ExcludedAccounts).toEqual(['999988887777']);
      expect(JSON.stringify(meta.LambdaFunctionArn)).toContain(route.evaluator === 'change' ? 'ChangeEvaluatorFunction' : 'PeriodicEvaluatorFunction');
      expect(meta.OrganizationConfigRuleTriggerTypes).toEqual(
        route.onChange ? ['ConfigurationItemChangeNotification', 'OversizedConfigurationItemChangeNotification'] : ['ScheduledNotification'],
      );
      expect(meta.ResourceTypesScope).toEqual(route.scope);
      expect(meta.MaximumExecutionFrequency).toBe(route.periodic ? 'TwentyFour_Hours' : undefined);
      expect(JSON.parse(String(meta.InputParameters))).toMatchObject({ ruleId: id });
      expect(String(meta.InputParameters).length).toBeLessThanOrEqual(1024);
      expect(rule.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/ConfigInvoke/)]));
    }
  });

  it("let every member account's Config invoke the evaluators (no SourceAccount)", () => {
    const permissions = resourcesOf(home, 'AWS::Lambda::Permission').filter(([id]) => id.includes('ConfigInvoke'));
    expect(permissions).toHaveLength(2);
    for (const [, p] of permissions) {
      expect(p.Properties).toMatchObject({ Principal: 'config.amazonaws.com', Action: 'lambda:InvokeFunction' });
      expect(p.Properties).not.toHaveProperty('SourceAccount');
    }
  });

  it('name the roles that act in members, so member roles can trust them by ARN', () => {
    for (const [region, template] of Object.entries(templates)) {
      const names = resourcesOf(template, 'AWS::IAM::Role')
        .map(([, r]) => r.Properties?.RoleName)
        .filter((n) => n !== undefined);
      expect(names.sort()).toEqual(
        [
          centralRoleName('change', region),
          centralRoleName('notifier', region),
          centralRoleName('periodic', region),
          centralRoleName('refresher', region),
          centralRoleName('recorderHealth', region),
          centralRoleName('report', region),
        ].sort(),
      );
    }
  });

  it('let those roles assume the member role only in accounts of the organization, and alert on the health topic', () => {
    for (const prefix of [
      'ChangeEvaluatorRolePolicy',
      'PeriodicEvaluatorRolePolicy',
      'NotifierRolePolicy',
      'FindingsRefresherRolePolicy',
      'MonthlyReportFunctionRolePolicy',
    ]) {
      const [, policy] = onlyResource(home, 'AWS::IAM::ManagedPolicy', prefix);
      const statements = (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
      const assume = statements.find((s) => s.Sid === 'AssumeMemberRole');
      expect(assume).toMatchObject({ Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } } });
      expect(resolveCentral(assume?.Resource)).toBe('arn:aws:iam::*:role/ccm-member');
      expect(statements.find((s) => s.Sid === 'MemberRoleAlerts')).toMatchObject({
        Action: 'sns:Publish',
        Resource: { Ref: expect.stringMatching(/^AlarmTopic/) },
      });
    }
  });

  it('pass the org settings to the functions, overrides as JSON the evaluators accept', () => {
    for (const prefix of ['ChangeEvaluatorFunction', 'PeriodicEvaluatorFunction', 'NotifierFunction', 'FindingsRefresherFunction']) {
      const [, fn] = onlyResource(home, 'AWS::Lambda::Function', prefix);
      const vars = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(vars).toMatchObject({
        MEMBER_ROLE_NAME: 'ccm-member',
        CENTRAL_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
        HEALTH_TOPIC_ARN: { Ref: expect.stringMatching(/^AlarmTopic/) },
      });
      if (prefix.includes('Evaluator')) expect(parseAccountOverrides(String(vars.ACCOUNT_OVERRIDES))).toEqual(ORG.accountOverrides);
    }
  });

  it('let the findings refresher list the organization\'s accounts (its own policy, "*": ListAccounts has no resource type) and know which are excluded', () => {
    for (const template of [home, other]) {
      const [, fn] = onlyResource(template, 'AWS::Lambda::Function', 'FindingsRefresherFunction');
      const vars = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(loadAccountFilterEnv(vars as Record<string, string>)).toEqual({ excluded: ['999988887777'] });
      const [, policy] = onlyResource(template, 'AWS::IAM::ManagedPolicy', 'FindingsRefresherAccountListPolicy');
      expect((policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement).toEqual([
        { Sid: 'ListOrganizationAccounts', Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' },
      ]);
      expect(policy.Properties?.Roles).toEqual([{ Ref: expect.stringMatching(/^FindingsRefresherRole/) }]);
      // Nothing else of the refresher's (or any other function's) takes "*" in the org variant.
      const others = resourcesOf(template, 'AWS::IAM::ManagedPolicy').filter(
        ([id]) => id.startsWith('FindingsRefresher') && !id.startsWith('FindingsRefresherAccountListPolicy'),
      );
      for (const [, other] of others)
        for (const s of (other.Properties?.PolicyDocument as { Statement: Statement[] }).Statement) expect(s.Resource).not.toBe('*');
    }
    const t = synth({ ...SETTINGS, organization: { ...ORG, excludeAccounts: [], includeAccounts: ['444455556666', '777788889999'] } });
    const [, fn] = onlyResource(t['us-east-1'] as Template, 'AWS::Lambda::Function', 'FindingsRefresherFunction');
    expect(loadAccountFilterEnv((fn.Properties?.Environment as { Variables: Record<string, string> }).Variables)).toEqual({
      excluded: [],
      included: ['444455556666', '777788889999'],
    });
  });

  it('route member compliance changes (OrgConfigRule-ccm-…) to the notifier, and accept PutEvents from the organization only', () => {
    const [, rule] = onlyResource(home, 'AWS::Events::Rule', 'ComplianceChangeRule');
    expect((rule.Properties?.EventPattern as { detail: Json }).detail.configRuleName).toEqual([{ prefix: 'ccm-' }, { prefix: 'OrgConfigRule-ccm-' }]);
    for (const template of [home, other]) {
      const [, policy] = onlyResource(template, 'AWS::Events::EventBusPolicy', 'OrganizationEventBusPolicy');
      const statement = policy.Properties?.Statement as Statement;
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      });
      expect(resolveCentral(statement.Resource)).toMatch(/^arn:aws:events:<AWS::Region>:111122223333:event-bus\/default$/);
    }
  });

  it("show auditors our findings from every account (product name, not this account's product ARN)", () => {
    for (const [, insight] of resourcesOf(home, 'AWS::SecurityHub::Insight')) {
      const filters = insight.Properties?.Filters as Json;
      expect(filters.ProductArn).toBeUndefined();
      expect(filters.ProductName).toEqual([{ Comparison: 'EQUALS', Value: 'Clinic Compliance Monitor' }]);
    }
  });
});

describe('the member StackSet', () => {
  it('exists in the home Region stack only', () => {
    expect(resourcesOf(other, 'AWS::CloudFormation::StackSet')).toEqual([]);
  });

  it('is service-managed, auto-deploys to the target OUs minus the excluded accounts, in every Region, as delegated admin', () => {
    const [, stackSet] = onlyResource(home, 'AWS::CloudFormation::StackSet', 'MemberStackSet');
    expect(stackSet.Properties).toMatchObject({
      StackSetName: 'ClinicComplianceMonitor-members',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cd34ef56'], Accounts: ['999988887777'], AccountFilterType: 'DIFFERENCE' },
          Regions: ['us-east-1', 'us-west-2'],
        },
      ],
    });
  });

  it('deploys only to the included accounts when includeAccounts is set, as the management account', () => {
    const t = synth({
      ...SETTINGS,
      organization: {
        ...ORG,
        regions: ['eu-west-1', 'eu-central-1'],
        excludeAccounts: [],
        includeAccounts: ['444455556666'],
        managementOrDelegatedAdmin: 'MANAGEMENT',
        createFindingAggregator: true,
      },
    });
    const [, stackSet] = onlyResource(t['eu-west-1'] as Template, 'AWS::CloudFormation::StackSet', 'MemberStackSet');
    expect(stackSet.Properties).toMatchObject({
      CallAs: 'SELF',
      StackInstancesGroup: [{ DeploymentTargets: { Accounts: ['444455556666'], AccountFilterType: 'INTERSECTION' } }],
    });
    (t['eu-west-1'] as Template).hasResourceProperties('AWS::SecurityHub::FindingAggregator', {
      RegionLinkingMode: 'SPECIFIED_REGIONS',
      Regions: ['eu-central-1'],
    });
    expect(resourcesOf(t['eu-central-1'] as Template, 'AWS::SecurityHub::FindingAggregator')).toEqual([]);
  });

  it('carries an asset-free template: the role once per account (home Region), the forwarder in every Region but the central account', () => {
    expect(member.Conditions).toEqual({
      IsHomeRegion: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
      IsMemberAccount: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, CENTRAL] }] },
    });
    expect(Object.fromEntries(Object.entries(member.Resources).map(([id, r]) => [id, [r.Type, r.Condition]]))).toEqual({
      MemberRole: ['AWS::IAM::Role', 'IsHomeRegion'],
      MemberPolicy: ['AWS::IAM::ManagedPolicy', 'IsHomeRegion'],
      ForwarderRole: ['AWS::IAM::Role', 'IsMemberAccount'],
      ComplianceChangeForwarder: ['AWS::Events::Rule', 'IsMemberAccount'],
    });
    expect(JSON.stringify(member)).not.toMatch(/Asset|S3Bucket|S3Key/);
  });

  it("member role trust: only the central monitor's named roles, in the organization", () => {
    expect(memberRole?.Properties.RoleName).toBe('ccm-member');
    const statements = (memberRole?.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements).toHaveLength(1);
    const expectedArns = ['us-east-1', 'us-west-2'].flatMap((region) =>
      (['change', 'periodic', 'notifier', 'refresher', 'recorderHealth', 'report'] as const).map(
        (role) => `arn:aws:iam::${CENTRAL}:role/${centralRoleName(role, region)}`,
      ),
    );
    expect(expectedArns).toContain(`arn:aws:iam::${CENTRAL}:role/ccm-findings-refresher-us-west-2`);
    expect(statements[0]).toEqual({
      Sid: 'CentralMonitorRolesOnly',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${CENTRAL}:root` },
      Action: 'sts:AssumeRole',
      Condition: { ArnEquals: { 'aws:PrincipalArn': expectedArns }, StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });
  });

  it('member role permissions: least privilege, "*" only for actions without resource types', () => {
    const actions = memberStatements.flatMap((s) => asList(s.Action));
    expect(actions.sort()).toEqual(
      [
        'config:PutEvaluations',
        'config:SelectResourceConfig',
        'config:GetResourceConfigHistory',
        'config:GetComplianceDetailsByConfigRule',
        'config:DescribeConfigurationRecorderStatus',
        'config:DescribeDeliveryChannelStatus',
        'config:DescribeConfigRules',
        'iam:GenerateCredentialReport',
        'iam:GetCredentialReport',
        'backup:ListBackupPlans',
        'backup:ListBackupSelections',
        'backup:GetBackupSelection',
        'ec2:GetEbsEncryptionByDefault',
        'ssm:ListResourceComplianceSummaries',
        'cloudtrail:DescribeTrails',
        'cloudtrail:GetTrailStatus',
        'guardduty:ListDetectors',
        'guardduty:GetDetector',
        'securityhub:GetFindings',
        'securityhub:BatchImportFindings',
      ].sort(),
    );
    for (const statement of memberStatements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of asList(statement.Action)) expect(action).not.toContain('*');
      if (statement.Resource === '*') for (const action of asList(statement.Action)) expect(MEMBER_WILDCARD_ACTIONS).toContain(action);
    }
    const byAction = (action: string) => memberStatements.find((s) => asList(s.Action).includes(action))?.Resource;
    // The refresher reads back only the member's own hub (GetFindings' resource type is the hub).
    expect(byAction('securityhub:GetFindings')).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:hub/default' });
    expect(byAction('securityhub:BatchImportFindings')).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default',
    });
    expect(byAction('backup:GetBackupSelection')).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:backup:*:${AWS::AccountId}:backup-plan:*' });
    expect(byAction('config:GetComplianceDetailsByConfigRule')).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:config:*:${AWS::AccountId}:config-rule/*' });
    expect(byAction('config:DescribeConfigurationRecorderStatus')).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:config:*:${AWS::AccountId}:configuration-recorder/*',
    });
    // The monthly report lists the member's rules to find the organization copies' names (DescribeConfigRules has no resource type).
    expect(byAction('config:DescribeConfigRules')).toBe('*');
    // The organization's trail is the management account's: its status is read across accounts, by trail ARN.
    expect(byAction('cloudtrail:GetTrailStatus')).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:cloudtrail:*:*:trail/*' });
    expect(byAction('guardduty:GetDetector')).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:guardduty:*:${AWS::AccountId}:detector/*' });
  });

  it('member role permissions follow the enabled rules', () => {
    const t = synth({ ...SETTINGS, rules: { enabled: ['ebs-volume-encrypted'] }, organization: { ...ORG, accountOverrides: {} } });
    const statements = (memberTemplateOf(t['us-east-1'] as Template).Resources.MemberPolicy?.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements.flatMap((s) => asList(s.Action)).sort()).toEqual(
      // No scheduled rule: no inventory query; the monthly report still finds and reads the rules' results.
      [
        'config:DescribeConfigRules',
        'config:GetComplianceDetailsByConfigRule',
        'config:GetResourceConfigHistory',
        'config:PutEvaluations',
        'config:DescribeConfigurationRecorderStatus',
        'config:DescribeDeliveryChannelStatus',
        'securityhub:GetFindings',
        'securityhub:BatchImportFindings',
      ].sort(),
    );
  });

  it("forwards our rules' compliance changes to the central bus of the same Region with its own role", () => {
    const forwarder = member.Resources.ComplianceChangeForwarder?.Properties as Json;
    expect(forwarder.EventPattern).toEqual({
      source: ['aws.config'],
      'detail-type': ['Config Rules Compliance Change'],
      detail: { messageType: ['ComplianceChangeNotification'], configRuleName: [{ prefix: 'ccm-' }, { prefix: 'OrgConfigRule-ccm-' }] },
    });
    const bus = { 'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:${CENTRAL}:event-bus/default` };
    expect(forwarder.Targets).toEqual([{ Id: 'central-event-bus', Arn: bus, RoleArn: { 'Fn::GetAtt': ['ForwarderRole', 'Arn'] } }]);
    const role = member.Resources.ForwarderRole?.Properties as { Policies: { PolicyDocument: { Statement: Statement[] } }[] };
    expect(role.Policies.flatMap((p) => p.PolicyDocument.Statement)).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: bus }]);
  });
});

describe('cdk-nag on the org variant', () => {
  const findings = (stack: ComplianceMonitorStack) =>
    [new AwsSolutionsChecks(), new HIPAASecurityChecks()].flatMap((pack) =>
      pack.validateScope(stack).violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '?' }))),
    );
  const settings = settingsFrom(SETTINGS);
  const build = (acknowledgeNagFindings: boolean) =>
    new ComplianceMonitorStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'ClinicComplianceMonitor-us-east-1', {
      settings,
      env: { region: 'us-east-1' },
      acknowledgeNagFindings,
    });
  const stack = build(true);
  const unacknowledged = findings(build(false));

  it('acknowledges only findings that exist, each on its own construct with a specific reason', () => {
    expect(findings(stack)).toEqual([]);
    for (const ack of stack.nagAcknowledgements) {
      expect(unacknowledged.some((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)))).toBe(true);
      expect(ack.reason.length).toBeGreaterThan(100);
    }
    const listAccounts = stack.nagAcknowledgements.find((a) => a.path.endsWith('/FindingsRefresher/AccountListPolicy'));
    expect(listAccounts?.reason).toMatch(/organizations:ListAccounts .*no resource type/);
    expect(
      stack.nagAcknowledgements
        .filter((a) => a.reason.includes('organization'))
        .map((a) => `${a.path} ${a.id}`)
        .sort(),
    ).toEqual(
      [
        'ClinicComplianceMonitor-us-east-1/Rules/ChangeEvaluator/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/ccm-member]',
        'ClinicComplianceMonitor-us-east-1/Rules/PeriodicEvaluator/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/ccm-member]',
        'ClinicComplianceMonitor-us-east-1/Notifications/Notifier/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/ccm-member]',
        'ClinicComplianceMonitor-us-east-1/Refresher/FindingsRefresher/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/ccm-member]',
        'ClinicComplianceMonitor-us-east-1/MonthlyReport/Function/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/ccm-member]',
        'ClinicComplianceMonitor-us-east-1/Refresher/FindingsRefresher/AccountListPolicy AwsSolutions-IAM5[Resource::*]',
        'ClinicComplianceMonitor-us-east-1/MonthlyReport/Function/AccountListPolicy AwsSolutions-IAM5[Resource::*]',
        'ClinicComplianceMonitor-us-east-1/MonthlyReport/Function/Role/Policy AwsSolutions-IAM5[Resource::*]',
        'ClinicComplianceMonitor-us-east-1/MonthlyReport/Function/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]',
        'ClinicComplianceMonitor-us-east-1/Rules/PeriodicEvaluator/RuleResultsPolicy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]',
        'ClinicComplianceMonitor-us-east-1/Notifications/Notifier/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:organizations::*:account/o-a1b2c3d4e5/*]',
        'ClinicComplianceMonitor-us-east-1/RecorderHealth/Function/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/ccm-member]',
        'ClinicComplianceMonitor-us-east-1/RecorderHealth/Function/AccountListPolicy AwsSolutions-IAM5[Resource::*]',
      ].sort(),
    );
  });
});

describe('member trust policy size', () => {
  const props = (regions: string[]) => ({
    organization: settingsFrom({ organization: { ...ORG, regions } }).organization as NonNullable<MonitorSettings['organization']>,
    rules: [],
    centralAccountId: '111122223333',
    partition: 'aws',
  });

  test('two Regions fit well under IAM’s trust-policy quota', () => {
    const template = memberTemplate(props(['us-east-1', 'us-west-2'])) as { Resources: { MemberRole: { Properties: { AssumeRolePolicyDocument: unknown } } } };
    expect(JSON.stringify(template.Resources.MemberRole.Properties.AssumeRolePolicyDocument).length).toBeLessThan(TRUST_POLICY_LIMIT);
  });

  test('too many Regions fail synth naming the setting and the quota, not a member stack in CloudFormation', () => {
    const regions = [
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
      'eu-west-1',
      'eu-west-2',
      'eu-central-1',
      'ap-southeast-1',
      'ap-southeast-2',
      'ca-central-1',
    ];
    expect(() => memberTemplate(props(regions))).toThrow(
      /organization\.regions: 10 Regions make the member role's trust policy about \d+ characters, over IAM's 2048-character quota/,
    );
  });
});
