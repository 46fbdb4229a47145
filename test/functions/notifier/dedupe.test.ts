/**
 * Issue 11: one compliance change pages once, and a late change never pages over a newer one. The
 * alert ledger's table is an in-memory DynamoDB behind aws-sdk-client-mock, so a second invocation
 * sees what the first one wrote, as a redelivery would.
 */
import 'aws-sdk-client-mock-jest';
import { DynamoDBClient, PutItemCommand, ProvisionedThroughputExceededException, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { BatchImportFindingsCommand, SecurityHubClient, type BatchImportFindingsCommandInput } from '@aws-sdk/client-securityhub';
import { PublishBatchCommand, SNSClient, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { LEDGER_TTL_DAYS } from '../../../functions/alerts/ledger.js';
import { createNotifierHandler, type NotifierConfig } from '../../../functions/notifier/handler.js';
import type { Compliance } from '../../../rules/types.js';
import { complianceChange, lambdaContext, sqsEvent } from '../../helpers/compliance-events.js';
import { LEDGER, NOTIFIER_CONFIG, notifierMocks } from '../../helpers/notifier.js';

const { hub, sns, table } = notifierMocks();
const CONFIG: NotifierConfig = NOTIFIER_CONFIG;
const KEY = '111122223333|us-east-1|ebs-volume-encrypted|AWS::EC2::Volume|vol-0a11e4c5d6e7f8103';
let clock = Date.parse('2026-11-28T12:00:00Z');

/** The volume's change under ebs-volume-encrypted, recorded at `recordedAt`, delivered as event `eventId`. */
function change(oldCompliance: Compliance | undefined, newCompliance: Compliance, recordedAt: string, eventId = `evt-${recordedAt}`) {
  return complianceChange({
    configRuleName: 'ccm-ebs-volume-encrypted',
    resourceType: 'AWS::EC2::Volume',
    resourceId: 'vol-0a11e4c5d6e7f8103',
    oldCompliance,
    newCompliance,
    annotation: newCompliance === 'NON_COMPLIANT' ? 'EBS volume is not encrypted (encrypted = false).' : 'EBS volume is encrypted.',
    recordedAt,
    eventId,
  });
}
const PROBLEM = change('COMPLIANT', 'NON_COMPLIANT', '2026-11-28T10:00:00.000Z');
const RESOLVED = change('NON_COMPLIANT', 'COMPLIANT', '2026-11-28T11:00:00.000Z');
const AGAIN = change('COMPLIANT', 'NON_COMPLIANT', '2026-11-28T11:30:00.000Z');

function handler(config: NotifierConfig = CONFIG) {
  return createNotifierHandler({
    config,
    securityHub: new SecurityHubClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    dynamoDb: new DynamoDBClient({ region: 'us-east-1' }),
    logger: new Logger({ logLevel: 'SILENT' }),
    findings: { sleep: async () => undefined },
    alerts: { sleep: async () => undefined, maxAttempts: 1 },
    ledger: { clock: () => clock },
  });
}

const subjects = () => delivered;
const failures = async (bodies: unknown[]) => (await handler()(sqsEvent(bodies), lambdaContext())).batchItemFailures.map((f) => f.itemIdentifier);
const ledgerItem = () => table.items.get(KEY);

beforeEach(() => {
  clock = Date.parse('2026-11-28T12:00:00Z');
  table.reset();
  hub.reset();
  sns.reset();
  hub
    .on(BatchImportFindingsCommand)
    .callsFake((input: BatchImportFindingsCommandInput) => ({ FailedCount: 0, SuccessCount: input.Findings?.length ?? 0, FailedFindings: [] }));
  delivered = [];
  refusals = 0;
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
    if (refusals > 0) {
      refusals--;
      throw Object.assign(new Error('throttled'), { name: 'Throttling' });
    }
    const entries = input.PublishBatchRequestEntries ?? [];
    delivered.push(...entries.map((e) => e.Subject ?? ''));
    return { Successful: entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })), Failed: [] };
  });
});

/** Subjects SNS accepted, in order. */
let delivered: string[] = [];
let refusals = 0;
/** SNS refuses the next publish (the publisher does not retry: maxAttempts 1), then accepts again. */
const snsFailsOnce = () => void (refusals = 1);

describe('duplicate pages', () => {
  test('the same event twice in one batch pages once; neither record fails', async () => {
    expect(await failures([PROBLEM, PROBLEM])).toEqual([]);
    expect(subjects()).toEqual([expect.stringMatching(/^\[HIGH\] EBS volume vol-0a11e4c5d6e7f8103 unencrypted/)]);
  });

  test('the same change under two EventBridge event ids, in one batch: one page', async () => {
    expect(await failures([PROBLEM, { ...PROBLEM, id: 'evt-other-delivery' }])).toEqual([]);
    expect(subjects()).toHaveLength(1);
  });

  test('redelivered in a later batch (or under another event id): no second page, and the record succeeds', async () => {
    await failures([PROBLEM]);
    expect(await failures([PROBLEM])).toEqual([]);
    expect(await failures([{ ...PROBLEM, id: 'evt-redelivered-as-new' }])).toEqual([]);
    expect(subjects()).toHaveLength(1);
    // Security Hub still receives every delivery: its finding is idempotent on Id and UpdatedAt.
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 3);
  });

  test('a genuine second transition pages again: broken, fixed, broken again', async () => {
    await failures([PROBLEM]);
    await failures([RESOLVED]);
    await failures([AGAIN]);
    expect(subjects().map((s) => s.slice(0, 10))).toEqual(['[HIGH] EBS', '[RESOLVED]', '[HIGH] EBS']);
  });

  test('three changes of one resource in one batch page in order, each once', async () => {
    expect(await failures([AGAIN, PROBLEM, RESOLVED, PROBLEM])).toEqual([]);
    expect(subjects().map((s) => s.slice(0, 10))).toEqual(['[HIGH] EBS', '[RESOLVED]', '[HIGH] EBS']);
    expect(ledgerItem()).toMatchObject({ recordedAt: { N: String(Date.parse('2026-11-28T11:30:00.000Z')) }, state: { S: 'SENT' } });
  });

  test('a digest counts each change once', async () => {
    const volumes = Array.from({ length: 12 }, (_, i) =>
      complianceChange({
        configRuleName: 'ccm-ebs-volume-encrypted',
        resourceType: 'AWS::EC2::Volume',
        resourceId: `vol-${String(i).padStart(17, '0')}`,
        oldCompliance: 'COMPLIANT',
        newCompliance: 'NON_COMPLIANT',
      }),
    );
    await failures([...volumes, ...volumes.slice(0, 5)]);
    expect(subjects()).toEqual([expect.stringMatching(/^\[DIGEST HIGH\] 12 compliance changes: 12 new problems/)]);
  });
});

describe('a stale page after a fix', () => {
  test('a PROBLEM that failed at SNS and is retried after the RESOLVED went out is not sent', async () => {
    snsFailsOnce();
    expect(await failures([PROBLEM])).toEqual(['msg-0']);
    expect(ledgerItem()).toBeUndefined(); // the failed claim was put back
    expect(await failures([RESOLVED])).toEqual([]);
    expect(await failures([PROBLEM])).toEqual([]);
    expect(subjects().map((s) => s.slice(0, 10))).toEqual(['[RESOLVED]']);
  });

  test('a PROBLEM that failed at SNS pages on its retry when nothing newer went out', async () => {
    snsFailsOnce();
    expect(await failures([PROBLEM])).toEqual(['msg-0']);
    expect(await failures([PROBLEM])).toEqual([]);
    expect(subjects()).toHaveLength(1);
  });

  test('a failed publish puts back what the ledger held before: the earlier change stays the reference', async () => {
    await failures([PROBLEM]);
    const before = structuredClone(ledgerItem());
    snsFailsOnce();
    expect(await failures([RESOLVED])).toEqual(['msg-0']);
    expect(ledgerItem()).toEqual(before);
  });
});

describe('the ledger itself', () => {
  test('a claim is one conditional PutItem, then a confirm; the item expires after the dead-letter queue would', async () => {
    await failures([PROBLEM]);
    const puts = table.mock.commandCalls(PutItemCommand).map((call) => call.args[0].input as PutItemCommandInput);
    const recordedAt = String(Date.parse('2026-11-28T10:00:00.000Z'));
    expect(puts).toEqual([
      {
        TableName: LEDGER,
        Item: {
          pk: { S: KEY },
          recordedAt: { N: recordedAt },
          compliance: { S: 'NON_COMPLIANT' },
          state: { S: 'SENDING' },
          leaseUntil: { N: String(clock + 30_000) },
          expiresAt: { N: String(clock / 1000 + LEDGER_TTL_DAYS * 86_400) },
        },
        ConditionExpression: 'attribute_not_exists(pk) OR recordedAt < :recordedAt OR (recordedAt = :recordedAt AND #state = :sending AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':recordedAt': { N: recordedAt }, ':sending': { S: 'SENDING' }, ':now': { N: String(clock) } },
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      expect.objectContaining({ Item: expect.objectContaining({ state: { S: 'SENT' } }), ConditionExpression: 'recordedAt = :claimed' }),
    ]);
    expect(LEDGER_TTL_DAYS).toBeGreaterThan(14);
  });

  test('an unreachable ledger fails the records (SQS retries them); nothing is paged unchecked, and the retry pages once', async () => {
    table.mock.on(PutItemCommand).rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    expect(await failures([PROBLEM])).toEqual(['msg-0']);
    expect(subjects()).toEqual([]);
    table.reset();
    expect(await failures([PROBLEM])).toEqual([]);
    expect(subjects()).toHaveLength(1);
  });

  test('a notifier that died between claim and publish: a redelivery during its lease waits, after the lease it pages', async () => {
    table.items.set(KEY, {
      pk: { S: KEY },
      recordedAt: { N: String(Date.parse('2026-11-28T10:00:00.000Z')) },
      compliance: { S: 'NON_COMPLIANT' },
      state: { S: 'SENDING' },
      leaseUntil: { N: String(clock + 10_000) },
      expiresAt: { N: '0' },
    });
    expect(await failures([PROBLEM])).toEqual([]);
    expect(subjects()).toEqual([]);
    clock += 60_000;
    expect(await failures([PROBLEM])).toEqual([]);
    expect(subjects()).toHaveLength(1);
  });

  test('a change that pages nobody (first result COMPLIANT) never touches the ledger', async () => {
    await failures([change(undefined, 'COMPLIANT', '2026-11-28T09:00:00.000Z')]);
    expect(table.mock.calls()).toHaveLength(0);
  });
});
