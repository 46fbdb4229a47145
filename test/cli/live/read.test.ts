/**
 * The live scan against aws-sdk-client-mock: paging, what a refused call costs, throttling that
 * outlasts the retries, Regions where Config does not record, accounts that cannot be read. Each mock
 * answers per account (the credentials' key) and Region (the client's), like AWS does.
 */
import { BackupClient, GetBackupSelectionCommand, ListBackupPlansCommand, ListBackupSelectionsCommand } from '@aws-sdk/client-backup';
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, DescribeConfigurationRecorderStatusCommand, SelectResourceConfigCommand } from '@aws-sdk/client-config-service';
import { DescribeRegionsCommand, EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { ListResourceComplianceSummariesCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { LIVE_SCAN_CALLS } from '../../../cli/live/calls.js';
import { lineProgress } from '../../../cli/live/progress.js';
import type { ReadPlan } from '../../../cli/live/read.js';
import { liveScan } from '../../../cli/live/run.js';
import { LiveSession } from '../../../cli/live/session.js';
import { exitCodeFor, toTable } from '../../../cli/report.js';
import type { RuleSelection } from '../../../cli/selection.js';
import { CATALOG } from '../../../rules/catalog.js';
import { queryResult } from '../../helpers/config-events.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';
import { NOW } from '../../helpers/rules.js';
import { rawSampleItem, SAMPLE, sampleJson, sampleText } from '../../helpers/samples.js';

const sts = mockClient(STSClient);
const config = mockClient(ConfigServiceClient);
const iam = mockClient(IAMClient);
const backup = mockClient(BackupClient);
const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const organizations = mockClient(OrganizationsClient);
const cloudtrail = mockClient(CloudTrailClient);
const guardduty = mockClient(GuardDutyClient);
const MOCKS = [sts, config, iam, backup, ec2, ssm, organizations, cloudtrail, guardduty];
const sentCommands = recordSentCommands(...MOCKS);
afterAll(() => expectDeclaredCalls(sentCommands, LIVE_SCAN_CALLS));

const CALLER = '111122223333';
const MEMBER = '444455556666';
const CALLER_KEY = 'AKIACALLERFAKE000001';
const RECORDING = sampleJson('api/config/DescribeConfigurationRecorderStatus.awscli.json') as { ConfigurationRecordersStatus: Record<string, unknown>[] };

interface Place {
  readonly account: string;
  readonly region: string;
}

/** The account (from the credentials' key: the caller's, or ASIA<account> from AssumeRole) and Region a mocked call was made in. */
async function placeOf(getClient: () => { config: { region: () => Promise<string>; credentials: () => Promise<{ accessKeyId: string }> } }): Promise<Place> {
  const client = getClient();
  const { accessKeyId } = await client.config.credentials();
  return { account: accessKeyId === CALLER_KEY ? CALLER : accessKeyId.slice(4), region: await client.config.region() };
}

function denied(action: string | undefined, name = 'AccessDeniedException'): Error {
  const message =
    action === undefined
      ? 'Access denied'
      : `User: arn:aws:iam::${CALLER}:user/assessor is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 } });
}

/** A volume of the given account and Region, as one row of the advanced query. */
function volumeRow(account: string, region: string, n: number, encrypted = true): string {
  const id = `vol-${account.slice(0, 4)}${region.replace(/-/g, '')}${String(n).padStart(5, '0')}`;
  const sample = rawSampleItem(SAMPLE.volume);
  const configuration = (typeof sample.configuration === 'string' ? JSON.parse(sample.configuration) : sample.configuration) as Record<string, unknown>;
  return queryResult(SAMPLE.volume, {
    resourceId: id,
    awsAccountId: account,
    awsRegion: region,
    ARN: `arn:aws:ec2:${region}:${account}:volume/${id}`,
    configuration: { ...configuration, volumeId: id, encrypted },
  });
}

let rows: (place: Place) => string[];

beforeEach(() => {
  for (const mock of MOCKS) mock.reset();
  rows = (place) => [volumeRow(place.account, place.region, 1, false), volumeRow(place.account, place.region, 2)];
  sts.on(GetCallerIdentityCommand).resolves({ Account: CALLER, Arn: `arn:aws:iam::${CALLER}:user/assessor`, UserId: 'AIDAFAKE' });
  sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const account = input.RoleArn.split(':')[4] ?? '';
    return {
      Credentials: { AccessKeyId: `ASIA${account}`, SecretAccessKey: 'secret', SessionToken: `token-${account}`, Expiration: new Date(Date.now() + 3_600_000) },
    };
  });
  config.on(DescribeConfigurationRecorderStatusCommand).resolves(RECORDING);
  config.on(SelectResourceConfigCommand).callsFake(async (input: { NextToken?: string; Limit?: number }, getClient) => {
    const all = rows(await placeOf(getClient as never));
    const start = Number(input.NextToken ?? '0');
    const end = start + (input.Limit ?? 100);
    return { Results: all.slice(start, end), ...(end < all.length && { NextToken: String(end) }) };
  });
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam
    .on(GetCredentialReportCommand)
    .resolves({ Content: new TextEncoder().encode(sampleText(SAMPLE.credentialReport)), GeneratedTime: new Date(NOW.getTime() - 3_600_000) });
  backup.on(ListBackupPlansCommand).resolves({ BackupPlansList: [] });
  ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
  ec2.on(DescribeRegionsCommand).resolves({
    Regions: [
      { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
      { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
    ],
  });
  ssm.on(ListResourceComplianceSummariesCommand).resolves({ ResourceComplianceSummaryItems: [] });
  // A multi-Region trail homed in us-east-1 (listed in every Region as a shadow trail) and one detector per Region, as AWS's samples show them.
  cloudtrail.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => {
    const { account } = await placeOf(getClient as never);
    return {
      trailList: [
        {
          Name: 'audit',
          TrailARN: `arn:aws:cloudtrail:us-east-1:${account}:trail/audit`,
          HomeRegion: 'us-east-1',
          IsMultiRegionTrail: true,
          LogFileValidationEnabled: true,
          KmsKeyId: `arn:aws:kms:us-east-1:${account}:key/4c5ae5ac-3c13-421e-8335-c7868ef6a769`,
        },
      ],
    };
  });
  cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: ['12abc34d567e8fa901bc2d34e56789f0'] });
  guardduty.on(GetDetectorCommand).resolves({
    Status: 'ENABLED',
    ServiceRole: 'arn:aws:iam::111122223333:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty',
    Features: [{ Name: 'EBS_MALWARE_PROTECTION', Status: 'ENABLED' }],
  });
});

async function scanLive(plan: Partial<ReadPlan> = {}, roleName?: string, rules?: RuleSelection) {
  let progress = '';
  const session = new LiveSession({
    credentials: async () => ({ accessKeyId: CALLER_KEY, secretAccessKey: 'secret' }),
    sleep: async () => undefined,
    ...(roleName !== undefined && { roleName }),
  });
  const result = await liveScan({
    plan: { accounts: { kind: 'caller' }, regions: ['us-east-1'], ...plan },
    session,
    progress: lineProgress((text) => void (progress += text)),
    now: NOW,
    ...(rules !== undefined && { rules }),
  });
  return { result, progress, code: exitCodeFor(result), live: result.summary.live };
}

const ofRule = <E extends { ruleId: string }>(evaluations: readonly E[], ruleId: string): E[] => evaluations.filter((e) => e.ruleId === ruleId);

describe('live scan: reading', () => {
  test('every page of the Config query, 100 rows a page, every item evaluated', async () => {
    // The paginator reuses its input object: what each page asked for is recorded as it is asked.
    const asked: [number | undefined, string | undefined][] = [];
    rows = (place) => Array.from({ length: 250 }, (_, n) => volumeRow(place.account, place.region, n, n % 5 !== 0));
    const all = rows;
    config.on(SelectResourceConfigCommand).callsFake(async (input: { NextToken?: string; Limit?: number }, getClient) => {
      asked.push([input.Limit, input.NextToken]);
      const list = all(await placeOf(getClient as never));
      const start = Number(input.NextToken ?? '0');
      return { Results: list.slice(start, start + 100), ...(start + 100 < list.length && { NextToken: String(start + 100) }) };
    });
    const { result, progress, live } = await scanLive();
    expect(asked).toEqual([
      [100, undefined],
      [100, '100'],
      [100, '200'],
    ]);
    const volumes = ofRule(result.evaluations, 'ebs-volume-encrypted');
    expect(volumes).toHaveLength(250);
    expect(volumes.filter((e) => e.compliance === 'NON_COMPLIANT')).toHaveLength(50);
    expect(live?.accounts[0]?.regions).toEqual([{ region: 'us-east-1', status: 'read', items: 250, denied: [] }]);
    expect(progress).toContain('live 111122223333 us-east-1 Config query: done, 250 read');
  });

  test('the query asks for every type the rules read, IAM users included, once per Region', async () => {
    await scanLive({ regions: ['us-east-1', 'eu-west-1'] });
    const expressions = config.commandCalls(SelectResourceConfigCommand).map((call) => call.args[0].input.Expression ?? '');
    expect(expressions).toHaveLength(2);
    for (const type of ['AWS::EC2::Volume', 'AWS::IAM::User', 'AWS::SSM::PatchCompliance', 'AWS::Backup::BackupSelection'])
      for (const expression of expressions) expect(expression).toContain(`'${type}'`);
  });

  test('the credential report is read once per account whatever the Regions, and its MFA rules evaluated once', async () => {
    const { result } = await scanLive({ regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] });
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
    expect(ofRule(result.evaluations, 'root-account-mfa')).toEqual([
      expect.objectContaining({ resourceType: 'AWS::::Account', region: 'global', compliance: 'COMPLIANT' }),
    ]);
    expect(result.summary.credentialReports).toEqual([expect.objectContaining({ source: 'IAM GetCredentialReport', ageHours: 1, stale: false })]);
  });

  test('the trails are read once per account (DescribeTrails with shadow trails shows every multi-Region trail); GuardDuty in each Region', async () => {
    const { result } = await scanLive({ regions: ['us-east-1', 'eu-west-1'] });
    expect(cloudtrail.commandCalls(DescribeTrailsCommand).map((call) => call.args[0].input)).toEqual([{ includeShadowTrails: true }]);
    expect(ofRule(result.evaluations, 'cloudtrail-multi-region-logging')).toEqual([
      expect.objectContaining({ resourceType: 'AWS::::Account', compliance: 'COMPLIANT' }),
    ]);
    expect(guardduty.commandCalls(ListDetectorsCommand)).toHaveLength(2);
    expect(ofRule(result.evaluations, 'guardduty-malware-protection').map((e) => [e.region, e.compliance])).toEqual([
      ['us-east-1', 'COMPLIANT'],
      ['eu-west-1', 'COMPLIANT'],
    ]);
  });

  test('backup plans and selections: every page, one GetBackupSelection per selection', async () => {
    backup
      .on(ListBackupPlansCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken === undefined ? { BackupPlansList: [{ BackupPlanId: 'plan-1' }], NextToken: 'p2' } : { BackupPlansList: [{ BackupPlanId: 'plan-2' }] },
      );
    backup.on(ListBackupSelectionsCommand).callsFake((input: { BackupPlanId: string }) => ({
      BackupSelectionsList: [{ SelectionId: `${input.BackupPlanId}-a` }, { SelectionId: `${input.BackupPlanId}-b` }],
    }));
    backup.on(GetBackupSelectionCommand).callsFake((input: { BackupPlanId: string; SelectionId: string }) => ({
      BackupPlanId: input.BackupPlanId,
      SelectionId: input.SelectionId,
      BackupSelection: { SelectionName: input.SelectionId, IamRoleArn: `arn:aws:iam::${CALLER}:role/backup`, Resources: ['arn:aws:ec2:*:*:volume/*'] },
    }));
    const { result } = await scanLive();
    expect(backup.commandCalls(ListBackupPlansCommand)).toHaveLength(2);
    expect(backup.commandCalls(GetBackupSelectionCommand).map((call) => call.args[0].input.SelectionId)).toEqual([
      'plan-1-a',
      'plan-1-b',
      'plan-2-a',
      'plan-2-b',
    ]);
    expect(
      ofRule(result.evaluations, 'resource-protected-by-backup')
        .filter((e) => e.resourceType === 'AWS::EC2::Volume')
        .map((e) => e.compliance),
    ).toEqual(['COMPLIANT', 'COMPLIANT']);
  });
});

describe('live scan: --rules and --skip-rules read only what the rules chosen need', () => {
  test('--skip-rules cloudtrail-multi-region-logging: no CloudTrail call, the rule listed as left out', async () => {
    const { result } = await scanLive({ regions: ['us-east-1', 'eu-west-1'] }, undefined, { skip: ['cloudtrail-multi-region-logging'] });
    expect(cloudtrail.commandCalls(DescribeTrailsCommand)).toHaveLength(0);
    expect(ofRule(result.evaluations, 'cloudtrail-multi-region-logging')).toEqual([]);
    expect(result.summary.rulesSkipped).toContainEqual({ ruleId: 'cloudtrail-multi-region-logging', reason: 'left out with --skip-rules' });
    expect(ofRule(result.evaluations, 'root-account-mfa')).toHaveLength(1);
  });

  test('--rules ebs-volume-encrypted: only the Config query, for volumes only', async () => {
    const { result } = await scanLive({}, undefined, { only: ['ebs-volume-encrypted'] });
    expect(new Set(result.evaluations.map((e) => e.ruleId))).toEqual(new Set(['ebs-volume-encrypted']));
    for (const mock of [iam, backup, ssm, cloudtrail, guardduty]) expect(mock.calls()).toHaveLength(0);
    expect(ec2.commandCalls(GetEbsEncryptionByDefaultCommand)).toHaveLength(0);
    expect(config.commandCalls(SelectResourceConfigCommand).map((call) => call.args[0].input.Expression)).toEqual([
      expect.stringMatching(/resourceType IN \('AWS::EC2::Volume'\)/),
    ]);
  });
});

describe('live scan: a refused call costs only the rules that need it', () => {
  test('AccessDenied on backup:ListBackupPlans: resource-protected-by-backup could not be evaluated, naming the action; the others are evaluated', async () => {
    backup.on(ListBackupPlansCommand).rejects(denied('backup:ListBackupPlans'));
    const { result, code, live } = await scanLive();
    expect(ofRule(result.evaluations, 'resource-protected-by-backup')).toEqual([
      expect.objectContaining({
        resourceType: 'AWS::::Account',
        resourceId: CALLER,
        region: 'us-east-1',
        compliance: 'INSUFFICIENT_DATA',
        error: true,
        annotation: expect.stringMatching(/^Could not evaluate: AWS refused backup:ListBackupPlans \(AccessDenied\); add it to the assessor policy/),
      }),
    ]);
    expect(ofRule(result.evaluations, 'ebs-volume-encrypted').map((e) => e.compliance)).toEqual(['NON_COMPLIANT', 'COMPLIANT']);
    expect(result.summary.warnings).toContain(
      'In us-east-1 of account 111122223333, AWS refused backup:ListBackupPlans: resource-protected-by-backup could not be evaluated there; add it to the assessor policy (README, "Scan live").',
    );
    expect(live?.accounts[0]?.regions[0]?.denied).toEqual(['backup:ListBackupPlans']);
    expect(code).toBe(1);
  });

  test('AccessDenied on cloudtrail:GetTrailStatus: only the trail rule could not be evaluated, once for the account, naming the action', async () => {
    cloudtrail.on(GetTrailStatusCommand).rejects(denied('cloudtrail:GetTrailStatus'));
    const { result, live } = await scanLive({ regions: ['us-east-1', 'eu-west-1'] });
    expect(ofRule(result.evaluations, 'cloudtrail-multi-region-logging')).toEqual([
      expect.objectContaining({ compliance: 'INSUFFICIENT_DATA', error: true, annotation: expect.stringContaining('AWS refused cloudtrail:GetTrailStatus') }),
    ]);
    expect(result.evaluations.filter((e) => e.error === true).map((e) => e.ruleId)).toEqual(['cloudtrail-multi-region-logging']);
    expect(live?.accounts[0]?.denied).toEqual(['cloudtrail:GetTrailStatus']);
  });

  test('AccessDenied on guardduty:GetDetector in one Region: both GuardDuty rules could not be evaluated there, evaluated in the other', async () => {
    guardduty.on(GetDetectorCommand).callsFake(async (_input, getClient) => {
      if ((await placeOf(getClient as never)).region === 'eu-west-1') throw denied('guardduty:GetDetector');
      return { Status: 'ENABLED', Features: [{ Name: 'EBS_MALWARE_PROTECTION', Status: 'DISABLED' }] };
    });
    const { result } = await scanLive({ regions: ['us-east-1', 'eu-west-1'] });
    expect(result.evaluations.filter((e) => e.ruleId.startsWith('guardduty-')).map((e) => [e.ruleId, e.region, e.compliance])).toEqual([
      ['guardduty-enabled', 'us-east-1', 'COMPLIANT'],
      ['guardduty-malware-protection', 'us-east-1', 'NON_COMPLIANT'],
      ['guardduty-enabled', 'eu-west-1', 'INSUFFICIENT_DATA'],
      ['guardduty-malware-protection', 'eu-west-1', 'INSUFFICIENT_DATA'],
    ]);
  });

  test("AccessDenied that does not name the action: the input's only call is named", async () => {
    ssm.on(ListResourceComplianceSummariesCommand).rejects(denied(undefined));
    const { result } = await scanLive();
    expect(ofRule(result.evaluations, 'instance-patch-compliant')).toEqual([
      expect.objectContaining({ compliance: 'INSUFFICIENT_DATA', annotation: expect.stringContaining('AWS refused ssm:ListResourceComplianceSummaries') }),
    ]);
  });

  test('AccessDenied on the Config query: every Config-based rule of the Region could not be evaluated; EBS encryption by default and GuardDuty still are', async () => {
    config.on(SelectResourceConfigCommand).rejects(denied('config:SelectResourceConfig'));
    const { result } = await scanLive();
    const errors = result.evaluations.filter((e) => e.error === true && e.region === 'us-east-1');
    expect(errors.map((e) => e.ruleId).sort()).toEqual(
      [
        'backup-plan-frequency-retention',
        'backup-plan-offsite-copy',
        'backup-recovery-point-encrypted',
        'dynamodb-table-encrypted',
        'ebs-volume-encrypted',
        'efs-filesystem-encrypted',
        'instance-managed-by-ssm',
        'instance-patch-compliant',
        'load-balancer-https-only',
        'rds-backup-retention',
        'rds-storage-encrypted',
        'resource-protected-by-backup',
        'resource-recent-recovery-point',
        's3-bucket-encrypted',
        's3-bucket-tls-only',
        'security-group-admin-ports-restricted',
      ].sort(),
    );
    expect(ofRule(result.evaluations, 'ebs-encryption-by-default')).toEqual([expect.objectContaining({ compliance: 'COMPLIANT' })]);
    expect(ofRule(result.evaluations, 'guardduty-enabled')).toEqual([expect.objectContaining({ compliance: 'COMPLIANT' })]);
  });

  test('AccessDenied on iam:GenerateCredentialReport: both MFA rules could not be evaluated, once for the account', async () => {
    iam.on(GenerateCredentialReportCommand).rejects(denied('iam:GenerateCredentialReport', 'AccessDenied'));
    const { result, live } = await scanLive({ regions: ['us-east-1', 'eu-west-1'] });
    expect(result.evaluations.filter((e) => e.ruleId.endsWith('-mfa')).map((e) => [e.ruleId, e.region, e.compliance])).toEqual([
      ['root-account-mfa', 'global', 'INSUFFICIENT_DATA'],
      ['iam-user-console-mfa', 'global', 'INSUFFICIENT_DATA'],
    ]);
    expect(live?.accounts[0]?.denied).toEqual(['iam:GenerateCredentialReport']);
  });

  test('AccessDenied on the recorder status: the Config-based rules could not be evaluated, naming config:DescribeConfigurationRecorderStatus', async () => {
    config.on(DescribeConfigurationRecorderStatusCommand).rejects(denied(undefined));
    const { result } = await scanLive();
    expect(config.commandCalls(SelectResourceConfigCommand)).toHaveLength(0);
    expect(ofRule(result.evaluations, 'ebs-volume-encrypted')).toEqual([
      expect.objectContaining({ compliance: 'INSUFFICIENT_DATA', annotation: expect.stringContaining('config:DescribeConfigurationRecorderStatus') }),
    ]);
  });
});

describe('live scan: one Region or account failing does not stop the others', () => {
  test('throttling that outlasts the retries in one Region: that Region failed, named in the summary; the other is evaluated; exit 1', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    config.on(SelectResourceConfigCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
      const place = await placeOf(getClient as never);
      if (place.region === 'eu-west-1') throw throttled;
      return { Results: rows(place) };
    });
    const { result, code, live } = await scanLive({ regions: ['us-east-1', 'eu-west-1'] });
    expect(live?.accounts[0]?.regions.map((r) => [r.region, r.status])).toEqual([
      ['us-east-1', 'read'],
      ['eu-west-1', 'failed'],
    ]);
    expect(live?.accounts[0]?.regions[1]?.problem).toBe('Config query: ThrottlingException: Rate exceeded');
    expect(live?.complete).toBe(false);
    expect(result.evaluations.some((e) => e.region === 'eu-west-1')).toBe(false);
    expect(ofRule(result.evaluations, 'ebs-volume-encrypted').map((e) => e.region)).toEqual(['us-east-1', 'us-east-1']);
    expect(result.summary.warnings).toContain(
      'eu-west-1 of account 111122223333 could not be read: Config query: ThrottlingException: Rate exceeded. None of its Regional rules were evaluated there.',
    );
    expect(code).toBe(1);
  });

  test.each([
    [
      'stopped',
      { ConfigurationRecordersStatus: [{ ...RECORDING.ConfigurationRecordersStatus[0], recording: false, lastStopTime: new Date('2026-11-20T00:00:00Z') }] },
      /the configuration recorder default is stopped since 2026-11-20T00:00:00.000Z.*start-configuration-recorder --configuration-recorder-name default --region eu-west-1/,
    ],
    ['absent', { ConfigurationRecordersStatus: [] }, /AWS Config has no configuration recorder in eu-west-1.*Set up AWS Config in eu-west-1/],
  ])('Config recorder %s in one Region: its Config-based rules are skipped there, not passed, with what to do; exit 1', async (_name, status, fix) => {
    config
      .on(DescribeConfigurationRecorderStatusCommand)
      .callsFake(async (_input, getClient) => ((await placeOf(getClient as never)).region === 'eu-west-1' ? status : RECORDING));
    const { result, code, live } = await scanLive({ regions: ['us-east-1', 'eu-west-1'] });
    const skippedThere = result.summary.rulesSkipped.filter((skip) => skip.region === 'eu-west-1');
    expect(skippedThere.map((skip) => skip.ruleId)).toContain('ebs-volume-encrypted');
    expect(skippedThere.map((skip) => skip.ruleId)).not.toContain('ebs-encryption-by-default');
    expect(skippedThere[0]).toEqual({
      ruleId: expect.any(String),
      reason: 'AWS Config is not recording in eu-west-1 of 111122223333',
      accountId: CALLER,
      region: 'eu-west-1',
    });
    // Rules that read other APIs than Config still run there.
    expect(result.evaluations.filter((e) => e.region === 'eu-west-1').map((e) => e.ruleId)).toEqual([
      'ebs-encryption-by-default',
      'guardduty-enabled',
      'guardduty-malware-protection',
    ]);
    expect(config.commandCalls(SelectResourceConfigCommand)).toHaveLength(1);
    expect(live?.accounts[0]?.regions[1]).toMatchObject({ region: 'eu-west-1', status: 'not-recording' });
    expect(result.summary.warnings.find((w) => w.startsWith('AWS Config is not recording in eu-west-1'))).toMatch(fix);
    // The table says it once for the Region, naming every rule skipped there.
    expect(
      toTable(result, CATALOG)
        .split('\n')
        .filter((line) => line.startsWith('skip')),
    ).toEqual([`skip  ${skippedThere.map((skip) => skip.ruleId).join(', ')}: AWS Config is not recording in eu-west-1 of 111122223333`]);
    expect(code).toBe(1);
  });

  test('--accounts: the role is assumed in each other account (session ccm-live-scan); one that refuses is reported, the rest evaluated', async () => {
    const third = '777788889999';
    sts.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
      const account = input.RoleArn.split(':')[4] ?? '';
      if (account === third) throw denied(undefined, 'AccessDenied');
      return {
        Credentials: {
          AccessKeyId: `ASIA${account}`,
          SecretAccessKey: 'secret',
          SessionToken: `token-${account}`,
          Expiration: new Date(Date.now() + 3_600_000),
        },
      };
    });
    const { result, code, live } = await scanLive({ accounts: { kind: 'list', ids: [CALLER, MEMBER, third] } }, 'clinic-assessor');
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => [call.args[0].input.RoleArn, call.args[0].input.RoleSessionName])).toEqual([
      [`arn:aws:iam::${MEMBER}:role/clinic-assessor`, 'ccm-live-scan'],
      [`arn:aws:iam::${third}:role/clinic-assessor`, 'ccm-live-scan'],
    ]);
    expect(live?.accounts.map((a) => [a.accountId, a.status])).toEqual([
      [CALLER, 'read'],
      [MEMBER, 'read'],
      [third, 'failed'],
    ]);
    expect(live?.accounts[2]?.problem).toBe(
      `cannot assume arn:aws:iam::${third}:role/clinic-assessor (AccessDenied: Access denied); create the role in ${third} with the assessor policy, trusting arn:aws:iam::${CALLER}:user/assessor, or leave the account out`,
    );
    expect([...new Set(ofRule(result.evaluations, 'ebs-volume-encrypted').map((e) => e.accountId))]).toEqual([CALLER, MEMBER]);
    expect(code).toBe(1);
  });

  test('--organization: every ACTIVE account of every page, the caller read with its own credentials', async () => {
    organizations.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === undefined
        ? {
            Accounts: [
              { Id: CALLER, State: 'ACTIVE' },
              { Id: '999900001111', State: 'SUSPENDED' },
            ],
            NextToken: 'more',
          }
        : { Accounts: [{ Id: MEMBER, Status: 'ACTIVE' }] },
    );
    const { live, code } = await scanLive({ accounts: { kind: 'organization' } }, 'clinic-assessor');
    expect(live?.accounts.map((a) => [a.accountId, a.status])).toEqual([
      [CALLER, 'read'],
      [MEMBER, 'read'],
    ]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(live?.complete).toBe(true);
    expect(code).toBe(1);
  });

  test('--organization outside an organization: a clear error before anything is read', async () => {
    organizations
      .on(ListAccountsCommand)
      .rejects(Object.assign(new Error('Your account is not a member of an organization.'), { name: 'AWSOrganizationsNotInUseException' }));
    await expect(scanLive({ accounts: { kind: 'organization' } }, 'clinic-assessor')).rejects.toThrow(
      `--organization: cannot list the organization's accounts (account ${CALLER} is not in an organization); run from the management account or a delegated administrator, or name the accounts with --accounts`,
    );
  });

  test('--all-regions: the Regions DescribeRegions gives (AllRegions false), each read', async () => {
    const { live } = await scanLive({ regions: 'all' });
    expect(ec2.commandCalls(DescribeRegionsCommand).map((call) => call.args[0].input)).toEqual([{ AllRegions: false }]);
    expect(live?.accounts[0]?.regions.map((r) => r.region)).toEqual(['eu-west-1', 'us-east-1']);
  });
});

describe('live scan: the credentials themselves', () => {
  test.each([
    [
      'no credentials',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      /^cannot read AWS: no AWS credentials found \(Could not load credentials from any providers\); sign in first/,
    ],
    [
      'an expired session',
      Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' }),
      /^cannot read AWS: the AWS session has expired \(ExpiredTokenException\); renew it/,
    ],
    [
      'unknown keys',
      Object.assign(new Error('The security token included in the request is invalid.'), { name: 'InvalidClientTokenId' }),
      /^cannot read AWS: AWS refused the credentials \(InvalidClientTokenId/,
    ],
  ])('%s: the scan stops with what to do (exit 2), reading nothing', async (_name, error, message) => {
    sts.on(GetCallerIdentityCommand).rejects(error);
    await expect(scanLive()).rejects.toThrow(message);
    expect(config.calls()).toHaveLength(0);
  });

  test('a session expiring in the middle: the Region it was reading failed, named so', async () => {
    ssm
      .on(ListResourceComplianceSummariesCommand)
      .rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' }));
    const { live } = await scanLive();
    expect(live?.accounts[0]?.regions[0]?.problem).toMatch(/^patch scan times: the AWS session has expired \(ExpiredToken\); renew it/);
  });
});
