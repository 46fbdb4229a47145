import { testOnExampleClinic } from '../../helpers/example-clinic.js';
import { evaluate, expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { apiSample, deletedFrom, itemFrom, rawSampleItem, SAMPLE } from '../../helpers/samples.js';

type Json = Record<string, unknown>;

const RULE = 's3-bucket-tls-only';
const BUCKET_ARN = 'arn:aws:s3:::mborch-test-bucket-config-item';

/** The RDK bucket's policy: Deny s3:* to "*" when aws:SecureTransport is "false", on the bucket ARN only. */
function rdkPolicy(): { Statement: Json[] } & Json {
  const supplementary = rawSampleItem(SAMPLE.bucket).supplementaryConfiguration as { BucketPolicy: { policyText: string } };
  return JSON.parse(supplementary.BucketPolicy.policyText) as { Statement: Json[] } & Json;
}

/** The RDK statement with some elements changed (null removes one). */
function statement(changes: Json = {}): Json {
  const [base] = rdkPolicy().Statement;
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** The full TLS deny AWS's knowledge center shows: the RDK statement, on the bucket and its objects (fixtures/ci/README.md). */
const BOTH = [BUCKET_ARN, `${BUCKET_ARN}/*`];

/** The RDK bucket with another policy, recorded as the event-style object {policyText: "<JSON>"}. */
function withPolicy(...statements: Json[]) {
  return () =>
    itemFrom(SAMPLE.bucket, { supplementaryConfiguration: { BucketPolicy: { policyText: JSON.stringify({ ...rdkPolicy(), Statement: statements }) } } });
}

describe(RULE, () => {
  runItemCases(RULE, [
    // AWS's real bucket items.
    {
      name: 'the RDK bucket: a TLS deny on the bucket ARN but not its objects is partial, NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.bucket),
      compliance: 'NON_COMPLIANT',
      annotation:
        /^S3 bucket policy's aws:SecureTransport deny is partial: requests to its objects \(\/\*\) can still use HTTP \(Stmt1478389920384: not its objects \(\/\*\)\)\.$/,
    },
    {
      name: 'the hanegraaff bucket: policyText null (no policy) is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.bucketWithSse),
      compliance: 'NON_COMPLIANT',
      annotation: /^S3 bucket has no bucket policy \(BucketPolicy\.policyText is null\)/,
    },
    {
      name: 'the custodian rule event: BucketPolicy {policyText: null} is no policy',
      item: () => itemFrom(SAMPLE.bucketEvent),
      compliance: 'NON_COMPLIANT',
      annotation: /no bucket policy/,
    },
    {
      name: 'the custodian API-style bucket: BucketPolicy double-encoded, an SSE deny without aws:SecureTransport',
      item: () => itemFrom(SAMPLE.bucketPolicySse),
      compliance: 'NON_COMPLIANT',
      annotation: /^S3 bucket policy has no Deny for aws:SecureTransport false, so HTTP requests are not refused\.$/,
    },
    {
      name: 'the 2008-10-17 policy of the lifecycle sample likewise',
      item: () => itemFrom(SAMPLE.bucketPolicyLifecycle),
      compliance: 'NON_COMPLIANT',
      annotation: /no Deny for aws:SecureTransport false/,
    },
    {
      name: 'the custodian GetBucketPolicy policy: Deny s3:GetObject on /* only ({"AWS": "*"}, "false" as a string) is partial',
      item: () => {
        const policy = apiSample('s3/GetBucketPolicy.custodian-test_s3_set_statements_add_remove_2.json').Policy as string;
        return itemFrom(SAMPLE.bucket, {
          configuration: { name: 'custodian-policy-test' },
          supplementaryConfiguration: { BucketPolicy: { policyText: policy } },
          top: { resourceId: 'custodian-policy-test', ARN: 'arn:aws:s3:::custodian-policy-test' },
        });
      },
      compliance: 'NON_COMPLIANT',
      annotation: /requests to the bucket and its objects \(\/\*\) can still use HTTP \(CustodianTest: only s3:GetObject \(not s3:\*\), not the bucket ARN\)/,
    },
    // What a full deny looks like, each way AWS lets it be written.
    {
      name: 'a deny on the bucket and its objects is COMPLIANT',
      item: withPolicy(statement({ Resource: BOTH })),
      compliance: 'COMPLIANT',
      annotation: /^S3 bucket policy denies every S3 action on the bucket and its objects to everyone when aws:SecureTransport is false\.$/,
    },
    {
      name: 'Principal {"AWS": "*"} is everyone',
      item: withPolicy(statement({ Resource: BOTH, Principal: { AWS: '*' } })),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    {
      name: 'Principal {"AWS": ["*"]} is everyone',
      item: withPolicy(statement({ Resource: BOTH, Principal: { AWS: ['*'] } })),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    {
      name: 'aws:SecureTransport as the boolean false',
      item: withPolicy(statement({ Resource: BOTH, Condition: { Bool: { 'aws:SecureTransport': false } } })),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    {
      name: 'aws:SecureTransport as ["false"]',
      item: withPolicy(statement({ Resource: BOTH, Condition: { Bool: { 'aws:SecureTransport': ['false'] } } })),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    {
      name: 'BoolIfExists, and the key in other case (condition keys are case-insensitive)',
      item: withPolicy(statement({ Resource: BOTH, Condition: { BoolIfExists: { 'aws:securetransport': 'FALSE' } } })),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    {
      name: 'Action "*" covers every S3 action',
      item: withPolicy(statement({ Resource: BOTH, Action: '*' })),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    {
      name: 'Action ["s3:*"] as a list',
      item: withPolicy(statement({ Resource: BOTH, Action: ['s3:*'] })),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    {
      name: 'one statement for the bucket and another for its objects',
      item: withPolicy(statement({ Sid: 'Bucket' }), statement({ Sid: 'Objects', Resource: `${BUCKET_ARN}/*` })),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    {
      name: 'a wildcard resource covering both (arn:aws:s3:::bucket*)',
      item: withPolicy(statement({ Resource: `${BUCKET_ARN}*` })),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    {
      name: 'Statement as one object instead of a list',
      item: () =>
        itemFrom(SAMPLE.bucket, {
          supplementaryConfiguration: { BucketPolicy: { policyText: JSON.stringify({ Version: '2012-10-17', Statement: statement({ Resource: BOTH }) }) } },
        }),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    {
      name: 'the API style: BucketPolicy as a JSON string holding policyText, itself a JSON string',
      item: () =>
        itemFrom(SAMPLE.bucket, {
          supplementaryConfiguration: {
            BucketPolicy: JSON.stringify({ policyText: JSON.stringify({ ...rdkPolicy(), Statement: [statement({ Resource: BOTH })] }) }),
          },
        }),
      compliance: 'COMPLIANT',
      annotation: /denies every S3 action/,
    },
    // Partial denies, each named.
    {
      name: 'Action "s3:Get*" is not every action',
      item: withPolicy(statement({ Resource: BOTH, Action: 's3:Get*' })),
      compliance: 'NON_COMPLIANT',
      annotation: /only s3:Get\* \(not s3:\*\)/,
    },
    {
      name: 'only the objects, not the bucket',
      item: withPolicy(statement({ Resource: `${BUCKET_ARN}/*` })),
      compliance: 'NON_COMPLIANT',
      annotation: /requests to the bucket can still use HTTP \(Stmt1478389920384: not the bucket ARN\)/,
    },
    {
      name: 'a prefix of the objects (/phi/*) is not all of them',
      item: withPolicy(statement({ Resource: [BUCKET_ARN, `${BUCKET_ARN}/phi/*`] })),
      compliance: 'NON_COMPLIANT',
      annotation: /not its objects/,
    },
    {
      name: 'one account as principal is not everyone',
      item: withPolicy(statement({ Resource: BOTH, Principal: { AWS: 'arn:aws:iam::934654633380:root' } })),
      compliance: 'NON_COMPLIANT',
      annotation: /not every principal/,
    },
    {
      name: 'NotPrincipal leaves someone out',
      item: withPolicy(statement({ Resource: BOTH, Principal: null, NotPrincipal: { AWS: 'arn:aws:iam::934654633380:root' } })),
      compliance: 'NON_COMPLIANT',
      annotation: /not every principal/,
    },
    {
      name: 'a further condition narrows the deny',
      item: withPolicy(
        statement({ Resource: BOTH, Condition: { Bool: { 'aws:SecureTransport': 'false' }, StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } } }),
      ),
      compliance: 'NON_COMPLIANT',
      annotation: /narrowed by other conditions/,
    },
    {
      name: 'a Deny when aws:SecureTransport is "true" refuses HTTPS, not HTTP',
      item: withPolicy(statement({ Resource: BOTH, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
      compliance: 'NON_COMPLIANT',
      annotation: /no Deny for aws:SecureTransport false/,
    },
    {
      name: 'an Allow for aws:SecureTransport "true" refuses nothing',
      item: withPolicy(statement({ Resource: BOTH, Effect: 'Allow', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
      compliance: 'NON_COMPLIANT',
      annotation: /no Deny for aws:SecureTransport false/,
    },
    // Data that cannot decide.
    {
      name: 'an item without BucketPolicy could not be evaluated',
      item: () => itemFrom(SAMPLE.bucket, { top: { supplementaryConfiguration: {} } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /supplementaryConfiguration\.BucketPolicy is not recorded/,
    },
    {
      name: 'policyText that is not JSON could not be evaluated',
      item: () => itemFrom(SAMPLE.bucket, { supplementaryConfiguration: { BucketPolicy: { policyText: '{"Statement": [' } } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /policyText\) is not valid JSON/,
    },
    {
      name: 'a BucketPolicy string that is not JSON could not be evaluated',
      item: () => itemFrom(SAMPLE.bucket, { supplementaryConfiguration: { BucketPolicy: 'policy withheld' } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /BucketPolicy is not readable JSON/,
    },
    // Scope.
    { name: 'a deleted bucket is NOT_APPLICABLE', item: () => deletedFrom(SAMPLE.bucket), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    {
      name: 'an exempt bucket is NOT_APPLICABLE',
      item: () => itemFrom(SAMPLE.bucket, { top: { tags: { 'compliance:exempt': 'public website, no PHI' } } }),
      compliance: 'NOT_APPLICABLE',
      annotation: /^Exempt \(compliance:exempt\): public website, no PHI$/,
    },
    { name: 'a security group is NOT_APPLICABLE', item: () => itemFrom(SAMPLE.securityGroup), compliance: 'NOT_APPLICABLE', annotation: /does not evaluate/ },
  ]);

  test('the partition comes from the bucket ARN (GovCloud): a policy naming aws-us-gov ARNs covers it', () => {
    const gov = 'arn:aws-us-gov:s3:::mborch-test-bucket-config-item';
    const item = (resources: string[]) =>
      itemFrom(SAMPLE.bucket, {
        top: { ARN: gov },
        supplementaryConfiguration: { BucketPolicy: { policyText: JSON.stringify({ Statement: [statement({ Resource: resources })] }) } },
      });
    expect(evaluate(RULE, item([gov, `${gov}/*`])).compliance).toBe('COMPLIANT');
    expect(evaluate(RULE, item(BOTH)).compliance).toBe('NON_COMPLIANT');
  });

  test('it takes no parameters', () => {
    expectBadParameter(RULE, { strict: true }, /s3-bucket-tls-only: unknown parameter "strict"; this rule takes no parameters/);
  });
});

testOnExampleClinic(RULE, 'the archive and the trail bucket refuse HTTP; the portal bucket denies only downloads; the legacy bucket has no policy', {
  COMPLIANT: ['riverside-cloudtrail-logs', 'riverside-imaging-archive'],
  NON_COMPLIANT: ['riverside-ehr-exports-legacy', 'riverside-portal-uploads'],
});
