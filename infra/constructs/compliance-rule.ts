import type { CfnCondition } from 'aws-cdk-lib';
import { CfnConfigRule } from 'aws-cdk-lib/aws-config';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct, type IDependable } from 'constructs';
import { configRuleName, routeRule, type RuleRoute } from '../routing.js';
import type { EnabledRule, PeriodicFrequency } from '../settings.js';

/** PutConfigRule: Description is 0–256 characters. */
const MAX_DESCRIPTION = 256;

export interface ComplianceRuleProps {
  /** The catalog entry and its input parameters from the settings. */
  readonly rule: EnabledRule;
  /** The evaluator the rule's route names (see routing.ts). */
  readonly evaluator: IFunction;
  /** Config's permission to invoke the evaluator: Config checks it when the rule is created. */
  readonly invokePermission: IDependable;
  /** For periodic triggers. */
  readonly maximumExecutionFrequency: PeriodicFrequency;
  /** Create the rule only where this holds (account-wide IAM rules: the home Region). */
  readonly condition?: CfnCondition;
}

/**
 * One catalog entry as an AWS Config custom Lambda rule named `ccm-<ruleId>`. The L1 resource, not
 * the `CustomRule` L2: that one attaches the AWS managed AWSConfigRulesExecutionRole (config:Get*,
 * config:Put*, …) to the evaluator's role, far more than PutEvaluations and a few reads.
 */
export class ComplianceRule extends Construct {
  readonly configRuleName: string;
  readonly configRuleArn: string;
  readonly route: RuleRoute;
  readonly resource: CfnConfigRule;

  constructor(scope: Construct, id: string, props: ComplianceRuleProps) {
    super(scope, id);
    const { entry, inputParameters } = props.rule;
    this.route = routeRule(entry);
    const sourceDetails: CfnConfigRule.SourceDetailProperty[] = [];
    if (this.route.onChange) {
      sourceDetails.push({ eventSource: 'aws.config', messageType: 'ConfigurationItemChangeNotification' });
      sourceDetails.push({ eventSource: 'aws.config', messageType: 'OversizedConfigurationItemChangeNotification' });
    }
    if (this.route.periodic) {
      sourceDetails.push({ eventSource: 'aws.config', messageType: 'ScheduledNotification', maximumExecutionFrequency: props.maximumExecutionFrequency });
    }
    const description = `${entry.title}. ${entry.description}`;
    this.resource = new CfnConfigRule(this, 'Resource', {
      configRuleName: configRuleName(entry.id),
      description: description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION - 1)}…` : description,
      inputParameters: { ...inputParameters },
      ...(this.route.scope !== undefined && { scope: { complianceResourceTypes: [...this.route.scope] } }),
      ...(this.route.periodic && { maximumExecutionFrequency: props.maximumExecutionFrequency }),
      source: { owner: 'CUSTOM_LAMBDA', sourceIdentifier: props.evaluator.functionArn, sourceDetails },
    });
    if (props.condition !== undefined) this.resource.cfnOptions.condition = props.condition;
    this.resource.node.addDependency(props.invokePermission);
    this.configRuleName = this.resource.ref;
    this.configRuleArn = this.resource.attrArn;
  }
}
