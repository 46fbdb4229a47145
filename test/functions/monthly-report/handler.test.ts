/**
 * The monthly report end to end over mocked AWS: reads the rules' results and the archive, writes three
 * reports under reports/YYYY-MM/, announces them once on the alert topic. Org-wide, one account failing
 * leaves the others read; the report names it and the invocation fails after writing what it could.
 */
import 'aws-sdk-client-mock-jest';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  ConfigServiceClient,
  DescribeConfigRulesCommand,
  GetComplianceDetailsByConfigRuleCommand,
  type GetComplianceDetailsByConfigRuleCommandInput,
} from '@aws-sdk/client-config-service';
import { ListAccountsCommand, OrganizationsClient, type Account } from '@aws-sdk/client-organizations';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandInput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { toJsonLines, type TransitionRecord } from '../../../functions/evidence/transitions.js';
import {
  createMonthlyReportHandler,
  loadMonthlyReportConfig,
  MonthlyReportIncompleteError,
  organizationAccess,
  ownAccountAccess,
  type ConfigAccess,
  type MonthlyReportConfig,
} from '../../../functions/monthly-report/handler.js';
import { MONTHLY_REPORT_CALLS } from '../../../functions/monthly-report/permissions.js';
import type { MonthlySummary } from '../../../functions/monthly-report/report.js';
import { AccountRouter } from '../../../functions/org/account-router.js';
import { MemberAccess } from '../../../functions/org/member-access.js';
import { monitoredAccounts } from '../../../functions/org/organization-accounts.js';
import { MemberRoleAlarm } from '../../../functions/org/role-alarm.js';
import { configRule, ruleResult } from '../../helpers/config-results.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';
import { caller, CENTRAL, MEMBER_A, MEMBER_B } from '../../helpers/org.js';
import { volumeTransition } from '../../helpers/transitions.js';

const config = mockClient(ConfigServiceClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);
const sentCommands = recordSentCommands(config, s3, sns, sts, organizations);
afterAll(() => expectDeclaredCalls(sentCommands, MONTHLY_REPORT_CALLS));

const BUCKET = 'ccm-evidence-bucket-1a2b3c';
const ALERTS = `arn:aws:sns:us-east-1:${CENTRAL}:ccm-alerts`;
const HEALTH = `arn:aws:sns:us-east-1:${CENTRAL}:ccm-health`;
const NOW = new Date('2026-11-01T06:00:09Z');
const SCHEDULED = {
  version: '0',
  id: 'evt-1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: CENTRAL,
  time: '2026-11-01T06:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: {},
};

const CONFIG: MonthlyReportConfig = {
  bucket: BUCKET,
  alertTopicArn: ALERTS,
  region: 'us-east-1',
  accountId: CENTRAL,
  ruleIds: ['ebs-volume-encrypted'],
  configRulePrefix: 'ccm-',
  exemptionTagKey: 'compliance:exempt',
  version: '9.9.9',
  accountName: 'Main clinic',
};

const silent = new Logger({ logLevel: 'SILENT' });

function record(
  eventId: string,
  resourceId: string,
  at: string,
  from: TransitionRecord['oldCompliance'],
  to: TransitionRecord['newCompliance'],
): TransitionRecord {
  return volumeTransition({ eventId, resourceId, accountId: CENTRAL, oldCompliance: from, newCompliance: to, recordedAt: at });
}

const ownConfig = () => new ConfigServiceClient({ region: 'us-east-1', credentials: { accessKeyId: 'OWN', secretAccessKey: 's' } });
const puts = () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input as PutObjectCommandInput);
const announcements = () =>
  sns
    .commandCalls(PublishCommand)
    .map((call) => call.args[0].input as PublishCommandInput)
    .filter((input) => input.TopicArn === ALERTS);
const summaryWritten = (): MonthlySummary => (JSON.parse(String(puts().find((p) => p.Key?.endsWith('.json'))?.Body)) as { summary: MonthlySummary }).summary;

function report(access: ConfigAccess, overrides: Partial<MonthlyReportConfig> = {}) {
  return createMonthlyReportHandler({
    config: { ...CONFIG, ...overrides },
    s3: new S3Client({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    access,
    logger: silent,
    now: () => NOW,
    publisher: { sleep: async () => undefined },
  });
}

let listedPrefixes: string[];

beforeEach(() => {
  for (const mock of [config, s3, sns, sts, organizations]) mock.reset();
  config.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [configRule('ccm-ebs-volume-encrypted')] });
  config.on(GetComplianceDetailsByConfigRuleCommand).callsFake(async (input: GetComplianceDetailsByConfigRuleCommandInput) => ({
    EvaluationResults: [
      ruleResult(input.ConfigRuleName ?? '', {
        resourceType: 'AWS::EC2::Volume',
        resourceId: 'vol-0123456789abcdef0',
        compliance: 'NON_COMPLIANT',
        annotation: 'EBS volume is not encrypted (Encrypted = false).',
      }),
    ],
  }));
  listedPrefixes = [];
  s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    listedPrefixes.push(input.Prefix ?? '');
    if (input.Prefix === 'transitions/year=2026/month=10/') return { Contents: [{ Key: 'transitions/year=2026/month=10/day=02/a.jsonl' }] };
    if (input.Prefix === 'transitions/year=2026/month=09/') return { Contents: [{ Key: 'transitions/year=2026/month=09/day=30/b.jsonl' }] };
    return { KeyCount: 0 };
  });
  s3.on(GetObjectCommand, { Key: 'transitions/year=2026/month=10/day=02/a.jsonl' }).callsFake(() => ({
    Body: sdkStreamMixin(
      Readable.from([
        Buffer.from(
          toJsonLines([
            record('e2', 'vol-a', '2026-10-02T04:00:00.000Z', 'NON_COMPLIANT', 'COMPLIANT'),
            record('e3', 'vol-c', '2026-10-03T00:00:00.000Z', 'COMPLIANT', 'NON_COMPLIANT'),
          ]),
        ),
      ]),
    ),
  }));
  s3.on(GetObjectCommand, { Key: 'transitions/year=2026/month=09/day=30/b.jsonl' }).callsFake(() => ({
    Body: sdkStreamMixin(Readable.from([Buffer.from(toJsonLines([record('e1', 'vol-a', '2026-09-30T22:00:00.000Z', 'COMPLIANT', 'NON_COMPLIANT')]))])),
  }));
  s3.on(PutObjectCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('monthly report, single account', () => {
  test('reports the month before the schedule: three files under reports/2026-10/, then one announcement', async () => {
    const result = await report(ownAccountAccess(CENTRAL, ownConfig()))(SCHEDULED);
    expect(result).toEqual({
      month: '2026-10',
      keys: expect.objectContaining({ html: 'reports/2026-10/ccm-evidence-2026-10-us-east-1.html' }),
      evaluations: 1,
      transitions: 2,
      complete: true,
    });
    expect(puts().map(({ Key, ContentType, ChecksumAlgorithm, Bucket }) => ({ Key, ContentType, ChecksumAlgorithm, Bucket }))).toEqual([
      { Bucket: BUCKET, Key: 'reports/2026-10/ccm-evidence-2026-10-us-east-1.html', ContentType: 'text/html; charset=utf-8', ChecksumAlgorithm: 'SHA256' },
      { Bucket: BUCKET, Key: 'reports/2026-10/ccm-evidence-2026-10-us-east-1.csv', ContentType: 'text/csv; charset=utf-8', ChecksumAlgorithm: 'SHA256' },
      {
        Bucket: BUCKET,
        Key: 'reports/2026-10/ccm-evidence-2026-10-us-east-1.json',
        ContentType: 'application/json; charset=utf-8',
        ChecksumAlgorithm: 'SHA256',
      },
    ]);
    expect(String(puts()[0]?.Body)).toContain('vol-0123456789abcdef0');
    expect(summaryWritten().month.bySeverity.find((s) => s.severity === 'HIGH')).toMatchObject({
      opened: 1,
      fixed: 1,
      openedStillOpen: 1,
      medianHoursToFix: 30,
    });

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const [announcement] = announcements();
    expect(announcement).toMatchObject({
      TopicArn: ALERTS,
      Subject: '[REPORT] HIPAA evidence 2026-10: 1 non-compliant — Main clinic (111122223333)',
      MessageAttributes: { transition: { DataType: 'String', StringValue: 'report' } },
    });
    expect(announcement?.Message).toContain(`s3://${BUCKET}/reports/2026-10/ccm-evidence-2026-10-us-east-1.html`);
    expect(announcement?.Message).toContain(`aws s3 cp s3://${BUCKET}/reports/2026-10/ . --recursive --region us-east-1`);
    expect(announcement?.Message).toContain('HIGH median 30 h, 90th percentile 30 h');
    expect((announcement?.Subject ?? '').length).toBeLessThan(100);
  });

  test('reads the month and the 12 months before it from the archive', async () => {
    await report(ownAccountAccess(CENTRAL, ownConfig()))(SCHEDULED);
    expect(listedPrefixes).toEqual([
      'transitions/year=2026/month=10/',
      ...Array.from({ length: 12 }, (_, i) => `transitions/year=${i < 3 ? 2025 : 2026}/month=${String(((i + 9) % 12) + 1).padStart(2, '0')}/`),
    ]);
  });

  test('run by hand for a given month', async () => {
    const result = await report(ownAccountAccess(CENTRAL, ownConfig()))({ month: '2026-09' });
    expect(result.month).toBe('2026-09');
    expect(puts()[0]?.Key).toBe('reports/2026-09/ccm-evidence-2026-09-us-east-1.html');
  });

  test('a report that cannot be written fails the invocation and is not announced', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(report(ownAccountAccess(CENTRAL, ownConfig()))(SCHEDULED)).rejects.toThrow('Access Denied');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  test('a report written but not announced fails the invocation, naming where it is', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));
    await expect(report(ownAccountAccess(CENTRAL, ownConfig()))(SCHEDULED)).rejects.toThrow(
      `was written to s3://${BUCKET}/reports/2026-10/ccm-evidence-2026-10-us-east-1.html but could not be announced (AuthorizationErrorException: denied)`,
    );
    expect(puts()).toHaveLength(3);
  });

  test('an archived object that cannot be read: the report is written and announced as incomplete, then the invocation fails', async () => {
    s3.on(GetObjectCommand, { Key: 'transitions/year=2026/month=10/day=02/a.jsonl' }).rejects(
      Object.assign(new Error('KMS key disabled'), { name: 'KMS.DisabledException' }),
    );
    await expect(report(ownAccountAccess(CENTRAL, ownConfig()))(SCHEDULED)).rejects.toThrow(MonthlyReportIncompleteError);
    expect(puts()).toHaveLength(3);
    expect(announcements()[0]?.Subject).toMatch(/^\[REPORT INCOMPLETE\] HIPAA evidence 2026-10/);
    expect(announcements()[0]?.Message).toContain(
      `s3://${BUCKET}/transitions/year=2026/month=10/day=02/a.jsonl GetObject: KMS.DisabledException: KMS key disabled`,
    );
  });
});

describe('monthly report, org-wide', () => {
  function orgAccess(): ConfigAccess {
    const router = new AccountRouter<{ config: ConfigServiceClient }>({
      centralAccountId: CENTRAL,
      own: { config: ownConfig() },
      access: new MemberAccess({
        sts: () => new STSClient({ region: 'us-east-1' }),
        roleName: 'ccm-member',
        partition: 'aws',
        sessionName: 'ccm-monthly-report',
      }),
      build: (credentials) => ({ config: new ConfigServiceClient({ region: 'us-east-1', credentials }) }),
      alarm: new MemberRoleAlarm({ sns: () => new SNSClient({ region: 'us-east-1' }), topicArn: HEALTH, source: 'monthly-report' }),
    });
    const client = new OrganizationsClient({ region: 'us-east-1' });
    return organizationAccess(router, () => monitoredAccounts(client, { centralAccountId: CENTRAL, excluded: [] }));
  }

  beforeEach(() => {
    organizations.on(ListAccountsCommand).resolves({ Accounts: [CENTRAL, MEMBER_A, MEMBER_B].map((Id) => ({ Id, State: 'ACTIVE' }) as Account) });
    sts.on(AssumeRoleCommand).callsFake((input: AssumeRoleCommandInput) => {
      const account = input.RoleArn?.split(':')[4] ?? '';
      if (account === MEMBER_B)
        throw Object.assign(new Error(`User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`), { name: 'AccessDenied' });
      return { Credentials: { AccessKeyId: `ASIA${account}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(NOW.getTime() + 3_600_000) } };
    });
  });

  test('reads every monitored account, members through their role; one that fails is named and the rest reported', async () => {
    const invocation = report(orgAccess(), { accountName: undefined })(SCHEDULED);
    await expect(invocation).rejects.toThrow(MonthlyReportIncompleteError);
    await expect(invocation).rejects.toThrow(`account ${MEMBER_B}`);

    const readers = await Promise.all(config.commandCalls(GetComplianceDetailsByConfigRuleCommand).map((call) => caller(call.thisValue)));
    expect(readers.sort()).toEqual(['ASIA444455556666', 'OWN']);
    expect(
      sts
        .commandCalls(AssumeRoleCommand)
        .map((call) => (call.args[0].input as AssumeRoleCommandInput).RoleArn)
        .sort(),
    ).toEqual([`arn:aws:iam::${MEMBER_A}:role/ccm-member`, `arn:aws:iam::${MEMBER_B}:role/ccm-member`]);

    expect(puts()).toHaveLength(3);
    const summary = summaryWritten();
    expect(summary.month.accountsRead.sort()).toEqual([CENTRAL, MEMBER_A]);
    expect(summary.month.accountsNotRead).toEqual([
      { accountId: MEMBER_B, reason: expect.stringContaining(`cannot assume member role arn:aws:iam::${MEMBER_B}:role/ccm-member`) },
    ]);
    expect(String(puts()[0]?.Body)).toContain(MEMBER_B);

    const [announcement] = announcements();
    expect(announcement?.Subject).toBe('[REPORT INCOMPLETE] HIPAA evidence 2026-10: 2 non-compliant — 3 accounts, us-east-1');
    expect(announcement?.Message).toContain(`AWS Config account ${MEMBER_B}, us-east-1: could not be read`);
    // The member-role alarm goes to the health topic, as for the other functions.
    expect(
      sns
        .commandCalls(PublishCommand)
        .map((call) => (call.args[0].input as PublishCommandInput).TopicArn)
        .sort(),
    ).toEqual([ALERTS, HEALTH]);
  });

  test('when the accounts cannot be listed, the central account is still reported and the gap named', async () => {
    organizations.on(ListAccountsCommand).rejects(Object.assign(new Error('not a delegated administrator'), { name: 'AccessDeniedException' }));
    await expect(report(orgAccess())(SCHEDULED)).rejects.toThrow(/cannot list the organization's accounts/);
    expect(summaryWritten().month.accountsRead).toEqual([CENTRAL]);
    expect(announcements()).toHaveLength(1);
  });
});

describe('loadMonthlyReportConfig', () => {
  const env = {
    EVIDENCE_BUCKET: BUCKET,
    ALERT_TOPIC_ARN: ALERTS,
    AWS_REGION: 'us-east-1',
    ACCOUNT_ID: CENTRAL,
    RULE_IDS: 'ebs-volume-encrypted,root-account-mfa',
    EXEMPTION_TAG_KEY: 'compliance:exempt',
  };

  test('reads and defaults the environment', () => {
    expect(loadMonthlyReportConfig(env)).toEqual({
      ...CONFIG,
      ruleIds: ['ebs-volume-encrypted', 'root-account-mfa'],
      version: 'unknown',
      accountName: undefined,
    });
  });

  test.each([
    [{ EVIDENCE_BUCKET: undefined }, /EVIDENCE_BUCKET is required/],
    [{ ALERT_TOPIC_ARN: 'ccm-alerts' }, /ALERT_TOPIC_ARN must be an SNS topic ARN/],
    [{ RULE_IDS: 'ebs volume' }, /RULE_IDS must be comma-separated rule ids/],
    [{ ACCOUNT_ID: '12' }, /ACCOUNT_ID must be a 12-digit account id/],
  ])('%j is refused naming the variable', (change, message) => {
    expect(() => loadMonthlyReportConfig({ ...env, ...change })).toThrow(message);
  });
});
