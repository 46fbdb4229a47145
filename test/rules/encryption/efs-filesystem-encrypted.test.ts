import { deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';
import { expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

describe('efs-filesystem-encrypted', () => {
  runItemCases('efs-filesystem-encrypted', [
    { name: 'the encrypted file system of the Config guide is COMPLIANT', item: () => itemFrom(SAMPLE.efs), compliance: 'COMPLIANT', annotation: /0e6c91d5/ },
    {
      name: 'an unencrypted file system is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.efs, { configuration: { Encrypted: false, KmsKeyId: null } }),
      compliance: 'NON_COMPLIANT',
      annotation: /Encrypted = false/,
    },
    {
      name: 'lower-case field names (other exporters) are read the same way',
      item: () => itemFrom(SAMPLE.efs, { configuration: { Encrypted: null, encrypted: false } }),
      compliance: 'NON_COMPLIANT',
      annotation: /not encrypted/,
    },
    {
      name: 'a file system with a key outside kmsKeyArns is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.efs),
      params: { kmsKeyArns: 'alias/clinic-data' },
      compliance: 'NON_COMPLIANT',
      annotation: /not in kmsKeyArns/,
    },
    { name: 'a deleted file system is NOT_APPLICABLE', item: () => deletedFrom(SAMPLE.efs), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    { name: 'an EBS volume is NOT_APPLICABLE', item: () => itemFrom(SAMPLE.volume), compliance: 'NOT_APPLICABLE', annotation: /does not evaluate/ },
  ]);

  test('kmsKeyArns rejects a number', () => {
    expectBadParameter('efs-filesystem-encrypted', { kmsKeyArns: 42 }, /parameter kmsKeyArns = 42 is invalid/);
  });
});

testOnExampleClinic('efs-filesystem-encrypted', 'the unencrypted department-shares file system fails', {
  COMPLIANT: ['fs-0c1a2b3c4d5e6f701'],
  NON_COMPLIANT: ['fs-0c1a2b3c4d5e6f702'],
});
