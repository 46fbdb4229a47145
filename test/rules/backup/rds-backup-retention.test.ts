import { deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';
import { expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

describe('rds-backup-retention', () => {
  runItemCases('rds-backup-retention', [
    {
      name: 'an instance keeping backups 7 days (RDK sample) is COMPLIANT',
      item: () => itemFrom(SAMPLE.dbInstance),
      compliance: 'COMPLIANT',
      annotation: /^RDS instance keeps automated backups 7 days \(backupRetentionPeriod\)\.$/,
    },
    {
      name: 'a cluster keeping backups 1 day (RDK sample) is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.dbCluster),
      compliance: 'NON_COMPLIANT',
      annotation: /^RDS cluster keeps automated backups 1 day \(backupRetentionPeriod\); minRetentionDays is 7\.$/,
    },
    {
      name: 'retention 0 means automated backups are off',
      item: () => itemFrom(SAMPLE.dbInstance, { configuration: { backupRetentionPeriod: 0 } }),
      compliance: 'NON_COMPLIANT',
      annotation: /automated backups turned off \(backupRetentionPeriod = 0\)/,
    },
    {
      name: 'a stricter minRetentionDays fails 7 days',
      item: () => itemFrom(SAMPLE.dbInstance),
      params: { minRetentionDays: '14' },
      compliance: 'NON_COMPLIANT',
      annotation: /minRetentionDays is 14/,
    },
    {
      name: 'a looser minRetentionDays passes the 1-day cluster',
      item: () => itemFrom(SAMPLE.dbCluster),
      params: { minRetentionDays: 1 },
      compliance: 'COMPLIANT',
      annotation: /RDS cluster keeps automated backups 1 day /,
    },
    {
      name: 'retention as a string is read',
      item: () => itemFrom(SAMPLE.dbInstance, { configuration: { backupRetentionPeriod: '35' } }),
      compliance: 'COMPLIANT',
      annotation: /35 days/,
    },
    {
      name: 'an Aurora cluster member is NOT_APPLICABLE: the cluster is judged',
      item: () => itemFrom(SAMPLE.dbInstance, { configuration: { dBClusterIdentifier: 'reporting-aurora', backupRetentionPeriod: 1 } }),
      compliance: 'NOT_APPLICABLE',
      annotation: /belongs to cluster reporting-aurora \(dBClusterIdentifier\)/,
    },
    {
      name: 'a read replica is NOT_APPLICABLE: backed up through its source',
      item: () => itemFrom(SAMPLE.dbInstance, { configuration: { readReplicaSourceDBInstanceIdentifier: 'ehr-primary', backupRetentionPeriod: 0 } }),
      compliance: 'NOT_APPLICABLE',
      annotation: /read replica of ehr-primary/,
    },
    { name: 'a deleted instance is NOT_APPLICABLE', item: () => deletedFrom(SAMPLE.dbInstance), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    {
      name: 'a DynamoDB table is NOT_APPLICABLE',
      item: () => itemFrom(SAMPLE.table),
      compliance: 'NOT_APPLICABLE',
      annotation: /does not evaluate AWS::DynamoDB::Table/,
    },
    {
      name: 'an item without backupRetentionPeriod cannot be evaluated',
      item: () => itemFrom(SAMPLE.dbInstance, { configuration: { backupRetentionPeriod: null } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /backupRetentionPeriod is missing/,
    },
    {
      name: 'a retention that is not a number cannot be evaluated',
      item: () => itemFrom(SAMPLE.dbInstance, { configuration: { backupRetentionPeriod: 'week' } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /not a whole number/,
    },
  ]);

  test.each([
    [{ minRetentionDays: 0 }, /minRetentionDays = 0 is invalid: must be at least 1/],
    [{ minRetentionDays: 36 }, /minRetentionDays = 36 is invalid: must be at most 35/],
    [{ minRetentionDays: 7.5 }, /expected a whole number/],
  ])('a bad parameter %j is rejected naming it', (params, message) => {
    expectBadParameter('rds-backup-retention', params, message);
  });
});

testOnExampleClinic('rds-backup-retention', 'billing-legacy keeps automated backups 1 day; the Aurora member is judged through its cluster', {
  COMPLIANT: ['cluster-REPORTING4H5J6K7L8M9N0P (reporting-aurora)', 'db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9 (ehr-primary)'],
  NON_COMPLIANT: ['db-BILLINGLEGACY1A2B3C4D5E6F7G (billing-legacy)'],
  NOT_APPLICABLE: ['db-REPORTINGINST1Q2W3E4R5T6Y7 (reporting-aurora-instance-1)'],
});
