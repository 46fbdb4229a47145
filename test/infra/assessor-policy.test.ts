/**
 * The policies the README gives for `npm run scan -- --live` (generated from cli/live/calls.ts), proven
 * by IAM policy simulation: the assessor's read-only policy allows every call the live scan makes in an
 * account it reads, and nothing else; the caller's policy and the assessor role's trust policy let the
 * scan into other accounts through that role only.
 */
import { assessorPolicy, assessorTrustPolicy, LIVE_SCAN_CALLS, practicePolicy, type LiveScanCall } from '../../cli/live/calls.js';
import { readFileSync } from 'node:fs';
import { EXAMPLE_ROLE_NAME, EXAMPLE_SCANNING_ACCOUNT } from '../../scripts/docs/readme.js';
import { importGraph } from './iam/calls.js';
import { decide, type SimulatedRequest } from './iam/simulate.js';
import { allowedActions } from './iam/world.js';

// The README's example names (scripts/docs/readme.ts): the documents proven are the documents shown.
const CALLER_ACCOUNT = EXAMPLE_SCANNING_ACCOUNT;
const READ_ACCOUNT = '444455556666';
const ROLE = EXAMPLE_ROLE_NAME;
const REGION = 'eu-west-1';
const CALLER = `arn:aws:iam::${CALLER_ACCOUNT}:user/msp-engineer`;
const ASSESSOR_ROLE = `arn:aws:iam::${READ_ACCOUNT}:role/${ROLE}`;
const ASSESSOR_SESSION = `arn:aws:sts::${READ_ACCOUNT}:assumed-role/${ROLE}/ccm-live-scan`;

/** The call's resource in the account read, a name learned at run time standing for `*`. */
function resourceOf(call: LiveScanCall): string {
  const { resource } = call;
  if (resource === '*') return '*';
  if (!('arn' in resource)) throw new Error(`${call.command}: the live scan names resources by ARN pattern only`);
  const values: Record<string, string> = { partition: 'aws', region: REGION, account: READ_ACCOUNT, memberAccount: READ_ACCOUNT, memberRoleName: ROLE };
  return resource.arn.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? name).replace(/\*/g, 'example');
}

function byAssessor(action: string, resource: string): SimulatedRequest {
  return {
    principal: ASSESSOR_SESSION,
    action,
    resource,
    resourceAccount: READ_ACCOUNT,
    identityPolicies: [assessorPolicy()],
    context: { 'aws:PrincipalArn': ASSESSOR_ROLE, 'aws:PrincipalAccount': READ_ACCOUNT, 'aws:RequestedRegion': REGION },
  };
}

const inReadAccount = LIVE_SCAN_CALLS.filter((call) => call.account === 'monitored');

describe('the assessor policy', () => {
  test.each(inReadAccount.map((call) => [call.action, call] as const))('allows %s, as the live scan calls it', async (_action, call) => {
    expect(await decide(byAssessor(call.action, resourceOf(call)))).toBe('Allowed');
  });

  test('grants exactly the actions of the calls made in an account read, and nothing else', () => {
    expect([...allowedActions([assessorPolicy()])].sort()).toEqual([...new Set(inReadAccount.map((call) => call.action))].sort());
  });

  test.each([
    ['config:PutEvaluations', '*'],
    ['config:SelectAggregateResourceConfig', '*'],
    ['config:StopConfigurationRecorder', `arn:aws:config:${REGION}:${READ_ACCOUNT}:configuration-recorder/default/example`],
    ['backup:StartBackupJob', `arn:aws:backup:${REGION}:${READ_ACCOUNT}:backup-vault:example`],
    ['backup:DeleteBackupSelection', `arn:aws:backup:${REGION}:${READ_ACCOUNT}:backup-plan:example`],
    ['ec2:DescribeInstances', '*'],
    ['ec2:EnableEbsEncryptionByDefault', '*'],
    ['iam:ListUsers', '*'],
    ['ssm:SendCommand', `arn:aws:ec2:${REGION}:${READ_ACCOUNT}:instance/i-example`],
    ['s3:GetObject', 'arn:aws:s3:::patient-records/example'],
    ['dynamodb:Scan', `arn:aws:dynamodb:${REGION}:${READ_ACCOUNT}:table/example`],
    ['sts:AssumeRole', `arn:aws:iam::${READ_ACCOUNT}:role/Admin`],
  ])('refuses %s: no write, and no read of data', async (action, resource) => {
    expect(await decide(byAssessor(action, resource))).not.toBe('Allowed');
  });

  test('GetCallerIdentity is the one call it leaves out: IAM authorizes no action for it', () => {
    expect(LIVE_SCAN_CALLS.filter((call) => call.unauthorized === true).map((call) => call.action)).toEqual(['sts:GetCallerIdentity']);
    expect(allowedActions([assessorPolicy(), practicePolicy(ROLE)]).has('sts:GetCallerIdentity')).toBe(false);
  });
});

describe('reading other accounts (--accounts, --organization)', () => {
  const callerPolicies = [practicePolicy(ROLE)];
  const assume = (roleArn: string, trust = assessorTrustPolicy(CALLER_ACCOUNT), principal = CALLER): SimulatedRequest => ({
    principal,
    action: 'sts:AssumeRole',
    resource: roleArn,
    resourceAccount: roleArn.split(':')[4] ?? '',
    identityPolicies: callerPolicies,
    resourcePolicy: trust,
    context: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': principal.split(':')[4] ?? '' },
  });

  test("the caller may assume the assessor role in another account that trusts the caller's account", async () => {
    expect(await decide(assume(ASSESSOR_ROLE))).toBe('Allowed');
  });

  test("the caller may assume no other role; a role trusting another account, or another account's caller, is refused", async () => {
    expect(await decide(assume(`arn:aws:iam::${READ_ACCOUNT}:role/OrganizationAccountAccessRole`))).not.toBe('Allowed');
    expect(await decide(assume(ASSESSOR_ROLE, assessorTrustPolicy('999900001111')))).not.toBe('Allowed');
    expect(
      await decide({
        ...assume(ASSESSOR_ROLE, assessorTrustPolicy(CALLER_ACCOUNT), 'arn:aws:iam::999900001111:user/stranger'),
        identityPolicies: callerPolicies,
      }),
    ).not.toBe('Allowed');
  });

  test('the caller may list the organization (--organization), and holds nothing else', async () => {
    expect(
      await decide({
        principal: CALLER,
        action: 'organizations:ListAccounts',
        resource: '*',
        resourceAccount: CALLER_ACCOUNT,
        identityPolicies: callerPolicies,
        context: { 'aws:PrincipalArn': CALLER, 'aws:PrincipalAccount': CALLER_ACCOUNT },
      }),
    ).toBe('Allowed');
    const callerCalls = LIVE_SCAN_CALLS.filter((call) => call.account !== 'monitored' && call.unauthorized !== true).map((call) => call.action);
    expect([...allowedActions(callerPolicies)].sort()).toEqual([...new Set(callerCalls)].sort());
  });
});

test('every declared call is sent somewhere in the code `npm run scan` runs, and its action is the API operation', () => {
  const source = importGraph('cli/scan.ts')
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  for (const call of LIVE_SCAN_CALLS) {
    const name = call.command.replace(/Command$/, '');
    expect([call.command, source.includes(call.command) || source.includes(`paginate${name}(`)]).toEqual([call.command, true]);
    expect([call.command, call.action.split(':')[1]]).toEqual([call.command, name]);
  }
});
