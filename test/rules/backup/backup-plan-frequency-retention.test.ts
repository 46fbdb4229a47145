import { deletedFrom, itemFrom, rawSampleItem, SAMPLE, SHAPED, type ConfigurationItem } from '../../helpers/samples.js';
import { expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

type Json = Record<string, unknown>;

const PLAN = rawSampleItem(SHAPED.backupPlan);
const DAILY = ((PLAN.configuration as Json).BackupPlan as { BackupPlanRule: Json[] }).BackupPlanRule[0] as Json;

/** The shaped plan with its rules replaced (each rule merged onto the sample's daily rule; `null` drops a key). */
function plan(...rules: Json[]): ConfigurationItem {
  const merged = rules.map((rule) => Object.fromEntries(Object.entries({ ...DAILY, ...rule }).filter(([, value]) => value !== null)));
  return itemFrom(SHAPED.backupPlan, { configuration: { BackupPlan: { BackupPlanName: 'clinic-daily', BackupPlanRule: merged } } });
}

/**
 * GetBackupPlanFromTemplate output from aws/aws-cli awscli/examples/backup/get-backup-plan-from-template.rst
 * (the API names: Rules, no TargetBackupVaultName), as the configuration of the plan item.
 */
const CLI_TEMPLATE_PLAN = {
  BackupPlanDocument: {
    Rules: [{ RuleName: 'DailyBackups', ScheduleExpression: 'cron(0 5 ? * * *)', StartWindowMinutes: 480, Lifecycle: { DeleteAfterDays: 35 } }],
  },
};

describe('backup-plan-frequency-retention', () => {
  runItemCases('backup-plan-frequency-retention', [
    {
      name: 'a daily rule keeping 35 days (shaped plan) is COMPLIANT',
      item: () => itemFrom(SHAPED.backupPlan),
      compliance: 'COMPLIANT',
      annotation: /^Backup plan clinic-daily rule daily-35d runs at least every 24 hours \(cron\(0 5 \? \* \* \*\)\) and keeps recovery points 35 days\.$/,
    },
    {
      name: 'a weekly rule is NON_COMPLIANT, naming the gap and the expression',
      item: () => plan({ RuleName: 'weekly', ScheduleExpression: 'cron(0 3 ? * SUN *)' }),
      compliance: 'NON_COMPLIANT',
      annotation: /weekly can go 7 days between runs \(cron\(0 3 \? \* SUN \*\)\)/,
    },
    {
      name: 'a daily rule keeping 14 days is NON_COMPLIANT, naming DeleteAfterDays',
      item: () => plan({ Lifecycle: { DeleteAfterDays: 14 } }),
      compliance: 'NON_COMPLIANT',
      annotation: /keeps recovery points 14 days \(Lifecycle\.DeleteAfterDays\)/,
    },
    {
      name: 'a rule without lifecycle keeps recovery points forever: COMPLIANT',
      item: () => plan({ Lifecycle: null }),
      compliance: 'COMPLIANT',
      annotation: /keeps recovery points until deleted/,
    },
    {
      name: 'a rule without ScheduleExpression runs on the daily default: COMPLIANT',
      item: () => plan({ ScheduleExpression: null }),
      compliance: 'COMPLIANT',
      annotation: /cron\(0 5 \? \* \* \*\), the default/,
    },
    {
      name: 'one good rule among others is enough',
      item: () => plan({ RuleName: 'monthly-7y', ScheduleExpression: 'cron(0 5 1 * ? *)', Lifecycle: { DeleteAfterDays: 2555 } }, { RuleName: 'daily-35d' }),
      compliance: 'COMPLIANT',
      annotation: /rule daily-35d/,
    },
    {
      name: 'two rules each failing one way are both named',
      item: () =>
        plan(
          { RuleName: 'monthly-7y', ScheduleExpression: 'cron(0 5 1 * ? *)', Lifecycle: { DeleteAfterDays: 2555 } },
          { RuleName: 'daily-7d', Lifecycle: { DeleteAfterDays: 7 } },
        ),
      compliance: 'NON_COMPLIANT',
      annotation: /monthly-7y can go 31 days between runs .*; daily-7d keeps recovery points 7 days/,
    },
    {
      name: 'twice a day two hours apart is a 22-hour gap: fails requiredFrequencyHours 12',
      item: () => plan({ ScheduleExpression: 'cron(0 6,8 * * ? *)' }),
      params: { requiredFrequencyHours: 12 },
      compliance: 'NON_COMPLIANT',
      annotation: /can go 22 hours between runs/,
    },
    {
      name: 'twice a day 12 hours apart passes requiredFrequencyHours 12',
      item: () => plan({ ScheduleExpression: 'cron(0 6,18 * * ? *)' }),
      params: { requiredFrequencyHours: '12' },
      compliance: 'COMPLIANT',
      annotation: /every 12 hours/,
    },
    {
      name: 'rate(12 hours) passes requiredFrequencyHours 12',
      item: () => plan({ ScheduleExpression: 'rate(12 hours)' }),
      params: { requiredFrequencyHours: 12 },
      compliance: 'COMPLIANT',
      annotation: /every 12 hours \(rate\(12 hours\)\)/,
    },
    {
      name: 'weekdays only is a 3-day gap over the weekend',
      item: () => plan({ ScheduleExpression: 'cron(0 5 ? * MON-FRI *)' }),
      compliance: 'NON_COMPLIANT',
      annotation: /can go 3 days between runs/,
    },
    {
      name: 'continuous backup does not replace the schedule: AWS Backup backs up continuously only RDS, Aurora, S3 and SAP HANA (issue 10, case 4)',
      item: () => plan({ RuleName: 'weekly-pitr', ScheduleExpression: 'cron(0 3 ? * SUN *)', EnableContinuousBackup: true }),
      compliance: 'NON_COMPLIANT',
      annotation: /weekly-pitr can go 7 days between runs \(cron\(0 3 \? \* SUN \*\)\) \(its continuous backup covers only RDS, Aurora, S3 and SAP HANA\)/,
    },
    {
      name: 'continuous backup beside a daily schedule: the schedule passes',
      item: () => plan({ EnableContinuousBackup: true }),
      compliance: 'COMPLIANT',
      annotation: /runs at least every 24 hours/,
    },
    {
      name: 'EnableContinuousBackup as the string "true" is read',
      item: () => plan({ EnableContinuousBackup: 'true', ScheduleExpression: 'cron(0 3 ? * SUN *)' }),
      compliance: 'NON_COMPLIANT',
      annotation: /continuous backup covers only/,
    },
    {
      name: 'a ScheduleExpression of the wrong type (5) could not be evaluated, never read as the daily default (issue 11)',
      item: () => plan({ ScheduleExpression: 5 }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /backup plan rule daily-35d: ScheduleExpression is not a string \(5\)/,
    },
    {
      name: 'a Lifecycle of "none" could not be evaluated, never read as "kept forever" (issue 11)',
      item: () => plan({ Lifecycle: 'none' }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /backup plan rule daily-35d: Lifecycle is not an object \("none"\)/,
    },
    {
      name: 'DeleteAfterDays "forever" could not be evaluated',
      item: () => plan({ Lifecycle: { DeleteAfterDays: 'forever' } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /Lifecycle\.DeleteAfterDays is not a whole number \("forever"\)/,
    },
    {
      name: 'DeleteAfterDays 0 is outside what AWS Backup allows',
      item: () => plan({ Lifecycle: { DeleteAfterDays: 0 } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /DeleteAfterDays is 0; AWS Backup keeps recovery points at least 1 day/,
    },
    {
      name: 'EnableContinuousBackup "yes" could not be evaluated',
      item: () => plan({ EnableContinuousBackup: 'yes' }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /EnableContinuousBackup is not a boolean \("yes"\)/,
    },
    {
      name: 'a rule that is not an object could not be evaluated',
      item: () => itemFrom(SHAPED.backupPlan, { configuration: { BackupPlan: { BackupPlanName: 'odd', BackupPlanRule: ['daily'] } } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /BackupPlanRule\[0\] is not an object \("daily"\)/,
    },
    {
      name: 'an empty ScheduleExpression ("" stands for null) runs on the default',
      item: () => plan({ ScheduleExpression: '' }),
      compliance: 'COMPLIANT',
      annotation: /the default/,
    },
    {
      name: 'a schedule that cannot be parsed is NON_COMPLIANT saying so, not a crash',
      item: () => plan({ ScheduleExpression: 'cron(0 5 * * *)' }),
      compliance: 'NON_COMPLIANT',
      annotation: /rule daily-35d has a ScheduleExpression that cannot be parsed \("cron\(0 5 \* \* \*\)": cron needs 6 fields/,
    },
    {
      name: 'an unparseable rule makes the plan NON_COMPLIANT even beside a good rule',
      item: () => plan({}, { RuleName: 'hourly', ScheduleExpression: 'every hour' }),
      compliance: 'NON_COMPLIANT',
      annotation: /rule hourly has a ScheduleExpression that cannot be parsed/,
    },
    {
      name: 'a plan without rules is NON_COMPLIANT',
      item: () => itemFrom(SHAPED.backupPlan, { configuration: { BackupPlan: { BackupPlanName: 'empty', BackupPlanRule: [] } } }),
      compliance: 'NON_COMPLIANT',
      annotation: /has no rules/,
    },
    {
      name: 'the API names (Rules, from the AWS CLI example) are read too',
      item: () => itemFrom(SHAPED.backupPlan, { configuration: { BackupPlan: null, ...CLI_TEMPLATE_PLAN } }),
      compliance: 'COMPLIANT',
      annotation: /rule DailyBackups runs at least every 24 hours/,
    },
    {
      name: 'retention as a string ("35") is read',
      item: () => plan({ Lifecycle: { DeleteAfterDays: '35' } }),
      compliance: 'COMPLIANT',
      annotation: /35 days/,
    },
    {
      name: 'stricter requiredRetentionDays fails a 35-day rule',
      item: () => itemFrom(SHAPED.backupPlan),
      params: { requiredRetentionDays: 90 },
      compliance: 'NON_COMPLIANT',
      annotation: /keeps 90 days: daily-35d keeps recovery points 35 days/,
    },
    { name: 'a deleted plan is NOT_APPLICABLE', item: () => deletedFrom(SHAPED.backupPlan), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    {
      name: 'another resource type is NOT_APPLICABLE',
      item: () => itemFrom(SAMPLE.volume),
      compliance: 'NOT_APPLICABLE',
      annotation: /does not evaluate AWS::EC2::Volume/,
    },
    {
      name: 'a plan item without BackupPlan cannot be evaluated',
      item: () => itemFrom(SHAPED.backupPlan, { configuration: { BackupPlan: null } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /configuration\.BackupPlan is missing/,
    },
  ]);

  test.each([
    [{ requiredFrequencyHours: 0 }, /requiredFrequencyHours = 0 is invalid: must be at least 1/],
    [{ requiredRetentionDays: 'forever' }, /requiredRetentionDays = "forever" is invalid: expected a whole number/],
    [{ frequency: 24 }, /unknown parameter "frequency"; known parameters: requiredFrequencyHours, requiredRetentionDays/],
  ])('a bad parameter %j is rejected naming it', (params, message) => {
    expectBadParameter('backup-plan-frequency-retention', params, message);
  });
});

testOnExampleClinic('backup-plan-frequency-retention', 'imaging-weekly runs weekly and file-share-twice-daily keeps 14 days', {
  COMPLIANT: ['0f6b2c1d-8e3a-4b5c-9d7e-1a2b3c4d5e01 (clinic-daily)'],
  NON_COMPLIANT: ['0f6b2c1d-8e3a-4b5c-9d7e-1a2b3c4d5e02 (imaging-weekly)', '0f6b2c1d-8e3a-4b5c-9d7e-1a2b3c4d5e03 (file-share-twice-daily)'],
});
