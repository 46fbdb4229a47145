/** The one live loader the periodic evaluator and `scan --live` share: its table of inputs, and what a request reads. */
import { BackupClient, ListBackupPlansCommand } from '@aws-sdk/client-backup';
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, SelectResourceConfigCommand } from '@aws-sdk/client-config-service';
import { EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListResourceComplianceSummariesCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { PERIODIC_EVALUATOR_CALLS } from '../../../functions/evaluator/permissions.js';
import { createLiveReaders, LIVE_INPUTS, loadInventory, mergeExtras, requestFor, type LiveClient } from '../../../functions/inventory/live.js';
import { clientSettings } from '../../../functions/shared/clients.js';
import { CATALOG, getRule } from '../../../rules/catalog.js';
import { EXTRA_INPUT_KINDS, isAccountWide, isAccountWideInput } from '../../../rules/inputs.js';
import { queryResult } from '../../helpers/config-events.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';
import { SAMPLE, sampleText } from '../../helpers/samples.js';

const config = mockClient(ConfigServiceClient);
const iam = mockClient(IAMClient);
const backup = mockClient(BackupClient);
const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const cloudtrail = mockClient(CloudTrailClient);
const guardduty = mockClient(GuardDutyClient);
const MOCKS = [config, iam, backup, ec2, ssm, cloudtrail, guardduty];
const sentCommands = recordSentCommands(...MOCKS);
afterAll(() => expectDeclaredCalls(sentCommands, PERIODIC_EVALUATOR_CALLS));

const PLACE = { accountId: '111122223333', region: 'eu-west-1' };
const readers = () => createLiveReaders(() => clientSettings({ region: PLACE.region }), { credentialReportSleep: async () => undefined });

beforeEach(() => {
  for (const mock of MOCKS) mock.reset();
  config.on(SelectResourceConfigCommand).resolves({ Results: [queryResult(SAMPLE.volume)] });
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam
    .on(GetCredentialReportCommand)
    .resolves({ Content: new TextEncoder().encode(sampleText(SAMPLE.credentialReport)), GeneratedTime: new Date('2026-11-28T06:00:00Z') });
  backup.on(ListBackupPlansCommand).resolves({ BackupPlansList: [] });
  ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: false });
  ssm.on(ListResourceComplianceSummariesCommand).resolves({ ResourceComplianceSummaryItems: [] });
  cloudtrail
    .on(DescribeTrailsCommand)
    .resolves({ trailList: [{ Name: 'audit', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/audit', IsMultiRegionTrail: true }] });
  cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d-1'] });
  guardduty.on(GetDetectorCommand).resolves({ Status: 'ENABLED', ServiceRole: 'role', UpdatedAt: '', CreatedAt: '' });
});

describe('the live inputs table', () => {
  test("has one entry per input any rule needs, each declared in the periodic evaluator's calls under that input", () => {
    expect(new Set(requestFor(CATALOG).needs)).toEqual(new Set(EXTRA_INPUT_KINDS));
    expect(Object.keys(LIVE_INPUTS)).toEqual(EXTRA_INPUT_KINDS);
    for (const kind of EXTRA_INPUT_KINDS) {
      for (const call of LIVE_INPUTS[kind].calls) expect(PERIODIC_EVALUATOR_CALLS).toContainEqual({ ...call, when: { needs: kind } });
    }
  });

  test('account-wide rules are those of an input read once per account: the credential report and the trails', () => {
    expect(CATALOG.filter(isAccountWide).map((entry) => entry.id)).toEqual(['root-account-mfa', 'iam-user-console-mfa', 'cloudtrail-multi-region-logging']);
    expect(EXTRA_INPUT_KINDS.filter(isAccountWideInput)).toEqual(['credentialReport', 'cloudTrailTrails']);
  });

  test("selections are complete only when every part's are", () => {
    expect(mergeExtras([{ backupSelections: [], backupSelectionsComplete: true }, { accountSettings: [] }]).backupSelectionsComplete).toBe(true);
    expect(mergeExtras([{ backupSelectionsComplete: true }, { backupSelectionsComplete: false }]).backupSelectionsComplete).toBe(false);
    expect(mergeExtras([{ accountSettings: [] }])).toEqual({ accountSettings: [] });
  });
});

describe('loadInventory', () => {
  test('reads what the request names and nothing else', async () => {
    const loaded = await loadInventory(requestFor([getRule('ebs-volume-encrypted')]), readers(), PLACE);
    expect(loaded.items.map((item) => item.resourceType)).toEqual(['AWS::EC2::Volume']);
    expect(loaded.extras).toEqual({});
    for (const mock of [iam, backup, ec2, ssm]) expect(mock.calls()).toHaveLength(0);
  });

  test('a rule without item types makes no query; its input is placed in the account and Region read', async () => {
    const loaded = await loadInventory(requestFor([getRule('ebs-encryption-by-default')]), readers(), PLACE);
    expect(config.calls()).toHaveLength(0);
    expect(loaded.extras).toEqual({ accountSettings: [{ ...PLACE, ebsEncryptionByDefault: false }] });
  });

  test('every input of the whole catalog at once, the credential report attributed to its account', async () => {
    const loaded = await loadInventory(requestFor(CATALOG), readers(), PLACE);
    expect(Object.keys(loaded.extras).sort()).toEqual(['accountSettings', 'backupSelections', 'backupSelectionsComplete', 'credentialReports', 'patchScans']);
    expect(loaded.extras.credentialReports?.[0]).toMatchObject({ source: 'IAM GetCredentialReport', generatedAt: '2026-11-28T06:00:00.000Z' });
    expect(config.commandCalls(SelectResourceConfigCommand)).toHaveLength(1);
    // Each input fills its own settings of the place: the rules read whichever holds their field.
    expect(loaded.extras.accountSettings).toHaveLength(3);
    expect(loaded.extras.accountSettings).toEqual(
      expect.arrayContaining([
        { ...PLACE, ebsEncryptionByDefault: false },
        { ...PLACE, cloudTrailTrails: [{ trail: expect.objectContaining({ Name: 'audit' }), status: { IsLogging: true } }] },
        { ...PLACE, guardDutyDetectors: [{ DetectorId: 'd-1', Status: 'ENABLED', DataSources: undefined, Features: undefined }] },
      ]),
    );
    expect(cloudtrail.commandCalls(GetTrailStatusCommand)[0]?.args[0].input).toEqual({ Name: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/audit' });
  });

  test('the CloudTrail and GuardDuty clients are built only when a rule needs them, once, and configured like the others', async () => {
    const built: LiveClient[] = [];
    const lazyReaders = createLiveReaders(() => clientSettings({ region: PLACE.region }), { configure: (client) => built.push(client) });
    await loadInventory(requestFor([getRule('ebs-volume-encrypted')]), lazyReaders, PLACE);
    expect(built.some((client) => client instanceof CloudTrailClient || client instanceof GuardDutyClient)).toBe(false);
    await loadInventory(requestFor([getRule('guardduty-enabled'), getRule('guardduty-malware-protection')]), lazyReaders, PLACE);
    await loadInventory(requestFor([getRule('guardduty-enabled')]), lazyReaders, PLACE);
    expect(built.filter((client) => client instanceof GuardDutyClient)).toHaveLength(1);
    expect(built.some((client) => client instanceof CloudTrailClient)).toBe(false);
    expect(guardduty.commandCalls(ListDetectorsCommand)).toHaveLength(2);
  });

  test('the first failure fails the load (the periodic evaluator is retried by Config)', async () => {
    ssm.on(ListResourceComplianceSummariesCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(loadInventory(requestFor(CATALOG), readers(), PLACE)).rejects.toThrow('Rate exceeded');
  });
});
