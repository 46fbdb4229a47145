import { jest } from '@jest/globals';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigAdapter, FailedEvaluationsError } from '../../../functions/config/adapter.js';
import { createChangeEvaluatorHandler } from '../../../functions/evaluator/change.js';
import { changeEvent, eventStyleItem, historyItem, queryResult, sampleEvent } from '../../helpers/config-events.js';
import { SimulatedConfig } from '../../helpers/config-store.js';
import { SAMPLE, sampleFiles, sampleJson } from '../../helpers/samples.js';
import { CHANGE_EVALUATOR_CALLS } from '../../../functions/evaluator/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';

const config = mockClient(ConfigServiceClient);
const sentCommands = recordSentCommands(config);
afterAll(() => expectDeclaredCalls(sentCommands, CHANGE_EVALUATOR_CALLS));
const NOW = new Date('2026-11-28T12:00:00Z');
let logs: string[] = [];

function evaluator() {
  const logger = new Logger({ serviceName: 'test', logLevel: 'DEBUG' });
  return createChangeEvaluatorHandler({
    config: new ConfigAdapter(new ConfigServiceClient({ region: 'us-east-1' })),
    logger,
    exemptionTagKey: 'compliance:exempt',
    region: 'us-east-1',
    now: () => NOW,
  });
}

function putCalls() {
  return config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  config.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  logs = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  });
});

afterEach(() => jest.restoreAllMocks());

describe('change evaluator: configuration change', () => {
  test('an unencrypted volume yields exactly one NON_COMPLIANT evaluation at the capture time', async () => {
    const item = eventStyleItem(SAMPLE.volume);
    (item.configuration as Record<string, unknown>).encrypted = false;
    const result = await evaluator()(changeEvent(item, { ruleId: 'ebs-volume-encrypted' }));
    expect(result).toEqual({ ruleId: 'ebs-volume-encrypted', evaluations: 1, put: 1, putCalls: 1, nonCompliant: 1 });
    expect(putCalls()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [
          {
            ComplianceResourceType: 'AWS::EC2::Volume',
            ComplianceResourceId: 'vol-a416b170',
            ComplianceType: 'NON_COMPLIANT',
            Annotation: 'EBS volume is not encrypted (encrypted = false).',
            OrderingTimestamp: new Date('2016-10-28T00:41:34.826Z'),
          },
        ],
      },
    ]);
  });

  test('the hanegraaff S3 change event (SSE-S3) is COMPLIANT for s3-bucket-encrypted', async () => {
    await evaluator()(sampleEvent('hanegraaff-S3-ConfigurationItemChangeNotification.json', { ruleId: 's3-bucket-encrypted' }));
    expect(putCalls()[0]?.Evaluations?.[0]).toMatchObject({
      ComplianceResourceType: 'AWS::S3::Bucket',
      ComplianceType: 'COMPLIANT',
      Annotation: expect.stringMatching(/AES256/),
    });
  });

  test('with requireKms as a Config string parameter the same bucket is NON_COMPLIANT', async () => {
    await evaluator()(sampleEvent('hanegraaff-S3-ConfigurationItemChangeNotification.json', { ruleId: 's3-bucket-encrypted', requireKms: 'true' }));
    expect(putCalls()[0]?.Evaluations?.[0]?.ComplianceType).toBe('NON_COMPLIANT');
  });

  test.each(['configdg-ConfigurationItemChangeNotification.json', 'powertools-awsConfigRuleConfigurationChanged.json'])(
    '%s (an EC2 instance) is NOT_APPLICABLE to an EBS rule',
    async (file) => {
      await evaluator()(sampleEvent(file, { ruleId: 'ebs-volume-encrypted' }));
      expect(putCalls()[0]?.Evaluations).toEqual([
        expect.objectContaining({
          ComplianceResourceType: 'AWS::EC2::Instance',
          ComplianceType: 'NOT_APPLICABLE',
          Annotation: 'Rule ebs-volume-encrypted does not evaluate AWS::EC2::Instance.',
        }),
      ]);
    },
  );

  test.each([
    ['null', null],
    ['"null"', 'null'],
    ['""', ''],
  ])(
    'a recorded, existing volume whose configuration is %s is not sent as NOT_APPLICABLE: it could not be evaluated, sent NON_COMPLIANT with the reason (issue 11)',
    async (_name, configuration) => {
      const item = { ...eventStyleItem(SAMPLE.volume), configuration, configurationItemStatus: 'OK' };
      const result = await evaluator()(changeEvent(item, { ruleId: 'ebs-volume-encrypted' }));
      expect(result).toMatchObject({ evaluations: 1, nonCompliant: 1 });
      expect(putCalls()[0]?.Evaluations).toEqual([
        expect.objectContaining({
          ComplianceResourceId: 'vol-a416b170',
          ComplianceType: 'NON_COMPLIANT',
          Annotation: 'Could not evaluate: the configuration item records no configuration although the resource exists (configurationItemStatus OK).',
        }),
      ]);
    },
  );

  test("Cloud Custodian's real security-group rule event (tcp 22 from 0.0.0.0/0) is NON_COMPLIANT", async () => {
    const result = await evaluator()(sampleEvent('custodian-event-config-rule-security-group.json', { ruleId: 'security-group-admin-ports-restricted' }));
    expect(result).toMatchObject({ evaluations: 1, nonCompliant: 1 });
    expect(putCalls()[0]?.Evaluations).toEqual([
      expect.objectContaining({
        ComplianceResourceType: 'AWS::EC2::SecurityGroup',
        ComplianceResourceId: 'sg-e2fb6999',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'Security group opens admin or database ports to the internet: tcp 22 from 0.0.0.0/0 (SSH).',
      }),
    ]);
  });

  test("the same event with a ports parameter (Config's comma-separated string) leaving SSH out is COMPLIANT", async () => {
    await evaluator()(sampleEvent('custodian-event-config-rule-security-group.json', { ruleId: 'security-group-admin-ports-restricted', ports: '3389,1433' }));
    expect(putCalls()[0]?.Evaluations?.[0]?.ComplianceType).toBe('COMPLIANT');
  });

  test("Cloud Custodian's S3 change event (BucketPolicy {policyText: null}) is NON_COMPLIANT for s3-bucket-tls-only", async () => {
    const { invokingEvent } = sampleJson('config-events/custodian-s3-from-rule.json') as { invokingEvent: string };
    await evaluator()({ ...sampleEvent('configdg-ConfigurationItemChangeNotification.json', { ruleId: 's3-bucket-tls-only' }), invokingEvent });
    expect(putCalls()[0]?.Evaluations).toEqual([
      expect.objectContaining({
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'c7n-fire-logs',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: expect.stringMatching(/no bucket policy/),
      }),
    ]);
  });

  test('a deleted resource (hands-on ResourceDeleted item, as a volume) is NOT_APPLICABLE', async () => {
    const body = sampleJson('config-events/handson-invokingEvent-EC2-ResourceDeleted.json') as { configurationItem: Record<string, unknown> };
    const item = { ...body.configurationItem, resourceType: 'AWS::EC2::Volume', resourceId: 'vol-05888074e384774ef', awsAccountId: '123456789012' };
    await evaluator()(changeEvent(item, { ruleId: 'ebs-volume-encrypted' }));
    expect(putCalls()[0]?.Evaluations?.[0]).toMatchObject({
      ComplianceType: 'NOT_APPLICABLE',
      Annotation: 'Resource is deleted (ResourceDeleted).',
      OrderingTimestamp: new Date('2018-07-04T01:54:02.810Z'),
    });
  });

  test('the hands-on IAM user body is NOT_APPLICABLE to an encryption rule', async () => {
    const body = sampleJson('config-events/handson-invokingEvent-IAMUser-ResourceDiscovered.json') as { configurationItem: Record<string, unknown> };
    await evaluator()(changeEvent(body.configurationItem, { ruleId: 'rds-storage-encrypted' }));
    expect(putCalls()[0]?.Evaluations?.[0]?.ComplianceType).toBe('NOT_APPLICABLE');
  });

  test('the EventBridge EFS change item evaluates COMPLIANT', async () => {
    const eb = sampleJson('config-events/configdg-eventbridge-ci-change-EFS.json') as { detail: { configurationItem: Record<string, unknown> } };
    await evaluator()(changeEvent(eb.detail.configurationItem, { ruleId: 'efs-filesystem-encrypted' }));
    expect(putCalls()[0]?.Evaluations?.[0]).toMatchObject({ ComplianceResourceId: 'fs-01f0d526165b57f95', ComplianceType: 'COMPLIANT' });
  });

  test('eventLeftScope makes the resource NOT_APPLICABLE (RDK event template)', async () => {
    const template = sampleEvent('rdk-test_event_template.yaml', { ruleId: 'ebs-volume-encrypted' });
    const event = {
      ...changeEvent(eventStyleItem(SAMPLE.volume), { ruleId: 'ebs-volume-encrypted' }),
      eventLeftScope: template.eventLeftScope,
      resultToken: template.resultToken,
    };
    await evaluator()(event);
    expect(putCalls()[0]).toMatchObject({
      ResultToken: template.resultToken,
      Evaluations: [expect.objectContaining({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringMatching(/eventLeftScope/) })],
    });
  });

  test('an item the rule cannot read is reported NON_COMPLIANT with the reason (INSUFFICIENT_DATA is never sent)', async () => {
    const item = eventStyleItem(SAMPLE.volume);
    delete (item.configuration as Record<string, unknown>).encrypted;
    await evaluator()(changeEvent(item, { ruleId: 'ebs-volume-encrypted' }));
    expect(putCalls()[0]?.Evaluations?.[0]).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: 'Could not evaluate: configuration.encrypted is missing.',
    });
  });

  test('an exempted resource is NOT_APPLICABLE with its reason', async () => {
    const item = eventStyleItem(SAMPLE.volume, { tags: { 'compliance:exempt': 'lab scratch disk until=2027-01-01' } });
    (item.configuration as Record<string, unknown>).encrypted = false;
    await evaluator()(changeEvent(item, { ruleId: 'ebs-volume-encrypted' }));
    expect(putCalls()[0]?.Evaluations?.[0]).toMatchObject({
      ComplianceType: 'NOT_APPLICABLE',
      Annotation: 'Exempt (compliance:exempt until 2027-01-01): lab scratch disk',
    });
  });

  test('TESTMODE result token sets TestMode', async () => {
    await evaluator()(changeEvent(eventStyleItem(SAMPLE.volume), { ruleId: 'ebs-volume-encrypted' }, { resultToken: 'TESTMODE' }));
    expect(putCalls()[0]).toMatchObject({ ResultToken: 'TESTMODE', TestMode: true });
  });

  test('through middy, each log line carries the AWS request id of the invocation', async () => {
    const logger = new Logger({ serviceName: 'test' });
    const core = createChangeEvaluatorHandler({
      config: new ConfigAdapter(new ConfigServiceClient({ region: 'us-east-1' })),
      logger,
      exemptionTagKey: 'compliance:exempt',
      region: 'us-east-1',
      now: () => NOW,
    });
    const handler = middy(core).use(injectLambdaContext(logger, { clearState: true }));
    const context = {
      awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      functionName: 'ccm-change-evaluator',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:ccm-change-evaluator',
      memoryLimitInMB: '256',
    };
    await handler(changeEvent(eventStyleItem(SAMPLE.volume), { ruleId: 'ebs-volume-encrypted' }), context as never);
    const lines = logs
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatchObject({ function_request_id: context.awsRequestId, ruleId: 'ebs-volume-encrypted' });
  });

  test('logs carry rule and resource ids, never configuration contents or tag values', async () => {
    const item = eventStyleItem(SAMPLE.volume, { tags: { Owner: 'tag-value-that-must-not-leak' } });
    await evaluator()(changeEvent(item, { ruleId: 'ebs-volume-encrypted' }));
    const text = logs.join('');
    expect(text).toContain('"ruleId":"ebs-volume-encrypted"');
    expect(text).toContain('"resourceId":"vol-a416b170"');
    expect(text).not.toContain('tag-value-that-must-not-leak');
    expect(text).not.toContain('snap-2a2a8752');
  });
});

describe('change evaluator: oversized item', () => {
  test.each(['configdg-OversizedConfigurationItemChangeNotification.json', 'powertools-awsConfigRuleOversizedConfiguration.json'])(
    '%s: the item is fetched with GetResourceConfigHistory at the capture time and evaluated',
    async (file) => {
      const event = sampleEvent(file, { ruleId: 'ebs-volume-encrypted' });
      const summary = (
        JSON.parse(String(event.invokingEvent)) as {
          configurationItemSummary: { resourceId: string; resourceType: string; configurationItemCaptureTime: string };
        }
      ).configurationItemSummary;
      config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [historyItem(SAMPLE.volume) as never] });
      await evaluator()(event);
      expect(config.commandCalls(GetResourceConfigHistoryCommand)[0]?.args[0].input).toEqual({
        resourceType: summary.resourceType,
        resourceId: summary.resourceId,
        laterTime: new Date(summary.configurationItemCaptureTime),
        limit: 1,
      });
      expect(putCalls()[0]?.Evaluations).toEqual([expect.objectContaining({ ComplianceResourceId: 'vol-a416b170', ComplianceType: 'COMPLIANT' })]);
    },
  );

  test('no history item is an error naming the resource', async () => {
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    await expect(evaluator()(sampleEvent('configdg-OversizedConfigurationItemChangeNotification.json', { ruleId: 'ebs-volume-encrypted' }))).rejects.toThrow(
      /no item for AWS::EC2::Instance/,
    );
    expect(putCalls()).toEqual([]);
  });
});

describe('change evaluator: scheduled run', () => {
  test.each(['configdg-ScheduledNotification.json', 'powertools-awsConfigRuleScheduled.json'])(
    '%s: every current item is evaluated, sent in chunks of 100, and gone resources retired',
    async (file) => {
      const rows = Array.from({ length: 250 }, (_, i) => queryResult(SAMPLE.volume, { resourceId: `vol-${String(i).padStart(8, '0')}` }));
      config
        .on(SelectResourceConfigCommand)
        .resolvesOnce({ Results: rows.slice(0, 100), NextToken: 'a' })
        .resolvesOnce({ Results: rows.slice(100, 200), NextToken: 'b' })
        .resolvesOnce({ Results: rows.slice(200) });
      config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
        EvaluationResults: [
          {
            ComplianceType: 'NON_COMPLIANT',
            EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: 'x', ResourceType: 'AWS::EC2::Volume', ResourceId: 'vol-deleted' } },
          },
          {
            ComplianceType: 'COMPLIANT',
            EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: 'x', ResourceType: 'AWS::EC2::Volume', ResourceId: 'vol-00000001' } },
          },
        ],
      });
      const result = await evaluator()(sampleEvent(file, { ruleId: 'ebs-volume-encrypted' }));
      expect(result).toMatchObject({ evaluations: 251, putCalls: 3 });
      expect(config.commandCalls(SelectResourceConfigCommand)[0]?.args[0].input.Expression).toMatch(/WHERE resourceType IN \('AWS::EC2::Volume'\)$/);
      expect(putCalls().map((c) => c.Evaluations?.length)).toEqual([100, 100, 51]);
      const retired = putCalls()
        .flatMap((c) => c.Evaluations ?? [])
        .filter((e) => e.ComplianceResourceId === 'vol-deleted');
      expect(retired).toEqual([
        {
          ComplianceResourceType: 'AWS::EC2::Volume',
          ComplianceResourceId: 'vol-deleted',
          ComplianceType: 'NOT_APPLICABLE',
          Annotation: expect.stringMatching(/no longer found/),
          OrderingTimestamp: NOW,
        },
      ]);
      expect(putCalls().every((c) => c.ResultToken === JSON.parse(JSON.stringify(sampleEvent(file, {}))).resultToken)).toBe(true);
    },
  );

  test('a scheduled run puts only what changed since the last one', async () => {
    const store = new SimulatedConfig(config, { now: NOW });
    const volume = (id: string, encrypted: boolean) => ({
      resourceType: 'AWS::EC2::Volume',
      json: queryResult(SAMPLE.volume, { resourceId: id, configuration: { ...(eventStyleItem(SAMPLE.volume).configuration as object), encrypted } }),
    });
    const scheduled = () => ({
      ...sampleEvent('configdg-ScheduledNotification.json', { ruleId: 'ebs-volume-encrypted' }),
      configRuleName: 'ccm-ebs-volume-encrypted',
      resultToken: store.tokenFor('ccm-ebs-volume-encrypted'),
    });
    store.setItems([volume('vol-1', true), volume('vol-2', true)]);
    expect(await evaluator()(scheduled())).toMatchObject({ evaluations: 2, put: 2 });
    store.setItems([volume('vol-1', true), volume('vol-2', false)]);
    config.resetHistory();
    expect(await evaluator()(scheduled())).toMatchObject({ evaluations: 2, put: 1, putCalls: 1 });
    expect(putCalls().flatMap((c) => c.Evaluations ?? [])).toEqual([
      expect.objectContaining({ ComplianceResourceId: 'vol-2', ComplianceType: 'NON_COMPLIANT' }),
    ]);
  });

  test('an inventory-wide rule refuses the change evaluator, naming the rule', async () => {
    await expect(evaluator()(sampleEvent('configdg-ScheduledNotification.json', { ruleId: 'ebs-encryption-by-default' }))).rejects.toThrow(
      /ebs-encryption-by-default needs the whole inventory/,
    );
  });
});

describe('change evaluator: bad input fails the invocation with a clear error', () => {
  test.each([
    [{ ruleId: 's3-bucket-encrypted', requireKms: 'perhaps' }, /s3-bucket-encrypted: parameter requireKms = "perhaps" is invalid/],
    [{ ruleId: 'ebs-volume-encrypted', kmsKeyArn: 'x' }, /unknown parameter "kmsKeyArn"/],
    [{ myParameterKey: 'myParameterValue' }, /ruleId is missing/],
    [{ ruleId: 'ebs-encrypted' }, /unknown rule id "ebs-encrypted"/],
  ])('rule parameters %j', async (params, message) => {
    await expect(evaluator()(changeEvent(eventStyleItem(SAMPLE.volume), params))).rejects.toThrow(message);
    expect(putCalls()).toEqual([]);
  });

  test.each([
    [{ invokingEvent: '{"messageType": "Nope"}' }, /messageType "Nope" is not one of/],
    [{ invokingEvent: '{not json' }, /invokingEvent is not valid JSON/],
    [{ resultToken: undefined }, /resultToken/],
    [{ ruleParameters: '[1]' }, /ruleParameters must be a JSON object/],
  ])('event %j', async (overrides, message) => {
    await expect(evaluator()({ ...changeEvent(eventStyleItem(SAMPLE.volume), { ruleId: 'ebs-volume-encrypted' }), ...overrides })).rejects.toThrow(message);
  });

  test('FailedEvaluations from Config is an error, not a silent drop', async () => {
    config.on(PutEvaluationsCommand).resolves({
      FailedEvaluations: [
        { ComplianceResourceType: 'AWS::EC2::Volume', ComplianceResourceId: 'vol-a416b170', ComplianceType: 'COMPLIANT', OrderingTimestamp: NOW },
      ],
    });
    await expect(evaluator()(changeEvent(eventStyleItem(SAMPLE.volume), { ruleId: 'ebs-volume-encrypted' }))).rejects.toThrow(FailedEvaluationsError);
  });

  test('every sample event file is covered by these tests', () => {
    expect(sampleFiles('config-events').length).toBe(12);
  });
});
