/**
 * The current results of our rules in one account and Region, read from AWS Config: the rules are
 * listed (DescribeConfigRules, every page) to find ours by name — `ccm-<id>` as the stack names them,
 * `OrgConfigRule-ccm-<id>-<suffix>` for an organization rule's copy in a member account — then each
 * rule's results are read (GetComplianceDetailsByConfigRule, 100 a page, every page) and turned into
 * evaluations in the shape the offline scan reports. Config keeps no names, exemption records or
 * rule errors beside a result: the annotation is what the evaluator wrote (an exemption is read back
 * from it), and a resource the rule could not evaluate was sent as NON_COMPLIANT with the reason.
 */
import {
  paginateDescribeConfigRules,
  paginateGetComplianceDetailsByConfigRule,
  type ConfigServiceClient,
  type EvaluationResult,
} from '@aws-sdk/client-config-service';
import { getRule } from '../../rules/catalog.js';
import { exemptionFromAnnotation } from '../../rules/exemptions.js';
import { parseParameters } from '../../rules/params.js';
import type { Compliance, Evaluation } from '../../rules/types.js';
import { ruleIdFromConfigRuleName } from '../alerts/compliance-change.js';

export const RESULTS_PAGE_SIZE = 100;
const COMPLIANCE: ReadonlySet<string> = new Set<Compliance>(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA']);
/** Rules being deleted have no results worth reporting. */
const GONE_STATES: ReadonlySet<string> = new Set(['DELETING', 'DELETING_RESULTS']);

export interface AccountResults {
  readonly accountId: string;
  readonly evaluations: Evaluation[];
  /** Our rules found in the account: rule id → Config rule name. */
  readonly rules: Map<string, string>;
  /** Each found rule's parameters in effect (its Config input parameters over the catalog defaults). */
  readonly parameters: Map<string, Readonly<Record<string, unknown>>>;
  /** Results AWS Config returned that could not be read (no resource, unknown compliance): left out, with why. */
  readonly unreadable: { readonly configRuleName: string; readonly reason: string }[];
}

export interface ReadOptions {
  readonly accountId: string;
  readonly region: string;
  /** The enabled rules: others with our prefix are ignored. */
  readonly ruleIds: ReadonlySet<string>;
  readonly configRulePrefix: string;
}

/** The rule's parameters from its Config input parameters, with the catalog's defaults for the rest. */
function parametersOf(ruleId: string, inputParameters: string | undefined): Readonly<Record<string, unknown>> {
  const entry = getRule(ruleId);
  let given: Record<string, unknown> = {};
  try {
    given = inputParameters === undefined || inputParameters === '' ? {} : (JSON.parse(inputParameters) as Record<string, unknown>);
  } catch {
    // The rule reports its own malformed parameters on every evaluation; the report shows the defaults.
  }
  const rest = Object.fromEntries(Object.entries(given).filter(([name]) => name !== 'ruleId'));
  try {
    return parseParameters(entry.id, entry.parameters, rest);
  } catch {
    return parseParameters(entry.id, entry.parameters, {});
  }
}

function toEvaluation(result: EvaluationResult, ruleId: string, options: ReadOptions): Evaluation | string {
  const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
  if (!qualifier?.ResourceType || !qualifier.ResourceId) return 'a result without resource type or id';
  const compliance = result.ComplianceType;
  if (compliance === undefined || !COMPLIANCE.has(compliance)) return `a result with compliance ${String(compliance)}`;
  const entry = getRule(ruleId);
  const annotation = result.Annotation ?? '';
  const exemption = annotation === '' ? undefined : exemptionFromAnnotation(annotation);
  const ordering = result.EvaluationResultIdentifier?.OrderingTimestamp ?? result.ResultRecordedTime;
  return {
    ruleId: entry.id,
    resourceType: qualifier.ResourceType,
    resourceId: qualifier.ResourceId,
    accountId: options.accountId,
    region: options.region,
    compliance: compliance as Compliance,
    annotation,
    severity: entry.severity,
    hipaa: entry.hipaa,
    orderingTimestamp: ordering === undefined ? '' : ordering.toISOString(),
    ...(exemption !== undefined && { exemption }),
  };
}

export async function readAccountResults(client: ConfigServiceClient, options: ReadOptions): Promise<AccountResults> {
  const rules = new Map<string, string>();
  const inputs = new Map<string, string | undefined>();
  for await (const page of paginateDescribeConfigRules({ client }, {})) {
    for (const rule of page.ConfigRules ?? []) {
      const name = rule.ConfigRuleName;
      if (name === undefined || GONE_STATES.has(rule.ConfigRuleState ?? '')) continue;
      const ruleId = ruleIdFromConfigRuleName(name, options.configRulePrefix);
      // A second copy of one rule (a stack and an organization rule both) would count each resource twice: the first listed is read.
      if (ruleId === undefined || !options.ruleIds.has(ruleId) || rules.has(ruleId)) continue;
      rules.set(ruleId, name);
      inputs.set(ruleId, rule.InputParameters);
    }
  }
  const evaluations: Evaluation[] = [];
  const unreadable: AccountResults['unreadable'][number][] = [];
  for (const [ruleId, configRuleName] of rules) {
    const pages = paginateGetComplianceDetailsByConfigRule(
      { client, pageSize: RESULTS_PAGE_SIZE },
      { ConfigRuleName: configRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'] },
    );
    for await (const page of pages) {
      for (const result of page.EvaluationResults ?? []) {
        const evaluation = toEvaluation(result, ruleId, options);
        if (typeof evaluation === 'string') unreadable.push({ configRuleName, reason: evaluation });
        else evaluations.push(evaluation);
      }
    }
  }
  return {
    accountId: options.accountId,
    evaluations,
    rules,
    parameters: new Map([...inputs].map(([ruleId, input]) => [ruleId, parametersOf(ruleId, input)])),
    unreadable,
  };
}
