import { deletedFrom, itemFrom, rawSampleItem, SAMPLE, SHAPED, type ConfigurationItem } from '../../helpers/samples.js';
import { expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

type Json = Record<string, unknown>;

const DAILY = (((rawSampleItem(SHAPED.backupPlan).configuration as Json).BackupPlan as { BackupPlanRule: Json[] }).BackupPlanRule[0] ?? {}) as Json;

/** The shaped plan (us-east-1, account 123456789012) with its copy destinations replaced. */
function copyingTo(...destinations: string[]): ConfigurationItem {
  const rest = Object.fromEntries(Object.entries(DAILY).filter(([key]) => key !== 'CopyActions'));
  const rule =
    destinations.length === 0
      ? rest
      : { ...rest, CopyActions: destinations.map((arn) => ({ DestinationBackupVaultArn: arn, Lifecycle: { DeleteAfterDays: 35 } })) };
  return itemFrom(SHAPED.backupPlan, { configuration: { BackupPlan: { BackupPlanName: 'clinic-daily', BackupPlanRule: [rule] } } });
}

const SAME = 'arn:aws:backup:us-east-1:123456789012:backup-vault:clinic-vault-2';
const OTHER_REGION = 'arn:aws:backup:us-west-2:123456789012:backup-vault:clinic-dr-vault';
const OTHER_ACCOUNT = 'arn:aws:backup:us-east-1:444455556666:backup-vault:clinic-backup-account';

describe('backup-plan-offsite-copy', () => {
  runItemCases('backup-plan-offsite-copy', [
    {
      name: 'a copy to another Region (shaped plan) is COMPLIANT',
      item: () => itemFrom(SHAPED.backupPlan),
      compliance: 'COMPLIANT',
      annotation: /rule daily-35d copies recovery points to a vault in Region us-west-2/,
    },
    { name: 'a copy to another account is COMPLIANT', item: () => copyingTo(OTHER_ACCOUNT), compliance: 'COMPLIANT', annotation: /in account 444455556666/ },
    {
      name: 'with requireCrossAccount another Region is not enough',
      item: () => copyingTo(OTHER_REGION),
      params: { requireCrossAccount: 'true' },
      compliance: 'NON_COMPLIANT',
      annotation: /only to .*us-west-2.*; a copy to another account \(requireCrossAccount\) is required/,
    },
    {
      name: 'with requireCrossAccount another account passes',
      item: () => copyingTo(OTHER_REGION, OTHER_ACCOUNT),
      params: { requireCrossAccount: true },
      compliance: 'COMPLIANT',
      annotation: /account 444455556666/,
    },
    {
      name: 'no copy actions at all is NON_COMPLIANT',
      item: () => copyingTo(),
      compliance: 'NON_COMPLIANT',
      annotation: /copies recovery points nowhere \(no rule has CopyActions\)/,
    },
    {
      name: 'a copy within the same Region and account is NON_COMPLIANT',
      item: () => copyingTo(SAME),
      compliance: 'NON_COMPLIANT',
      annotation: /copies recovery points only to arn:aws:backup:us-east-1:123456789012:backup-vault:clinic-vault-2/,
    },
    {
      name: 'a destination that is not a vault ARN could not be evaluated: AWS Backup requires an ARN there (issue 11)',
      item: () => copyingTo('clinic-dr-vault'),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /DestinationBackupVaultArn "clinic-dr-vault" is not a backup vault ARN with an account and Region/,
    },
    { name: 'a deleted plan is NOT_APPLICABLE', item: () => deletedFrom(SHAPED.backupPlan), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    {
      name: 'a recovery point is NOT_APPLICABLE',
      item: () => itemFrom(SHAPED.recoveryPoint),
      compliance: 'NOT_APPLICABLE',
      annotation: /does not evaluate AWS::Backup::RecoveryPoint/,
    },
    { name: 'an RDS instance is NOT_APPLICABLE', item: () => itemFrom(SAMPLE.dbInstance), compliance: 'NOT_APPLICABLE', annotation: /does not evaluate/ },
  ]);

  test('requireCrossAccount must be a boolean', () => {
    expectBadParameter(
      'backup-plan-offsite-copy',
      { requireCrossAccount: 'yes' },
      /backup-plan-offsite-copy: parameter requireCrossAccount = "yes" is invalid: expected true or false/,
    );
  });
});

testOnExampleClinic('backup-plan-offsite-copy', 'imaging-weekly copies its backups nowhere', {
  COMPLIANT: ['0f6b2c1d-8e3a-4b5c-9d7e-1a2b3c4d5e01 (clinic-daily)', '0f6b2c1d-8e3a-4b5c-9d7e-1a2b3c4d5e03 (file-share-twice-daily)'],
  NON_COMPLIANT: ['0f6b2c1d-8e3a-4b5c-9d7e-1a2b3c4d5e02 (imaging-weekly)'],
});
