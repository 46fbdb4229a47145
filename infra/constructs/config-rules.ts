import { Aws, CfnCondition, CfnOutput, Fn, Stack, Token } from 'aws-cdk-lib';
import { Effect, ManagedPolicy, PolicyStatement, ServicePrincipal, type CfnManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { LAMBDAS, METRICS_NAMESPACE } from '../../functions/shared/services.js';
import { evaluatorStatements, readsRuleResults, SCOPED_WILDCARDS } from '../evaluator-permissions.js';
import { acknowledge } from '../nag.js';
import { MemberStackSet, OrganizationComplianceRule } from '../org.js';
import { routeRule, type Evaluator, type RuleRoute } from '../routing.js';
import type { EnabledRule, MonitorSettings, OrganizationSettings } from '../settings.js';
import { reservedConcurrency, SIZING } from '../sizing.js';
import { ComplianceRule } from './compliance-rule.js';
import type { HealthAlarms } from './health.js';
import type { MemberRoleAccess } from './member-role-access.js';
import { MonitorFunction } from './monitor-function.js';
import { StackPart } from './stack-part.js';

export interface ConfigRulesProps {
  readonly settings: MonitorSettings;
  readonly key: IKey;
  readonly health: HealthAlarms;
  /** Org-wide: organization Config rules, evaluated in each member account through its member role. */
  readonly members?: MemberRoleAccess;
}

type Routed = { readonly rule: EnabledRule; readonly route: RuleRoute };

/**
 * The Config rules from the catalog and the two evaluators they invoke (routing.ts says which): the
 * change evaluator for rules on one configuration item, the periodic one for rules over the whole
 * inventory. Single-account, `ccm-<id>` rules in this account; org-wide, organization rules, and in the
 * home Region the member StackSet whose roles the evaluators assume to evaluate them. Each evaluator is
 * alarmed (errors, throttles, dead letters; the periodic one also on a missing daily run).
 */
export class ConfigRules extends StackPart {
  readonly evaluators: Partial<Record<Evaluator, MonitorFunction>> = {};
  readonly rules: ComplianceRule[] = [];
  /** Org-wide: the organization Config rules (instead of `rules`). */
  readonly organizationRules: OrganizationComplianceRule[] = [];
  /** Org-wide, home Region only: the member part (role, compliance-change forwarder) in every target account and Region. */
  readonly memberStackSet?: MemberStackSet;

  constructor(scope: Construct, id: string, props: ConfigRulesProps) {
    super(scope, id);
    const { settings, members } = props;
    const { globalCondition, includeGlobal } = this.homeRegionPlacement(settings.organization?.homeRegion ?? settings.homeRegion);
    const deployed = settings.rules.map((rule) => ({ rule, route: routeRule(rule.entry) })).filter(({ route }) => includeGlobal || !route.global);
    for (const evaluator of ['change', 'periodic'] as const) {
      const mine = deployed.filter(({ route }) => route.evaluator === evaluator);
      if (mine.length === 0) continue;
      const entries = mine.map(({ rule }) => rule.entry);
      const statements = evaluatorStatements(evaluator, entries);
      const fn = this.createEvaluator(evaluator, entries, statements, props);
      this.evaluators[evaluator] = fn;
      const permission = fn.function.permissionsNode.findChild('ConfigInvoke') as CfnPermission;
      if (members === undefined) this.addRules(evaluator, fn, mine, permission, settings, globalCondition);
      else this.addOrganizationRules(evaluator, fn, mine, permission, settings);
      // If every periodic rule exists only in the home Region, so does the heartbeat.
      this.watch(evaluator, fn, props.health, mine.every(({ route }) => route.global) ? globalCondition : undefined);
      this.acknowledgePermissions(evaluator, fn, statements);
    }
    const org = settings.organization;
    if (org !== undefined && org.homeRegion === Stack.of(this).region) this.memberStackSet = this.addMemberStackSet(org, settings.rules);
  }

  /**
   * The member StackSet comes from the home Region's stack (the member role is global). Config evaluates
   * a change rule when it is created; without the member role that first evaluation fails, and resources
   * that never change keep no result. So the rules wait for the members' roles.
   */
  private addMemberStackSet(organization: OrganizationSettings, rules: readonly EnabledRule[]): MemberStackSet {
    const stackSet = new MemberStackSet(this, 'MemberStackSet', { organization, rules, centralAccountId: Aws.ACCOUNT_ID, partition: Aws.PARTITION });
    for (const rule of this.organizationRules) rule.resource.node.addDependency(stackSet.resource);
    new CfnOutput(this, 'MemberStackSetName', {
      value: stackSet.resource.attrStackSetId,
      description: 'The member StackSet (role and compliance-change forwarding in each monitored account)',
    });
    return stackSet;
  }

  /**
   * Account-wide rules (routing.ts `global`) run in the home Region only. With a concrete stack Region
   * the choice is made at synth; with an environment-agnostic stack it is a template condition on AWS::Region.
   */
  private homeRegionPlacement(homeRegion: string | undefined): { includeGlobal: boolean; globalCondition?: CfnCondition } {
    const { region } = Stack.of(this);
    if (homeRegion === undefined) return { includeGlobal: true };
    if (!Token.isUnresolved(region)) return { includeGlobal: region === homeRegion };
    const globalCondition = new CfnCondition(this, 'IsHomeRegion', { expression: Fn.conditionEquals(Aws.REGION, homeRegion) });
    return { includeGlobal: true, globalCondition };
  }

  private createEvaluator(
    evaluator: Evaluator,
    entries: readonly EnabledRule['entry'][],
    statements: readonly PolicyStatement[],
    props: ConfigRulesProps,
  ): MonitorFunction {
    const { settings, members } = props;
    const homeRegion = settings.organization?.homeRegion ?? settings.homeRegion ?? Aws.REGION;
    const overrides = settings.organization?.accountOverrides ?? {};
    // Both evaluators run scheduled rules, and put only what changed in them.
    const common = {
      EXEMPTION_TAG_KEY: settings.exemptionTagKey,
      PERIODIC_RESTATE_DAYS: String(settings.periodicRestateDays),
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
    const fn = new MonitorFunction(this, evaluator === 'change' ? 'ChangeEvaluator' : 'PeriodicEvaluator', {
      entry: LAMBDAS[evaluator].entry,
      description:
        evaluator === 'change'
          ? 'Clinic Compliance Monitor change evaluator: Config rules on one configuration item'
          : 'Clinic Compliance Monitor periodic evaluator: Config rules over the whole inventory',
      environment: {
        ...common,
        ...(evaluator === 'change'
          ? { POWERTOOLS_SERVICE_NAME: LAMBDAS.change.service }
          : { POWERTOOLS_SERVICE_NAME: LAMBDAS.periodic.service, HOME_REGION: homeRegion }),
        ...(Object.keys(overrides).length > 0 && { ACCOUNT_OVERRIDES: JSON.stringify(overrides) }),
      },
      ...(members !== undefined && { central: { access: members, role: evaluator } }),
      memorySize: SIZING[evaluator].memorySize,
      timeout: SIZING[evaluator].timeout,
      reservedConcurrency: reservedConcurrency(entries)[evaluator],
      logRetentionDays: settings.logRetentionDays,
      key: props.key,
      asyncDeadLetterQueue: true,
      statements,
    });
    // Org-wide, each member account's Config invokes the function: no SourceAccount can name them all
    // (Lambda offers no organization condition for service principals). README "Org-wide deployment".
    fn.function.addPermission('ConfigInvoke', {
      principal: new ServicePrincipal('config.amazonaws.com'),
      ...(members === undefined && { sourceAccount: Aws.ACCOUNT_ID }),
      action: 'lambda:InvokeFunction',
    });
    return fn;
  }

  private addRules(
    evaluator: Evaluator,
    fn: MonitorFunction,
    mine: readonly Routed[],
    invokePermission: CfnPermission,
    settings: MonitorSettings,
    globalCondition: CfnCondition | undefined,
  ): void {
    const rules = mine.map(
      ({ rule, route }) =>
        new ComplianceRule(this, `Rule-${rule.entry.id}`, {
          rule,
          evaluator: fn.function,
          invokePermission,
          maximumExecutionFrequency: settings.periodicFrequency,
          ...(route.global && globalCondition !== undefined && { condition: globalCondition }),
        }),
    );
    this.rules.push(...rules);
    if (
      readsRuleResults(
        evaluator,
        mine.map(({ rule }) => rule.entry),
      )
    )
      addRuleResultsPolicy(
        fn,
        rules.filter((rule) => rule.route.periodic),
        globalCondition,
      );
  }

  private addOrganizationRules(
    evaluator: Evaluator,
    fn: MonitorFunction,
    mine: readonly Routed[],
    invokePermission: CfnPermission,
    settings: MonitorSettings,
  ): void {
    const excludedAccounts = settings.organization?.excludeAccounts ?? [];
    for (const { rule } of mine) {
      this.organizationRules.push(
        new OrganizationComplianceRule(this, `OrgRule-${rule.entry.id}`, {
          rule,
          evaluator: fn.function,
          invokePermission,
          maximumExecutionFrequency: settings.periodicFrequency,
          excludedAccounts,
        }),
      );
    }
    if (
      !readsRuleResults(
        evaluator,
        mine.map(({ rule }) => rule.entry),
      )
    )
      return;
    // This account's copies of the organization rules are named OrgConfigRule-ccm-…-<suffix>, their ARNs by Config's generated id.
    const policy = new ManagedPolicy(fn, 'RuleResultsPolicy', {
      description: 'Read the results of the rules this evaluator reports for',
      roles: [fn.role],
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['config:GetComplianceDetailsByConfigRule'],
          resources: [`arn:${Aws.PARTITION}:config:${Aws.REGION}:${Aws.ACCOUNT_ID}:config-rule/*`],
        }),
      ],
    });
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]',
      "config:GetComplianceDetailsByConfigRule (read-only) on this account's Config rules in this Region: organization rules reach this account as copies named OrgConfigRule-ccm-<id>-<suffix> whose ARNs end in Config's generated rule id, which the stack cannot reference.",
    );
  }

  private watch(evaluator: Evaluator, fn: MonitorFunction, health: HealthAlarms, heartbeatCondition: CfnCondition | undefined): void {
    health.watchFunction(evaluator === 'change' ? 'ChangeEvaluator' : 'PeriodicEvaluator', LAMBDAS[evaluator].name, fn.function);
    if (fn.deadLetterQueue !== undefined) {
      health.watchDeadLetterQueue(
        `${evaluator === 'change' ? 'Change' : 'Periodic'}Dlq`,
        `${evaluator}-evaluator-dlq`,
        fn.deadLetterQueue,
        'Config rule evaluations failed after Lambda retries: those resources keep their last result until the next trigger.',
      );
    }
    if (evaluator === 'periodic') health.watchPeriodicHeartbeat(heartbeatCondition);
  }

  private acknowledgePermissions(evaluator: Evaluator, fn: MonitorFunction, statements: readonly PolicyStatement[]): void {
    const policy = fn.role.policy;
    if (evaluator === 'change') {
      acknowledge(
        policy,
        'AwsSolutions-IAM5[Resource::*]',
        fn.node.tryFindChild('RuleResultsPolicy') === undefined
          ? 'config:PutEvaluations and config:GetResourceConfigHistory have no resource types in the Service Authorization Reference: they accept only Resource "*".'
          : 'config:PutEvaluations, config:GetResourceConfigHistory and config:SelectResourceConfig (for scheduled item rules) have no resource types in the Service Authorization Reference: they accept only Resource "*". config:GetComplianceDetailsByConfigRule is scoped to this evaluator\'s rule ARNs in RuleResultsPolicy.',
      );
      return;
    }
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      'Resource "*" only for actions without resource types in the Service Authorization Reference: config:PutEvaluations, config:SelectResourceConfig, iam:GenerateCredentialReport, iam:GetCredentialReport, backup:ListBackupPlans, ec2:GetEbsEncryptionByDefault, ssm:ListResourceComplianceSummaries, cloudtrail:DescribeTrails, guardduty:ListDetectors (account-level reads). config:GetComplianceDetailsByConfigRule is scoped to this evaluator\'s rule ARNs in RuleResultsPolicy.',
    );
    for (const statement of statements) {
      const scoped = statement.sid === undefined ? undefined : SCOPED_WILDCARDS[statement.sid];
      if (scoped !== undefined) acknowledge(policy, `AwsSolutions-IAM5[Resource::${scoped.resource}]`, scoped.reason);
    }
  }
}

/**
 * config:GetComplianceDetailsByConfigRule on the evaluator's own rules (to retire results of
 * resources that are gone). A separate policy, created after the rules, because rule ARNs carry
 * Config's generated rule id.
 */
function addRuleResultsPolicy(fn: MonitorFunction, rules: readonly ComplianceRule[], condition: CfnCondition | undefined): void {
  // All rules conditioned alike: the policy takes the condition. Some: each conditioned ARN drops out where its rule does not exist.
  const policyCondition = condition !== undefined && rules.every((rule) => rule.resource.cfnOptions.condition !== undefined) ? condition : undefined;
  const arn = (rule: ComplianceRule): string => {
    const ruleCondition = rule.resource.cfnOptions.condition;
    return policyCondition !== undefined || ruleCondition === undefined
      ? rule.configRuleArn
      : Fn.conditionIf(ruleCondition.logicalId, rule.configRuleArn, Aws.NO_VALUE).toString();
  };
  const policy = new ManagedPolicy(fn, 'RuleResultsPolicy', {
    description: 'Read the results of the rules this evaluator reports for',
    roles: [fn.role],
    statements: [new PolicyStatement({ effect: Effect.ALLOW, actions: ['config:GetComplianceDetailsByConfigRule'], resources: rules.map(arn) })],
  });
  if (policyCondition !== undefined) (policy.node.defaultChild as CfnManagedPolicy).cfnOptions.condition = policyCondition;
}
