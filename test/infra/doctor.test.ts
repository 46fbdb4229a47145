import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  type ConfigurationRecorder,
} from '@aws-sdk/client-config-service';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeHubCommand, InvalidAccessException, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { formatChecks, requiredTypes, runDoctor, unrecordedTypes, type Check } from '../../infra/doctor-checks.js';
import type { MonitorSettings } from '../../infra/settings.js';
import { settingsFrom } from './helpers.js';

const config = mockClient(ConfigServiceClient);
const hub = mockClient(SecurityHubClient);
const sts = mockClient(STSClient);
const lambda = mockClient(LambdaClient);
/** The get-account-settings example of the Lambda developer guide ("Lambda function scaling"): a 1,000 quota, 100 reserved elsewhere. */
const ACCOUNT_LIMIT = {
  TotalCodeSize: 80530636800,
  CodeSizeUnzipped: 262144000,
  CodeSizeZipped: 52428800,
  ConcurrentExecutions: 1000,
  UnreservedConcurrentExecutions: 900,
};

const READY_SETTINGS = {
  alerts: [{ protocol: 'email', endpoint: 'oncall@clinic.internal' }],
  alarms: [{ protocol: 'email', endpoint: 'it@clinic.internal' }],
};
const RECORDER: ConfigurationRecorder = {
  name: 'default',
  roleARN: 'arn:aws:iam::111122223333:role/config',
  recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
};

function accountReady(): void {
  sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:sts::111122223333:assumed-role/Admin/me' });
  config.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [RECORDER] });
  config
    .on(DescribeConfigurationRecorderStatusCommand)
    .resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'Success' }] });
  config.on(DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [{ name: 'default', s3BucketName: 'config-bucket' }] });
  hub.on(DescribeHubCommand).resolves({ HubArn: 'arn:aws:securityhub:us-east-1:111122223333:hub/default' });
  lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: ACCOUNT_LIMIT, AccountUsage: { TotalCodeSize: 410759889, FunctionCount: 8 } });
}

async function doctor(
  settings: MonitorSettings = settingsFrom(READY_SETTINGS),
  region = 'us-east-1',
  cliRegion: string | undefined = region,
): Promise<Check[]> {
  return runDoctor({
    settings,
    region,
    ...(cliRegion !== undefined && { cliRegion }),
    config: new ConfigServiceClient({ region }),
    securityHub: new SecurityHubClient({ region }),
    sts: new STSClient({ region }),
    lambda: new LambdaClient({ region }),
  });
}

const failed = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => c.title);
const check = (checks: Check[], title: string): Check => {
  const found = checks.find((c) => c.title === title);
  if (found === undefined) throw new Error(`no check ${title}: ${checks.map((c) => c.title).join(', ')}`);
  return found;
};

beforeEach(() => {
  config.reset();
  hub.reset();
  sts.reset();
  lambda.reset();
  accountReady();
});

describe('npm run doctor', () => {
  it('passes an account with Config recording everything and Security Hub on', async () => {
    const checks = await doctor();
    expect(failed(checks)).toEqual([]);
    expect(formatChecks(checks, 'header')).toMatch(/^header\n {2}✓ AWS credentials: account 111122223333[\s\S]*All prerequisites are met: npx cdk deploy$/);
  });

  it('says to set up Config when there is no recorder', async () => {
    config.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [] });
    const checks = await doctor();
    expect(check(checks, 'AWS Config recorder')).toMatchObject({
      ok: false,
      detail: 'no configuration recorder in us-east-1',
      fix: expect.stringContaining('AWS Config → Get started'),
    });
    expect(formatChecks(checks, 'h')).toContain('  ✗ AWS Config recorder: no configuration recorder in us-east-1\n      → Set up AWS Config in us-east-1');
  });

  it('ignores service-linked recorders, which record for another service', async () => {
    config
      .on(DescribeConfigurationRecordersCommand)
      .resolves({ ConfigurationRecorders: [{ ...RECORDER, name: 'AWSConfigurationRecorderForX', servicePrincipal: 'x.amazonaws.com' }] });
    expect(check(await doctor(), 'AWS Config recorder').ok).toBe(false);
  });

  it('gives the start command when the recorder is stopped', async () => {
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: false }] });
    expect(check(await doctor(), 'AWS Config recording')).toMatchObject({
      ok: false,
      detail: 'the recorder is stopped',
      fix: 'aws configservice start-configuration-recorder --configuration-recorder-name default --region us-east-1',
    });
  });

  it('names a failing delivery', async () => {
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({
      ConfigurationRecordersStatus: [
        { name: 'default', recording: true, lastStatus: 'Failure', lastErrorCode: 'AccessDenied', lastErrorMessage: 'bucket policy' },
      ],
    });
    expect(check(await doctor(), 'AWS Config recording')).toMatchObject({ ok: false, detail: expect.stringContaining('AccessDenied: bucket policy') });
  });

  it('names the resource types the recorder leaves out and the rules that need them', async () => {
    config.on(DescribeConfigurationRecordersCommand).resolves({
      ConfigurationRecorders: [
        {
          ...RECORDER,
          recordingGroup: {
            allSupported: false,
            resourceTypes: ['AWS::EC2::Volume', 'AWS::S3::Bucket'],
            recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
          },
        },
      ],
    });
    const result = check(
      await doctor(settingsFrom({ ...READY_SETTINGS, rules: { enabled: ['ebs-volume-encrypted', 's3-bucket-encrypted', 'rds-storage-encrypted'] } })),
      'Recorded resource types',
    );
    expect(result).toMatchObject({
      ok: false,
      detail: 'not recorded: AWS::RDS::DBInstance (rds-storage-encrypted); AWS::RDS::DBCluster (rds-storage-encrypted)',
    });
  });

  it('needs global resource types recorded in the home Region only', async () => {
    config
      .on(DescribeConfigurationRecordersCommand)
      .resolves({ ConfigurationRecorders: [{ ...RECORDER, recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } }] });
    const settings = settingsFrom({ ...READY_SETTINGS, homeRegion: 'us-east-1', rules: { enabled: ['iam-user-console-mfa', 'ebs-volume-encrypted'] } });
    expect(check(await doctor(settings, 'us-east-1'), 'Recorded resource types')).toMatchObject({
      ok: false,
      detail: 'not recorded: AWS::IAM::User (iam-user-console-mfa)',
      fix: expect.stringContaining('global resource types'),
    });
    const elsewhere = await doctor(settings, 'eu-west-1');
    expect(check(elsewhere, 'Recorded resource types').ok).toBe(true);
    expect(check(elsewhere, 'Home Region for account-wide checks').detail).toBe(
      'us-east-1: iam-user-console-mfa are not created in eu-west-1; deploy to us-east-1 too',
    );
  });

  it('says a delivery channel is missing', async () => {
    config.on(DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [] });
    expect(check(await doctor(), 'AWS Config delivery channel')).toMatchObject({ ok: false, fix: expect.stringContaining('put-delivery-channel') });
  });

  it('says how to enable Security Hub when it is off', async () => {
    hub.on(DescribeHubCommand).rejects(new InvalidAccessException({ message: 'Account is not subscribed to AWS Security Hub', $metadata: {} }));
    expect(check(await doctor(), 'Security Hub')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('not enabled in us-east-1'),
      fix: 'aws securityhub enable-security-hub --no-enable-default-standards --region us-east-1, or set "enableSecurityHub": true in test settings.',
    });
    expect(check(await doctor(settingsFrom({ ...READY_SETTINGS, enableSecurityHub: true })), 'Security Hub').ok).toBe(true);
  });

  it('warns that enabling an already-enabled Security Hub would fail the deploy', async () => {
    expect(check(await doctor(settingsFrom({ ...READY_SETTINGS, enableSecurityHub: true })), 'Security Hub')).toMatchObject({
      ok: false,
      fix: expect.stringContaining('"enableSecurityHub": false'),
    });
  });

  it('flags a Region that differs from the pinned one', async () => {
    const checks = await doctor(settingsFrom({ ...READY_SETTINGS, region: 'us-east-2' }), 'us-east-2', 'us-east-1');
    expect(check(checks, 'Region')).toMatchObject({ ok: false, fix: expect.stringContaining('export AWS_REGION=us-east-2') });
  });

  it('flags the example endpoints still in the settings (when the settings allow them at all)', async () => {
    const checks = await doctor(
      settingsFrom({ ...READY_SETTINGS, alerts: [{ protocol: 'email', endpoint: 'alerts@example.org' }], allowPlaceholderEndpoints: true }),
    );
    expect(check(checks, 'Alert subscriptions')).toMatchObject({ ok: false, detail: 'still the example endpoints: alerts@example.org' });
  });

  it('flags settings without an alarm subscription: the health alarms would reach nobody', async () => {
    const checks = await doctor(settingsFrom({ ...READY_SETTINGS, alarms: [] }));
    expect(check(checks, 'Alert subscriptions')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('no alarm subscription'),
      fix: expect.stringContaining('"alarms"'),
    });
  });

  it('reports the Lambda concurrency left after the monitor reserves its share', async () => {
    // Every rule enabled: change 10 + one per periodic rule (10) + notifier 2 + refresher 1 + recorder health 1 + monthly report 1 = 25.
    expect(check(await doctor(), 'Lambda concurrency')).toEqual({
      ok: true,
      title: 'Lambda concurrency',
      detail:
        'quota 1000, 100 reserved by other functions; the monitor reserves 25 (change 10, periodic 10, notifier 2, refresher 1, recorderHealth 1, monthlyReport 1), leaving 875 unreserved',
    });
  });

  it('fails a new account whose quota of 10 cannot hold the reservations, with the quota request to make', async () => {
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ...ACCOUNT_LIMIT, ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 } });
    const result = check(await doctor(), 'Lambda concurrency');
    expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('leaving -15 unreserved; Lambda requires at least 100') });
    expect(result.fix).toContain(
      'aws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384 --desired-value 125 --region us-east-1',
    );
  });

  it('counts what other functions reserve, and only the functions this Region deploys', async () => {
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ...ACCOUNT_LIMIT, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 110 } });
    expect(check(await doctor(), 'Lambda concurrency')).toMatchObject({ ok: false, fix: expect.stringContaining('--desired-value 1015') });
    // Away from the home Region the account-wide rules (the two IAM rules, the trail) are not deployed: 7 periodic rules, 22 in all.
    const settings = settingsFrom({ ...READY_SETTINGS, homeRegion: 'us-east-1' });
    expect(check(await doctor(settings, 'eu-west-1'), 'Lambda concurrency').detail).toContain(
      'the monitor reserves 22 (change 10, periodic 7, notifier 2, refresher 1, recorderHealth 1, monthlyReport 1), leaving 88 unreserved',
    );
  });

  it('reports an account whose settings cannot be read as a failed check', async () => {
    lambda.on(GetAccountSettingsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    expect(check(await doctor(), 'Lambda concurrency')).toMatchObject({ ok: false, detail: 'could not check: AccessDeniedException: not authorized' });
  });

  it('stops at the first check when there are no credentials', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const checks = await doctor();
    expect(checks).toEqual([expect.objectContaining({ ok: false, title: 'AWS credentials', fix: expect.stringContaining('aws sso login') })]);
    expect(config.calls()).toHaveLength(0);
  });

  it('reports a denied call as a failed check, not a crash', async () => {
    config.on(DescribeDeliveryChannelsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    expect(check(await doctor(), 'AWS Config delivery channel')).toMatchObject({
      ok: false,
      detail: 'could not check: AccessDeniedException: not authorized',
      fix: expect.stringContaining('ReadOnlyAccess'),
    });
  });
});

describe('recording coverage', () => {
  it('reads exclusion strategies', () => {
    const recorder: ConfigurationRecorder = {
      recordingGroup: {
        allSupported: false,
        exclusionByResourceTypes: { resourceTypes: ['AWS::EC2::Volume'] },
        recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
      },
    };
    expect(unrecordedTypes(recorder, ['AWS::EC2::Volume', 'AWS::S3::Bucket'])).toEqual(['AWS::EC2::Volume']);
  });

  it('lists each type the enabled rules read once, with its rules', () => {
    const types = requiredTypes(settingsFrom({ rules: { enabled: ['rds-storage-encrypted', 'rds-backup-retention'] } }), 'us-east-1');
    expect(Object.fromEntries(types)).toEqual({
      'AWS::RDS::DBInstance': ['rds-storage-encrypted', 'rds-backup-retention'],
      'AWS::RDS::DBCluster': ['rds-storage-encrypted', 'rds-backup-retention'],
    });
  });
});

describe('npm run doctor -- --help', () => {
  const ROOT = join(import.meta.dirname, '..', '..');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'infra', 'doctor.ts'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('lists the options, --settings among them, and exits 0 without calling AWS', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run doctor \[-- --settings FILE\]/);
    expect(result.stdout).toContain('--settings FILE  the settings file to check against (default monitor.settings.json)');
    expect(result.stdout).toContain('Exit codes: 0 every check passes, 1 something to fix, 2 bad settings or options.');
  });

  it('refuses an unknown option with exit code 2, naming it', () => {
    const result = run('--setting', 'x.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Unknown option '--setting'");
    expect(result.stderr).toContain('Usage: npm run doctor');
  });
});
