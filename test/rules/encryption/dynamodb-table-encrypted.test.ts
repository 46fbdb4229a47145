import { deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';
import { expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

const CMK = 'arn:aws:kms:us-west-2:123456789012:key/5a6b7c8d-1111-2222-3333-444455556666';
const withKms = (status = 'ENABLED', extra: Record<string, unknown> = {}) => ({ ssedescription: { status, ssetype: 'KMS', kmsmasterKeyArn: CMK, ...extra } });

describe('dynamodb-table-encrypted', () => {
  runItemCases('dynamodb-table-encrypted', [
    {
      name: 'a table on the AWS owned key (RDK sample, no ssedescription) is COMPLIANT by default',
      item: () => itemFrom(SAMPLE.table),
      compliance: 'COMPLIANT',
      annotation: /AWS owned key/,
    },
    {
      name: 'with requireKms the AWS owned key is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.table),
      params: { requireKms: true },
      compliance: 'NON_COMPLIANT',
      annotation: /ssedescription not set\); a KMS key is required/,
    },
    {
      name: 'with requireKms a KMS-encrypted table is COMPLIANT',
      item: () => itemFrom(SAMPLE.table, { configuration: withKms() }),
      params: { requireKms: 'TRUE' },
      compliance: 'COMPLIANT',
      annotation: /5a6b7c8d/,
    },
    {
      name: 'a table whose SSE is being disabled falls back to the AWS owned key',
      item: () => itemFrom(SAMPLE.table, { configuration: withKms('DISABLING') }),
      params: { requireKms: true },
      compliance: 'NON_COMPLIANT',
      annotation: /DISABLING/,
    },
    {
      name: 'a table whose KMS key is inaccessible is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.table, { configuration: withKms('ENABLED', { inaccessibleEncryptionDateTime: '2026-11-01T00:00:00Z' }) }),
      compliance: 'NON_COMPLIANT',
      annotation: /inaccessible/,
    },
    {
      name: 'a key outside kmsKeyArns is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.table, { configuration: withKms() }),
      params: { kmsKeyArns: 'mrk-1234567890abcdef1234567890abcdef' },
      compliance: 'NON_COMPLIANT',
      annotation: /not in kmsKeyArns/,
    },
    ...['ENABLING', 'ENABLED', 'UPDATING'].map((status) => ({
      name: `ssedescription.status ${status} counts as the KMS key`,
      item: () => itemFrom(SAMPLE.table, { configuration: withKms(status) }),
      params: { requireKms: true },
      compliance: 'COMPLIANT' as const,
      annotation: /5a6b7c8d/,
    })),
    ...['DISABLING', 'DISABLED'].map((status) => ({
      name: `ssedescription.status ${status} is the AWS owned key`,
      item: () => itemFrom(SAMPLE.table, { configuration: withKms(status) }),
      params: { requireKms: true },
      compliance: 'NON_COMPLIANT' as const,
      annotation: new RegExp(status),
    })),
    {
      name: 'a status outside what DynamoDB documents could not be evaluated (issue 11)',
      item: () => itemFrom(SAMPLE.table, { configuration: withKms('none') }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /ssedescription\.status is "none", not one of the values AWS documents/,
    },
    {
      name: 'ssedescription without a status could not be evaluated',
      item: () => itemFrom(SAMPLE.table, { configuration: withKms('') }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /ssedescription\.status is missing/,
    },
    {
      name: 'ssedescription that is not an object could not be evaluated',
      item: () => itemFrom(SAMPLE.table, { configuration: { ssedescription: 'KMS' } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /configuration\.ssedescription is not an object \("KMS"\)/,
    },
    { name: 'a deleted table is NOT_APPLICABLE', item: () => deletedFrom(SAMPLE.table), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    { name: 'an RDS cluster is NOT_APPLICABLE', item: () => itemFrom(SAMPLE.dbCluster), compliance: 'NOT_APPLICABLE', annotation: /does not evaluate/ },
  ]);

  test('requireKms rejects a number', () => {
    expectBadParameter('dynamodb-table-encrypted', { requireKms: 1 }, /parameter requireKms = 1 is invalid/);
  });
});

testOnExampleClinic('dynamodb-table-encrypted', 'both tables pass (AWS owned key by default)', {
  COMPLIANT: ['appointment-reminders', 'portal-sessions'],
});
