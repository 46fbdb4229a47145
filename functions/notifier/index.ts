/**
 * The notifier's Lambda entry point (`index.handler`): configuration validated and clients built once,
 * at cold start, so a bad setting fails the deployment's first invocation loudly instead of each batch.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { EvidenceWriter } from '../evidence/writer.js';
import { FindingsSender } from '../findings/sender.js';
import { AccountNames } from '../org/account-names.js';
import { loadOrgEnv } from '../org/env.js';
import { organizationsRegion } from '../org/organization-accounts.js';
import { createRuntimeRouter, memberClientSettings } from '../org/runtime.js';
import { clientSettings } from '../shared/clients.js';
import { createNotifierHandler, loadNotifierConfig, type MemberSink } from './handler.js';

const config = loadNotifierConfig(process.env);
const orgEnv = loadOrgEnv(process.env);
const logger = new Logger({ serviceName: 'ccm-notifier' });
const warn = (message: string, details: Record<string, unknown>): void => logger.warn(message, details);
const securityHub = new SecurityHubClient(clientSettings());
const accountNames =
  orgEnv === undefined
    ? undefined
    : new AccountNames({ organizations: () => new OrganizationsClient(clientSettings({ region: organizationsRegion(orgEnv.partition) })), warn });

export const handler = createNotifierHandler({
  config,
  logger,
  securityHub,
  sns: new SNSClient(clientSettings()),
  dynamoDb: new DynamoDBClient(clientSettings()),
  ...(config.evidenceBucket !== undefined && { evidence: new EvidenceWriter(new S3Client(clientSettings()), config.evidenceBucket) }),
  ...(orgEnv !== undefined && {
    org: {
      router: createRuntimeRouter<MemberSink>({
        env: orgEnv,
        source: 'notifier',
        own: { sender: new FindingsSender(securityHub) },
        build: (credentials) => ({ sender: new FindingsSender(new SecurityHubClient(memberClientSettings(credentials))) }),
        warn,
        ...(accountNames !== undefined && { accountName: (accountId: string) => accountNames.nameOf(accountId) }),
      }),
      ...(accountNames !== undefined && { accountNames }),
    },
  }),
});
