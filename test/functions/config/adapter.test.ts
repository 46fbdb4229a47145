import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigAdapter, TEST_MODE_TOKEN } from '../../../functions/config/adapter.js';

const config = mockClient(ConfigServiceClient);
const adapter = () => new ConfigAdapter(new ConfigServiceClient({ region: 'us-east-1' }));
const RECORDED = new Date('2026-11-27T12:00:05Z');
const INVOKED = new Date('2026-11-27T12:00:01Z');
const ORDERING = new Date('2026-11-27T12:00:00Z');

function result(resourceId: string, times: { recorded?: Date; invoked?: Date; ordering?: Date } = {}, annotation?: string) {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: { ConfigRuleName: 'ccm-x', ResourceType: 'AWS::EC2::Volume', ResourceId: resourceId },
      ...(times.ordering && { OrderingTimestamp: times.ordering }),
    },
    ComplianceType: 'COMPLIANT' as const,
    ...(times.recorded && { ResultRecordedTime: times.recorded }),
    ...(times.invoked && { ConfigRuleInvokedTime: times.invoked }),
    ...(annotation !== undefined && { Annotation: annotation }),
  };
}

beforeEach(() => config.reset());

describe('ConfigAdapter.previousResults', () => {
  test('reads every page, 100 at a time, of COMPLIANT, NON_COMPLIANT and NOT_APPLICABLE results', async () => {
    // The SDK's paginator reuses one input object: record copies.
    const inputs: unknown[] = [];
    const pages = [
      { EvaluationResults: [result('vol-1', { recorded: RECORDED }, 'EBS volume is encrypted.')], NextToken: 'page-2' },
      { EvaluationResults: [result('vol-2', { recorded: RECORDED })] },
    ];
    config.on(GetComplianceDetailsByConfigRuleCommand).callsFake((input: object) => {
      inputs.push({ ...input });
      return pages[inputs.length - 1];
    });
    const results = await adapter().previousResults('ccm-x');
    expect(results).toEqual([
      { resourceType: 'AWS::EC2::Volume', resourceId: 'vol-1', compliance: 'COMPLIANT', annotation: 'EBS volume is encrypted.', recordedAt: RECORDED },
      { resourceType: 'AWS::EC2::Volume', resourceId: 'vol-2', compliance: 'COMPLIANT', recordedAt: RECORDED },
    ]);
    expect(inputs).toEqual([
      { ConfigRuleName: 'ccm-x', ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'], Limit: 100 },
      { ConfigRuleName: 'ccm-x', ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'], Limit: 100, NextToken: 'page-2' },
    ]);
  });

  test.each([
    ['ResultRecordedTime', { recorded: RECORDED, invoked: INVOKED, ordering: ORDERING }, RECORDED],
    ['else ConfigRuleInvokedTime', { invoked: INVOKED, ordering: ORDERING }, INVOKED],
    ['else the OrderingTimestamp', { ordering: ORDERING }, ORDERING],
    ['else no time', {}, undefined],
  ])('when the result was stated: %s', async (_why, times, expected) => {
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [result('vol-1', times)] });
    const [stored] = await adapter().previousResults('ccm-x');
    expect(stored?.recordedAt).toEqual(expected);
  });

  test('a result that names no resource is left out', async () => {
    const nameless = {
      ...result('vol-1'),
      EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: 'ccm-x', ResourceType: 'AWS::EC2::Volume' } },
    };
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [nameless, result('vol-2')] });
    expect((await adapter().previousResults('ccm-x')).map((r) => r.resourceId)).toEqual(['vol-2']);
  });

  test('a failing page fails the read: a partial list is never taken for the whole', async () => {
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolvesOnce({ EvaluationResults: [result('vol-1')], NextToken: 'p2' })
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(new ConfigAdapter(new ConfigServiceClient({ region: 'us-east-1', maxAttempts: 1 })).previousResults('ccm-x')).rejects.toThrow('Rate exceeded');
  });
});

describe('ConfigAdapter.putEvaluations', () => {
  test('nothing to put is still one call, with an empty list: the invocation reports back', async () => {
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    expect(await adapter().putEvaluations('token-1', [])).toBe(1);
    expect(config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input)).toEqual([{ ResultToken: 'token-1', Evaluations: [] }]);
  });

  test('an empty test-mode run sets TestMode', async () => {
    config.on(PutEvaluationsCommand).resolves({});
    await adapter().putEvaluations(TEST_MODE_TOKEN, []);
    expect(config.commandCalls(PutEvaluationsCommand)[0]?.args[0].input).toEqual({ ResultToken: TEST_MODE_TOKEN, Evaluations: [], TestMode: true });
  });
});
