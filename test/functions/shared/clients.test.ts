import { ConfigServiceClient, type Evaluation } from '@aws-sdk/client-config-service';
import { Logger } from '@aws-lambda-powertools/logger';
import { ConfigAdapter } from '../../../functions/config/adapter.js';
import { createChangeEvaluatorHandler } from '../../../functions/evaluator/change.js';
import { backoffDelay, clientSettings, MAX_ATTEMPTS } from '../../../functions/shared/clients.js';
import { changeEvent, eventStyleItem } from '../../helpers/config-events.js';
import { fakeCredentials, FakeHttpHandler, throttled, type FakeReply } from '../../helpers/fake-http.js';
import { SAMPLE } from '../../helpers/samples.js';

const ok: FakeReply = { status: 200, body: { FailedEvaluations: [] } };

function client(handler: FakeHttpHandler): ConfigServiceClient {
  return new ConfigServiceClient({ region: 'us-east-1', credentials: fakeCredentials, requestHandler: handler, ...clientSettings({ delay: () => 0 }) });
}

const evaluations = (n: number): Evaluation[] =>
  Array.from({ length: n }, (_, i) => ({
    ComplianceResourceType: 'AWS::EC2::Volume',
    ComplianceResourceId: `vol-${i}`,
    ComplianceType: 'COMPLIANT',
    OrderingTimestamp: new Date(0),
  }));

describe('SDK retries through the real middleware stack', () => {
  test('a throttling burst is retried until it passes', async () => {
    const handler = new FakeHttpHandler((attempt) => (attempt <= 5 ? throttled : ok));
    await new ConfigAdapter(client(handler)).putEvaluations('token', evaluations(3));
    expect(handler.requests).toHaveLength(6);
    expect(handler.requests.every((r) => r.target === 'StarlingDoveService.PutEvaluations')).toBe(true);
  });

  test(`throttling that outlasts ${MAX_ATTEMPTS} attempts surfaces as an error`, async () => {
    const handler = new FakeHttpHandler(() => throttled);
    await expect(new ConfigAdapter(client(handler)).putEvaluations('token', evaluations(1))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(handler.requests).toHaveLength(MAX_ATTEMPTS);
  });

  test('a non-retryable error is not retried', async () => {
    const handler = new FakeHttpHandler(() => ({
      status: 400,
      errorType: 'InvalidResultTokenException',
      body: { __type: 'InvalidResultTokenException', message: 'bad token' },
    }));
    await expect(new ConfigAdapter(client(handler)).putEvaluations('token', evaluations(1))).rejects.toMatchObject({ name: 'InvalidResultTokenException' });
    expect(handler.requests).toHaveLength(1);
  });

  test('no evaluation is dropped when a chunk is throttled: every one of 250 arrives, in chunks of 100', async () => {
    const handler = new FakeHttpHandler((attempt) => (attempt === 2 || attempt === 3 ? throttled : ok));
    await new ConfigAdapter(client(handler)).putEvaluations('token', evaluations(250));
    const delivered = handler.requests.filter((_, i) => i !== 1 && i !== 2).map((r) => (r.body as { Evaluations: unknown[] }).Evaluations.length);
    expect(delivered).toEqual([100, 100, 50]);
    expect(handler.requests).toHaveLength(5);
  });

  test('the change evaluator fails the invocation when Config keeps throttling, so Lambda retries it', async () => {
    const handler = new FakeHttpHandler(() => throttled);
    const evaluate = createChangeEvaluatorHandler({
      config: new ConfigAdapter(client(handler)),
      logger: new Logger({ logLevel: 'SILENT' }),
      exemptionTagKey: 'compliance:exempt',
      region: 'us-east-1',
    });
    await expect(evaluate(changeEvent(eventStyleItem(SAMPLE.volume), { ruleId: 'ebs-volume-encrypted' }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect(handler.requests).toHaveLength(MAX_ATTEMPTS);
  });

  test('backoff grows exponentially with full jitter and is capped', () => {
    expect(backoffDelay(1, () => 0.999)).toBe(199);
    expect(backoffDelay(4, () => 0.999)).toBe(1598);
    expect(backoffDelay(20, () => 0.999)).toBe(7992);
    expect(backoffDelay(3, () => 0)).toBe(0);
  });
});
