/**
 * Every AWS call `npm run scan -- --live` makes, in one list: the shared loader's calls for what the
 * rules need (functions/inventory/live.ts), plus what only the CLI does (who am I, is Config recording,
 * which Regions, which accounts, the assessor role). The assessor policy in the README is generated
 * from it, the permission simulation proves that policy allows each of these calls and nothing else,
 * and the CLI's tests fail on a command they see sent that is not listed here.
 */
import { CONFIG_QUERY_CALL, LIVE_INPUTS, requestFor, type LoaderCall } from '../../functions/inventory/live.js';
import { CATALOG } from '../../rules/catalog.js';
import type { ExtraInput } from '../../rules/types.js';

/**
 * When the scan makes the call: `allRegions` with --all-regions, `otherAccounts` with --accounts or
 * --organization (an account other than the caller's), `organization` with --organization.
 */
export type LiveScanCondition = 'allRegions' | 'otherAccounts' | 'organization';

/**
 * `account`: `monitored` is every account read (the assessor policy's principal there); `own` is the
 * caller's account, with the caller's credentials; `member` is a call by the caller on a resource of
 * an account read (assuming the assessor role).
 */
export interface LiveScanCall extends LoaderCall {
  readonly when?: LiveScanCondition;
  /** IAM authorizes no action for it: GetCallerIdentity works even under an explicit deny (AWS STS API reference). */
  readonly unauthorized?: true;
  /** The rules that cannot be evaluated without it (AccessDenied names them); none: the scan cannot go on. */
  readonly for?: 'configItems' | ExtraInput;
}

/** The inputs the catalog's rules need, in the loader's order: the CLI reads them all. */
export const SCAN_INPUTS: readonly ExtraInput[] = requestFor(CATALOG).needs;

export const RECORDER_STATUS_CALL: LiveScanCall = {
  command: 'DescribeConfigurationRecorderStatusCommand',
  action: 'config:DescribeConfigurationRecorderStatus',
  resource: { arn: 'arn:{partition}:config:{region}:{account}:configuration-recorder/*/*' },
  account: 'monitored',
  for: 'configItems',
};

export const LIVE_SCAN_CALLS: readonly LiveScanCall[] = [
  { command: 'GetCallerIdentityCommand', action: 'sts:GetCallerIdentity', resource: '*', account: 'own', unauthorized: true },
  RECORDER_STATUS_CALL,
  { ...CONFIG_QUERY_CALL, for: 'configItems' },
  ...SCAN_INPUTS.flatMap((kind) => LIVE_INPUTS[kind].calls.map((call): LiveScanCall => ({ ...call, for: kind }))),
  { command: 'DescribeRegionsCommand', action: 'ec2:DescribeRegions', resource: '*', account: 'monitored', when: 'allRegions' },
  {
    command: 'AssumeRoleCommand',
    action: 'sts:AssumeRole',
    resource: { arn: 'arn:{partition}:iam::{memberAccount}:role/{memberRoleName}' },
    account: 'member',
    when: 'otherAccounts',
  },
  { command: 'ListAccountsCommand', action: 'organizations:ListAccounts', resource: '*', account: 'own', when: 'organization' },
];

const BY_COMMAND = new Map(LIVE_SCAN_CALLS.map((call) => [call.command, call]));

/** The declared call an SDK command name stands for. */
export function callOf(command: string | undefined): LiveScanCall | undefined {
  return command === undefined ? undefined : BY_COMMAND.get(command);
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: { readonly AWS: string };
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/**
 * The assessor's read-only policy, for the identity that reads each account (your user or role in a
 * single account; the role --role-name names in each account of a practice). Resource "*": every
 * action here either has no resource type, or has one that the read needs in full (every backup plan,
 * every configuration recorder); "*" also holds in every partition.
 */
export function assessorPolicy(): PolicyDocument {
  const actions = [...new Set(LIVE_SCAN_CALLS.filter((call) => call.account === 'monitored' && call.unauthorized !== true).map((call) => call.action))].sort();
  return { Version: '2012-10-17', Statement: [{ Sid: 'ClinicComplianceMonitorLiveScan', Effect: 'Allow', Action: actions, Resource: '*' }] };
}

/** What the caller needs besides, to read other accounts: the assessor role in each (and, with --organization, the account list). */
export function practicePolicy(roleName: string, partition = 'aws'): PolicyDocument {
  const statement = (sid: string, call: LiveScanCall, resource: string) => ({ Sid: sid, Effect: 'Allow' as const, Action: [call.action], Resource: resource });
  const assume = LIVE_SCAN_CALLS.find((call) => call.when === 'otherAccounts');
  const list = LIVE_SCAN_CALLS.find((call) => call.when === 'organization');
  if (assume === undefined || list === undefined || typeof assume.resource !== 'object' || !('arn' in assume.resource))
    throw new Error('the live scan declares no AssumeRole or ListAccounts call');
  const roleArn = assume.resource.arn.replace('{partition}', partition).replace('{memberAccount}', '*').replace('{memberRoleName}', roleName);
  return { Version: '2012-10-17', Statement: [statement('AssumeAssessorRole', assume, roleArn), statement('ListOrganizationAccounts', list, '*')] };
}

/** The assessor role's trust policy in each account read: the caller's account may assume it (its own IAM policies then decide who). */
export function assessorTrustPolicy(callerAccount: string, partition = 'aws'): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'TrustTheAssessorsAccount', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${callerAccount}:root` }, Action: 'sts:AssumeRole' },
    ],
  };
}
