import { deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';
import { expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0e6c91d5-e23b-4ed3-bd36-1561fbbc0a2d';
const kmsDefault = (key: string | null) => ({
  ServerSideEncryptionConfiguration: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyID: key }, bucketKeyEnabled: true }] },
});

describe('s3-bucket-encrypted', () => {
  runItemCases('s3-bucket-encrypted', [
    { name: 'a bucket with SSE-S3 default encryption (hanegraaff sample) is COMPLIANT', item: () => itemFrom(SAMPLE.bucketWithSse), compliance: 'COMPLIANT', annotation: /AES256/ },
    { name: 'a bucket without ServerSideEncryptionConfiguration (RDK sample) is NON_COMPLIANT', item: () => itemFrom(SAMPLE.bucket), compliance: 'NON_COMPLIANT', annotation: /ServerSideEncryptionConfiguration is not set/ },
    { name: 'with requireKms an SSE-S3 bucket is NON_COMPLIANT', item: () => itemFrom(SAMPLE.bucketWithSse), params: { requireKms: 'true' }, compliance: 'NON_COMPLIANT', annotation: /AES256 \(SSE-S3\); SSE-KMS is required/ },
    {
      name: 'with requireKms an SSE-KMS bucket is COMPLIANT',
      item: () => itemFrom(SAMPLE.bucketWithSse, { supplementaryConfiguration: kmsDefault(KEY) }),
      params: { requireKms: true },
      compliance: 'COMPLIANT',
      annotation: /aws:kms/,
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
      item: () => itemFrom(SAMPLE.bucketWithSse, { supplementaryConfiguration: { ServerSideEncryptionConfiguration: JSON.stringify(kmsDefault(KEY).ServerSideEncryptionConfiguration) } }),
      params: { kmsKeyArns: KEY },
      compliance: 'COMPLIANT',
      annotation: /0e6c91d5/,
    },
    { name: 'a deleted bucket is NOT_APPLICABLE', item: () => deletedFrom(SAMPLE.bucketWithSse), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    { name: 'an EFS file system is NOT_APPLICABLE', item: () => itemFrom(SAMPLE.efs), compliance: 'NOT_APPLICABLE', annotation: /does not evaluate/ },
  ]);

  test('requireKms must be a boolean, naming the value', () => {
    expectBadParameter('s3-bucket-encrypted', { requireKms: 'yes' }, /s3-bucket-encrypted: parameter requireKms = "yes" is invalid: expected true or false/);
  });
});

testOnExampleClinic('s3-bucket-encrypted', 'the legacy export bucket without default encryption fails', {
  COMPLIANT: [
    'riverside-cloudtrail-logs',
    'riverside-imaging-archive',
    'riverside-portal-uploads',
  ],
  NON_COMPLIANT: ['riverside-ehr-exports-legacy'],
});
