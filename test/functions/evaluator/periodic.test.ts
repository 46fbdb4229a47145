import { jest } from '@jest/globals';
import { BackupClient, GetBackupSelectionCommand, ListBackupPlansCommand, ListBackupSelectionsCommand } from '@aws-sdk/client-backup';
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
  SelectResourceConfigCommand,
} from '@aws-sdk/client-config-service';
import { EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand, type GetDetectorCommandOutput } from '@aws-sdk/client-guardduty';
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListResourceComplianceSummariesCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import { BackupAdapter } from '../../../functions/backup/adapter.js';
import { CloudTrailAdapter } from '../../../functions/cloudtrail/adapter.js';
import { ConfigAdapter } from '../../../functions/config/adapter.js';
import { Ec2Adapter } from '../../../functions/ec2/adapter.js';
import { createPeriodicEvaluatorHandler, itemTypesFor } from '../../../functions/evaluator/periodic.js';
import { restateDaysFrom } from '../../../functions/evaluator/shared.js';
import { GuardDutyAdapter } from '../../../functions/guardduty/adapter.js';
import { CredentialReportAdapter } from '../../../functions/iam/credential-report.js';
import { SsmAdapter } from '../../../functions/ssm/adapter.js';
import { CATALOG, getRule } from '../../../rules/catalog.js';
import { changeEvent, eventStyleItem, queryResult, sampleEvent } from '../../helpers/config-events.js';
import { SimulatedConfig, type QueryRow } from '../../helpers/config-store.js';
import { apiSample, SAMPLE, SHAPED, rawSampleItem, sampleText } from '../../helpers/samples.js';
import { PERIODIC_EVALUATOR_CALLS } from '../../../functions/evaluator/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';

const config = mockClient(ConfigServiceClient);
const iam = mockClient(IAMClient);
const backup = mockClient(BackupClient);
const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const cloudtrail = mockClient(CloudTrailClient);
const guardduty = mockClient(GuardDutyClient);
const sentCommands = recordSentCommands(config, iam, backup, ec2, ssm, cloudtrail, guardduty);
afterAll(() => expectDeclaredCalls(sentCommands, PERIODIC_EVALUATOR_CALLS));
const NOW = new Date('2026-11-28T12:00:00Z');
const SCHEDULED = 'configdg-ScheduledNotification.json';
const ACCOUNT = '123456789012';

/** The lazy loaders, as spies: a rule that does not need CloudTrail or GuardDuty never loads their clients. */
let loaders: { cloudTrail: jest.Mock<() => Promise<CloudTrailAdapter>>; guardDuty: jest.Mock<() => Promise<GuardDutyAdapter>> };

function evaluator(region = 'us-east-1', homeRegion = 'us-east-1', extra: { now?: () => Date; restateDays?: number; logger?: Logger; metrics?: Metrics } = {}) {
  return createPeriodicEvaluatorHandler({
    config: new ConfigAdapter(new ConfigServiceClient({})),
    credentialReport: new CredentialReportAdapter(new IAMClient({}), { sleep: async () => undefined }),
    backup: new BackupAdapter(new BackupClient({})),
    ec2: new Ec2Adapter(new EC2Client({})),
    ssm: new SsmAdapter(new SSMClient({})),
    ...loaders,
    logger: new Logger({ logLevel: 'SILENT' }),
    exemptionTagKey: 'compliance:exempt',
    region,
    homeRegion,
    now: () => NOW,
    ...extra,
  });
}

/** One backup plan whose one selection takes everything tagged backup=daily, as GetBackupSelection returns it. */
function selectingTagBackupDaily(): void {
  backup.on(ListBackupPlansCommand).resolves({ BackupPlansList: [{ BackupPlanId: 'plan-1' }] });
  backup.on(ListBackupSelectionsCommand).resolves({ BackupSelectionsList: [{ SelectionId: 'sel-1' }] });
  backup.on(GetBackupSelectionCommand).resolves({
    BackupPlanId: 'plan-1',
    SelectionId: 'sel-1',
    BackupSelection: {
      SelectionName: 'tagged',
      IamRoleArn: 'arn:aws:iam::264683526309:role/backup',
      Resources: [],
      ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }],
    },
  });
}

const sent = () => config.commandCalls(PutEvaluationsCommand).flatMap((call) => call.args[0].input.Evaluations ?? []);

beforeEach(() => {
  for (const mock of [config, iam, backup, ec2, ssm, cloudtrail, guardduty]) mock.reset();
  loaders = {
    cloudTrail: jest.fn(async () => new CloudTrailAdapter(new CloudTrailClient({}))),
    guardDuty: jest.fn(async () => new GuardDutyAdapter(new GuardDutyClient({}))),
  };
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config.on(SelectResourceConfigCommand).resolves({ Results: [] });
  config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(sampleText('iam/credential-report.coolfriends-oil.csv')) });
});

describe('periodic evaluator', () => {
  test('root-account-mfa reads the live credential report and reports on the event account', async () => {
    const result = await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'root-account-mfa' }));
    expect(result).toMatchObject({ ruleId: 'root-account-mfa', evaluations: 1, putCalls: 1 });
    expect(sent()).toEqual([
      expect.objectContaining({ ComplianceResourceType: 'AWS::::Account', ComplianceResourceId: ACCOUNT, ComplianceType: 'COMPLIANT', OrderingTimestamp: NOW }),
    ]);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
  });

  test('iam-user-console-mfa: each console user from the report, users without MFA NON_COMPLIANT', async () => {
    await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'iam-user-console-mfa' }));
    expect(config.commandCalls(SelectResourceConfigCommand)[0]?.args[0].input.Expression).toMatch(/'AWS::IAM::User'/);
    const byUser = Object.fromEntries(sent().map((e) => [e.ComplianceResourceId, e.ComplianceType]));
    expect(byUser).toEqual({ 'example.user': 'NON_COMPLIANT', fakeuser: 'COMPLIANT', 'final.user': 'NON_COMPLIANT' });
  });

  test("iam-user-console-mfa reports a user Config records under Config's user id (AIDA…), naming the user in the annotation (issue 10, case 10)", async () => {
    config
      .on(SelectResourceConfigCommand)
      .resolves({ Results: [queryResult(SAMPLE.iamUser, { resourceName: 'example.user', ARN: 'arn:aws:iam::fakearn:user/example.user' })] });
    await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'iam-user-console-mfa' }));
    expect(sent()).toContainEqual(
      expect.objectContaining({
        ComplianceResourceType: 'AWS::IAM::User',
        ComplianceResourceId: 'AIDAILEDWOGIPJFAKOJKW',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'User example.user has a console password and no active MFA device (mfa_active = false).',
      }),
    );
    expect(sent().map((e) => e.ComplianceResourceId)).not.toContain('example.user');
  });

  test.each([
    [
      'a header only',
      'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
      /the report has a header but no rows/,
    ],
    [
      'columns missing',
      'user,arn,user_creation_time,password_enabled,mfa_active\n<root_account>,arn:aws:iam::123456789012:root,2017-06-10T02:35:07+00:00,not_supported,false',
      /the header lacks 17 of the 22 columns of an IAM credential report: password_last_used/,
    ],
  ])('a live credential report with %s fails the invocation with a clear error, sending nothing', async (_name, csv, message) => {
    iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(csv) });
    await expect(evaluator()(sampleEvent(SCHEDULED, { ruleId: 'root-account-mfa' }))).rejects.toThrow(message);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });

  test('IAM is global: outside the home Region the MFA rules report nothing and call nothing', async () => {
    const result = await evaluator('eu-west-1', 'us-east-1')(sampleEvent(SCHEDULED, { ruleId: 'iam-user-console-mfa' }));
    expect(result).toEqual({ ruleId: 'iam-user-console-mfa', evaluations: 0, put: 0, putCalls: 0, nonCompliant: 0 });
    expect(iam.calls()).toHaveLength(0);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });

  test.each([
    [false, 'NON_COMPLIANT'],
    [true, 'COMPLIANT'],
  ])('ebs-encryption-by-default = %s → %s on AWS::::Account', async (enabled, compliance) => {
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: enabled });
    await evaluator('eu-west-1', 'us-east-1')(sampleEvent(SCHEDULED, { ruleId: 'ebs-encryption-by-default' }));
    expect(sent()).toEqual([expect.objectContaining({ ComplianceResourceType: 'AWS::::Account', ComplianceResourceId: ACCOUNT, ComplianceType: compliance })]);
    expect(config.commandCalls(SelectResourceConfigCommand)).toHaveLength(0);
  });

  test('resource-protected-by-backup reads the selections live, with their tag conditions', async () => {
    config.on(SelectResourceConfigCommand).resolves({
      Results: [
        queryResult(SAMPLE.volume, {
          resourceId: 'vol-tagged',
          awsAccountId: ACCOUNT,
          ARN: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-tagged`,
          tags: { backup: 'daily' },
        }),
        queryResult(SAMPLE.volume, {
          resourceId: 'vol-untagged',
          awsAccountId: ACCOUNT,
          ARN: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-untagged`,
          tags: {},
        }),
      ],
    });
    selectingTagBackupDaily();
    await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'resource-protected-by-backup', resourceTypes: 'AWS::EC2::Volume' }));
    const byVolume = Object.fromEntries(
      sent()
        .filter((e) => e.ComplianceResourceType === 'AWS::EC2::Volume')
        .map((e) => [e.ComplianceResourceId, e.ComplianceType]),
    );
    expect(byVolume).toEqual({ 'vol-tagged': 'COMPLIANT', 'vol-untagged': 'NON_COMPLIANT' });
  });

  test('resource-protected-by-backup: the live selections are all there are, scoped to this Region; an unreadable one makes coverage unknown, not covered (issue 11)', async () => {
    config.on(SelectResourceConfigCommand).resolves({
      Results: [queryResult(SAMPLE.volume, { resourceId: 'vol-1', awsAccountId: ACCOUNT, ARN: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-1`, tags: {} })],
    });
    backup.on(ListBackupPlansCommand).resolves({ BackupPlansList: [{ BackupPlanId: 'plan-1' }] });
    backup.on(ListBackupSelectionsCommand).resolves({ BackupSelectionsList: [{ SelectionId: 'sel-1' }] });
    backup
      .on(GetBackupSelectionCommand)
      .resolves({ BackupPlanId: 'plan-1', SelectionId: 'sel-1', BackupSelection: { SelectionName: 'odd', IamRoleArn: undefined as unknown as string } });
    await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'resource-protected-by-backup', resourceTypes: 'AWS::EC2::Volume' }));
    expect(sent().find((e) => e.ComplianceResourceId === 'vol-1')).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: expect.stringMatching(/^Could not evaluate: backup selection odd could not be read \(\[0\]\.BackupSelection\.IamRoleArn is missing/),
    });
  });

  describe('instance-patch-compliant: the last scan time comes from Systems Manager (issue 10, case 2)', () => {
    const patchItem = () => ({ ...rawSampleItem(SHAPED.patchCompliance), accountId: ACCOUNT });
    const summaries = (executionTime?: Date) => ({
      ResourceComplianceSummaryItems: [
        {
          ComplianceType: 'Patch',
          ResourceType: 'ManagedInstance',
          ResourceId: 'i-0a1b2c3d4e5f60001',
          Status: 'COMPLIANT' as const,
          ...(executionTime && { ExecutionSummary: { ExecutionTime: executionTime } }),
        },
      ],
    });

    beforeEach(() => {
      config.on(SelectResourceConfigCommand).resolves({ Results: [JSON.stringify(patchItem())] });
    });

    test('calls ListResourceComplianceSummaries for Patch only and applies maxScanAgeDays to ExecutionTime', async () => {
      ssm.on(ListResourceComplianceSummariesCommand).resolves(summaries(new Date('2026-11-16T12:00:00Z')));
      await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'instance-patch-compliant' }));
      expect(ssm.commandCalls(ListResourceComplianceSummariesCommand).map((call) => call.args[0].input)).toEqual([
        { Filters: [{ Key: 'ComplianceType', Values: ['Patch'], Type: 'EQUAL' }], MaxResults: 50 },
      ]);
      expect(sent()).toContainEqual(
        expect.objectContaining({
          ComplianceResourceType: 'AWS::SSM::PatchCompliance',
          ComplianceType: 'NON_COMPLIANT',
          Annotation: expect.stringMatching(/is 12 days old; maxScanAgeDays is 7/),
        }),
      );
    });

    test('a recent scan is COMPLIANT, naming the time Systems Manager gave', async () => {
      ssm.on(ListResourceComplianceSummariesCommand).resolves(summaries(new Date('2026-11-27T03:40:05Z')));
      await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'instance-patch-compliant' }));
      expect(sent()).toContainEqual(
        expect.objectContaining({
          ComplianceType: 'COMPLIANT',
          Annotation: 'No NON_COMPLIANT patch; last patch scan 2026-11-27T03:40:05.000Z (Systems Manager ExecutionTime).',
        }),
      );
    });

    test('no summary for the node: could not be evaluated (sent NON_COMPLIANT with the reason), never COMPLIANT', async () => {
      ssm.on(ListResourceComplianceSummariesCommand).resolves({ ResourceComplianceSummaryItems: [] });
      await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'instance-patch-compliant' }));
      expect(sent()).toContainEqual(
        expect.objectContaining({
          ComplianceType: 'NON_COMPLIANT',
          Annotation: expect.stringMatching(/^Could not evaluate: Systems Manager returned no last patch scan time for i-0a1b2c3d4e5f60001/),
        }),
      );
    });

    test('other periodic rules do not call Systems Manager', async () => {
      await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'instance-managed-by-ssm' }));
      expect(ssm.calls()).toHaveLength(0);
    });
  });

  test('results of resources that are gone are retired as NOT_APPLICABLE', async () => {
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        {
          ComplianceType: 'NON_COMPLIANT',
          EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: 'AWS::IAM::User', ResourceId: 'deleted.user' } },
        },
      ],
    });
    await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'iam-user-console-mfa' }));
    expect(sent()).toContainEqual(expect.objectContaining({ ComplianceResourceId: 'deleted.user', ComplianceType: 'NOT_APPLICABLE' }));
  });

  test('a change notification is refused with a message saying to use a periodic trigger', async () => {
    await expect(evaluator()(changeEvent(eventStyleItem(SAMPLE.volume), { ruleId: 'resource-protected-by-backup' }))).rejects.toThrow(
      /ScheduledNotification only/,
    );
  });

  test('bad rule parameters fail the invocation naming parameter and value', async () => {
    await expect(evaluator()(sampleEvent(SCHEDULED, { ruleId: 'iam-user-console-mfa', gracePeriodHours: '-3' }))).rejects.toThrow(
      /gracePeriodHours = "-3" is invalid/,
    );
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });

  test('cloudtrail-multi-region-logging reads the trails live in the home Region and reports the account', async () => {
    const trails = apiSample('cloudtrail/DescribeTrails.custodian-test_cloudtrail_fail_log_metric_filter_no_alarm.json').trailList as Trail[];
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: trails });
    cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    const result = await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'cloudtrail-multi-region-logging' }));
    expect(result).toMatchObject({ evaluations: 1, putCalls: 1, nonCompliant: 0 });
    expect(sent()).toEqual([
      expect.objectContaining({
        ComplianceResourceType: 'AWS::::Account',
        ComplianceResourceId: ACCOUNT,
        ComplianceType: 'COMPLIANT',
        Annotation: expect.stringMatching(/^Multi-Region trail aws-controltower-BaselineCloudTrail is logging/),
      }),
    ]);
    expect(cloudtrail.commandCalls(GetTrailStatusCommand)).toHaveLength(2);
    // No Config item records logging: the live rule queries no items, and loads no GuardDuty client.
    expect(config.commandCalls(SelectResourceConfigCommand)).toHaveLength(0);
    expect(loaders.cloudTrail).toHaveBeenCalledTimes(1);
    expect(loaders.guardDuty).not.toHaveBeenCalled();
  });

  test('the trail check is account-wide: outside the home Region it reports nothing and calls nothing', async () => {
    const result = await evaluator('eu-west-1', 'us-east-1')(sampleEvent(SCHEDULED, { ruleId: 'cloudtrail-multi-region-logging' }));
    expect(result.evaluations).toBe(0);
    expect(cloudtrail.calls()).toHaveLength(0);
    expect(loaders.cloudTrail).not.toHaveBeenCalled();
  });

  test.each([
    ['guardduty-enabled', 'ENABLED', 'COMPLIANT'],
    ['guardduty-enabled', 'DISABLED', 'NON_COMPLIANT'],
    ['guardduty-malware-protection', 'ENABLED', 'COMPLIANT'],
    ['guardduty-malware-protection', 'DISABLED', 'NON_COMPLIANT'],
  ])('%s with a detector %s → %s, in every Region (not only the home one)', async (ruleId, status, compliance) => {
    const detector = apiSample('guardduty/GetDetector.mrredhu-2025.json') as unknown as GetDetectorCommandOutput;
    guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d-1'] });
    guardduty.on(GetDetectorCommand).resolves({ ...detector, Status: status as 'ENABLED' | 'DISABLED' });
    await evaluator('eu-west-1', 'us-east-1')(sampleEvent(SCHEDULED, { ruleId }));
    expect(sent()).toEqual([expect.objectContaining({ ComplianceResourceType: 'AWS::::Account', ComplianceResourceId: ACCOUNT, ComplianceType: compliance })]);
    expect(guardduty.commandCalls(GetDetectorCommand).map((call) => call.args[0].input)).toEqual([{ DetectorId: 'd-1' }]);
    expect(loaders.cloudTrail).not.toHaveBeenCalled();
  });

  test('GuardDuty refusing the call fails the invocation: nothing is reported as if GuardDuty were off', async () => {
    guardduty
      .on(ListDetectorsCommand)
      .rejects(Object.assign(new Error('not authorized to perform: guardduty:ListDetectors'), { name: 'AccessDeniedException' }));
    await expect(evaluator()(sampleEvent(SCHEDULED, { ruleId: 'guardduty-enabled' }))).rejects.toThrow(/guardduty:ListDetectors/);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });

  test('rules that need neither CloudTrail nor GuardDuty never load their clients', async () => {
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
    await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'ebs-encryption-by-default' }));
    await evaluator()(sampleEvent(SCHEDULED, { ruleId: 'root-account-mfa' }));
    expect(loaders.cloudTrail).not.toHaveBeenCalled();
    expect(loaders.guardDuty).not.toHaveBeenCalled();
  });

  test('every periodic rule reads item types Config can query (no AWS::::Account)', () => {
    for (const entry of CATALOG.filter((e) => e.kind === 'inventory'))
      for (const type of itemTypesFor(entry)) expect(type).toMatch(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
    expect(itemTypesFor(getRule('ebs-encryption-by-default'))).toEqual([]);
  });
});

describe('periodic evaluator: puts only what changed', () => {
  const DAY = 86_400_000;
  const RULE = 'ccm-resource-protected-by-backup';
  let store: SimulatedConfig;
  let clock: Date;
  const at = (days: number) => new Date(NOW.getTime() + days * DAY);
  const run = (ruleName: string, params: Record<string, unknown>, extra: { restateDays?: number; logger?: Logger; metrics?: Metrics } = {}) => {
    store.now = clock;
    return evaluator('us-east-1', 'us-east-1', { now: () => clock, ...extra })({
      ...sampleEvent(SCHEDULED, params),
      configRuleName: ruleName,
      resultToken: store.tokenFor(ruleName),
    });
  };
  const protectedByBackup = (extra: { restateDays?: number; logger?: Logger; metrics?: Metrics } = {}) =>
    run(RULE, { ruleId: 'resource-protected-by-backup', resourceTypes: 'AWS::EC2::Volume' }, extra);
  // In the event's account and Region: backup selections are read there, and apply there only.
  const volume = (id: string, tags: Record<string, string> = { backup: 'daily' }): QueryRow => ({
    resourceType: 'AWS::EC2::Volume',
    json: queryResult(SAMPLE.volume, { resourceId: id, awsAccountId: ACCOUNT, ARN: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/${id}`, tags }),
  });
  const putNow = () => config.commandCalls(PutEvaluationsCommand).flatMap((call) => call.args[0].input.Evaluations ?? []);

  beforeEach(() => {
    clock = NOW;
    store = new SimulatedConfig(config, { now: NOW });
    store.setItems([volume('vol-a'), volume('vol-b'), volume('vol-c', {})]);
    selectingTagBackupDaily();
  });

  /** The first run states every verdict; what the second run (a day later) puts is the test's. */
  async function secondRun(change: () => void): Promise<Awaited<ReturnType<typeof protectedByBackup>>> {
    expect(await protectedByBackup()).toMatchObject({ evaluations: 3, put: 3 });
    config.resetHistory();
    change();
    clock = at(1);
    return protectedByBackup();
  }

  test('an unchanged inventory puts no evaluations on the second run: one empty PutEvaluations reports the run', async () => {
    const result = await secondRun(() => undefined);
    expect(result).toEqual({ ruleId: 'resource-protected-by-backup', evaluations: 3, put: 0, putCalls: 1, nonCompliant: 1 });
    expect(config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input.Evaluations)).toEqual([[]]);
    expect(store.recorded).toBe(3);
  });

  test.each([
    [
      'a changed verdict',
      () => store.setItems([volume('vol-a', {}), volume('vol-b'), volume('vol-c', {})]),
      { ComplianceResourceId: 'vol-a', ComplianceType: 'NON_COMPLIANT' },
    ],
    [
      'a new resource',
      () => store.setItems([volume('vol-a'), volume('vol-b'), volume('vol-c', {}), volume('vol-d')]),
      { ComplianceResourceId: 'vol-d', ComplianceType: 'COMPLIANT' },
    ],
    ['a vanished resource', () => store.setItems([volume('vol-a'), volume('vol-c', {})]), { ComplianceResourceId: 'vol-b', ComplianceType: 'NOT_APPLICABLE' }],
  ])('%s puts exactly one evaluation', async (_why, change, expected) => {
    const result = await secondRun(change);
    expect(putNow()).toEqual([expect.objectContaining({ ComplianceResourceType: 'AWS::EC2::Volume', ...expected, OrderingTimestamp: at(1) })]);
    expect(result.put).toBe(1);
  });

  test('a failed read puts everything and says so in the log and the ComparisonUnavailable metric', async () => {
    const logger = new Logger({ logLevel: 'SILENT' });
    const warn = jest.spyOn(logger, 'warn');
    const metrics = new Metrics({ namespace: 'test', serviceName: 'periodic-evaluator' });
    const addMetric = jest.spyOn(metrics, 'addMetric');
    await protectedByBackup();
    config.resetHistory();
    store.readFailure = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    clock = at(1);
    const result = await protectedByBackup({ logger, metrics });
    expect(result).toMatchObject({ evaluations: 3, put: 3 });
    expect(putNow().map((e) => e.ComplianceResourceId)).toEqual(['vol-a', 'vol-b', 'vol-c']);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not read the rule's current results.*putting every evaluation/), {
      error: 'ThrottlingException: Rate exceeded',
    });
    expect(addMetric).toHaveBeenCalledWith('ComparisonUnavailable', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('EvaluationsPut', 'Count', 3);
  });

  test('a read that fails on a later page puts everything too: a partial read is not compared', async () => {
    await protectedByBackup();
    store.readFailure = new Error('connection reset');
    store.readFailsAfterPages = 1;
    const many = Array.from({ length: 120 }, (_, i) => volume(`vol-${String(i).padStart(3, '0')}`));
    store.setItems(many);
    clock = at(1);
    await protectedByBackup();
    store.readFailure = undefined;
    config.resetHistory();
    clock = at(2);
    expect(await protectedByBackup()).toMatchObject({ evaluations: 120, put: 0 });
    store.readFailure = new Error('connection reset');
    config.resetHistory();
    clock = at(3);
    expect(await protectedByBackup()).toMatchObject({ evaluations: 120, put: 120 });
  });

  test('the read follows every page of the results, 100 at a time', async () => {
    store.setItems(Array.from({ length: 250 }, (_, i) => volume(`vol-${String(i).padStart(3, '0')}`)));
    expect(await protectedByBackup()).toMatchObject({ evaluations: 250, put: 250, putCalls: 3 });
    store.reads.length = 0;
    clock = at(1);
    expect(await protectedByBackup()).toMatchObject({ evaluations: 250, put: 0, putCalls: 1 });
    expect(store.reads.map((read) => [read.ConfigRuleName, read.Limit, read.NextToken])).toEqual([
      [RULE, 100, undefined],
      [RULE, 100, '100'],
      [RULE, 100, '200'],
    ]);
  });

  test.each([
    [30, 29, 0],
    [30, 30, 3],
    [7, 6, 0],
    [7, 7, 3],
    [0, 89, 0],
  ])('restateDays %d: %d days after the first run, %d unchanged results are put again', async (restateDays, days, expected) => {
    await protectedByBackup({ restateDays });
    config.resetHistory();
    clock = at(days);
    expect(await protectedByBackup({ restateDays })).toMatchObject({ evaluations: 3, put: expected });
    expect(putNow()).toHaveLength(expected);
  });

  test('a re-statement is per result: only the results older than restateDays are put again', async () => {
    await protectedByBackup({ restateDays: 7 });
    clock = at(3);
    store.setItems([volume('vol-a', {}), volume('vol-b'), volume('vol-c', {})]);
    expect(await protectedByBackup({ restateDays: 7 })).toMatchObject({ put: 1 });
    config.resetHistory();
    clock = at(7);
    expect(await protectedByBackup({ restateDays: 7 })).toMatchObject({ put: 2 });
    expect(putNow().map((e) => e.ComplianceResourceId)).toEqual(['vol-b', 'vol-c']);
  });

  test.each([
    ['cleaned up at once', false],
    ['still held (before the clean-up)', true],
  ])('a NOT_APPLICABLE verdict is put only to replace a result Config holds: the NOT_APPLICABLE result %s', async (_when, keepNotApplicable) => {
    store = new SimulatedConfig(config, { now: NOW, keepNotApplicable });
    store.setItems([volume('vol-a'), volume('vol-b'), volume('vol-c', {})]);
    const exempt = () => store.setItems([volume('vol-a', { backup: 'daily', 'compliance:exempt': 'lab volume' }), volume('vol-b'), volume('vol-c', {})]);
    await protectedByBackup();
    config.resetHistory();
    exempt();
    clock = at(1);
    await protectedByBackup();
    expect(putNow()).toEqual([expect.objectContaining({ ComplianceResourceId: 'vol-a', ComplianceType: 'NOT_APPLICABLE' })]);
    config.resetHistory();
    clock = at(2);
    expect(await protectedByBackup()).toMatchObject({ evaluations: 3, put: 0 });
  });

  describe('an unchanged resource on a later day is not re-put, though the figures in its annotation moved', () => {
    const VOLUME_ID = 'vol-0a1b2c3d4e5f60001';
    const recoveryPointOf = (day: number): QueryRow => {
      const created = new Date(at(day).getTime() - 7 * 3_600_000).toISOString();
      const item = eventStyleItem(SHAPED.recoveryPoint);
      return {
        resourceType: 'AWS::Backup::RecoveryPoint',
        json: queryResult(SHAPED.recoveryPoint, { resourceId: `rp-${day}`, configuration: { ...(item.configuration as object), CreationDate: created } }),
      };
    };
    /** The patch compliance item, and Systems Manager's last scan of its node, 8 hours before the run. */
    const patchScannedOn = (day: number): QueryRow => {
      ssm.on(ListResourceComplianceSummariesCommand).resolves({
        ResourceComplianceSummaryItems: [
          {
            ComplianceType: 'Patch',
            ResourceType: 'ManagedInstance',
            ResourceId: 'i-0a1b2c3d4e5f60001',
            Status: 'COMPLIANT',
            ExecutionSummary: { ExecutionTime: new Date(at(day).getTime() - 8 * 3_600_000) },
          },
        ],
      });
      return { resourceType: 'AWS::SSM::PatchCompliance', json: JSON.stringify({ ...rawSampleItem(SHAPED.patchCompliance), accountId: ACCOUNT }) };
    };

    test.each([
      [
        'resource-recent-recovery-point: a new recovery point each day',
        'resource-recent-recovery-point',
        (day: number) => [volume(VOLUME_ID, {}), recoveryPointOf(day)],
      ],
      ['instance-patch-compliant: a new patch scan each day', 'instance-patch-compliant', (day: number) => [patchScannedOn(day)]],
    ])('%s', async (_why, ruleId, inventoryOn) => {
      const ruleName = `ccm-${ruleId}`;
      store.setItems(inventoryOn(0));
      expect(await run(ruleName, { ruleId })).toMatchObject({ put: 1 });
      const first = store.resultsOf(ruleName)[0];
      expect(first?.compliance).toBe('COMPLIANT');
      for (const day of [1, 2, 5]) {
        config.resetHistory();
        clock = at(day);
        store.setItems(inventoryOn(day));
        expect(await run(ruleName, { ruleId })).toMatchObject({ evaluations: 1, put: 0 });
      }
      // What Config holds is still the first statement, its figures as of then.
      expect(store.resultsOf(ruleName)).toEqual([first]);
    });
  });
});

describe('PERIODIC_RESTATE_DAYS', () => {
  test.each([
    [undefined, 30],
    ['', 30],
    ['0', 0],
    ['7', 7],
    ['89', 89],
  ])('%j → %d days', (value, days) => {
    expect(restateDaysFrom({ PERIODIC_RESTATE_DAYS: value })).toBe(days);
  });

  test.each(['90', '-1', '1.5', 'weekly', ' 7'])('%j fails the cold start, naming the variable and the range', (value) => {
    expect(() => restateDaysFrom({ PERIODIC_RESTATE_DAYS: value })).toThrow(
      `PERIODIC_RESTATE_DAYS must be a whole number of days from 0 to 89, got ${JSON.stringify(value)}`,
    );
  });
});
