/**
 * AWS Config rule listings and rule results in the shape the SDK returns them, built from the AWS CLI
 * examples (fixtures/aws-samples/api/config, see SOURCES.md) with our rule names and resources put in:
 * epoch-second timestamps become `Date`s as the SDK's deserializer makes them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigRule, EvaluationResult } from '@aws-sdk/client-config-service';
import type { Compliance } from '../../rules/types.js';
import { FIXTURES } from './samples.js';

type Json = Record<string, unknown>;

function sample(file: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, 'aws-samples', 'api', 'config', file), 'utf8')) as Json;
}

const seconds = (value: unknown): Date => new Date(Number(value) * 1000);

/** A rule as DescribeConfigRules lists it: the CLI example's custom Lambda rule, renamed, with our input parameters. */
export function configRule(name: string, options: { inputParameters?: Record<string, string>; state?: ConfigRule['ConfigRuleState'] } = {}): ConfigRule {
  const [rule] = sample('DescribeConfigRules.awscli.json').ConfigRules as ConfigRule[];
  if (rule === undefined) throw new Error('sample has no rule');
  return { ...rule, ConfigRuleName: name, InputParameters: JSON.stringify(options.inputParameters ?? {}), ConfigRuleState: options.state ?? 'ACTIVE' };
}

export interface ResultSpec {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly compliance: Compliance;
  /** Absent in the CLI example; our evaluators always write one. */
  readonly annotation?: string;
}

/** A result as GetComplianceDetailsByConfigRule returns it: the CLI example's first result with our rule and resource. */
export function ruleResult(configRuleName: string, spec: ResultSpec): EvaluationResult {
  const [first] = sample('GetComplianceDetailsByConfigRule.awscli.json').EvaluationResults as Json[];
  const identifier = first?.EvaluationResultIdentifier as Json;
  return {
    EvaluationResultIdentifier: {
      OrderingTimestamp: seconds(identifier.OrderingTimestamp),
      EvaluationResultQualifier: { ConfigRuleName: configRuleName, ResourceType: spec.resourceType, ResourceId: spec.resourceId },
    },
    ResultRecordedTime: seconds(first?.ResultRecordedTime),
    ConfigRuleInvokedTime: seconds(first?.ConfigRuleInvokedTime),
    ComplianceType: spec.compliance,
    ...(spec.annotation !== undefined && { Annotation: spec.annotation }),
  };
}
