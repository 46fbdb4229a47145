import { field, optionalEnum, optionalString, quote, RuleInputError } from '../fields.js';
import { isRecord } from '../inventory.js';
import { booleanParam } from '../params.js';
import { defineItemRule } from '../types.js';
import { compliant, nonCompliant } from '../verdicts.js';
import { kmsKeyArnsParam, keyVerdict } from './kms.js';

/**
 * Default encryption on every S3 bucket (AWS's S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED). With
 * `requireKms` (or a `kmsKeyArns` allow-list) SSE-S3 is not enough, as in S3_DEFAULT_ENCRYPTION_KMS.
 * A bucket policy that denies unencrypted uploads is not credited. Since 5 January 2023 S3 encrypts
 * every bucket by default (at least SSE-S3) and the default cannot be removed, so an item that does
 * not record the setting is missing data, not an unencrypted bucket: it passes as SSE-S3, and cannot
 * pass when KMS is required (docs/aws-semantics.md, "S3 default encryption").
 */
export const s3BucketEncrypted = defineItemRule({
  id: 's3-bucket-encrypted',
  title: 'S3 buckets encrypt objects at rest by default',
  area: 'encryption',
  description:
    'COMPLIANT when the bucket encrypts new objects by default (every bucket does, at least with SSE-S3, since January 2023); with requireKms or kmsKeyArns only a recorded SSE-KMS or DSSE-KMS default counts.',
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
    const kmsRequired = requireKms || kmsKeyArns.length > 0;
    const defaults = readDefaults(item.supplementaryConfiguration);
    if (defaults === undefined) {
      if (kmsRequired) throw new RuleInputError(`${SSE} is not recorded, so whether the bucket default is SSE-KMS (requireKms / kmsKeyArns) is unknown`);
      return compliant(
        `S3 bucket is encrypted at least with SSE-S3: S3 encrypts every bucket by default since 5 January 2023 (${SSE} is not recorded in the item).`,
      );
    }
    const kmsDefault = defaults.find((d) => d.algorithm !== 'AES256');
    const algorithms = defaults.map((d) => d.algorithm).join(', ');
    if (kmsDefault === undefined) {
      if (kmsRequired) return nonCompliant(`S3 bucket default encryption is ${algorithms} (SSE-S3); SSE-KMS is required (requireKms / kmsKeyArns).`);
      return compliant(`S3 bucket default encryption is ${algorithms} (SSE-S3).`);
    }
    return keyVerdict(`S3 bucket (default encryption ${kmsDefault.algorithm})`, kmsDefault.key, kmsKeyArns);
  },
});

const SSE = 'supplementaryConfiguration.ServerSideEncryptionConfiguration';

/** The sseAlgorithm values of the S3 API (ServerSideEncryptionByDefault): SSE-S3, SSE-KMS, DSSE-KMS. */
export const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;

interface EncryptionDefault {
  readonly algorithm: (typeof SSE_ALGORITHMS)[number];
  readonly key?: string;
}

/**
 * The bucket's default encryption rules, or undefined when the item does not record them. A recorded
 * configuration must have the shape of the S3 API (a non-empty `rules` list whose defaults name a
 * documented `sseAlgorithm`): anything else is unreadable, never read as "no encryption".
 */
function readDefaults(supplementary: unknown): EncryptionDefault[] | undefined {
  const sse = field(supplementary, 'ServerSideEncryptionConfiguration');
  if (sse === undefined || sse === null) return undefined;
  if (!isRecord(sse)) throw new RuleInputError(`${SSE} is not an object (${quote(sse)})`);
  const rules = field(sse, 'rules');
  if (!Array.isArray(rules) || rules.length === 0)
    throw new RuleInputError(`${SSE}.rules is ${Array.isArray(rules) ? 'an empty list' : quote(rules)}; S3 always records at least one rule`);
  const out: EncryptionDefault[] = [];
  rules.forEach((rule, i) => {
    const where = `${SSE}.rules[${i}]`;
    if (!isRecord(rule)) throw new RuleInputError(`${where} is not an object (${quote(rule)})`);
    const byDefault = field(rule, 'applyServerSideEncryptionByDefault');
    if (byDefault === undefined || byDefault === null) return;
    const algorithm = optionalEnum(byDefault, 'sseAlgorithm', SSE_ALGORITHMS, { prefix: `${where}.applyServerSideEncryptionByDefault` });
    if (algorithm === undefined) throw new RuleInputError(`${where}.applyServerSideEncryptionByDefault.sseAlgorithm is missing`);
    const key = optionalString(byDefault, 'kmsMasterKeyID', `${where}.applyServerSideEncryptionByDefault`);
    out.push({ algorithm, ...(key !== undefined && { key }) });
  });
  return out.length === 0 ? undefined : out;
}
