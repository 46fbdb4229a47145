/**
 * Org mode in the notifier: each finding is imported into its own account's Security Hub through
 * that account's member role (the default product must be the caller's); alerts name each account by
 * its AWS Organizations name (cached); a missing member role fails only that account's records and
 * raises one health alert.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { BatchImportFindingsCommand, SecurityHubClient, type BatchImportFindingsCommandInput } from '@aws-sdk/client-securityhub';
import { PublishBatchCommand, PublishCommand, SNSClient, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FindingsSender } from '../../functions/findings/sender.js';
import { createNotifierHandler, type MemberSink, type NotifierConfig } from '../../functions/notifier/handler.js';
import { AccountNames } from '../../functions/org/account-names.js';
import { AccountRouter } from '../../functions/org/account-router.js';
import { MemberAccess } from '../../functions/org/member-access.js';
import { MemberRoleAlarm } from '../../functions/org/role-alarm.js';
import { complianceChange, lambdaContext, sqsEvent } from '../helpers/compliance-events.js';
import { NOTIFIER_CALLS } from '../../functions/notifier/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../helpers/declared-calls.js';
import { fakeTable } from '../helpers/fake-dynamodb.js';

const hub = mockClient(SecurityHubClient);
const sns = mockClient(SNSClient);
const table = fakeTable();
const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);
const sentCommands = recordSentCommands(hub, sns, sts, organizations, table.mock);
afterAll(() => expectDeclaredCalls(sentCommands, NOTIFIER_CALLS));

const CENTRAL = '111122223333';
const MEMBER_A = '444455556666';
const MEMBER_B = '777788889999';
const TOPIC = `arn:aws:sns:us-east-1:${CENTRAL}:ccm-alerts`;
const HEALTH = `arn:aws:sns:us-east-1:${CENTRAL}:ccm-health`;
const CONFIG: NotifierConfig = {
  alertTopicArn: TOPIC,
  alertLedgerTableArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/ccm-alert-ledger',
  digestThreshold: 10,
  configRulePrefix: 'ccm-',
  accountName: 'Management',
  region: 'us-east-1',
};
const NAMES: Record<string, string> = { [MEMBER_A]: 'Imaging vendor', [MEMBER_B]: 'Production EHR' };

function volumeChange(accountId: string, i = 0) {
  // Member accounts see the organization rule under its member copy name.
  const configRuleName = accountId === CENTRAL ? 'ccm-ebs-volume-encrypted' : 'OrgConfigRule-ccm-ebs-volume-encrypted-k3j4h5';
  return complianceChange({
    configRuleName,
    resourceType: 'AWS::EC2::Volume',
    resourceId: `vol-${accountId.slice(0, 4)}${String(i).padStart(13, '0')}`,
    accountId,
    oldCompliance: 'COMPLIANT',
    newCompliance: 'NON_COMPLIANT',
    annotation: 'EBS volume is not encrypted (encrypted = false).',
  });
}

function handler(digestThreshold = 10) {
  let now = 0;
  const fast = { clock: () => now, sleep: async (ms: number) => void (now += ms) };
  const names = new AccountNames({ organizations: () => new OrganizationsClient({ region: 'us-east-1' }) });
  const router = new AccountRouter<MemberSink>({
    centralAccountId: CENTRAL,
    own: { sender: new FindingsSender(new SecurityHubClient({ region: 'us-east-1' }), fast) },
    access: new MemberAccess({ sts: () => new STSClient({ region: 'us-east-1' }), roleName: 'ccm-member', partition: 'aws', sessionName: 'ccm-notifier' }),
    build: (credentials: AwsCredentialIdentity) => ({ sender: new FindingsSender(new SecurityHubClient({ region: 'us-east-1', credentials }), fast) }),
    alarm: new MemberRoleAlarm({ sns: () => new SNSClient({ region: 'us-east-1' }), topicArn: HEALTH, source: 'notifier' }),
    accountName: (id) => names.nameOf(id),
  });
  return createNotifierHandler({
    config: { ...CONFIG, digestThreshold },
    securityHub: new SecurityHubClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    dynamoDb: new DynamoDBClient({ region: 'us-east-1' }),
    logger: new Logger({ logLevel: 'SILENT' }),
    findings: fast,
    alerts: { sleep: async () => undefined },
    org: { router, accountNames: names },
  });
}

async function callerOf(call: { thisValue: unknown }): Promise<string | undefined> {
  const client = call.thisValue as SecurityHubClient;
  // The function's own client has no credentials in tests: it is the one that cannot resolve any.
  return (client.config.credentials as () => Promise<AwsCredentialIdentity>)().then(
    (credentials) => credentials.accessKeyId,
    () => 'own',
  );
}

const subjects = () =>
  sns
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => (call.args[0].input as PublishBatchCommandInput).PublishBatchRequestEntries ?? [])
    .map((e) => e.Subject);

beforeEach(() => {
  table.reset();
  for (const mock of [hub, sns, sts, organizations]) mock.reset();
  hub
    .on(BatchImportFindingsCommand)
    .callsFake((input: BatchImportFindingsCommandInput) => ({ FailedCount: 0, SuccessCount: input.Findings?.length ?? 0, FailedFindings: [] }));
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
    Failed: [],
  }));
  sns.on(PublishCommand).resolves({ MessageId: 'health-1' });
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const account = input.RoleArn.split(':')[4] ?? '';
    return { Credentials: { AccessKeyId: `ASIA${account}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3_600_000) } };
  });
  organizations.on(DescribeAccountCommand).callsFake((input: { AccountId: string }) => ({ Account: { Id: input.AccountId, Name: NAMES[input.AccountId] } }));
});

describe('org mode notifier', () => {
  test("imports each finding into its own account's Security Hub, members through their role", async () => {
    const response = await handler()(
      sqsEvent([volumeChange(MEMBER_A), volumeChange(MEMBER_B), volumeChange(CENTRAL), volumeChange(MEMBER_A, 1)]),
      lambdaContext(CENTRAL),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    const calls = hub.commandCalls(BatchImportFindingsCommand);
    const byCaller = await Promise.all(
      calls.map(async (call) => ({
        caller: await callerOf(call),
        findings: ((call.args[0].input as BatchImportFindingsCommandInput).Findings ?? []).map((f) => [f.AwsAccountId, f.ProductArn]),
      })),
    );
    const product = (account: string) => `arn:aws:securityhub:us-east-1:${account}:product/${account}/default`;
    expect(byCaller).toEqual(
      expect.arrayContaining([
        {
          caller: `ASIA${MEMBER_A}`,
          findings: [
            [MEMBER_A, product(MEMBER_A)],
            [MEMBER_A, product(MEMBER_A)],
          ],
        },
        { caller: `ASIA${MEMBER_B}`, findings: [[MEMBER_B, product(MEMBER_B)]] },
        { caller: 'own', findings: [[CENTRAL, product(CENTRAL)]] },
      ]),
    );
    expect(calls).toHaveLength(3);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${MEMBER_A}:role/ccm-member`,
      `arn:aws:iam::${MEMBER_B}:role/ccm-member`,
    ]);
  });

  test('alerts name each account by its Organizations name, looked up once per account', async () => {
    const notify = handler();
    await notify(sqsEvent([volumeChange(MEMBER_A), volumeChange(CENTRAL)]), lambdaContext(CENTRAL));
    await notify(sqsEvent([volumeChange(MEMBER_A, 2), volumeChange(MEMBER_B)]), lambdaContext(CENTRAL));
    expect(subjects()).toEqual([
      `[HIGH] EBS volume vol-44440000000000000 unencrypted — Imaging vendor (${MEMBER_A})`,
      `[HIGH] EBS volume vol-11110000000000000 unencrypted — Management (${CENTRAL})`,
      `[HIGH] EBS volume vol-44440000000000002 unencrypted — Imaging vendor (${MEMBER_A})`,
      `[HIGH] EBS volume vol-77770000000000000 unencrypted — Production EHR (${MEMBER_B})`,
    ]);
    expect(organizations.commandCalls(DescribeAccountCommand).map((c) => c.args[0].input.AccountId)).toEqual([MEMBER_A, MEMBER_B]);
  });

  test('a name Organizations will not give leaves the account id alone; delivery goes on', async () => {
    organizations.on(DescribeAccountCommand).rejects(Object.assign(new Error('not the management account'), { name: 'AccessDeniedException' }));
    const response = await handler()(sqsEvent([volumeChange(MEMBER_B)]), lambdaContext(CENTRAL));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(subjects()).toEqual([`[HIGH] EBS volume vol-77770000000000000 unencrypted — ${MEMBER_B}`]);
  });

  test('a digest over several accounts lists each by name', async () => {
    await handler(2)(sqsEvent([volumeChange(MEMBER_A), volumeChange(MEMBER_B), volumeChange(MEMBER_A, 1)]), lambdaContext(CENTRAL));
    const [entry] = sns.commandCalls(PublishBatchCommand).flatMap((call) => (call.args[0].input as PublishBatchCommandInput).PublishBatchRequestEntries ?? []);
    expect(entry?.Subject).toMatch(/— 2 accounts$/);
    expect(entry?.Message).toContain(`  Imaging vendor (${MEMBER_A})\n  Production EHR (${MEMBER_B})`);
  });

  test("a missing member role fails only that account's records and raises one health alert naming it", async () => {
    sts
      .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${MEMBER_A}:role/ccm-member` })
      .rejects(Object.assign(new Error('is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' }));
    const notify = handler();
    const response = await notify(sqsEvent([volumeChange(MEMBER_A), volumeChange(MEMBER_B), volumeChange(MEMBER_A, 1)]), lambdaContext(CENTRAL));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }, { itemIdentifier: 'msg-2' }] });
    expect(subjects()).toEqual([`[HIGH] EBS volume vol-77770000000000000 unencrypted — Production EHR (${MEMBER_B})`]);
    await notify(sqsEvent([volumeChange(MEMBER_A)]), lambdaContext(CENTRAL));
    const health = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({ TopicArn: HEALTH, Subject: `[MONITOR] cannot assume the member role in Imaging vendor (${MEMBER_A})` });
    expect(health[0]?.Message).toContain(`arn:aws:iam::${MEMBER_A}:role/ccm-member`);
  });

  test('BatchImportFindings refused to the assumed role is reported as a member-role problem', async () => {
    hub.on(BatchImportFindingsCommand).rejects(
      Object.assign(new Error('not authorized to perform: securityhub:BatchImportFindings'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const response = await handler()(sqsEvent([volumeChange(MEMBER_B)]), lambdaContext(CENTRAL));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }] });
    const [health] = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(health?.Subject).toBe(`[MONITOR] member role refused a call in Production EHR (${MEMBER_B})`);
  });
});
