import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REPORTS_PREFIX, TRANSITIONS_PREFIX } from '../../functions/evidence/transitions.js';
import { acknowledge } from '../nag.js';
import type { EvidenceSettings } from '../settings.js';
import type { MonitorFunction } from './monitor-function.js';

/** Where the evidence bucket's server access logs go in the log bucket. */
export const ACCESS_LOGS_PREFIX = 'evidence-bucket/';

export interface EvidenceArchiveProps {
  /** The monitor's key: the evidence bucket's default encryption (SSE-KMS with an S3 Bucket Key). */
  readonly key: IKey;
  readonly settings: EvidenceSettings;
}

/**
 * The evidence archive: one bucket the notifier appends every compliance transition to
 * (`transitions/`) and the monthly report writes to (`reports/`). Every object version is kept under
 * S3 Object Lock for `retentionYears` (HIPAA asks six years of its documentation, 45 CFR
 * 164.316(b)(2)(i)), encrypted with the monitor's key, reachable over TLS only, never public. Who read
 * or wrote it is kept in S3 server access logs in a second bucket. Both buckets stay when the stack is
 * removed: a bucket holding locked objects cannot be deleted anyway.
 */
export class EvidenceArchive extends Construct {
  readonly bucket: Bucket;
  readonly accessLogsBucket: Bucket;
  private readonly key: IKey;

  constructor(scope: Construct, id: string, props: EvidenceArchiveProps) {
    super(scope, id);
    this.key = props.key;
    const { retentionYears, mode } = props.settings;
    // Log delivery through a bucket policy (scoped to the evidence bucket), not the legacy log-delivery ACL.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    // S3 delivers server access logs only to a bucket with SSE-S3 default encryption and without Object Lock (docs/aws-semantics.md, "Evidence archive").
    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Who read the evidence is evidence too: kept at least as long, then expired.
        {
          id: 'expire-with-the-evidence',
          expiration: Duration.days(retentionYears * 366),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectLockEnabled: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: ACCESS_LOGS_PREFIX,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // In years, as the setting and the law say: CDK's ObjectLockRetention only takes days.
    (this.bucket.node.defaultChild as CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode, years: retentionYears } },
    };

    new CfnOutput(this, 'BucketName', {
      value: this.bucket.bucketName,
      description: `Evidence archive: compliance transitions (${TRANSITIONS_PREFIX}) and monthly reports (${REPORTS_PREFIX}), Object Lock ${mode} ${retentionYears} years`,
    }).overrideLogicalId('EvidenceBucketName');
    new CfnOutput(this, 'AccessLogsBucketName', {
      value: this.accessLogsBucket.bucketName,
      description: 'Server access logs of the evidence bucket',
    }).overrideLogicalId('EvidenceAccessLogsBucketName');
    this.acknowledgeBucketFindings();
  }

  /** Objects under a prefix of the evidence bucket (`transitions/*`). */
  objectsArn(prefix: string): string {
    return this.bucket.arnForObjects(`${prefix}*`);
  }

  /** The notifier appends transitions: PutObject under `transitions/` only, the key's data key to encrypt them. */
  acceptTransitionsFrom(fn: MonitorFunction): void {
    fn.function.addEnvironment('EVIDENCE_BUCKET', this.bucket.bucketName);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'AppendTransitions', effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [this.objectsArn(TRANSITIONS_PREFIX)] }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'EncryptEvidence', effect: Effect.ALLOW, actions: ['kms:GenerateDataKey'], resources: [this.key.keyArn] }),
    );
    this.acknowledgePrefix(
      fn,
      TRANSITIONS_PREFIX,
      `s3:PutObject on the evidence bucket's ${TRANSITIONS_PREFIX} prefix only: each batch of compliance changes becomes a new object named after its day and records (${TRANSITIONS_PREFIX}year=YYYY/month=MM/day=DD/…), unknown before it arrives. No read, delete or retention permission.`,
    );
  }

  /** The monthly report: lists and reads `transitions/`, writes `reports/`. */
  reportStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({
        sid: 'ListTransitions',
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${TRANSITIONS_PREFIX}*`] } },
      }),
      new PolicyStatement({ sid: 'ReadTransitions', effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [this.objectsArn(TRANSITIONS_PREFIX)] }),
      new PolicyStatement({ sid: 'WriteReports', effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [this.objectsArn(REPORTS_PREFIX)] }),
      new PolicyStatement({ sid: 'EvidenceKey', effect: Effect.ALLOW, actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] }),
    ];
  }

  /** The cdk-nag finding of an object-prefix permission on a function's policy. */
  acknowledgePrefix(fn: MonitorFunction, prefix: string, reason: string): void {
    const bucket = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    acknowledge(fn.role.policy, `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${prefix}*]`, reason);
  }

  private acknowledgeBucketFindings(): void {
    acknowledge(
      this.accessLogsBucket,
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'S3 delivers server access logs only to a bucket whose default encryption is SSE-S3 (S3 User Guide, "Enabling Amazon S3 server access logging"): with SSE-KMS the log objects may be encrypted with a key the account cannot use. The logs hold request metadata (who, when, which key), no evidence content.',
    );
    for (const bucket of [this.accessLogsBucket, this.bucket]) {
      acknowledge(
        bucket,
        'HIPAA.Security-S3BucketReplicationEnabled',
        'Versioning (and, for the evidence, S3 Object Lock) keep every version for the retention period, and S3 stores each object across at least three Availability Zones. A replica in another Region would need a second bucket and stack and double the storage; a clinic that wants one can add S3 replication to these buckets.',
      );
    }
  }
}
