/**
 * Org mode in the findings refresher: every monitored account of the organization (ACTIVE, listed page
 * by page, minus the excluded) is refreshed in its own Security Hub — members through their member
 * role, assumed once each, the central account with the function's own clients. One account failing
 * never stops the others; the invocation fails at the end, naming every failed account.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ListAccountsCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type BatchImportFindingsCommandInput,
  type GetFindingsCommandInput,
} from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { refreshDueFindings } from '../../functions/findings/refresh.js';
import { FindingsSender } from '../../functions/findings/sender.js';
import { AccountRouter } from '../../functions/org/account-router.js';
import { MemberAccess } from '../../functions/org/member-access.js';
import { monitoredAccounts, type AccountSelection } from '../../functions/org/organization-accounts.js';
import { MemberRoleAlarm } from '../../functions/org/role-alarm.js';
import { loadAccountFilterEnv } from '../../functions/org/organization-accounts.js';
import { createOrgRefresherHandler, OrgRefreshError, type RefreshAdapters } from '../../functions/refresher/organization.js';
import { lambdaContext } from '../helpers/compliance-events.js';
import { failingVolumeFinding } from '../helpers/findings.js';
import { REFRESHER_CALLS } from '../../functions/refresher/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../helpers/declared-calls.js';
import { caller } from '../helpers/org.js';

const hub = mockClient(SecurityHubClient);
const sns = mockClient(SNSClient);
const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);
const sentCommands = recordSentCommands(hub, sns, sts, organizations);
afterAll(() => expectDeclaredCalls(sentCommands, REFRESHER_CALLS));

const CENTRAL = '111122223333';
const MEMBER_A = '444455556666';
const MEMBER_B = '777788889999';
const EXCLUDED = '999988887777';
const SUSPENDED = '222233334444';
const HEALTH = `arn:aws:sns:us-east-1:${CENTRAL}:ccm-health`;
const NOW = new Date('2026-11-28T12:00:00Z');
const FORTY_DAYS_AGO = new Date(NOW.getTime() - 40 * 86_400_000);

/** One failing finding, 40 days old (due), in the account. */
const storedFinding = (accountId: string) => failingVolumeFinding(accountId, FORTY_DAYS_AGO, `vol-${accountId}`);

const page = (ids: [string, string][], NextToken?: string) => ({
  Accounts: ids.map(([Id, State]) => ({ Id, State }) as Account),
  ...(NextToken && { NextToken }),
});

function refresher(selection: Partial<AccountSelection> = {}) {
  const fast = { sleep: async () => undefined };
  const ownClient = new SecurityHubClient({ region: 'us-east-1', credentials: { accessKeyId: 'OWN', secretAccessKey: 's' } });
  const router = new AccountRouter<RefreshAdapters>({
    centralAccountId: CENTRAL,
    own: { securityHub: ownClient, sender: new FindingsSender(ownClient, fast) },
    access: new MemberAccess({
      sts: () => new STSClient({ region: 'us-east-1' }),
      roleName: 'ccm-member',
      partition: 'aws',
      sessionName: 'ccm-findings-refresher',
    }),
    build: (credentials) => {
      const client = new SecurityHubClient({ region: 'us-east-1', credentials });
      return { securityHub: client, sender: new FindingsSender(client, fast) };
    },
    alarm: new MemberRoleAlarm({ sns: () => new SNSClient({ region: 'us-east-1' }), topicArn: HEALTH, source: 'findings-refresher' }),
  });
  const client = new OrganizationsClient({ region: 'us-east-1' });
  return createOrgRefresherHandler({
    refresh: refreshDueFindings,
    accounts: () => monitoredAccounts(client, { centralAccountId: CENTRAL, excluded: [EXCLUDED], ...selection }),
    router,
    region: 'us-east-1',
    logger: new Logger({ logLevel: 'SILENT' }),
    now: () => NOW,
    ...fast,
  });
}

/** Per calling client: the accounts whose findings it read and imported. */
async function callsByCaller(): Promise<{ read: Record<string, string[]>; imported: Record<string, string[]> }> {
  const read: Record<string, string[]> = {};
  const imported: Record<string, string[]> = {};
  for (const call of hub.commandCalls(GetFindingsCommand)) {
    const who = await caller(call.thisValue as SecurityHubClient);
    const filters = (call.args[0].input as GetFindingsCommandInput).Filters;
    (read[who] ??= []).push(`${filters?.AwsAccountId?.[0]?.Value}/${filters?.Region?.[0]?.Value}`);
  }
  for (const call of hub.commandCalls(BatchImportFindingsCommand)) {
    const who = await caller(call.thisValue as SecurityHubClient);
    (imported[who] ??= []).push(...((call.args[0].input as BatchImportFindingsCommandInput).Findings ?? []).map((f) => f.AwsAccountId ?? '?'));
  }
  return { read, imported };
}

beforeEach(() => {
  for (const mock of [hub, sns, sts, organizations]) mock.reset();
  const pages: Record<string, ReturnType<typeof page>> = {
    first: page(
      [
        [CENTRAL, 'ACTIVE'],
        [MEMBER_A, 'ACTIVE'],
      ],
      'page-2',
    ),
    'page-2': page(
      [
        [SUSPENDED, 'SUSPENDED'],
        [EXCLUDED, 'ACTIVE'],
      ],
      'page-3',
    ),
    'page-3': page([[MEMBER_B, 'ACTIVE']]),
  };
  organizations.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => pages[input.NextToken ?? 'first']);
  // Each account's hub holds one due finding of that account.
  hub.on(GetFindingsCommand).callsFake((input: GetFindingsCommandInput) => ({ Findings: [storedFinding(input.Filters?.AwsAccountId?.[0]?.Value ?? '?')] }));
  hub
    .on(BatchImportFindingsCommand)
    .callsFake((input: BatchImportFindingsCommandInput) => ({ FailedCount: 0, SuccessCount: input.Findings?.length ?? 0, FailedFindings: [] }));
  sns.on(PublishCommand).resolves({ MessageId: 'health-1' });
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const account = input.RoleArn.split(':')[4] ?? '';
    return { Credentials: { AccessKeyId: `ASIA${account}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3_600_000) } };
  });
});

describe('org mode findings refresher', () => {
  test('refreshes every active, not excluded account of every page in its own Security Hub: members through their role (one AssumeRole each), the central account with its own clients', async () => {
    const result = await refresher()();
    expect(organizations.commandCalls(ListAccountsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2', 'page-3']);
    expect(result).toEqual({
      examined: 3,
      refreshed: 3,
      accounts: [
        { accountId: CENTRAL, examined: 1, refreshed: 1 },
        { accountId: MEMBER_A, examined: 1, refreshed: 1 },
        { accountId: MEMBER_B, examined: 1, refreshed: 1 },
      ],
    });
    expect(
      sts
        .commandCalls(AssumeRoleCommand)
        .map((c) => c.args[0].input.RoleArn)
        .sort(),
    ).toEqual([`arn:aws:iam::${MEMBER_A}:role/ccm-member`, `arn:aws:iam::${MEMBER_B}:role/ccm-member`]);
    expect(sts.commandCalls(AssumeRoleCommand).every((c) => c.args[0].input.RoleSessionName === 'ccm-findings-refresher')).toBe(true);
    // Each account reads only its own findings of this Region, and imports them from itself.
    expect(await callsByCaller()).toEqual({
      read: { OWN: [`${CENTRAL}/us-east-1`], [`ASIA${MEMBER_A}`]: [`${MEMBER_A}/us-east-1`], [`ASIA${MEMBER_B}`]: [`${MEMBER_B}/us-east-1`] },
      imported: { OWN: [CENTRAL], [`ASIA${MEMBER_A}`]: [MEMBER_A], [`ASIA${MEMBER_B}`]: [MEMBER_B] },
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  test('includeAccounts: only those accounts (and the central one)', async () => {
    const result = await refresher({ included: [MEMBER_B] })();
    expect(result.accounts.map((a) => a.accountId)).toEqual([CENTRAL, MEMBER_B]);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([`arn:aws:iam::${MEMBER_B}:role/ccm-member`]);
  });

  test('a missing member role in one account: the others are still refreshed, one health alert names it, and the invocation fails naming it', async () => {
    sts
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${MEMBER_A}:role/ccm-member` })
      .rejects(Object.assign(new Error('is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' }));
    const refresh = refresher();
    const error = await refresh().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OrgRefreshError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^findings of 1 of 3 account\\(s\\) could not be refreshed: ${MEMBER_A} \\(cannot assume member role arn:aws:iam::${MEMBER_A}:role/ccm-member in account ${MEMBER_A} \\(AccessDenied: `,
      ),
    );
    expect((error as OrgRefreshError).accounts).toEqual([
      { accountId: CENTRAL, examined: 1, refreshed: 1 },
      { accountId: MEMBER_A, examined: 0, refreshed: 0, error: expect.stringContaining('AccessDenied') },
      { accountId: MEMBER_B, examined: 1, refreshed: 1 },
    ]);
    expect((await callsByCaller()).imported).toEqual({ OWN: [CENTRAL], [`ASIA${MEMBER_B}`]: [MEMBER_B] });
    // The next run within the hour fails again, without a second alert.
    await expect(refresh()).rejects.toThrow(MEMBER_A);
    const health = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({ TopicArn: HEALTH, Subject: `[MONITOR] cannot assume the member role in ${MEMBER_A}` });
    expect(health[0]?.Message).toContain('Function: findings-refresher');
  });

  test('GetFindings refused to the member role (StackSet not yet updated) is a member-role problem of that account only', async () => {
    hub
      .on(GetFindingsCommand, { Filters: { AwsAccountId: [{ Value: MEMBER_B, Comparison: 'EQUALS' }] } })
      .rejects(
        Object.assign(new Error('not authorized to perform: securityhub:GetFindings'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }),
      );
    await expect(refresher()()).rejects.toThrow(
      new RegExp(
        `1 of 3 account\\(s\\).*${MEMBER_B} \\(member role arn:aws:iam::${MEMBER_B}:role/ccm-member in account ${MEMBER_B} was refused a call \\(AccessDeniedException: `,
      ),
    );
    expect((await callsByCaller()).imported).toEqual({ OWN: [CENTRAL], [`ASIA${MEMBER_A}`]: [MEMBER_A] });
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject)).toEqual([`[MONITOR] member role refused a call in ${MEMBER_B}`]);
  });

  test("FailedFindings in one account fail that account (reported, with the finding's error), not the others", async () => {
    hub.on(BatchImportFindingsCommand).callsFake(async (input: BatchImportFindingsCommandInput, getClient) => {
      const findings = input.Findings ?? [];
      if ((await caller(getClient() as SecurityHubClient)) !== `ASIA${MEMBER_A}`) return { FailedCount: 0, SuccessCount: findings.length, FailedFindings: [] };
      return {
        FailedCount: findings.length,
        SuccessCount: 0,
        FailedFindings: findings.map((f) => ({ Id: f.Id, ErrorCode: 'AccessDeniedException', ErrorMessage: 'not authorized' })),
      };
    });
    const error = (await refresher()().catch((e: unknown) => e)) as OrgRefreshError;
    expect(error.message).toMatch(new RegExp(`${MEMBER_A} \\(1 finding\\(s\\) could not be refreshed, e\\.g\\. .*AccessDeniedException not authorized\\)`));
    expect(error.accounts.map((a) => [a.accountId, a.refreshed, a.error === undefined])).toEqual([
      [CENTRAL, 1, true],
      [MEMBER_A, 0, false],
      [MEMBER_B, 1, true],
    ]);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject)).toEqual([`[MONITOR] member role refused a call in ${MEMBER_A}`]);
  });

  test("the organization's accounts cannot be listed: the central account is still refreshed, then the invocation fails", async () => {
    organizations.reset();
    organizations
      .on(ListAccountsCommand)
      .rejects(Object.assign(new Error('You don’t have permissions to access this resource.'), { name: 'AccessDeniedException' }));
    const error = (await refresher()().catch((e: unknown) => e)) as OrgRefreshError;
    expect(error.message).toMatch(/^cannot list the organization's accounts \(AccessDeniedException: .*\); only the central account was refreshed$/);
    expect(error.accounts).toEqual([{ accountId: CENTRAL, examined: 1, refreshed: 1 }]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});

describe('the account filter from the environment', () => {
  test('comma-separated account ids; none excluded and every account included by default', () => {
    expect(loadAccountFilterEnv({})).toEqual({ excluded: [] });
    expect(loadAccountFilterEnv({ EXCLUDED_ACCOUNTS: `${EXCLUDED},${SUSPENDED}`, INCLUDED_ACCOUNTS: MEMBER_A })).toEqual({
      excluded: [EXCLUDED, SUSPENDED],
      included: [MEMBER_A],
    });
  });

  test('anything else fails the cold start', () => {
    expect(() => loadAccountFilterEnv({ EXCLUDED_ACCOUNTS: '1234, 999988887777' })).toThrow(/EXCLUDED_ACCOUNTS must be comma-separated 12-digit account ids/);
  });
});

describe('the Lambda entry point', () => {
  test('with the org environment, the handler refreshes the organization (the org code is loaded at cold start)', async () => {
    const env = {
      MEMBER_ROLE_NAME: 'ccm-member',
      CENTRAL_ACCOUNT_ID: CENTRAL,
      HEALTH_TOPIC_ARN: HEALTH,
      EXCLUDED_ACCOUNTS: EXCLUDED,
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    };
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    try {
      const { handler } = await import('../../functions/refresher/index.js');
      const result = (await handler({}, lambdaContext(CENTRAL))) as { accounts: { accountId: string }[] };
      expect(result.accounts.map((a) => a.accountId)).toEqual([CENTRAL, MEMBER_A, MEMBER_B]);
      expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
