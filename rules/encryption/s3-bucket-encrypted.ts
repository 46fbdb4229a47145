import { field, RuleInputError } from '../fields.js';
import { booleanParam } from '../params.js';
import { defineItemRule } from '../types.js';
import { nonCompliant } from '../verdicts.js';
import { kmsKeyArnsParam, keyVerdict } from './kms.js';

/**
 * Default encryption on every S3 bucket (AWS's S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED). With
 * `requireKms` (or a `kmsKeyArns` allow-list) SSE-S3 is not enough, as in S3_DEFAULT_ENCRYPTION_KMS.
 * A bucket policy that denies unencrypted uploads is not credited: since 2023 every bucket can have
 * default encryption, which is what auditors ask to see.
 */
export const s3BucketEncrypted = defineItemRule({
  id: 's3-bucket-encrypted',
  title: 'S3 buckets encrypt objects at rest by default',
  area: 'encryption',
  description: 'COMPLIANT when the bucket has a default server-side encryption rule (SSE-KMS or DSSE-KMS if requireKms or kmsKeyArns is set).',
  resourceTypes: ['AWS::S3::Bucket'],
  trigger: 'change',
  severity: 'HIGH',
  hipaa: ['164.312(a)(2)(iv)', '164.312(c)(2)', '164.312(e)(2)(ii)'],
  awsManagedRule: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED',
  securityHubControls: ['S3.17'],
  parameters: {
    requireKms: booleanParam({ default: false, description: 'Require SSE-KMS or DSSE-KMS; SSE-S3 (AES256) then fails.' }),
    kmsKeyArns: kmsKeyArnsParam,
  },
  remediation: {
    summary: 'Set the bucket default encryption; existing objects keep their encryption until rewritten.',
    steps: [
      'Open the bucket in the S3 console, Properties, Default encryption, Edit.',
      'Choose SSE-KMS with your KMS key (or SSE-S3 if KMS is not required) and enable the S3 Bucket Key.',
      'Re-encrypt existing objects with S3 Batch Operations (copy in place) if they must use the new key.',
    ],
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html',
  },
  evaluate(item, { requireKms, kmsKeyArns }) {
    const sse = field(item.supplementaryConfiguration, 'ServerSideEncryptionConfiguration');
    const rules = field(sse, 'rules');
    if (sse === undefined || sse === null || (Array.isArray(rules) && rules.length === 0)) {
      return nonCompliant('S3 bucket has no default encryption (ServerSideEncryptionConfiguration is not set).');
    }
    if (!Array.isArray(rules)) throw new RuleInputError('supplementaryConfiguration.ServerSideEncryptionConfiguration.rules is not a list');
    const defaults = rules.map((rule) => field(rule, 'applyServerSideEncryptionByDefault'));
    const algorithms = defaults.map((d) => field(d, 'sseAlgorithm')).filter((a): a is string => typeof a === 'string');
    if (algorithms.length === 0) return nonCompliant('S3 bucket default encryption names no algorithm (sseAlgorithm is not set).');
    const kmsDefault = defaults.find((d) => String(field(d, 'sseAlgorithm')).startsWith('aws:kms'));
    if (kmsDefault === undefined) {
      if (requireKms || kmsKeyArns.length > 0) {
        return nonCompliant(`S3 bucket default encryption is ${algorithms.join(', ')} (SSE-S3); SSE-KMS is required (requireKms / kmsKeyArns).`);
      }
      return keyVerdict(`S3 bucket (default encryption ${algorithms.join(', ')})`, undefined, kmsKeyArns);
    }
    const key = field(kmsDefault, 'kmsMasterKeyID');
    return keyVerdict(`S3 bucket (default encryption ${String(field(kmsDefault, 'sseAlgorithm'))})`, typeof key === 'string' && key !== '' ? key : undefined, kmsKeyArns);
  },
});
