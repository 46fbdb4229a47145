import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.js';

export interface AlertLedgerProps {
  /** Encrypts the table (the monitor's key, which the notifier already uses for SNS). */
  readonly key: IKey;
}

/**
 * The notifier's alert ledger (functions/alerts/ledger.ts): one item per rule and resource saying
 * which compliance change was paged last, so a change pages once and an older one never pages over
 * a newer one. On demand (a few writes per alert), encrypted with the monitor's key, point-in-time
 * recovery on, items expiring by TTL. Its contents are rule and resource ids and times, no
 * configuration: nothing to keep when the stack goes, hence DESTROY.
 */
export class AlertLedger extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: AlertLedgerProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.table,
      'HIPAA.Security-DynamoDBInBackupPlan',
      'The alert ledger holds only which compliance change was last paged per rule and resource (ids and times, no configuration or patient data); every item expires by TTL within 15 days, and point-in-time recovery covers accidental writes. Losing it at worst repeats one page per resource; an AWS Backup plan would add cost and restore nothing of audit value.',
    );
  }

  /** Claim, confirm and release are conditional PutItem and DeleteItem calls on this table; nothing else. */
  writerStatement(): PolicyStatement {
    return new PolicyStatement({
      sid: 'AlertLedger',
      effect: Effect.ALLOW,
      actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
      resources: [this.table.tableArn],
    });
  }
}
