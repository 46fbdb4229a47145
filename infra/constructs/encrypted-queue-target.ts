import { Aws, type Duration } from 'aws-cdk-lib';
import type { IRuleTarget, RuleTargetConfig } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Queue } from 'aws-cdk-lib/aws-sqs';

export interface EncryptedQueueTargetProps {
  /** The rule's name: its ARN is built from it, so the key policy can name it without a dependency cycle. */
  readonly ruleName: string;
  readonly deadLetterQueue: Queue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/**
 * An EventBridge target for a queue encrypted with a customer managed key. Unlike the `SqsQueue`
 * target, whose key grant drops the source-rule condition and adds wildcard actions
 * (kms:ReEncrypt*, kms:GenerateDataKey*), it lets EventBridge use the key and both queues only on
 * behalf of this one rule (aws:SourceArn), with the two actions SQS needs from a producer.
 */
export class EncryptedQueueTarget implements IRuleTarget {
  constructor(
    private readonly queue: Queue,
    private readonly key: Key,
    private readonly props: EncryptedQueueTargetProps,
  ) {}

  bind(): RuleTargetConfig {
    const ruleArn = `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${this.props.ruleName}`;
    const principal = new ServicePrincipal('events.amazonaws.com');
    const fromRule = { ArnEquals: { 'aws:SourceArn': ruleArn } };
    for (const queue of [this.queue, this.props.deadLetterQueue]) {
      queue.addToResourcePolicy(
        new PolicyStatement({ effect: Effect.ALLOW, principals: [principal], actions: ['sqs:SendMessage'], resources: [queue.queueArn], conditions: fromRule }),
      );
    }
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EventBridgeSendsComplianceChanges',
        effect: Effect.ALLOW,
        principals: [principal],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromRule,
      }),
    );
    return {
      arn: this.queue.queueArn,
      deadLetterConfig: { arn: this.props.deadLetterQueue.queueArn },
      retryPolicy: { maximumRetryAttempts: this.props.retryAttempts, maximumEventAgeInSeconds: this.props.maxEventAge.toSeconds() },
      targetResource: this.queue,
    };
  }
}
