/** Every AWS call of the notifier (see functions/shared/permissions.ts). */
import { ORG_CALLS, type DeclaredCall } from '../shared/permissions.js';

export const NOTIFIER_CALLS: readonly DeclaredCall[] = [
  // Security Hub takes a custom finding only from its own account, into its default product.
  {
    command: 'BatchImportFindingsCommand',
    action: 'securityhub:BatchImportFindings',
    resource: { arn: 'arn:{partition}:securityhub:{region}:{account}:product/{account}/default' },
    account: 'monitored',
  },
  // Alerts go out in batches of 10; PublishBatch is authorized as sns:Publish (Amazon SNS API reference, PublishBatch).
  { command: 'PublishBatchCommand', action: 'sns:Publish', resource: { env: 'ALERT_TOPIC_ARN' }, account: 'own' },
  { command: 'PublishCommand', action: 'sns:Publish', resource: { env: 'ALERT_TOPIC_ARN' }, account: 'own' },
  // The alert ledger: claim and confirm are conditional puts, release a put or a delete (functions/alerts/ledger.ts).
  { command: 'PutItemCommand', action: 'dynamodb:PutItem', resource: { env: 'ALERT_LEDGER_TABLE_ARN' }, account: 'own' },
  { command: 'DeleteItemCommand', action: 'dynamodb:DeleteItem', resource: { env: 'ALERT_LEDGER_TABLE_ARN' }, account: 'own' },
  // Every transition appended to the evidence archive, one object per batch and day; S3 encrypts it with the bucket's key for the caller.
  { command: 'PutObjectCommand', action: 's3:PutObject', resource: { arn: 'arn:{partition}:s3:::{evidenceBucket}/transitions/*' }, account: 'own' },
  // Account ARNs carry the management account; a delegated administrator also needs the organization's delegation policy.
  {
    command: 'DescribeAccountCommand',
    action: 'organizations:DescribeAccount',
    resource: { arn: 'arn:{partition}:organizations::{managementAccount}:account/{organizationId}/{memberAccount}' },
    account: 'own',
    when: 'orgWide',
  },
  ...ORG_CALLS,
];
