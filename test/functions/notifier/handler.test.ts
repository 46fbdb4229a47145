import 'aws-sdk-client-mock-jest';
import { Logger } from '@aws-lambda-powertools/logger';
import { BatchImportFindingsCommand, SecurityHubClient, type BatchImportFindingsCommandInput } from '@aws-sdk/client-securityhub';
import { PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { PublishBatchCommand, SNSClient, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseJsonLines } from '../../../functions/evidence/transitions.js';
import { EvidenceWriter } from '../../../functions/evidence/writer.js';
import type { Compliance, Evaluation } from '../../../rules/types.js';
import { createNotifierHandler, loadNotifierConfig, NotifierConfigError, type NotifierConfig } from '../../../functions/notifier/handler.js';
import { changeFromEvaluation, documentedComplianceChange, lambdaContext, sqsEvent } from '../../helpers/compliance-events.js';
import { LEDGER, NOTIFIER_CONFIG, notifierMocks, TOPIC } from '../../helpers/notifier.js';
import { evaluate } from '../../helpers/rules.js';
import { itemFrom, SAMPLE } from '../../helpers/samples.js';

const { hub, sns, s3, table } = notifierMocks();
const CONFIG: NotifierConfig = NOTIFIER_CONFIG;
const BUCKET = 'ccm-evidence-111122223333';

type Json = Record<string, unknown>;

const failingVolume = (i = 0, annotationExtra = ''): Evaluation => {
  const evaluation = evaluate(
    'ebs-volume-encrypted',
    itemFrom(SAMPLE.volume, { configuration: { encrypted: false }, top: { awsAccountId: '111122223333', accountId: '111122223333' } }),
  );
  return { ...evaluation, resourceId: `vol-${String(i).padStart(17, '0')}`, annotation: evaluation.annotation + annotationExtra };
};
const became = (evaluation: Evaluation, old: Compliance | undefined = 'COMPLIANT', recordedAt?: string) => changeFromEvaluation(evaluation, old, recordedAt);

function handlerFor(config: NotifierConfig = CONFIG, options: { evidence?: boolean } = {}) {
  let now = 0;
  return createNotifierHandler({
    config,
    ...(options.evidence === true && { evidence: new EvidenceWriter(new S3Client({ region: 'us-east-1' }), BUCKET) }),
    securityHub: new SecurityHubClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    dynamoDb: new DynamoDBClient({ region: 'us-east-1' }),
    logger: new Logger({ serviceName: 'ccm-notifier-test', logLevel: 'SILENT' }),
    findings: { clock: () => now, sleep: async (ms) => void (now += ms) },
    alerts: { sleep: async () => undefined },
  });
}

function importedFindings(call = 0) {
  return (hub.commandCalls(BatchImportFindingsCommand)[call]?.args[0].input as BatchImportFindingsCommandInput).Findings ?? [];
}

function published(call = 0) {
  return (sns.commandCalls(PublishBatchCommand)[call]?.args[0].input as PublishBatchCommandInput).PublishBatchRequestEntries ?? [];
}

beforeEach(() => {
  table.reset();
  hub.reset();
  sns.reset();
  s3.reset();
  hub
    .on(BatchImportFindingsCommand)
    .callsFake((input: BatchImportFindingsCommandInput) => ({ FailedCount: 0, SuccessCount: input.Findings?.length ?? 0, FailedFindings: [] }));
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
    Failed: [],
  }));
});

describe('notifier handler', () => {
  test('one bad record fails alone: the others are imported and alerted, the response names only it', async () => {
    const malformed = documentedComplianceChange();
    delete (malformed.detail as Json).newEvaluationResult;
    (malformed.detail as Json).configRuleName = 'ccm-ebs-volume-encrypted';
    const event = sqsEvent([became(failingVolume()), malformed, documentedComplianceChange()]);
    const response = await handlerFor()(event, lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
    expect(importedFindings().map((f) => f.Id)).toEqual(['ccm/111122223333/us-east-1/ebs-volume-encrypted/AWS::EC2::Volume/vol-00000000000000000']);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 1);
    expect(published()).toEqual([
      expect.objectContaining({
        Subject: '[HIGH] EBS volume vol-00000000000000000 unencrypted — prod (111122223333)',
        MessageAttributes: expect.objectContaining({
          severity: { DataType: 'String', StringValue: 'HIGH' },
          compliance: { DataType: 'String', StringValue: 'NON_COMPLIANT' },
        }),
      }),
    ]);
  });

  test("AWS's documented event is for a rule that is not ours: accepted and ignored", async () => {
    const response = await handlerFor()(sqsEvent([documentedComplianceChange()]), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 0);
  });

  test('a body that is not JSON is a failed record', async () => {
    const response = await handlerFor()(sqsEvent(['{"version":"0",', became(failingVolume())]), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }] });
  });

  test("the finding follows the change: UpdatedAt is Config's recording time, so a retry or a late older event never wins", async () => {
    await handlerFor()(sqsEvent([became(failingVolume(), 'COMPLIANT', '2026-11-28T12:34:56.789Z')]), lambdaContext());
    expect(importedFindings()[0]).toMatchObject({
      AwsAccountId: '111122223333',
      ProductArn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      UpdatedAt: '2026-11-28T12:34:56.789Z',
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
    });
  });

  test('a change that needs nobody (no change, first COMPLIANT) still updates Security Hub but pages no one', async () => {
    const passing = { ...failingVolume(), compliance: 'COMPLIANT' as const, annotation: 'EBS volume is encrypted.' };
    await handlerFor()(sqsEvent([became(failingVolume(1), 'NON_COMPLIANT'), became(passing, undefined)]), lambdaContext());
    expect(importedFindings()).toHaveLength(2);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 0);
  });

  test('a finding Security Hub rejects fails its record, which is then not alerted (its retry will do both once)', async () => {
    const badId = 'ccm/111122223333/us-east-1/ebs-volume-encrypted/AWS::EC2::Volume/vol-00000000000000001';
    hub
      .on(BatchImportFindingsCommand)
      .resolves({ FailedCount: 1, SuccessCount: 1, FailedFindings: [{ Id: badId, ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }] });
    const response = await handlerFor()(sqsEvent([became(failingVolume(0)), became(failingVolume(1))]), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    expect(published().map((e) => e.Subject)).toEqual(['[HIGH] EBS volume vol-00000000000000000 unencrypted — prod (111122223333)']);
  });

  test('Security Hub throttling that does not stop fails the records (SQS retries them later)', async () => {
    hub.on(BatchImportFindingsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'LimitExceededException' }));
    const response = await handlerFor()(sqsEvent([became(failingVolume(0)), became(failingVolume(1))]), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }, { itemIdentifier: 'msg-1' }] });
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 4);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 0);
  });

  test('an alert SNS refuses fails its record only', async () => {
    sns
      .on(PublishBatchCommand)
      .resolves({ Successful: [{ Id: 'a0', MessageId: 'm' }], Failed: [{ Id: 'a1', Code: 'InvalidParameter', Message: 'no', SenderFault: true }] });
    const response = await handlerFor()(sqsEvent([became(failingVolume(0)), became(failingVolume(1))]), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    expect(importedFindings()).toHaveLength(2);
  });

  test('more transitions than DIGEST_THRESHOLD in one batch: one digest instead of a page each', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => became(failingVolume(i)));
    const response = await handlerFor()(sqsEvent(bodies), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
    expect(importedFindings()).toHaveLength(12);
    expect(published()).toHaveLength(1);
    expect(published()[0]?.Subject).toBe('[DIGEST HIGH] 12 compliance changes: 12 new problems, 0 fixed — prod (111122223333)');
  });

  test('exactly DIGEST_THRESHOLD transitions still page one by one; a failed digest fails all its records', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => became(failingVolume(i)));
    await handlerFor()(sqsEvent(ten), lambdaContext());
    expect(published()).toHaveLength(10);
    sns.reset();
    sns.on(PublishBatchCommand).rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));
    const three = Array.from({ length: 3 }, (_, i) => became(failingVolume(10 + i)));
    const response = await handlerFor({ ...CONFIG, digestThreshold: 2 })(sqsEvent(three), lambdaContext());
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['msg-0', 'msg-1', 'msg-2']);
  });

  test("an event from another account is imported into the function's own account (default product)", async () => {
    const other = { ...failingVolume(), accountId: '444455556666' };
    await handlerFor()(sqsEvent([became(other)]), lambdaContext('111122223333'));
    expect(importedFindings()[0]).toMatchObject({
      AwsAccountId: '111122223333',
      ProductFields: expect.objectContaining({ 'ccm/ResourceAccountId': '444455556666' }),
    });
  });

  test('logs carry ids, counts and error codes, never annotations or configuration', async () => {
    const lines: string[] = [];
    const capture = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    const [out, err] = [process.stdout.write, process.stderr.write];
    process.stdout.write = capture;
    process.stderr.write = capture;
    try {
      const handler = createNotifierHandler({
        config: CONFIG,
        securityHub: new SecurityHubClient({ region: 'us-east-1' }),
        sns: new SNSClient({ region: 'us-east-1' }),
        dynamoDb: new DynamoDBClient({ region: 'us-east-1' }),
        logger: new Logger({ serviceName: 'ccm-notifier-test', logLevel: 'DEBUG' }),
        findings: { sleep: async () => undefined },
      });
      const malformed = became(failingVolume(1, ' SECRET-ANNOTATION'));
      ((malformed.detail as Json).newEvaluationResult as Json).complianceType = 'SECRET-VALUE';
      await handler(sqsEvent([became(failingVolume(0, ' SECRET-ANNOTATION')), malformed]), lambdaContext());
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
    }
    const output = lines.join('');
    expect(output).toContain('"message":"batch processed"');
    expect(output).toContain('"records":2');
    expect(output).toContain('"messageId":"msg-1"');
    expect(output).not.toContain('SECRET');
  });
});

describe('notifier: the evidence archive', () => {
  const archived = () =>
    s3.commandCalls(PutObjectCommand).flatMap((call) => parseJsonLines(String((call.args[0].input as PutObjectCommandInput).Body), 'k').records);

  test('every transition of our rules is archived in one PutObject, alertable or not; others are not', async () => {
    s3.on(PutObjectCommand).resolves({});
    const passing = { ...failingVolume(2), compliance: 'COMPLIANT' as const, annotation: 'EBS volume is encrypted.' };
    const event = sqsEvent([
      became(failingVolume(0)),
      became(failingVolume(1), 'NON_COMPLIANT'),
      changeFromEvaluation(passing, undefined),
      documentedComplianceChange(),
      '{"not json',
    ]);
    const response = await handlerFor(CONFIG, { evidence: true })(event, lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-4' }] });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: BUCKET, ChecksumAlgorithm: 'SHA256' });
    expect(archived().map((r) => [r.resourceId, r.oldCompliance, r.newCompliance])).toEqual([
      ['vol-00000000000000000', 'COMPLIANT', 'NON_COMPLIANT'],
      ['vol-00000000000000001', 'NON_COMPLIANT', 'NON_COMPLIANT'],
      ['vol-00000000000000002', null, 'COMPLIANT'],
    ]);
    expect(importedFindings()).toHaveLength(3);
  });

  test('a failed archive write fails its records before any finding or alert, so their retry does each once', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }));
    const response = await handlerFor(CONFIG, { evidence: true })(sqsEvent([became(failingVolume(0)), became(failingVolume(1))]), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }, { itemIdentifier: 'msg-1' }] });
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 0);
  });

  test('only the day whose object failed is retried: the other day is imported and alerted', async () => {
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      if (input.Key?.includes('/day=29/')) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      return {};
    });
    const event = sqsEvent([
      became(failingVolume(0), 'COMPLIANT', '2026-11-28T23:59:59.000Z'),
      became(failingVolume(1), 'COMPLIANT', '2026-11-29T00:00:01.000Z'),
    ]);
    const response = await handlerFor(CONFIG, { evidence: true })(event, lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-1' }] });
    expect(importedFindings().map((f) => f.Resources?.[0]?.Id)).toEqual([expect.stringContaining('vol-00000000000000000')]);
    expect(published().map((e) => e.Subject)).toEqual(['[HIGH] EBS volume vol-00000000000000000 unencrypted — prod (111122223333)']);
  });

  test('the retry of the same records writes the same key again: one object, not two', async () => {
    s3.on(PutObjectCommand).resolves({});
    const event = sqsEvent([became(failingVolume(0)), became(failingVolume(1))]);
    await handlerFor(CONFIG, { evidence: true })(event, lambdaContext());
    await handlerFor(CONFIG, { evidence: true })({ Records: [...event.Records].reverse() }, lambdaContext());
    const keys = s3.commandCalls(PutObjectCommand).map((call) => (call.args[0].input as PutObjectCommandInput).Key);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
  });
});

describe('loadNotifierConfig', () => {
  test('reads and defaults the environment once', () => {
    expect(loadNotifierConfig({ ALERT_TOPIC_ARN: TOPIC, ALERT_LEDGER_TABLE_ARN: LEDGER, AWS_REGION: 'us-east-1' })).toEqual({
      alertTopicArn: TOPIC,
      alertLedgerTableArn: LEDGER,
      digestThreshold: 10,
      configRulePrefix: 'ccm-',
      region: 'us-east-1',
    });
    expect(
      loadNotifierConfig({
        ALERT_TOPIC_ARN: TOPIC,
        ALERT_LEDGER_TABLE_ARN: LEDGER,
        DIGEST_THRESHOLD: '25',
        CONFIG_RULE_PREFIX: 'clinic-',
        ACCOUNT_NAME: 'prod',
      }),
    ).toMatchObject({ digestThreshold: 25, configRulePrefix: 'clinic-', accountName: 'prod' });
  });

  test('reads the evidence bucket when the stack sets it', () => {
    expect(loadNotifierConfig({ ALERT_TOPIC_ARN: TOPIC, ALERT_LEDGER_TABLE_ARN: LEDGER, EVIDENCE_BUCKET: BUCKET })).toMatchObject({ evidenceBucket: BUCKET });
    expect(() => loadNotifierConfig({ ALERT_TOPIC_ARN: TOPIC, ALERT_LEDGER_TABLE_ARN: LEDGER, EVIDENCE_BUCKET: 's3://x' })).toThrow(
      /EVIDENCE_BUCKET must be an S3 bucket name/,
    );
  });

  test.each([
    [{ ALERT_LEDGER_TABLE_ARN: LEDGER }, /ALERT_TOPIC_ARN is required/],
    [{ ALERT_TOPIC_ARN: TOPIC }, /ALERT_LEDGER_TABLE_ARN is required/],
    [{ ALERT_TOPIC_ARN: TOPIC, ALERT_LEDGER_TABLE_ARN: 'ccm-alert-ledger' }, /ALERT_LEDGER_TABLE_ARN must be a DynamoDB table ARN/],
    [{ ALERT_TOPIC_ARN: 'ccm-alerts', ALERT_LEDGER_TABLE_ARN: LEDGER }, /ALERT_TOPIC_ARN must be an SNS topic ARN/],
    [{ ALERT_TOPIC_ARN: TOPIC, ALERT_LEDGER_TABLE_ARN: LEDGER, DIGEST_THRESHOLD: 'ten' }, /DIGEST_THRESHOLD must be a number/],
    [{ ALERT_TOPIC_ARN: TOPIC, ALERT_LEDGER_TABLE_ARN: LEDGER, DIGEST_THRESHOLD: '0' }, /DIGEST_THRESHOLD must be at least 1/],
    [{ ALERT_TOPIC_ARN: TOPIC, ALERT_LEDGER_TABLE_ARN: LEDGER, DIGEST_THRESHOLD: '2.5' }, /DIGEST_THRESHOLD must be a whole number/],
  ])('%j is refused naming the variable', (env, message) => {
    expect(() => loadNotifierConfig(env)).toThrow(NotifierConfigError);
    expect(() => loadNotifierConfig(env)).toThrow(message);
  });
});
