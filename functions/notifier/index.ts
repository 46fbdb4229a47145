/**
 * The notifier's Lambda entry point (`index.handler`): configuration validated and clients built once,
 * at cold start, so a bad setting fails the deployment's first invocation loudly instead of each batch.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { clientSettings } from '../shared/clients.js';
import { createNotifierHandler, loadNotifierConfig } from './handler.js';

export const handler = createNotifierHandler({
  config: loadNotifierConfig(process.env),
  securityHub: new SecurityHubClient(clientSettings()),
  sns: new SNSClient(clientSettings()),
});
