import { field, optionalString, RuleInputError } from '../fields.js';
import { HIPAA_IN_TRANSIT } from '../mapping.js';
import { defineItemRule } from '../types.js';
import { compliant, nonCompliant } from '../verdicts.js';
import { policyDocument, tlsDenies, type TlsDeny } from './bucket-policy.js';

/** `aws`, `aws-cn` or `aws-us-gov` from the bucket's ARN (`arn:<partition>:s3:::<name>`); items without one are `aws`. */
function partitionOf(arn: string | undefined): string {
  const end = arn?.startsWith('arn:') ? arn.indexOf(':', 4) : -1;
  return arn !== undefined && end > 4 ? arn.slice(4, end) : 'aws';
}

/** What a partial deny leaves out, in the words of the annotation. */
function gaps(deny: TlsDeny): string[] {
  const out: string[] = [];
  if (!deny.allActions) out.push(deny.actions.length > 0 ? `only ${deny.actions.slice(0, 3).join(', ')} (not s3:*)` : 'no Action list (NotAction)');
  if (!deny.allPrincipals) out.push('not every principal');
  if (!deny.coversBucket) out.push('not the bucket ARN');
  if (!deny.coversObjects) out.push('not its objects (/*)');
  if (deny.otherConditions) out.push('narrowed by other conditions');
  return out;
}

/**
 * The bucket refuses requests made without TLS: its policy has a Deny, for every principal and every
 * S3 action, on the bucket and its objects, when aws:SecureTransport is false (AWS's
 * S3_BUCKET_SSL_REQUESTS_ONLY, Security Hub S3.5). Several statements may share the work (one for
 * the bucket, one for `/*`). A deny that covers only some actions (s3:GetObject), only the objects or
 * only the bucket, only some principals, or only under further conditions still lets plain HTTP
 * through somewhere: NON_COMPLIANT, naming what it leaves out.
 */
export const s3BucketTlsOnly = defineItemRule({
  id: 's3-bucket-tls-only',
  title: 'S3 buckets refuse requests without TLS',
  area: 'transit',
  description: 'COMPLIANT when the bucket policy denies every principal every S3 action on the bucket and its objects when aws:SecureTransport is false.',
  resourceTypes: ['AWS::S3::Bucket'],
  trigger: 'change',
  severity: 'HIGH',
  hipaa: HIPAA_IN_TRANSIT,
  awsManagedRule: 'S3_BUCKET_SSL_REQUESTS_ONLY',
  securityHubControls: ['S3.5'],
  parameters: {},
  remediation: {
    summary: 'Add a bucket policy statement that denies all S3 actions on the bucket and its objects when aws:SecureTransport is false.',
    steps: [
      'Open the bucket in the S3 console, Permissions, Bucket policy, Edit.',
      'Add a statement: Effect Deny, Principal "*", Action "s3:*", Resource ["arn:aws:s3:::<bucket>", "arn:aws:s3:::<bucket>/*"], Condition {"Bool": {"aws:SecureTransport": "false"}}.',
      'Keep the statements already there; test that HTTPS clients (the console, the CLI, SDKs) still work.',
    ],
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html',
  },
  evaluate(item) {
    const supplementary = item.supplementaryConfiguration;
    const recorded = field(supplementary, 'BucketPolicy');
    if (recorded === undefined) throw new RuleInputError('supplementaryConfiguration.BucketPolicy is not recorded');
    const policy = policyDocument(recorded);
    if (policy === null) return nonCompliant('S3 bucket has no bucket policy (BucketPolicy.policyText is null), so nothing refuses HTTP requests.');
    // Bucket ARNs carry no Region or account: the name and the partition are all there is to match.
    const bucket = optionalString(item.configuration, 'name') ?? item.resourceName ?? item.resourceId;
    const partition = partitionOf(item.arn);
    const denies = tlsDenies(policy, bucket, partition);
    const full = denies.filter((deny) => deny.allPrincipals && deny.allActions && !deny.otherConditions);
    const bucketCovered = full.some((deny) => deny.coversBucket);
    const objectsCovered = full.some((deny) => deny.coversObjects);
    if (bucketCovered && objectsCovered)
      return compliant('S3 bucket policy denies every S3 action on the bucket and its objects to everyone when aws:SecureTransport is false.');
    if (denies.length === 0) return nonCompliant('S3 bucket policy has no Deny for aws:SecureTransport false, so HTTP requests are not refused.');
    const named = denies.filter((deny) => gaps(deny).length > 0).map((deny) => `${deny.sid ?? 'statement'}: ${gaps(deny).join(', ')}`);
    const missing = [!bucketCovered && 'the bucket', !objectsCovered && 'its objects (/*)'].filter(Boolean).join(' and ');
    return nonCompliant(`S3 bucket policy's aws:SecureTransport deny is partial: requests to ${missing} can still use HTTP (${named.join('; ')}).`);
  },
});
