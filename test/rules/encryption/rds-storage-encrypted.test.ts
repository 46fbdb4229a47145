import { deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';
import { expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

describe('rds-storage-encrypted', () => {
  runItemCases('rds-storage-encrypted', [
    {
      name: 'an encrypted DB instance (RDK sample) is COMPLIANT',
      item: () => itemFrom(SAMPLE.dbInstance),
      compliance: 'COMPLIANT',
      annotation: /RDS instance storage is encrypted/,
    },
    {
      name: 'an encrypted Aurora cluster (RDK sample) is COMPLIANT',
      item: () => itemFrom(SAMPLE.dbCluster),
      compliance: 'COMPLIANT',
      annotation: /RDS cluster storage is encrypted/,
    },
    {
      name: 'an unencrypted DB instance is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.dbInstance, { configuration: { storageEncrypted: false, kmsKeyId: null } }),
      compliance: 'NON_COMPLIANT',
      annotation: /storageEncrypted = false/,
    },
    {
      name: 'an unencrypted cluster is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.dbCluster, { configuration: { storageEncrypted: false } }),
      compliance: 'NON_COMPLIANT',
      annotation: /RDS cluster storage is not encrypted/,
    },
    {
      name: 'a cluster encrypted with a key outside kmsKeyArns is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.dbCluster),
      params: { kmsKeyArns: 'arn:aws:kms:us-east-2:123456789012:key/e20f3a10-781f-4582-93d7-6dfe67cac827' },
      compliance: 'NON_COMPLIANT',
      annotation: /key\/test, which is not in kmsKeyArns/,
    },
    {
      name: 'an instance encrypted with an allowed key is COMPLIANT',
      item: () => itemFrom(SAMPLE.dbInstance),
      params: { kmsKeyArns: ['arn:aws:kms:us-east-1:264683526309:key/e20f3a10-781f-4582-93d7-6dfe67cac827'] },
      compliance: 'COMPLIANT',
      annotation: /e20f3a10/,
    },
    { name: 'a deleted DB instance is NOT_APPLICABLE', item: () => deletedFrom(SAMPLE.dbInstance), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    {
      name: 'a DynamoDB table is NOT_APPLICABLE',
      item: () => itemFrom(SAMPLE.table),
      compliance: 'NOT_APPLICABLE',
      annotation: /does not evaluate AWS::DynamoDB::Table/,
    },
  ]);

  test('kmsKeyArns must be keys, naming the bad list item', () => {
    expectBadParameter(
      'rds-storage-encrypted',
      { kmsKeyArns: ['arn:aws:kms:us-east-1:123456789012:key/abc', 'nope'] },
      /parameter kmsKeyArns = .* is invalid \(item 1\)/,
    );
  });
});

testOnExampleClinic('rds-storage-encrypted', 'the unencrypted storage of billing-legacy fails', {
  COMPLIANT: [
    'cluster-REPORTING4H5J6K7L8M9N0P (reporting-aurora)',
    'db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9 (ehr-primary)',
    'db-REPORTINGINST1Q2W3E4R5T6Y7 (reporting-aurora-instance-1)',
  ],
  NON_COMPLIANT: ['db-BILLINGLEGACY1A2B3C4D5E6F7G (billing-legacy)'],
});
