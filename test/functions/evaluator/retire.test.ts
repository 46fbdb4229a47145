/**
 * Issue 11: a fault must not close an open problem. A scheduled run retires (NOT_APPLICABLE "no longer
 * found") only resources it knows are gone; what it could not read keeps its result, and the run says so.
 */
import { jest } from '@jest/globals';
import { BackupClient, ListBackupPlansCommand } from '@aws-sdk/client-backup';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
  SelectResourceConfigCommand,
  type EvaluationResult,
} from '@aws-sdk/client-config-service';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import { BackupAdapter } from '../../../functions/backup/adapter.js';
import { CloudTrailAdapter } from '../../../functions/cloudtrail/adapter.js';
import { ConfigAdapter } from '../../../functions/config/adapter.js';
import { retireStale, unseenFrom } from '../../../functions/config/stale.js';
import { Ec2Adapter } from '../../../functions/ec2/adapter.js';
import { createChangeEvaluatorHandler } from '../../../functions/evaluator/change.js';
import { createPeriodicEvaluatorHandler } from '../../../functions/evaluator/periodic.js';
import { GuardDutyAdapter } from '../../../functions/guardduty/adapter.js';
import { CredentialReportAdapter } from '../../../functions/iam/credential-report.js';
import { SsmAdapter } from '../../../functions/ssm/adapter.js';
import { queryResult, sampleEvent } from '../../helpers/config-events.js';
import { SAMPLE, sampleText } from '../../helpers/samples.js';

const config = mockClient(ConfigServiceClient);
const iam = mockClient(IAMClient);
const backup = mockClient(BackupClient);
const NOW = new Date('2026-11-28T12:00:00Z');
const SCHEDULED = 'configdg-ScheduledNotification.json';
const ACCOUNT = '123456789012';
let logs: string[] = [];
let metric: jest.Mock<(name: string, unit: string, value: number) => void>;

function deps() {
  metric = jest.fn<(name: string, unit: string, value: number) => void>();
  return {
    logger: new Logger({ serviceName: 'test', logLevel: 'DEBUG' }),
    metrics: { addMetric: metric } as unknown as Metrics,
    exemptionTagKey: 'compliance:exempt',
    region: 'us-east-1',
    now: () => NOW,
  };
}

const changeEvaluator = () => createChangeEvaluatorHandler({ config: new ConfigAdapter(new ConfigServiceClient({})), ...deps() });
const periodicEvaluator = () =>
  createPeriodicEvaluatorHandler({
    config: new ConfigAdapter(new ConfigServiceClient({})),
    credentialReport: new CredentialReportAdapter(new IAMClient({}), { sleep: async () => undefined }),
    backup: new BackupAdapter(new BackupClient({})),
    ec2: new Ec2Adapter(new EC2Client({})),
    ssm: new SsmAdapter(new SSMClient({})),
    cloudTrail: async () => new CloudTrailAdapter(new CloudTrailClient({})),
    guardDuty: async () => new GuardDutyAdapter(new GuardDutyClient({})),
    homeRegion: 'us-east-1',
    ...deps(),
  });

const previous = (resourceType: string, resourceId: string, compliance = 'NON_COMPLIANT'): EvaluationResult => ({
  ComplianceType: compliance as EvaluationResult['ComplianceType'],
  EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: 'ccm-x', ResourceType: resourceType, ResourceId: resourceId } },
});

const sent = () => config.commandCalls(PutEvaluationsCommand).flatMap((call) => call.args[0].input.Evaluations ?? []);
const retiredIds = () =>
  sent()
    .filter((e) => e.ComplianceType === 'NOT_APPLICABLE' && /no longer found/.test(e.Annotation ?? ''))
    .map((e) => e.ComplianceResourceId);
const metricValue = (name: string) => metric.mock.calls.filter(([n]) => n === name).map(([, , value]) => value);
const warnings = () => logs.filter((line) => line.includes('"level":"WARN"'));

beforeEach(() => {
  for (const mock of [config, iam, backup]) mock.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  backup.on(ListBackupPlansCommand).resolves({ BackupPlansList: [] });
  logs = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logs.push(String(chunk));
      return true;
    });
  }
});

afterEach(() => jest.restoreAllMocks());

describe('scheduled run of the change evaluator', () => {
  const volume = (id: string) => queryResult(SAMPLE.volume, { resourceId: id, ARN: `arn:aws:ec2:us-east-1:264683526309:volume/${id}` });

  test('a row that does not parse at all: nothing is retired, the run says so in a log line and a metric', async () => {
    config.on(SelectResourceConfigCommand).resolves({ Results: [volume('vol-present'), '{"resourceType": "AWS::EC2::Vol'] });
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolves({ EvaluationResults: [previous('AWS::EC2::Volume', 'vol-open-problem'), previous('AWS::EC2::Volume', 'vol-other', 'COMPLIANT')] });
    await changeEvaluator()(sampleEvent(SCHEDULED, { ruleId: 'ebs-volume-encrypted' }));
    expect(sent().map((e) => e.ComplianceResourceId)).toEqual(['vol-present']);
    expect(retiredIds()).toEqual([]);
    expect(metricValue('UnreadableItems')).toEqual([1]);
    expect(metricValue('RetireHeldBack')).toEqual([2]);
    expect(
      warnings().some(
        (line) => line.includes('results it could not see are kept, not retired') && line.includes('"heldBack":2') && line.includes('"typeUnknown":true'),
      ),
    ).toBe(true);
  });

  test('an unreadable item whose type and id are known keeps its own result; another vanished resource is retired', async () => {
    const broken = JSON.parse(volume('vol-unreadable')) as Record<string, unknown>;
    delete broken.configurationItemCaptureTime;
    config.on(SelectResourceConfigCommand).resolves({ Results: [volume('vol-present'), JSON.stringify(broken)] });
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolves({ EvaluationResults: [previous('AWS::EC2::Volume', 'vol-unreadable'), previous('AWS::EC2::Volume', 'vol-deleted')] });
    await changeEvaluator()(sampleEvent(SCHEDULED, { ruleId: 'ebs-volume-encrypted' }));
    expect(retiredIds()).toEqual(['vol-deleted']);
    expect(sent().some((e) => e.ComplianceResourceId === 'vol-unreadable')).toBe(false);
    expect(metricValue('RetireHeldBack')).toEqual([1]);
  });

  test('an unreadable item with a type but no id: nothing of that type is retired', async () => {
    config
      .on(SelectResourceConfigCommand)
      .resolves({ Results: [volume('vol-present'), JSON.stringify({ resourceType: 'AWS::EC2::Volume', configuration: '{' })] });
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolves({ EvaluationResults: [previous('AWS::EC2::Volume', 'vol-a'), previous('AWS::EC2::Volume', 'vol-b')] });
    await changeEvaluator()(sampleEvent(SCHEDULED, { ruleId: 'ebs-volume-encrypted' }));
    expect(retiredIds()).toEqual([]);
    expect(metricValue('RetireHeldBack')).toEqual([2]);
  });

  test('a run that read everything retires what is gone, and reports zero held back', async () => {
    config.on(SelectResourceConfigCommand).resolves({ Results: [volume('vol-present')] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [previous('AWS::EC2::Volume', 'vol-deleted')] });
    await changeEvaluator()(sampleEvent(SCHEDULED, { ruleId: 'ebs-volume-encrypted' }));
    expect(retiredIds()).toEqual(['vol-deleted']);
    expect(metricValue('UnreadableItems')).toEqual([0]);
    expect(metricValue('RetireHeldBack')).toEqual([0]);
    expect(warnings()).toEqual([]);
  });
});

describe('periodic evaluator', () => {
  const HEADER_AND_USERS = sampleText(SAMPLE.credentialReport)
    .split('\n')
    .filter((line) => !line.startsWith('<root_account>'))
    .join('\n');

  test("root-account-mfa: a credential report without the <root_account> row does not retire the account's open result", async () => {
    iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(HEADER_AND_USERS) });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [previous('AWS::::Account', ACCOUNT)] });
    const result = await periodicEvaluator()(sampleEvent(SCHEDULED, { ruleId: 'root-account-mfa' }));
    expect(sent().filter((e) => e.ComplianceResourceId === ACCOUNT && e.ComplianceType === 'NOT_APPLICABLE')).toEqual([]);
    expect(result.evaluations).toBe(sent().length);
    expect(metricValue('RetireHeldBack')).toEqual([1]);
  });

  test('root-account-mfa with the root row: a result for another account of the rule is still retired', async () => {
    iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(sampleText(SAMPLE.credentialReport)) });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [previous('AWS::::Account', '999988887777')] });
    await periodicEvaluator()(sampleEvent(SCHEDULED, { ruleId: 'root-account-mfa' }));
    expect(retiredIds()).toEqual(['999988887777']);
  });

  test('resource-protected-by-backup: an unreadable volume row holds back volumes only; a vanished table is retired', async () => {
    config
      .on(SelectResourceConfigCommand)
      .resolves({ Results: [JSON.stringify({ resourceType: 'AWS::EC2::Volume', resourceId: 'vol-x', configurationItemCaptureTime: 'yesterday' })] });
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolves({ EvaluationResults: [previous('AWS::EC2::Volume', 'vol-x'), previous('AWS::DynamoDB::Table', 'gone-table')] });
    await periodicEvaluator()(sampleEvent(SCHEDULED, { ruleId: 'resource-protected-by-backup' }));
    expect(retiredIds()).toEqual(['gone-table']);
  });
});

describe('retireStale', () => {
  const context = { ruleId: 'ebs-volume-encrypted', accountId: ACCOUNT, region: 'us-east-1', now: NOW };
  const prior = [
    { resourceType: 'AWS::EC2::Volume', resourceId: 'vol-1', compliance: 'NON_COMPLIANT' },
    { resourceType: 'AWS::EC2::Volume', resourceId: 'vol-2', compliance: 'COMPLIANT' },
    { resourceType: 'AWS::S3::Bucket', resourceId: 'bucket', compliance: 'NON_COMPLIANT' },
  ];
  const ids = (outcome: ReturnType<typeof retireStale>) => ({
    retired: outcome.retired.map((e) => e.resourceId),
    heldBack: outcome.heldBack.map((r) => r.resourceId),
  });

  test.each([
    ['nothing unreadable', [], { retired: ['vol-1', 'vol-2', 'bucket'], heldBack: [] }],
    [
      'one volume by type and id',
      [{ source: 'q', location: 'Results[0]', resourceType: 'AWS::EC2::Volume', resourceId: 'vol-1', reason: 'x' }],
      { retired: ['vol-2', 'bucket'], heldBack: ['vol-1'] },
    ],
    [
      'a volume without id',
      [{ source: 'q', location: 'Results[0]', resourceType: 'AWS::EC2::Volume', reason: 'x' }],
      { retired: ['bucket'], heldBack: ['vol-1', 'vol-2'] },
    ],
    ['an id without type', [{ source: 'q', location: 'Results[0]', resourceId: 'bucket', reason: 'x' }], { retired: ['vol-1', 'vol-2'], heldBack: ['bucket'] }],
    ['a row with neither', [{ source: 'q', location: 'Results[0]', reason: 'x' }], { retired: [], heldBack: ['vol-1', 'vol-2', 'bucket'] }],
  ])('%s', (_name, skipped, expected) => {
    expect(ids(retireStale(prior, [], context, unseenFrom(skipped)))).toEqual(expected);
  });
});
