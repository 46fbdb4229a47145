/**
 * Org mode in the evaluators: the event's account decides whose credentials are used (the member role,
 * assumed once per account and cached), per-account parameter overrides apply, and a missing or
 * refusing member role produces one clear alert and a failed invocation — never a silent pass.
 */
import { jest } from '@jest/globals';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
  SelectResourceConfigCommand,
  type Evaluation,
  type EvaluationResult,
} from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import type { AwsCredentialIdentity } from '@smithy/types';
import { mockClient } from 'aws-sdk-client-mock';
import { BackupAdapter } from '../../functions/backup/adapter.js';
import { CloudTrailAdapter } from '../../functions/cloudtrail/adapter.js';
import { ConfigAdapter } from '../../functions/config/adapter.js';
import { Ec2Adapter } from '../../functions/ec2/adapter.js';
import { createChangeEvaluatorHandler, type ChangeAdapters } from '../../functions/evaluator/change.js';
import { createPeriodicEvaluatorHandler, type PeriodicAdapters } from '../../functions/evaluator/periodic.js';
import { GuardDutyAdapter } from '../../functions/guardduty/adapter.js';
import { CredentialReportAdapter } from '../../functions/iam/credential-report.js';
import { SsmAdapter } from '../../functions/ssm/adapter.js';
import { AccountRouter } from '../../functions/org/account-router.js';
import { loadOrgEnv } from '../../functions/org/env.js';
import { MemberAccess, MemberRoleError, REFRESH_BEFORE_MS } from '../../functions/org/member-access.js';
import { applyAccountOverrides, parseAccountOverrides, type AccountOverrides } from '../../functions/org/overrides.js';
import { ALARM_INTERVAL_MS, MemberRoleAlarm } from '../../functions/org/role-alarm.js';
import { lazy } from '../../functions/shared/lazy.js';
import { changeEvent, eventStyleItem, sampleEvent } from '../helpers/config-events.js';
import { SAMPLE, sampleText } from '../helpers/samples.js';
import { CHANGE_EVALUATOR_CALLS, PERIODIC_EVALUATOR_CALLS } from '../../functions/evaluator/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../helpers/declared-calls.js';

const sts = mockClient(STSClient);
const sns = mockClient(SNSClient);
const config = mockClient(ConfigServiceClient);
const iam = mockClient(IAMClient);
const guardduty = mockClient(GuardDutyClient);
// Both evaluators run here: each command must be declared by one of them.
const sentCommands = recordSentCommands(sts, sns, config, iam, guardduty);
afterAll(() => expectDeclaredCalls(sentCommands, [...CHANGE_EVALUATOR_CALLS, ...PERIODIC_EVALUATOR_CALLS]));

const CENTRAL = '111122223333';
const MEMBER_A = '444455556666';
const MEMBER_B = '777788889999';
const HEALTH_TOPIC = `arn:aws:sns:us-east-1:${CENTRAL}:ccm-health`;
const NOW = new Date('2026-11-28T12:00:00Z');
const HOUR = 3_600_000;

let clock = NOW.getTime();
let built: { accountId: string; credentials: AwsCredentialIdentity }[] = [];

function router<A>(own: A, build: (credentials: AwsCredentialIdentity) => A, source = 'change-evaluator'): AccountRouter<A> {
  return new AccountRouter<A>({
    centralAccountId: CENTRAL,
    own,
    access: new MemberAccess({
      sts: () => new STSClient({ region: 'us-east-1' }),
      roleName: 'ccm-member',
      partition: 'aws',
      sessionName: `ccm-${source}`,
      clock: () => clock,
    }),
    build: (credentials, accountId) => {
      built.push({ accountId, credentials });
      return build(credentials);
    },
    alarm: new MemberRoleAlarm({ sns: () => new SNSClient({ region: 'us-east-1' }), topicArn: HEALTH_TOPIC, source, clock: () => clock }),
  });
}

function changeEvaluator(overrides?: AccountOverrides) {
  const own: ChangeAdapters = { config: new ConfigAdapter(new ConfigServiceClient({ region: 'us-east-1' })) };
  return createChangeEvaluatorHandler({
    config: own.config,
    org: {
      router: router<ChangeAdapters>(own, (credentials) => ({ config: new ConfigAdapter(new ConfigServiceClient({ region: 'us-east-1', credentials })) })),
      ...(overrides && { overrides }),
    },
    logger: new Logger({ logLevel: 'SILENT' }),
    exemptionTagKey: 'compliance:exempt',
    region: 'us-east-1',
    now: () => NOW,
  });
}

function periodicAdapters(credentials?: AwsCredentialIdentity): PeriodicAdapters {
  const settings = { region: 'us-east-1', ...(credentials && { credentials }) };
  return {
    config: new ConfigAdapter(new ConfigServiceClient(settings)),
    credentialReport: new CredentialReportAdapter(new IAMClient(settings), { sleep: async () => undefined }),
    backup: new BackupAdapter(new BackupClient(settings)),
    ec2: new Ec2Adapter(new EC2Client(settings)),
    ssm: new SsmAdapter(new SSMClient(settings)),
    cloudTrail: lazy(async () => new CloudTrailAdapter(new CloudTrailClient(settings))),
    guardDuty: lazy(async () => new GuardDutyAdapter(new GuardDutyClient(settings))),
  };
}

function periodicEvaluator() {
  const own = periodicAdapters();
  return createPeriodicEvaluatorHandler({
    ...own,
    org: { router: router<PeriodicAdapters>(own, (credentials) => periodicAdapters(credentials), 'periodic-evaluator') },
    logger: new Logger({ logLevel: 'SILENT' }),
    exemptionTagKey: 'compliance:exempt',
    region: 'us-east-1',
    homeRegion: 'us-east-1',
    now: () => NOW,
  });
}

function volumeEvent(accountId: string) {
  return changeEvent(
    eventStyleItem(SAMPLE.volume, { awsAccountId: accountId }),
    { ruleId: 'ebs-volume-encrypted' },
    { accountId, configRuleName: 'OrgConfigRule-ccm-ebs-volume-encrypted-a1b2c3' },
  );
}

function stsCredentials(accountId: string, expiresMs: number) {
  return {
    Credentials: {
      AccessKeyId: `ASIA${accountId}`,
      SecretAccessKey: 'secret',
      SessionToken: `token-${accountId}-${expiresMs}`,
      Expiration: new Date(expiresMs),
    },
  };
}

function accessDenied(message: string): Error {
  return Object.assign(new Error(message), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
}

beforeEach(() => {
  for (const mock of [sts, sns, config, iam, guardduty]) mock.reset();
  clock = NOW.getTime();
  built = [];
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => stsCredentials(input.RoleArn.split(':')[4] ?? '', clock + HOUR));
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config.on(SelectResourceConfigCommand).resolves({ Results: [] });
  config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
});

afterEach(() => jest.restoreAllMocks());

describe('org mode: role assumption per event account', () => {
  test("assumes the member role of the event's account once per account across several events", async () => {
    const evaluate = changeEvaluator();
    for (const account of [MEMBER_A, MEMBER_B, MEMBER_A, MEMBER_A, MEMBER_B]) await evaluate(volumeEvent(account));
    const calls = sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);
    expect(calls).toEqual([
      { RoleArn: `arn:aws:iam::${MEMBER_A}:role/ccm-member`, RoleSessionName: 'ccm-change-evaluator', DurationSeconds: 3600 },
      { RoleArn: `arn:aws:iam::${MEMBER_B}:role/ccm-member`, RoleSessionName: 'ccm-change-evaluator', DurationSeconds: 3600 },
    ]);
    // Clients are built once per account, on that account's credentials.
    expect(built.map((b) => [b.accountId, b.credentials.accessKeyId])).toEqual([
      [MEMBER_A, `ASIA${MEMBER_A}`],
      [MEMBER_B, `ASIA${MEMBER_B}`],
    ]);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(5);
  });

  test('the PutEvaluations of a member event goes through a client holding the member credentials', async () => {
    await changeEvaluator()(volumeEvent(MEMBER_A));
    const client = config.commandCalls(PutEvaluationsCommand)[0]?.thisValue as ConfigServiceClient;
    const credentials = await (client.config.credentials as () => Promise<AwsCredentialIdentity>)();
    expect(credentials.accessKeyId).toBe(`ASIA${MEMBER_A}`);
  });

  test("the function's own account uses its own credentials: no AssumeRole", async () => {
    const result = await changeEvaluator()(volumeEvent(CENTRAL));
    expect(result.evaluations).toBe(1);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(built).toEqual([]);
  });

  test('credentials are renewed shortly before they expire, not before', async () => {
    const evaluate = changeEvaluator();
    await evaluate(volumeEvent(MEMBER_A));
    clock += HOUR - REFRESH_BEFORE_MS - 1000;
    await evaluate(volumeEvent(MEMBER_A));
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    clock += 2000;
    await evaluate(volumeEvent(MEMBER_A));
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
    expect(built).toHaveLength(2);
  });

  test('concurrent events of one account share one AssumeRole', async () => {
    const evaluate = changeEvaluator();
    await Promise.all([evaluate(volumeEvent(MEMBER_A)), evaluate(volumeEvent(MEMBER_A)), evaluate(volumeEvent(MEMBER_A))]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  test('the periodic evaluator reads IAM in the member account through the member role', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(sampleText(SAMPLE.credentialReport)) });
    const event = { ...sampleEvent('configdg-ScheduledNotification.json', { ruleId: 'root-account-mfa' }), accountId: MEMBER_B };
    const result = await periodicEvaluator()(event);
    expect(result.putCalls).toBe(1);
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({
      RoleArn: `arn:aws:iam::${MEMBER_B}:role/ccm-member`,
      RoleSessionName: 'ccm-periodic-evaluator',
    });
    const client = iam.commandCalls(GetCredentialReportCommand)[0]?.thisValue as IAMClient;
    expect((await (client.config.credentials as () => Promise<AwsCredentialIdentity>)()).accessKeyId).toBe(`ASIA${MEMBER_B}`);
  });
});

test('the periodic evaluator reads GuardDuty in the member account through the member role, loading the client once per account', async () => {
  guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d-1'] });
  guardduty.on(GetDetectorCommand).resolves({ Status: 'ENABLED' });
  const evaluate = periodicEvaluator();
  for (let i = 0; i < 2; i++) await evaluate({ ...sampleEvent('configdg-ScheduledNotification.json', { ruleId: 'guardduty-enabled' }), accountId: MEMBER_A });
  const calls = guardduty.commandCalls(ListDetectorsCommand);
  expect(calls).toHaveLength(2);
  for (const call of calls)
    expect((await ((call.thisValue as GuardDutyClient).config.credentials as () => Promise<AwsCredentialIdentity>)()).accessKeyId).toBe(`ASIA${MEMBER_A}`);
  expect(calls[0]?.thisValue).toBe(calls[1]?.thisValue);
  expect(config.commandCalls(PutEvaluationsCommand)[0]?.args[0].input.Evaluations).toEqual([
    expect.objectContaining({ ComplianceResourceId: MEMBER_A, ComplianceType: 'COMPLIANT' }),
  ]);
});

test('a member role refused by GuardDuty raises the member-role alarm and fails the invocation', async () => {
  guardduty.on(ListDetectorsCommand).rejects(accessDenied('not authorized to perform: guardduty:ListDetectors'));
  const event = { ...sampleEvent('configdg-ScheduledNotification.json', { ruleId: 'guardduty-enabled' }), accountId: MEMBER_B };
  await expect(periodicEvaluator()(event)).rejects.toThrow(MemberRoleError);
  expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input.MessageAttributes?.accountId?.StringValue)).toEqual([MEMBER_B]);
  expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
});

describe('org mode: a missing or misconfigured member role', () => {
  test('AssumeRole refused: one alert naming the account, the role and the error, and the invocation fails', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(
        accessDenied(
          `User: arn:aws:sts::${CENTRAL}:assumed-role/ccm-change-evaluator-us-east-1/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${MEMBER_A}:role/ccm-member`,
        ),
      );
    const evaluate = changeEvaluator();
    await expect(evaluate(volumeEvent(MEMBER_A))).rejects.toThrow(MemberRoleError);
    await expect(evaluate(volumeEvent(MEMBER_A))).rejects.toThrow(
      /cannot assume member role arn:aws:iam::444455556666:role\/ccm-member in account 444455556666 \(AccessDenied/,
    );
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
    const published = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ TopicArn: HEALTH_TOPIC, Subject: `[MONITOR] cannot assume the member role in ${MEMBER_A}` });
    expect(published[0]?.Subject?.length).toBeLessThan(100);
    expect(published[0]?.Message).toContain(`Role:     arn:aws:iam::${MEMBER_A}:role/ccm-member`);
    expect(published[0]?.Message).toContain('Error:    AccessDenied: User:');
    expect(published[0]?.Message).toContain('Function: change-evaluator');
    expect(published[0]?.MessageAttributes?.accountId?.StringValue).toBe(MEMBER_A);
  });

  test('alerts at most once per account per hour, separately for each account', async () => {
    sts.on(AssumeRoleCommand).rejects(accessDenied('not authorized'));
    const evaluate = changeEvaluator();
    for (const account of [MEMBER_A, MEMBER_A, MEMBER_B, MEMBER_A]) await expect(evaluate(volumeEvent(account))).rejects.toThrow(MemberRoleError);
    expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input.MessageAttributes?.accountId?.StringValue)).toEqual([MEMBER_A, MEMBER_B]);
    clock += ALARM_INTERVAL_MS;
    await expect(evaluate(volumeEvent(MEMBER_A))).rejects.toThrow(MemberRoleError);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(3);
  });

  test('a role that does not exist (NoSuchEntity) is reported the same way', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(Object.assign(new Error('The role with name ccm-member cannot be found.'), { name: 'NoSuchEntity', $metadata: { httpStatusCode: 404 } }));
    await expect(changeEvaluator()(volumeEvent(MEMBER_B))).rejects.toThrow(/NoSuchEntity: The role with name ccm-member cannot be found/);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  test('a call refused to the assumed role (missing permission) is reported as such and fails the invocation', async () => {
    config
      .on(PutEvaluationsCommand)
      .rejects(
        Object.assign(new Error('not authorized to perform: config:PutEvaluations'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(changeEvaluator()(volumeEvent(MEMBER_A))).rejects.toThrow(
      /member role arn:aws:iam::444455556666:role\/ccm-member in account 444455556666 was refused a call \(AccessDeniedException/,
    );
    const [message] = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(message?.Subject).toBe(`[MONITOR] member role refused a call in ${MEMBER_A}`);
  });

  test('throttling on AssumeRole is not mistaken for a missing role', async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    await expect(changeEvaluator()(volumeEvent(MEMBER_A))).rejects.toThrow('Rate exceeded');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  test('an alert that cannot be published is retried on the next failure rather than muted for an hour', async () => {
    sts.on(AssumeRoleCommand).rejects(accessDenied('not authorized'));
    sns.on(PublishCommand).rejectsOnce(new Error('SNS down')).resolves({ MessageId: 'm-2' });
    const evaluate = changeEvaluator();
    await expect(evaluate(volumeEvent(MEMBER_A))).rejects.toThrow(MemberRoleError);
    await expect(evaluate(volumeEvent(MEMBER_A))).rejects.toThrow(MemberRoleError);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });
});

describe('org mode: each account compares with its own results', () => {
  /** What each member's Config holds, told apart by the credentials of the client that calls. */
  let held: Map<string, EvaluationResult[]>;
  const reads: string[] = [];
  const accountOf = async (getClient: () => { config: { credentials: unknown } }) => {
    const credentials = await (getClient().config.credentials as () => Promise<AwsCredentialIdentity>)();
    return credentials.accessKeyId.replace(/^ASIA/, '');
  };

  beforeEach(() => {
    held = new Map();
    reads.length = 0;
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(sampleText(SAMPLE.credentialReport)) });
    config.on(GetComplianceDetailsByConfigRuleCommand).callsFake(async (_input, getClient) => {
      const account = await accountOf(getClient);
      reads.push(account);
      return { EvaluationResults: held.get(account) ?? [] };
    });
    config.on(PutEvaluationsCommand).callsFake(async (input: { Evaluations?: Evaluation[] }, getClient) => {
      const account = await accountOf(getClient);
      const results = held.get(account) ?? [];
      for (const e of input.Evaluations ?? []) {
        const stored: EvaluationResult = {
          EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: e.ComplianceResourceType, ResourceId: e.ComplianceResourceId } },
          ComplianceType: e.ComplianceType,
          ResultRecordedTime: NOW,
          ...(e.Annotation !== undefined && { Annotation: e.Annotation }),
        };
        const at = results.findIndex((r) => r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId === e.ComplianceResourceId);
        if (at >= 0) results[at] = stored;
        else results.push(stored);
      }
      held.set(account, results);
      return { FailedEvaluations: [] };
    });
  });

  const rootMfa = (accountId: string) => ({ ...sampleEvent('configdg-ScheduledNotification.json', { ruleId: 'root-account-mfa' }), accountId });

  test('the current results are read through the member role of the event account, and only its changes put', async () => {
    const evaluate = periodicEvaluator();
    expect(await evaluate(rootMfa(MEMBER_A))).toMatchObject({ evaluations: 1, put: 1 });
    expect(await evaluate(rootMfa(MEMBER_B))).toMatchObject({ evaluations: 1, put: 1 });
    expect(await evaluate(rootMfa(MEMBER_A))).toMatchObject({ evaluations: 1, put: 0 });
    // Member B's Config holds another verdict (say, from before MFA was enabled): only B's is put.
    const [resultOfB] = held.get(MEMBER_B) ?? [];
    if (resultOfB !== undefined) resultOfB.ComplianceType = 'NON_COMPLIANT';
    expect(await evaluate(rootMfa(MEMBER_B))).toMatchObject({ evaluations: 1, put: 1 });
    expect(await evaluate(rootMfa(MEMBER_A))).toMatchObject({ evaluations: 1, put: 0 });
    expect(reads).toEqual([MEMBER_A, MEMBER_B, MEMBER_A, MEMBER_B, MEMBER_A]);
    expect(held.get(MEMBER_B)?.map((r) => [r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId, r.ComplianceType])).toEqual([
      [MEMBER_B, 'COMPLIANT'],
    ]);
  });

  test("a member's unreadable results put everything in that account, and the other account still compares", async () => {
    const evaluate = periodicEvaluator();
    await evaluate(rootMfa(MEMBER_A));
    await evaluate(rootMfa(MEMBER_B));
    config.on(GetComplianceDetailsByConfigRuleCommand).callsFake(async (_input, getClient) => {
      const account = await accountOf(getClient);
      if (account === MEMBER_A)
        throw Object.assign(new Error('not authorized to perform: config:GetComplianceDetailsByConfigRule'), {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400 },
        });
      return { EvaluationResults: held.get(account) ?? [] };
    });
    expect(await evaluate(rootMfa(MEMBER_A))).toMatchObject({ evaluations: 1, put: 1 });
    expect(await evaluate(rootMfa(MEMBER_B))).toMatchObject({ evaluations: 1, put: 0 });
  });
});

describe('org mode: per-account parameter overrides', () => {
  const rdsEvent = (accountId: string) =>
    changeEvent(
      eventStyleItem(SAMPLE.dbInstance, { awsAccountId: accountId }),
      { ruleId: 'rds-backup-retention' },
      { accountId, configRuleName: 'OrgConfigRule-ccm-rds-backup-retention-x1y2z3' },
    );

  test("apply only to the event's account, over the rule's input parameters", async () => {
    // The sample keeps automated backups 7 days; the rule's default minimum is 7.
    const overrides = parseAccountOverrides(JSON.stringify({ [MEMBER_A]: { 'rds-backup-retention': { minRetentionDays: 14 } } }));
    const evaluate = changeEvaluator(overrides);
    expect(await evaluate(rdsEvent(MEMBER_A))).toMatchObject({ nonCompliant: 1 });
    expect(await evaluate(rdsEvent(MEMBER_B))).toMatchObject({ nonCompliant: 0 });
    const [a, b] = config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input.Evaluations?.[0]);
    expect(a).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringContaining('minRetentionDays is 14') });
    expect(b).toMatchObject({ ComplianceType: 'COMPLIANT' });
  });

  test('merge: the override wins for its names, the rest of the input parameters stay, ruleId is never overridden', () => {
    const overrides = { [MEMBER_A]: { 's3-bucket-encrypted': { requireKms: true, ruleId: 'other' } } };
    expect(applyAccountOverrides({ ruleId: 's3-bucket-encrypted', requireKms: 'false', kmsKeyArns: 'alias/x' }, MEMBER_A, overrides)).toEqual({
      ruleId: 's3-bucket-encrypted',
      requireKms: true,
      kmsKeyArns: 'alias/x',
    });
    expect(applyAccountOverrides({ ruleId: 's3-bucket-encrypted' }, MEMBER_B, overrides)).toEqual({ ruleId: 's3-bucket-encrypted' });
  });

  test('are validated at cold start with the catalog parser, naming the account, rule and parameter', () => {
    expect(() => parseAccountOverrides('{"444455556666": {"rds-backup-retention": {"minRetentionDays": 99}}}')).toThrow(
      /^ACCOUNT_OVERRIDES\.444455556666\.rds-backup-retention: .*minRetentionDays/,
    );
    expect(() => parseAccountOverrides('{"prod": {}}')).toThrow(/12-digit account id/);
    expect(() => parseAccountOverrides('{')).toThrow(/not valid JSON/);
    expect(() => parseAccountOverrides('{"444455556666": {"no-such-rule": {}}}')).toThrow(/no-such-rule/);
  });
});

describe('org mode environment', () => {
  test('is off without MEMBER_ROLE_NAME: nothing org-related is built', () => {
    expect(loadOrgEnv({ AWS_REGION: 'us-east-1' })).toBeUndefined();
  });

  test('names each missing or bad variable', () => {
    expect(() => loadOrgEnv({ MEMBER_ROLE_NAME: 'ccm-member', CENTRAL_ACCOUNT_ID: '12' })).toThrow(
      /CENTRAL_ACCOUNT_ID must be a 12-digit account id; HEALTH_TOPIC_ARN is required in org mode/,
    );
    expect(
      loadOrgEnv({
        MEMBER_ROLE_NAME: 'ccm-member',
        CENTRAL_ACCOUNT_ID: CENTRAL,
        HEALTH_TOPIC_ARN: HEALTH_TOPIC,
        AWS_REGION: 'us-gov-west-1',
        ACCOUNT_OVERRIDES: '{}',
      }),
    ).toEqual({ memberRoleName: 'ccm-member', centralAccountId: CENTRAL, healthTopicArn: HEALTH_TOPIC, partition: 'aws-us-gov', overrides: {} });
  });
});
