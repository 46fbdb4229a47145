import { BackupClient, GetBackupSelectionCommand, ListBackupPlansCommand, ListBackupSelectionsCommand } from '@aws-sdk/client-backup';
import { EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { BackupAdapter } from '../../../functions/backup/adapter.js';
import { Ec2Adapter } from '../../../functions/ec2/adapter.js';
import { PERIODIC_EVALUATOR_CALLS } from '../../../functions/evaluator/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';

const backup = mockClient(BackupClient);
const ec2 = mockClient(EC2Client);
const sentCommands = recordSentCommands(backup, ec2);
afterAll(() => expectDeclaredCalls(sentCommands, PERIODIC_EVALUATOR_CALLS));

beforeEach(() => {
  backup.reset();
  ec2.reset();
});

describe('BackupAdapter', () => {
  test('reads every selection of every current plan across pages, skipping deleted plans', async () => {
    backup
      .on(ListBackupPlansCommand)
      .resolvesOnce({ BackupPlansList: [{ BackupPlanId: 'plan-a' }, { BackupPlanId: 'plan-old', DeletionDate: new Date('2026-01-01') }], NextToken: 'p2' })
      .resolvesOnce({ BackupPlansList: [{ BackupPlanId: 'plan-b' }] });
    backup.on(ListBackupSelectionsCommand, { BackupPlanId: 'plan-a' }).resolves({ BackupSelectionsList: [{ SelectionId: 'sel-1' }, { SelectionId: 'sel-2' }] });
    backup.on(ListBackupSelectionsCommand, { BackupPlanId: 'plan-b' }).resolves({ BackupSelectionsList: [{ SelectionId: 'sel-3' }] });
    backup.on(GetBackupSelectionCommand).callsFake((input: { BackupPlanId: string; SelectionId: string }) => ({
      BackupPlanId: input.BackupPlanId,
      SelectionId: input.SelectionId,
      BackupSelection: {
        SelectionName: input.SelectionId,
        IamRoleArn: 'arn:aws:iam::111122223333:role/backup',
        ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }],
      },
    }));
    const selections = await new BackupAdapter(new BackupClient({})).selections();
    expect(selections.map((s) => `${s.BackupPlanId}/${s.SelectionId}`)).toEqual(['plan-a/sel-1', 'plan-a/sel-2', 'plan-b/sel-3']);
    expect(selections[0]).toEqual({
      BackupPlanId: 'plan-a',
      SelectionId: 'sel-1',
      BackupSelection: expect.objectContaining({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' }] }),
      CreationDate: undefined,
      CreatorRequestId: undefined,
    });
    // The SDK paginator reuses one input object, so only the last page's token is visible on both calls.
    const planCalls = backup.commandCalls(ListBackupPlansCommand).map((c) => c.args[0].input);
    expect(planCalls).toHaveLength(2);
    expect(planCalls.every((input) => input.MaxResults === 1000)).toBe(true);
    expect(backup.commandCalls(ListBackupSelectionsCommand, { BackupPlanId: 'plan-old' })).toHaveLength(0);
  });
});

describe('Ec2Adapter', () => {
  test.each([true, false])('returns EbsEncryptionByDefault = %s', async (value) => {
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: value });
    await expect(new Ec2Adapter(new EC2Client({})).ebsEncryptionByDefault()).resolves.toBe(value);
  });

  test('a response without the setting is an error, not a silent false', async () => {
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({});
    await expect(new Ec2Adapter(new EC2Client({})).ebsEncryptionByDefault()).rejects.toThrow(/returned no EbsEncryptionByDefault/);
  });
});
