import 'aws-sdk-client-mock-jest';
import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelStatusCommand,
  type ConfigurationRecorderStatus,
  type DeliveryChannelStatus,
  type DescribeConfigurationRecorderStatusCommandOutput,
  type DescribeDeliveryChannelStatusCommandOutput,
} from '@aws-sdk/client-config-service';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createRecorderHealthCheck,
  createRecorderHealthHandler,
  healthMessage,
  RecorderCheckError,
  type RecorderAdapters,
} from '../../../functions/recorder-health/check.js';
import { UNHEALTHY_RECORDERS_METRIC } from '../../../functions/shared/services.js';
import { recorderProblems, SNAPSHOT_GRACE_MS, type RecorderState } from '../../../functions/recorder-health/status.js';
import { MemberRoleError } from '../../../functions/org/member-access.js';
import type { AccountRouter } from '../../../functions/org/account-router.js';
import { asSdkOutput, sampleJson } from '../../helpers/samples.js';
import { RECORDER_HEALTH_CALLS } from '../../../functions/recorder-health/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';

const config = mockClient(ConfigServiceClient);
const sns = mockClient(SNSClient);
const sent = recordSentCommands(config, sns);
afterAll(() => expectDeclaredCalls(sent, RECORDER_HEALTH_CALLS));

const ACCOUNT = '111122223333';
const MEMBER = '444455556666';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:ClinicComplianceMonitor-AlarmTopic`;
const NOW = new Date('2026-11-28T12:00:00Z');

const recorderSample = (name: string) =>
  asSdkOutput<DescribeConfigurationRecorderStatusCommandOutput>(sampleJson(`api/config/DescribeConfigurationRecorderStatus.${name}.json`));
const channelSample = () => asSdkOutput<DescribeDeliveryChannelStatusCommandOutput>(sampleJson('api/config/DescribeDeliveryChannelStatus.awscli.json'));
/** The AWS CLI's recording recorder with `changes` applied to the deciding fields; `undefined` removes a field. */
function recorder(changes: Partial<Record<keyof ConfigurationRecorderStatus, unknown>> = {}): ConfigurationRecorderStatus {
  const base = { ...recorderSample('awscli').ConfigurationRecordersStatus?.[0] } as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base as ConfigurationRecorderStatus;
}
function channel(changes: { history?: object; snapshot?: object } = {}): DeliveryChannelStatus {
  const base = channelSample().DeliveryChannelsStatus?.[0] as DeliveryChannelStatus;
  return {
    ...base,
    configHistoryDeliveryInfo: { ...base.configHistoryDeliveryInfo, ...changes.history },
    configSnapshotDeliveryInfo: { ...base.configSnapshotDeliveryInfo, ...changes.snapshot },
  };
}
const state = (recorders: ConfigurationRecorderStatus[], channels: DeliveryChannelStatus[] = [channel()]): RecorderState => ({ recorders, channels });
const kinds = (s: RecorderState) => recorderProblems(s, 'us-east-1', NOW).map((p) => p.kind);

function metricsSpy() {
  const added: { name: string; value: number }[] = [];
  return { added, addMetric: (name: string, _unit: unknown, value: number) => void added.push({ name, value }) };
}

function check(options: { accounts?: string[]; router?: Pick<AccountRouter<RecorderAdapters>, 'run'>; metrics?: ReturnType<typeof metricsSpy> } = {}) {
  const own = { config: new ConfigServiceClient({ region: 'us-east-1' }) };
  return createRecorderHealthCheck({
    accounts: async () => options.accounts ?? [ACCOUNT],
    router: options.router ?? { run: (_account, work) => work(own) },
    sns: new SNSClient({ region: 'us-east-1' }),
    healthTopicArn: TOPIC,
    region: 'us-east-1',
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    ...(options.metrics !== undefined && { metrics: options.metrics }),
    now: () => NOW,
  });
}

beforeEach(() => {
  config.reset();
  sns.reset();
  config.on(DescribeConfigurationRecorderStatusCommand).resolves(recorderSample('awscli'));
  config.on(DescribeDeliveryChannelStatusCommand).resolves(channelSample());
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('a recording recorder delivering to S3 (the real samples)', () => {
  it.each(['awscli', 'configdg', 'mrredhu-2025'])('%s: healthy, the metric says 0, nobody is paged', async (name) => {
    config.on(DescribeConfigurationRecorderStatusCommand).resolves(recorderSample(name));
    const metrics = metricsSpy();
    await expect(check({ metrics })()).resolves.toEqual({ checked: 1, unhealthy: [] });
    expect(metrics.added).toEqual([{ name: UNHEALTHY_RECORDERS_METRIC, value: 0 }]);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    // No names: AWS Config answers for the customer managed recorder.
    expect(config).toHaveReceivedCommandWith(DescribeConfigurationRecorderStatusCommand, {});
    expect(config).toHaveReceivedCommandWith(DescribeDeliveryChannelStatusCommand, {});
  });

  it('an error code next to SUCCESS (the developer guide example) is no failure', () => {
    expect(kinds(state(recorderSample('configdg').ConfigurationRecordersStatus ?? []))).toEqual([]);
  });
});

describe('stopped, deleted or unknown recorders', () => {
  it('a stopped recorder raises the alarm and pages on-call with the account and the start command', async () => {
    config
      .on(DescribeConfigurationRecorderStatusCommand)
      .resolves({ ConfigurationRecordersStatus: [recorder({ recording: false, lastStopTime: new Date('2026-11-27T08:00:00Z') })] });
    const metrics = metricsSpy();
    const result = await check({ metrics })();
    expect(result.unhealthy).toEqual([
      {
        accountId: ACCOUNT,
        problems: [
          expect.objectContaining({
            kind: 'stopped',
            detail: 'the configuration recorder default is stopped since 2026-11-27T08:00:00.000Z: no change is recorded and no rule is evaluated',
          }),
        ],
      },
    ]);
    expect(metrics.added).toEqual([{ name: UNHEALTHY_RECORDERS_METRIC, value: 1 }]);
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish).toMatchObject({ TopicArn: TOPIC, Subject: `[MONITOR] AWS Config is not recording or delivering in ${ACCOUNT} (us-east-1)` });
    expect(publish?.Message).toContain(`Account ${ACCOUNT}, us-east-1:`);
    expect(publish?.Message).toContain('What to do: aws configservice start-configuration-recorder --configuration-recorder-name default --region us-east-1');
    expect(publish?.MessageAttributes).toEqual({
      transition: { DataType: 'String', StringValue: 'config-recorder' },
      accountId: { DataType: 'String.Array', StringValue: `["${ACCOUNT}"]` },
    });
  });

  it('a stopped recorder without lastStopTime is still stopped', () => {
    const problems = recorderProblems(state([recorder({ recording: false, lastStopTime: undefined })]), 'us-east-1', NOW);
    expect(problems.map((p) => p.detail)).toEqual(['the configuration recorder default is stopped: no change is recorded and no rule is evaluated']);
  });

  it('no recorder (deleted or never set up), or only a service-linked one, is a problem', () => {
    expect(kinds(state([]))).toEqual(['no-recorder']);
    expect(kinds(state([recorder({ name: 'AWSConfigurationRecorderForX', servicePrincipal: 'x.amazonaws.com' })]))).toEqual(['no-recorder']);
  });

  it('a status without `recording` cannot confirm the recorder runs: a problem, never healthy', () => {
    expect(kinds(state([recorder({ recording: undefined })]))).toEqual(['recording-unknown']);
  });

  it.each([
    ['Success', []],
    ['SUCCESS', []],
    ['Pending', []],
    ['NotApplicable', []],
    ['Failure', ['recording-failed']],
    ['FAILURE', ['recording-failed']],
  ])('lastStatus %s', (lastStatus, expected) => {
    expect(kinds(state([recorder({ lastStatus, lastErrorCode: 'AccessDenied', lastErrorMessage: 'role cannot be assumed' })]))).toEqual(expected);
  });

  it("a failed recording names AWS's error and when it started", () => {
    const [problem] = recorderProblems(
      state([
        recorder({
          lastStatus: 'FAILURE',
          lastErrorCode: 'AccessDenied',
          lastErrorMessage: 'role cannot be assumed',
          lastStatusChangeTime: new Date('2026-11-28T01:00:00Z'),
        }),
      ]),
      'us-east-1',
      NOW,
    );
    expect(problem?.detail).toBe(
      'the configuration recorder default failed its last recording since 2026-11-28T01:00:00.000Z (AccessDenied: role cannot be assumed)',
    );
  });
});

describe('deliveries', () => {
  it.each([
    ['Success', []],
    ['SUCCESS', []],
    ['Not_Applicable', []],
    ['Failure', ['delivery-failed']],
    ['FAILURE', ['delivery-failed']],
  ])('history delivery %s', (lastStatus, expected) => {
    expect(
      kinds(
        state([recorder()], [channel({ history: { lastStatus, lastErrorCode: 'NoSuchBucket', lastErrorMessage: 'The specified bucket does not exist' } })]),
      ),
    ).toEqual(expected);
  });

  it('a failing delivery is paged with the error and the last success', async () => {
    config.on(DescribeDeliveryChannelStatusCommand).resolves({
      DeliveryChannelsStatus: [
        channel({
          history: { lastStatus: 'FAILURE', lastErrorCode: 'NoSuchBucket', lastErrorMessage: 'The specified bucket does not exist', lastAttemptTime: NOW },
        }),
      ],
    });
    const result = await check()();
    expect(result.unhealthy[0]?.problems.map((p) => p.detail)).toEqual([
      'the delivery of configuration history to S3 fails (NoSuchBucket: The specified bucket does not exist; last delivered 2015-12-17T02:03:58.412Z)',
    ]);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain("Check the delivery channel's S3 bucket policy");
  });

  it('a snapshot delivery more than 6 hours past its nextDeliveryTime is overdue; on time, or without one (the real sample), it is not', () => {
    const late = new Date(NOW.getTime() - SNAPSHOT_GRACE_MS - 3_600_000);
    expect(recorderProblems(state([recorder()], [channel({ snapshot: { nextDeliveryTime: late } })]), 'us-east-1', NOW).map((p) => p.detail)).toEqual([
      'the configuration snapshot delivery due 2026-11-28T05:00:00.000Z is 7 hours late (last delivered 2016-01-07T16:53:17.094Z)',
    ]);
    expect(kinds(state([recorder()], [channel({ snapshot: { nextDeliveryTime: new Date(NOW.getTime() - 3_600_000) } })]))).toEqual([]);
    expect(channel().configSnapshotDeliveryInfo?.nextDeliveryTime).toBeUndefined();
    expect(kinds(state([recorder()], [channel()]))).toEqual([]);
  });

  it('no delivery channel is a problem', () => {
    expect(kinds(state([recorder()], []))).toEqual(['no-delivery-channel']);
  });
});

describe('org-wide: every monitored account through its member role', () => {
  it('names each unhealthy account; an account whose role is refused fails the run at the end, after the others', async () => {
    const calls: string[] = [];
    const member = { config: new ConfigServiceClient({ region: 'us-east-1' }) };
    const router: Pick<AccountRouter<RecorderAdapters>, 'run'> = {
      run: async (accountId, work) => {
        calls.push(accountId);
        if (accountId === '777788889999')
          throw new MemberRoleError(
            accountId,
            `arn:aws:iam::${accountId}:role/ccm-member`,
            'assume',
            Object.assign(new Error('not authorized'), { name: 'AccessDenied' }),
          );
        return work(member);
      },
    };
    config
      .on(DescribeConfigurationRecorderStatusCommand)
      .resolvesOnce({ ConfigurationRecordersStatus: [recorder({ recording: false })] })
      .resolves(recorderSample('awscli'));
    const metrics = metricsSpy();
    const run = check({ accounts: [MEMBER, '777788889999', ACCOUNT], router, metrics });
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecorderCheckError);
    expect((error as Error).message).toMatch(/^the AWS Config recorder of 1 of 3 account\(s\) could not be checked: 777788889999 \(cannot assume member role/);
    expect(calls.sort()).toEqual([ACCOUNT, MEMBER, '777788889999'].sort());
    expect((error as RecorderCheckError).result.unhealthy.map((a) => a.accountId)).toEqual([MEMBER]);
    expect(metrics.added).toEqual([{ name: UNHEALTHY_RECORDERS_METRIC, value: 1 }]);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain(`Account ${MEMBER}, us-east-1:`);
  });

  it('one message lists every unhealthy account', () => {
    const problem = { kind: 'stopped' as const, detail: 'the configuration recorder default is stopped', fix: 'start it' };
    const { subject, message } = healthMessage(
      [
        { accountId: MEMBER, problems: [problem] },
        { accountId: ACCOUNT, problems: [problem] },
      ],
      'us-west-2',
    );
    expect(subject).toBe('[MONITOR] AWS Config is not recording or delivering in 2 accounts (us-west-2)');
    expect(subject.length).toBeLessThanOrEqual(99);
    expect(message).toContain(`Account ${MEMBER}, us-west-2:\n  - the configuration recorder default is stopped.\n    What to do: start it`);
    expect(message).toContain(`Account ${ACCOUNT}, us-west-2:`);
  });

  it('a page that cannot be published fails the run, so the error alarm fires', async () => {
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [] });
    sns.on(PublishCommand).rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));
    await expect(check()()).rejects.toThrow('KMS key disabled');
  });
});

describe('the Lambda handler', () => {
  const deps = {
    sns: new SNSClient({ region: 'us-east-1' }),
    healthTopicArn: TOPIC,
    region: 'us-east-1',
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    now: () => NOW,
  };
  const own = { config: new ConfigServiceClient({ region: 'us-east-1' }) };
  const context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${MEMBER}:function:ccm-recorder-health` };

  it("single-account: checks the function's own account, named by its ARN, with its own clients", async () => {
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [recorder({ recording: false })] });
    const result = await createRecorderHealthHandler({ ...deps, own })({}, context);
    expect(result.unhealthy.map((a) => a.accountId)).toEqual([MEMBER]);
    expect(config).toHaveReceivedCommandTimes(DescribeConfigurationRecorderStatusCommand, 1);
  });

  it("org mode: checks the organization's monitored accounts through the router", async () => {
    const calls: string[] = [];
    const org = {
      accounts: async () => [ACCOUNT, MEMBER],
      router: { run: async <T>(accountId: string, work: (adapters: RecorderAdapters) => Promise<T>) => (calls.push(accountId), work(own)) },
    };
    await expect(createRecorderHealthHandler({ ...deps, own, org })({}, context)).resolves.toEqual({ checked: 2, unhealthy: [] });
    expect(calls.sort()).toEqual([ACCOUNT, MEMBER]);
  });
});
