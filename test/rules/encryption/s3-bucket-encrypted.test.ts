import { SSE_ALGORITHMS } from '../../../rules/encryption/s3-bucket-encrypted.js';
import { deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';
import { evaluate, expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0e6c91d5-e23b-4ed3-bd36-1561fbbc0a2d';
/** The hanegraaff sample's encryption configuration with its default replaced. */
const withDefault = (applyServerSideEncryptionByDefault: unknown, extra: Record<string, unknown> = {}) => ({
  ServerSideEncryptionConfiguration: { rules: [{ applyServerSideEncryptionByDefault, ...extra }] },
});
const kmsDefault = (key: string | null, algorithm = 'aws:kms') => withDefault({ sseAlgorithm: algorithm, kmsMasterKeyID: key }, { bucketKeyEnabled: true });

describe('s3-bucket-encrypted', () => {
  runItemCases('s3-bucket-encrypted', [
    {
      name: 'a bucket with SSE-S3 default encryption (hanegraaff sample) is COMPLIANT',
      item: () => itemFrom(SAMPLE.bucketWithSse),
      compliance: 'COMPLIANT',
      annotation: /^S3 bucket default encryption is AES256 \(SSE-S3\)\.$/,
    },
    {
      name: 'a bucket whose item does not record ServerSideEncryptionConfiguration (RDK sample) is COMPLIANT: S3 encrypts every bucket since 5 January 2023',
      item: () => itemFrom(SAMPLE.bucket),
      compliance: 'COMPLIANT',
      annotation:
        /at least with SSE-S3: S3 encrypts every bucket by default since 5 January 2023 \(supplementaryConfiguration\.ServerSideEncryptionConfiguration is not recorded/,
    },
    {
      name: 'with requireKms, a bucket whose item does not record the setting cannot pass: could not be evaluated',
      item: () => itemFrom(SAMPLE.bucket),
      params: { requireKms: true },
      compliance: 'INSUFFICIENT_DATA',
      annotation: /ServerSideEncryptionConfiguration is not recorded, so whether the bucket default is SSE-KMS \(requireKms \/ kmsKeyArns\) is unknown/,
    },
    {
      name: 'with a kmsKeyArns allow-list, missing data cannot pass either',
      item: () => itemFrom(SAMPLE.bucket),
      params: { kmsKeyArns: KEY },
      compliance: 'INSUFFICIENT_DATA',
      annotation: /is unknown/,
    },
    {
      name: 'with requireKms an SSE-S3 bucket is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.bucketWithSse),
      params: { requireKms: 'true' },
      compliance: 'NON_COMPLIANT',
      annotation: /AES256 \(SSE-S3\); SSE-KMS is required/,
    },
    {
      name: 'with requireKms an SSE-KMS bucket is COMPLIANT',
      item: () => itemFrom(SAMPLE.bucketWithSse, { supplementaryConfiguration: kmsDefault(KEY) }),
      params: { requireKms: true },
      compliance: 'COMPLIANT',
      annotation: /aws:kms/,
    },
    {
      name: 'with requireKms a DSSE-KMS bucket (aws:kms:dsse) is COMPLIANT',
      item: () => itemFrom(SAMPLE.bucketWithSse, { supplementaryConfiguration: kmsDefault(KEY, 'aws:kms:dsse') }),
      params: { requireKms: true },
      compliance: 'COMPLIANT',
      annotation: /aws:kms:dsse/,
    },
    {
      name: 'SSE-KMS with the aws/s3 managed key fails a kmsKeyArns allow-list',
      item: () => itemFrom(SAMPLE.bucketWithSse, { supplementaryConfiguration: kmsDefault(null) }),
      params: { kmsKeyArns: KEY },
      compliance: 'NON_COMPLIANT',
      annotation: /an unrecorded key, which is not in kmsKeyArns/,
    },
    {
      name: 'the encryption configuration as a JSON string (API style) is read too',
      item: () =>
        itemFrom(SAMPLE.bucketWithSse, {
          supplementaryConfiguration: { ServerSideEncryptionConfiguration: JSON.stringify(kmsDefault(KEY).ServerSideEncryptionConfiguration) },
        }),
      params: { kmsKeyArns: KEY },
      compliance: 'COMPLIANT',
      annotation: /0e6c91d5/,
    },
    { name: 'a deleted bucket is NOT_APPLICABLE', item: () => deletedFrom(SAMPLE.bucketWithSse), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    { name: 'an EFS file system is NOT_APPLICABLE', item: () => itemFrom(SAMPLE.efs), compliance: 'NOT_APPLICABLE', annotation: /does not evaluate/ },
  ]);

  describe('every sseAlgorithm value S3 documents (AES256, aws:kms, aws:kms:dsse)', () => {
    test.each(SSE_ALGORITHMS.map((algorithm) => [algorithm]))('%s: COMPLIANT by default; with requireKms only the KMS ones', (algorithm) => {
      const item = itemFrom(SAMPLE.bucketWithSse, { supplementaryConfiguration: kmsDefault(algorithm === 'AES256' ? null : KEY, algorithm) });
      expect(evaluate('s3-bucket-encrypted', item)).toMatchObject({ compliance: 'COMPLIANT', annotation: expect.stringContaining(algorithm) });
      expect(evaluate('s3-bucket-encrypted', item, { requireKms: true }).compliance).toBe(algorithm === 'AES256' ? 'NON_COMPLIANT' : 'COMPLIANT');
    });
  });

  describe('a value outside what S3 documents is "could not be evaluated", naming field and value (issue 11)', () => {
    test.each([
      [
        'sseAlgorithm "NONE"',
        withDefault({ sseAlgorithm: 'NONE' }),
        /applyServerSideEncryptionByDefault\.sseAlgorithm is "NONE", not one of the values AWS documents \(AES256, aws:kms, aws:kms:dsse\)/,
      ],
      ['sseAlgorithm ""', withDefault({ sseAlgorithm: '' }), /sseAlgorithm is missing/],
      ['sseAlgorithm absent', withDefault({ kmsMasterKeyID: null }), /sseAlgorithm is missing/],
      ['sseAlgorithm 5', withDefault({ sseAlgorithm: 5 }), /sseAlgorithm is not a string \(5\)/],
      ['an empty rules list', { ServerSideEncryptionConfiguration: { rules: [] } }, /rules is an empty list; S3 always records at least one rule/],
      ['rules not a list', { ServerSideEncryptionConfiguration: { rules: 'AES256' } }, /rules is "AES256"/],
      ['the configuration a number', { ServerSideEncryptionConfiguration: 7 }, /ServerSideEncryptionConfiguration is not an object \(7\)/],
      ['kmsMasterKeyID a number', withDefault({ sseAlgorithm: 'aws:kms', kmsMasterKeyID: 12 }), /kmsMasterKeyID is not a string \(12\)/],
    ])('%s', (_name, supplementaryConfiguration, message) => {
      const result = evaluate('s3-bucket-encrypted', itemFrom(SAMPLE.bucketWithSse, { supplementaryConfiguration }));
      expect(result).toMatchObject({ compliance: 'INSUFFICIENT_DATA', error: true });
      expect(result.annotation).toMatch(message);
    });
  });

  test('requireKms must be a boolean, naming the value', () => {
    expectBadParameter('s3-bucket-encrypted', { requireKms: 'yes' }, /s3-bucket-encrypted: parameter requireKms = "yes" is invalid: expected true or false/);
  });
});

testOnExampleClinic(
  's3-bucket-encrypted',
  'every bucket passes: the legacy export bucket, whose item does not record its default encryption, is encrypted at least with SSE-S3 as every bucket since 2023',
  {
    COMPLIANT: ['riverside-cloudtrail-logs', 'riverside-ehr-exports-legacy', 'riverside-imaging-archive', 'riverside-portal-uploads'],
  },
);
