/** Every AWS call of the two evaluators (see functions/shared/permissions.ts). */
import { LOADER_CALLS } from '../inventory/live.js';
import { ORG_CALLS, type DeclaredCall } from '../shared/permissions.js';

export const CHANGE_EVALUATOR_CALLS: readonly DeclaredCall[] = [
  { command: 'PutEvaluationsCommand', action: 'config:PutEvaluations', resource: '*', account: 'monitored' },
  { command: 'GetResourceConfigHistoryCommand', action: 'config:GetResourceConfigHistory', resource: '*', account: 'monitored' },
  { command: 'SelectResourceConfigCommand', action: 'config:SelectResourceConfig', resource: '*', account: 'monitored', when: 'scheduledItemRules' },
  {
    command: 'GetComplianceDetailsByConfigRuleCommand',
    action: 'config:GetComplianceDetailsByConfigRule',
    resource: { invokingConfigRule: true },
    account: 'monitored',
    when: 'scheduledItemRules',
  },
  ...ORG_CALLS,
];

/** The live loader's calls (functions/inventory/live.ts), each under the input that needs it. */
export const PERIODIC_EVALUATOR_CALLS: readonly DeclaredCall[] = [
  { command: 'PutEvaluationsCommand', action: 'config:PutEvaluations', resource: '*', account: 'monitored' },
  {
    command: 'GetComplianceDetailsByConfigRuleCommand',
    action: 'config:GetComplianceDetailsByConfigRule',
    resource: { invokingConfigRule: true },
    account: 'monitored',
  },
  ...LOADER_CALLS,
  ...ORG_CALLS,
];
