import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, SubscriptionProtocol, Topic, type ITopicSubscription } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { Subscription } from '../settings.js';

export interface MonitorTopicProps {
  readonly displayName: string;
  /** Encrypts the messages at rest (the monitor's key). */
  readonly key: IKey;
  /** The settings' subscriptions, each with its filter policy on the alert attributes. */
  readonly subscriptions: readonly Subscription[];
}

/** An SNS topic of the monitor: encrypted, TLS only, with the subscriptions the settings list. */
export class MonitorTopic extends Topic {
  constructor(scope: Construct, id: string, props: MonitorTopicProps) {
    super(scope, id, { displayName: props.displayName, masterKey: props.key, enforceSSL: true });
    for (const subscription of props.subscriptions) this.addSubscription(toSubscription(subscription));
  }
}

function toSubscription(subscription: Subscription): ITopicSubscription {
  const filterPolicy =
    subscription.filter === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(subscription.filter)
            .filter((pair): pair is [string, string[]] => Array.isArray(pair[1]))
            .map(([key, values]) => [key, SubscriptionFilter.stringFilter({ allowlist: values })]),
        );
  const options = filterPolicy === undefined ? {} : { filterPolicy };
  switch (subscription.protocol) {
    case 'email':
      return new EmailSubscription(subscription.endpoint, options);
    case 'sms':
      return new SmsSubscription(subscription.endpoint, options);
    case 'https':
      return new UrlSubscription(subscription.endpoint, { ...options, protocol: SubscriptionProtocol.HTTPS });
  }
}
