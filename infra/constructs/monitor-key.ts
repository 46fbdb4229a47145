import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * The monitor's one customer managed key (rotation on, kept when the stack goes): it encrypts the
 * topics, queues, alert ledger, log groups and evidence bucket. Its policy lets the service principals
 * that encrypt or decrypt with it do so: CloudWatch Logs (this account's log groups only) and
 * CloudWatch alarms publishing to the encrypted alarm topic. EventBridge's use for the notifier queue
 * is granted by EncryptedQueueTarget (scoped to its rule).
 */
export class MonitorKey extends Key {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      description: 'Clinic Compliance Monitor: encrypts its topics, queues and log groups',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsEncryptsMonitorLogGroups',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
      }),
    );
    this.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
  }
}
