/** Every AWS call of the Config recorder health check (see functions/shared/permissions.ts). */
import { LIST_ACCOUNTS, ORG_CALLS, type DeclaredCall } from '../shared/permissions.js';

export const RECORDER_HEALTH_CALLS: readonly DeclaredCall[] = [
  {
    command: 'DescribeConfigurationRecorderStatusCommand',
    action: 'config:DescribeConfigurationRecorderStatus',
    resource: { arn: 'arn:{partition}:config:{region}:{account}:configuration-recorder/*/*' },
    account: 'monitored',
  },
  { command: 'DescribeDeliveryChannelStatusCommand', action: 'config:DescribeDeliveryChannelStatus', resource: '*', account: 'monitored' },
  { command: 'PublishCommand', action: 'sns:Publish', resource: { env: 'HEALTH_TOPIC_ARN' }, account: 'own' },
  LIST_ACCOUNTS,
  ...ORG_CALLS,
];
