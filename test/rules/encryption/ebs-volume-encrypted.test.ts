import { deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';
import { evaluate, expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

const KEY = 'arn:aws:kms:ap-southeast-1:055409840355:key/bd41e26b-d347-4c59-ab0b-32aee30fcf8d';
const OTHER_KEY = 'arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555';

describe('ebs-volume-encrypted', () => {
  runItemCases('ebs-volume-encrypted', [
    {
      name: 'an encrypted volume (RDK sample) is COMPLIANT',
      item: () => itemFrom(SAMPLE.volume),
      compliance: 'COMPLIANT',
      annotation: /encrypted with KMS key/,
    },
    {
      name: 'an unencrypted attached volume is NON_COMPLIANT, naming the setting',
      item: () => itemFrom(SAMPLE.volume, { configuration: { encrypted: false, kmsKeyId: null } }),
      compliance: 'NON_COMPLIANT',
      annotation: /encrypted = false/,
    },
    {
      name: 'an unencrypted unattached volume is NON_COMPLIANT too (stricter than ENCRYPTED_VOLUMES)',
      item: () => itemFrom(SAMPLE.volume, { configuration: { encrypted: false, state: 'available', attachments: [] }, top: { relationships: [] } }),
      compliance: 'NON_COMPLIANT',
      annotation: /not encrypted/,
    },
    {
      name: 'a volume encrypted with an allowed key (by ARN) is COMPLIANT',
      item: () => itemFrom(SAMPLE.volume),
      params: { kmsKeyArns: KEY },
      compliance: 'COMPLIANT',
      annotation: /bd41e26b/,
    },
    {
      name: 'a volume encrypted with an allowed key (by key id) is COMPLIANT',
      item: () => itemFrom(SAMPLE.volume),
      params: { kmsKeyArns: 'bd41e26b-d347-4c59-ab0b-32aee30fcf8d' },
      compliance: 'COMPLIANT',
      annotation: /encrypted/,
    },
    {
      name: 'a volume encrypted with a key outside kmsKeyArns is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.volume),
      params: { kmsKeyArns: [OTHER_KEY] },
      compliance: 'NON_COMPLIANT',
      annotation: /not in kmsKeyArns/,
    },
    { name: 'a deleted volume is NOT_APPLICABLE', item: () => deletedFrom(SAMPLE.volume), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    {
      name: 'another resource type (KMS key) is NOT_APPLICABLE',
      item: () => itemFrom(SAMPLE.kmsKey),
      compliance: 'NOT_APPLICABLE',
      annotation: /does not evaluate AWS::KMS::Key/,
    },
    {
      name: 'a volume item without the encrypted field is an error, never COMPLIANT',
      item: () => itemFrom(SAMPLE.volume, { configuration: { encrypted: null } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /configuration\.encrypted is missing/,
    },
  ]);

  test('an error evaluation is flagged as an error', () => {
    expect(evaluate('ebs-volume-encrypted', itemFrom(SAMPLE.volume, { configuration: { encrypted: 'maybe' } })).error).toBe(true);
  });

  test('a bad kmsKeyArns value is rejected naming the parameter and value', () => {
    expectBadParameter(
      'ebs-volume-encrypted',
      { kmsKeyArns: 'not-a-key' },
      /ebs-volume-encrypted: parameter kmsKeyArns = "not-a-key" is invalid .*KMS key ARN/,
    );
  });

  test('an unknown parameter is rejected, listing the known ones', () => {
    expectBadParameter('ebs-volume-encrypted', { kmsKeyArn: KEY }, /unknown parameter "kmsKeyArn"; known parameters: kmsKeyArns/);
  });
});

testOnExampleClinic('ebs-volume-encrypted', 'the two unencrypted volumes fail; the exempt disk of old-reporting is NOT_APPLICABLE', {
  COMPLIANT: ['vol-0a11e4c5d6e7f8101', 'vol-0a11e4c5d6e7f8102', 'vol-0a11e4c5d6e7f8104'],
  NON_COMPLIANT: ['vol-0a11e4c5d6e7f8103', 'vol-0a11e4c5d6e7f8106'],
  NOT_APPLICABLE: ['vol-0a11e4c5d6e7f8105'],
});
