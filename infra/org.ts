/**
 * Org-wide deployment, the parts the single-account stack has no use for: the member template (one
 * role the monitor assumes, the forwarder of compliance changes to the central event bus), the
 * service-managed StackSet that puts it in every target account and Region, organization Config
 * rules, and the central event bus policy. README "Org-wide deployment" explains the choices.
 */
import { Aws, Stack } from 'aws-cdk-lib';
import { CfnOrganizationConfigRule } from 'aws-cdk-lib/aws-config';
import { CfnEventBusPolicy } from 'aws-cdk-lib/aws-events';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct, type IDependable } from 'constructs';
import { DETAIL_TYPE } from '../functions/alerts/compliance-change.js';
import { LAMBDAS, type LambdaId } from '../functions/shared/services.js';
import type { CatalogEntry } from '../rules/catalog.js';
import { CONFIG_RULE_PREFIX, configRuleName, routeRule } from './routing.js';
import type { EnabledRule, OrganizationSettings, PeriodicFrequency } from './settings.js';

/** Organization rules appear in member accounts as `OrgConfigRule-<name>-<suffix>`. */
export const ORG_RULE_COPY_PREFIX = `OrgConfigRule-${CONFIG_RULE_PREFIX}`;
export const MEMBER_STACK_SET_NAME = 'ClinicComplianceMonitor-members';

/** The central functions that act in member accounts (all of them); their role names are fixed so member roles can name them before they exist. */
export type CentralRole = LambdaId;

export function centralRoleName(role: CentralRole, region: string): string {
  return `ccm-${LAMBDAS[role].name}-${region}`;
}

/** EventBridge content filter: our rules, under their own names or as an organization rule's member copy. */
export function ruleNamePatterns(): { prefix: string }[] {
  return [{ prefix: CONFIG_RULE_PREFIX }, { prefix: ORG_RULE_COPY_PREFIX }];
}

type Json = Record<string, unknown>;
const sub = (text: string): Json => ({ 'Fn::Sub': text });

export interface MemberStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: unknown;
}

/**
 * Exactly what the central functions do in a member account, per the Service Authorization
 * Reference: the evaluators' Config, IAM, Backup, EC2, Systems Manager, CloudTrail and GuardDuty calls for the
 * enabled rules, the notifier's import into the member's own default product, the findings refresher's read of
 * the member's own hub, the recorder health check's two status reads, and the monthly report's read of the rules
 * and their results. "*" only where the action has no resource type (listed in MEMBER_WILDCARD_ACTIONS). The role
 * is global, so Region parts are "*".
 */
export function memberStatements(entries: readonly CatalogEntry[]): MemberStatement[] {
  const routes = entries.map((entry) => ({ entry, route: routeRule(entry) }));
  const hasChange = routes.some(({ route }) => route.evaluator === 'change');
  const hasPeriodic = routes.some(({ route }) => route.evaluator === 'periodic');
  // Scheduled rules (every periodic one, and item rules on a schedule) query the inventory and their earlier results.
  const scheduled = routes.some(({ route }) => route.periodic);
  const needs = new Set(routes.filter(({ route }) => route.evaluator === 'periodic').flatMap(({ entry }) => entry.needs ?? []));
  const statements: MemberStatement[] = [];
  const configActions = [
    'config:PutEvaluations',
    ...(scheduled ? ['config:SelectResourceConfig'] : []),
    ...(hasChange ? ['config:GetResourceConfigHistory'] : []),
  ];
  if (hasChange || hasPeriodic) statements.push({ Sid: 'ConfigEvaluations', Effect: 'Allow', Action: configActions, Resource: '*' });
  // Member copies of organization rules are named OrgConfigRule-ccm-…-<suffix>; their ARNs end in Config's generated id.
  // Scheduled rules read their earlier results; the monthly report lists the rules to find every copy, then reads its results.
  if (hasChange || hasPeriodic) {
    statements.push({
      Sid: 'RuleResults',
      Effect: 'Allow',
      Action: ['config:GetComplianceDetailsByConfigRule'],
      Resource: sub('arn:${AWS::Partition}:config:*:${AWS::AccountId}:config-rule/*'),
    });
    statements.push({ Sid: 'ListRules', Effect: 'Allow', Action: ['config:DescribeConfigRules'], Resource: '*' });
  }
  if (needs.has('credentialReport'))
    statements.push({ Sid: 'IamCredentialReport', Effect: 'Allow', Action: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'], Resource: '*' });
  if (needs.has('backupSelections')) {
    statements.push({ Sid: 'BackupPlansList', Effect: 'Allow', Action: ['backup:ListBackupPlans'], Resource: '*' });
    statements.push({
      Sid: 'BackupSelectionsRead',
      Effect: 'Allow',
      Action: ['backup:ListBackupSelections', 'backup:GetBackupSelection'],
      Resource: sub('arn:${AWS::Partition}:backup:*:${AWS::AccountId}:backup-plan:*'),
    });
  }
  if (needs.has('ebsEncryptionByDefault'))
    statements.push({ Sid: 'EbsEncryptionByDefault', Effect: 'Allow', Action: ['ec2:GetEbsEncryptionByDefault'], Resource: '*' });
  if (needs.has('patchScanTimes'))
    statements.push({ Sid: 'SsmPatchScanTimes', Effect: 'Allow', Action: ['ssm:ListResourceComplianceSummaries'], Resource: '*' });
  // The recorder health check: is AWS Config recording and delivering here?
  statements.push({
    Sid: 'RecorderStatus',
    Effect: 'Allow',
    Action: ['config:DescribeConfigurationRecorderStatus'],
    Resource: sub('arn:${AWS::Partition}:config:*:${AWS::AccountId}:configuration-recorder/*'),
  });
  statements.push({ Sid: 'DeliveryChannelStatus', Effect: 'Allow', Action: ['config:DescribeDeliveryChannelStatus'], Resource: '*' });
  if (needs.has('cloudTrailTrails')) {
    statements.push({ Sid: 'CloudTrailTrailsList', Effect: 'Allow', Action: ['cloudtrail:DescribeTrails'], Resource: '*' });
    // The organization's trail belongs to the management account; multi-Region trails are read by their home-Region ARN.
    statements.push({
      Sid: 'CloudTrailTrailStatus',
      Effect: 'Allow',
      Action: ['cloudtrail:GetTrailStatus'],
      Resource: sub('arn:${AWS::Partition}:cloudtrail:*:*:trail/*'),
    });
  }
  if (needs.has('guardDutyDetectors')) {
    statements.push({ Sid: 'GuardDutyDetectorsList', Effect: 'Allow', Action: ['guardduty:ListDetectors'], Resource: '*' });
    statements.push({
      Sid: 'GuardDutyDetectorRead',
      Effect: 'Allow',
      Action: ['guardduty:GetDetector'],
      Resource: sub('arn:${AWS::Partition}:guardduty:*:${AWS::AccountId}:detector/*'),
    });
  }
  // The daily refresher reads the account's own findings back before re-importing them.
  statements.push({
    Sid: 'ReadOwnFindings',
    Effect: 'Allow',
    Action: ['securityhub:GetFindings'],
    Resource: sub('arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:hub/default'),
  });
  statements.push({
    Sid: 'ImportOwnFindings',
    Effect: 'Allow',
    Action: ['securityhub:BatchImportFindings'],
    Resource: sub('arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default'),
  });
  return statements;
}

/** Actions the member role holds on "*", each because the action has no resource type. */
export const MEMBER_WILDCARD_ACTIONS = [
  'config:PutEvaluations',
  'config:SelectResourceConfig',
  'config:GetResourceConfigHistory',
  'config:DescribeDeliveryChannelStatus',
  'config:DescribeConfigRules',
  'iam:GenerateCredentialReport',
  'iam:GetCredentialReport',
  'backup:ListBackupPlans',
  'ec2:GetEbsEncryptionByDefault',
  'ssm:ListResourceComplianceSummaries',
  'cloudtrail:DescribeTrails',
  'guardduty:ListDetectors',
];

export interface MemberTemplateProps {
  readonly organization: OrganizationSettings;
  readonly rules: readonly EnabledRule[];
  /** The central account (a token in the central stack). */
  readonly centralAccountId: string;
  readonly partition: string;
}

/** IAM's default quota for a role trust policy (characters, whitespace not counted); it can be raised to 4,096. */
export const TRUST_POLICY_LIMIT = 2048;

function memberTrustPolicy(organization: OrganizationSettings, centralAccountId: string, partition: string): Json {
  const centralRoleArns = organization.regions.flatMap((region) =>
    (Object.keys(LAMBDAS) as CentralRole[]).map((role) => `arn:${partition}:iam::${centralAccountId}:role/${centralRoleName(role, region)}`),
  );
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CentralMonitorRolesOnly',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${centralAccountId}:root` },
        Action: 'sts:AssumeRole',
        // Names, not role principals: the roles of central stacks in other Regions may not exist yet.
        Condition: { ArnEquals: { 'aws:PrincipalArn': centralRoleArns }, StringEquals: { 'aws:PrincipalOrgID': organization.organizationId } },
      },
    ],
  };
}

/**
 * The member template as a typed object, asset-free. Central values (account, partition) are tokens
 * the central stack resolves; member values are `Fn::Sub` the member stack resolves.
 */
export function memberTemplate(props: MemberTemplateProps): Json {
  const { organization, centralAccountId } = props;
  checkTrustPolicySize(organization);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Clinic Compliance Monitor, member account: the role the central monitor assumes, and compliance changes forwarded to the central event bus',
    Conditions: {
      // IAM is global: the role once per account, in the home Region.
      IsHomeRegion: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, organization.homeRegion] },
      // A delegated administrator in a target OU gets an instance too; its own events are already on its bus.
      IsMemberAccount: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, centralAccountId] }] },
    },
    Resources: { ...memberRoleResources(props), ...forwarderResources(centralAccountId) },
  };
}

/**
 * The trust policy names every central role in every Region: check its size at synth, with the
 * longest partition and a real account id, rather than fail in CloudFormation in each member.
 */
function checkTrustPolicySize(organization: OrganizationSettings): void {
  const size = JSON.stringify(memberTrustPolicy(organization, '123456789012', 'aws-us-gov')).length;
  if (size > TRUST_POLICY_LIMIT) {
    throw new Error(
      `organization.regions: ${organization.regions.length} Regions make the member role's trust policy about ${size} characters, over IAM's ${TRUST_POLICY_LIMIT}-character quota; deploy fewer Regions per organization (or raise the quota and split the Regions across two deployments)`,
    );
  }
}

/** The role the central functions assume, and its policy: once per account, in the home Region. */
function memberRoleResources({ organization, rules, centralAccountId, partition }: MemberTemplateProps): Json {
  return {
    MemberRole: {
      Type: 'AWS::IAM::Role',
      Condition: 'IsHomeRegion',
      Properties: {
        RoleName: organization.memberRoleName,
        Description:
          'Clinic Compliance Monitor: assumed by the central evaluators, notifier, findings refresher, recorder health check and monthly report only',
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: memberTrustPolicy(organization, centralAccountId, partition),
      },
    },
    MemberPolicy: {
      Type: 'AWS::IAM::ManagedPolicy',
      Condition: 'IsHomeRegion',
      Properties: {
        Description:
          'Clinic Compliance Monitor: what the periodic and change rules read, PutEvaluations, findings into (and back from) this account, and the Config recorder status',
        Roles: [{ Ref: 'MemberRole' }],
        PolicyDocument: { Version: '2012-10-17', Statement: memberStatements(rules.map((rule) => rule.entry)) },
      },
    },
  };
}

/** The member account's compliance changes of our organization rules, forwarded to the central account's default bus. */
function forwarderResources(centralAccountId: string): Json {
  const centralBus = `arn:\${AWS::Partition}:events:\${AWS::Region}:${centralAccountId}:event-bus/default`;
  return {
    ForwarderRole: {
      Type: 'AWS::IAM::Role',
      Condition: 'IsMemberAccount',
      Properties: {
        Description: 'Clinic Compliance Monitor: EventBridge puts compliance changes on the central event bus',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'put-on-central-bus',
            PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: sub(centralBus) }] },
          },
        ],
      },
    },
    ComplianceChangeForwarder: {
      Type: 'AWS::Events::Rule',
      Condition: 'IsMemberAccount',
      Properties: {
        Description: `Compliance changes of the monitor's organization rules (${ORG_RULE_COPY_PREFIX}*) to the central account`,
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.config'],
          'detail-type': [DETAIL_TYPE],
          detail: { messageType: ['ComplianceChangeNotification'], configRuleName: ruleNamePatterns() },
        },
        Targets: [{ Id: 'central-event-bus', Arn: sub(centralBus), RoleArn: { 'Fn::GetAtt': ['ForwarderRole', 'Arn'] } }],
      },
    },
  };
}

export type MemberStackSetProps = MemberTemplateProps;

/** The member template in every account of the target OUs (and accounts added later), in every chosen Region. */
export class MemberStackSet extends Construct {
  readonly resource: CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberStackSetProps) {
    super(scope, id);
    const { organization } = props;
    const filter: Pick<CfnStackSet.DeploymentTargetsProperty, 'accounts' | 'accountFilterType'> =
      organization.includeAccounts !== undefined
        ? { accounts: [...organization.includeAccounts], accountFilterType: 'INTERSECTION' }
        : organization.excludeAccounts.length > 0
          ? { accounts: [...organization.excludeAccounts], accountFilterType: 'DIFFERENCE' }
          : {};
    this.resource = new CfnStackSet(this, 'Resource', {
      stackSetName: MEMBER_STACK_SET_NAME,
      description: 'Clinic Compliance Monitor: member role and compliance-change forwarding in every monitored account',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: organization.managementOrDelegatedAdmin === 'DELEGATED_ADMIN' ? 'DELEGATED_ADMIN' : 'SELF',
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { regionConcurrencyType: 'PARALLEL', maxConcurrentPercentage: 25, failureTolerancePercentage: 10 },
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: [...organization.targetOus], ...filter }, regions: [...organization.regions] }],
      templateBody: Stack.of(this).toJsonString(memberTemplate(props)),
    });
  }
}

/** PutOrganizationConfigRule: Description ≤256 characters. */
const MAX_DESCRIPTION = 256;

export interface OrganizationComplianceRuleProps {
  readonly rule: EnabledRule;
  readonly evaluator: IFunction;
  readonly invokePermission: IDependable;
  readonly maximumExecutionFrequency: PeriodicFrequency;
  readonly excludedAccounts: readonly string[];
}

/** One catalog entry as an organization custom Lambda rule, `ccm-<ruleId>`, in every account but the excluded ones. */
export class OrganizationComplianceRule extends Construct {
  readonly resource: CfnOrganizationConfigRule;

  constructor(scope: Construct, id: string, props: OrganizationComplianceRuleProps) {
    super(scope, id);
    const { entry, inputParameters } = props.rule;
    const route = routeRule(entry);
    const triggers = [
      ...(route.onChange ? ['ConfigurationItemChangeNotification', 'OversizedConfigurationItemChangeNotification'] : []),
      ...(route.periodic ? ['ScheduledNotification'] : []),
    ];
    const description = `${entry.title}. ${entry.description}`;
    this.resource = new CfnOrganizationConfigRule(this, 'Resource', {
      organizationConfigRuleName: configRuleName(entry.id),
      ...(props.excludedAccounts.length > 0 && { excludedAccounts: [...props.excludedAccounts] }),
      organizationCustomRuleMetadata: {
        lambdaFunctionArn: props.evaluator.functionArn,
        organizationConfigRuleTriggerTypes: triggers,
        description: description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION - 1)}…` : description,
        inputParameters: JSON.stringify(inputParameters),
        ...(route.scope !== undefined && { resourceTypesScope: [...route.scope] }),
        ...(route.periodic && { maximumExecutionFrequency: props.maximumExecutionFrequency }),
      },
    });
    this.resource.node.addDependency(props.invokePermission);
  }
}

export interface OrganizationEventBusPolicyProps {
  readonly organizationId: string;
}

/** Lets accounts of the organization (their forwarder roles) put events on this account's default bus, nobody else. */
export class OrganizationEventBusPolicy extends Construct {
  readonly resource: CfnEventBusPolicy;

  constructor(scope: Construct, id: string, props: OrganizationEventBusPolicyProps) {
    super(scope, id);
    this.resource = new CfnEventBusPolicy(this, 'Resource', {
      eventBusName: 'default',
      statementId: 'ccm-organization-compliance-changes',
      statement: {
        Sid: 'ccm-organization-compliance-changes',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:event-bus/default`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      },
    });
    // cdk-nag's AwsSolutions-EVB1 reads the deprecated `principal` of every event bus policy, and the
    // read prints a jsii deprecation warning on each synth. This policy sets only `statement` (which
    // EVB1 checks too), so its principal is undefined: say so without the deprecated getter.
    Object.defineProperty(this.resource, 'principal', { value: undefined });
  }
}
