import 'aws-sdk-client-mock-jest';
import { PublishBatchCommand, PublishCommand, SNSClient, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { AlertPublisher } from '../../../functions/alerts/publisher.js';
import type { Alert } from '../../../functions/alerts/to-alert.js';

const sns = mockClient(SNSClient);
const client = new SNSClient({ region: 'us-east-1' });
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:ccm-alerts';

function alerts(count: number, messageBytes = 200): Alert[] {
  return Array.from({ length: count }, (_, i) => ({
    subject: `[HIGH] EBS volume vol-${i} unencrypted — 111122223333`,
    message: `alert ${i} `.padEnd(messageBytes, '.'),
    attributes: { severity: { DataType: 'String', StringValue: 'HIGH' } },
  }));
}

function entries(call: number): NonNullable<PublishBatchCommandInput['PublishBatchRequestEntries']> {
  const input = sns.commandCalls(PublishBatchCommand)[call]?.args[0].input as PublishBatchCommandInput;
  return input.PublishBatchRequestEntries ?? [];
}

function allSucceed(input: PublishBatchCommandInput) {
  return { Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })), Failed: [] };
}

const sleeps: number[] = [];
const options = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 };

beforeEach(() => {
  sns.reset();
  sleeps.length = 0;
  sns.on(PublishBatchCommand).callsFake(allSucceed);
});

describe('AlertPublisher', () => {
  test('PublishBatch takes at most 10 entries, with ids unique in the batch, ≤80 characters of [A-Za-z0-9_-]', async () => {
    const result = await new AlertPublisher(client, TOPIC, options).publish(alerts(25));
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 3);
    expect([0, 1, 2].map((i) => entries(i).length)).toEqual([10, 10, 5]);
    for (let call = 0; call < 3; call++) {
      const ids = entries(call).map((e) => e.Id ?? '');
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    }
    expect(sns).toHaveReceivedCommandWith(PublishBatchCommand, { TopicArn: TOPIC });
    expect(entries(0)[0]).toMatchObject({
      Subject: '[HIGH] EBS volume vol-0 unencrypted — 111122223333',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'HIGH' } },
    });
    expect(result).toMatchObject({ failed: [], requests: 3 });
    expect(result.sent).toHaveLength(25);
  });

  test('Failed entries on an HTTP 200 answer are retried alone; the ones that went through are not sent twice', async () => {
    sns
      .on(PublishBatchCommand)
      .resolvesOnce({
        Successful: [
          { Id: 'a0', MessageId: 'm0' },
          { Id: 'a2', MessageId: 'm2' },
        ],
        Failed: [{ Id: 'a1', Code: 'InternalError', Message: 'try again', SenderFault: false }],
      })
      .callsFake(allSucceed);
    const batch = alerts(3);
    const result = await new AlertPublisher(client, TOPIC, options).publish(batch);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 2);
    expect(entries(1).map((e) => e.Message)).toEqual([batch[1]?.message]);
    expect(result).toMatchObject({ sent: [0, 1, 2], failed: [] });
    expect(sleeps).toEqual([75]);
  });

  test("an entry that is the sender's fault is not retried and is returned as failed", async () => {
    sns.on(PublishBatchCommand).resolves({
      Successful: [{ Id: 'a0', MessageId: 'm0' }],
      Failed: [{ Id: 'a1', Code: 'InvalidParameter', Message: 'Invalid parameter: Subject', SenderFault: true }],
    });
    const result = await new AlertPublisher(client, TOPIC, options).publish(alerts(2));
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 1);
    expect(result).toMatchObject({ sent: [0], failed: [{ index: 1, errorCode: 'InvalidParameter', errorMessage: 'Invalid parameter: Subject' }] });
  });

  test('a throttled call is retried with backoff and then succeeds', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException', $metadata: { httpStatusCode: 400 } });
    sns.on(PublishBatchCommand).rejectsOnce(throttled).callsFake(allSucceed);
    const result = await new AlertPublisher(client, TOPIC, options).publish(alerts(4));
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 2);
    expect(result.sent).toEqual([0, 1, 2, 3]);
    expect(sleeps).toEqual([75]);
  });

  test('throttling that persists is surfaced for every alert after maxAttempts', async () => {
    sns.on(PublishBatchCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }));
    const result = await new AlertPublisher(client, TOPIC, { ...options, maxAttempts: 3 }).publish(alerts(2));
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 3);
    expect(result.failed).toEqual([
      { index: 0, errorCode: 'ThrottledException', errorMessage: 'Rate exceeded' },
      { index: 1, errorCode: 'ThrottledException', errorMessage: 'Rate exceeded' },
    ]);
    expect(sleeps).toEqual([75, 150]);
  });

  test('an authorization error is not retried', async () => {
    sns
      .on(PublishBatchCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AuthorizationErrorException', $metadata: { httpStatusCode: 403 } }));
    const result = await new AlertPublisher(client, TOPIC, options).publish(alerts(3));
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 1);
    expect(result.failed.map((f) => f.index)).toEqual([0, 1, 2]);
  });

  test('an alert SNS would reject (subject too long, with a line break) is not sent and is reported', async () => {
    const [good] = alerts(1);
    if (good === undefined) throw new Error('no alert');
    const result = await new AlertPublisher(client, TOPIC, options).publish([{ ...good, subject: 'x'.repeat(100) }, good, { ...good, subject: 'two\nlines' }]);
    expect(result.failed).toEqual([
      { index: 0, errorCode: 'InvalidAlert', errorMessage: 'subject has 100 characters; SNS takes fewer than 100' },
      { index: 2, errorCode: 'InvalidAlert', errorMessage: 'subject contains a line break or control character' },
    ]);
    expect(result.sent).toEqual([1]);
    expect(entries(0)).toHaveLength(1);
  });

  test("a batch's total payload stays within 256 KB: 100 KB alerts go two at a time", async () => {
    await new AlertPublisher(client, TOPIC, options).publish(alerts(5, 100_000));
    expect([0, 1, 2].map((i) => entries(i).length)).toEqual([2, 2, 1]);
  });

  test('single mode sends one Publish per alert', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const result = await new AlertPublisher(client, TOPIC, { ...options, mode: 'single' }).publish(alerts(3));
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 3);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 0);
    expect(result.sent).toEqual([0, 1, 2]);
  });

  test('a topic that is not an SNS ARN is refused at construction', () => {
    expect(() => new AlertPublisher(client, 'ccm-alerts')).toThrow(/not an SNS topic ARN/);
  });
});
