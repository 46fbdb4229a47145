/**
 * The notifier's Lambda entry point (`index.handler`): configuration validated and clients built once,
 * at cold start, so a bad setting fails the deployment's first invocation loudly instead of each batch.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { EvidenceWriter } from '../evidence/writer.js';
import { loadOrgEnv } from '../org/env.js';
import { clientSettings } from '../shared/clients.js';
import { LAMBDAS } from '../shared/services.js';
import { createNotifierHandler, loadNotifierConfig, type NotifierDependencies } from './handler.js';
import { notifierOrg } from './organization.js';

const config = loadNotifierConfig(process.env);
const logger = new Logger({ serviceName: LAMBDAS.notifier.service });
const securityHub = new SecurityHubClient(clientSettings());

/** Org mode: MEMBER_ROLE_NAME is set. */
function loadOrg(): NotifierDependencies['org'] {
  const orgEnv = loadOrgEnv(process.env);
  return orgEnv === undefined ? undefined : notifierOrg(orgEnv, securityHub, logger);
}

// Single-account stacks build with CCM_BUNDLE defined as "single-account": esbuild drops the org code.
const org = process.env.CCM_BUNDLE === 'single-account' ? undefined : loadOrg();

export const handler = middy(
  createNotifierHandler({
    config,
    logger,
    securityHub,
    sns: new SNSClient(clientSettings()),
    dynamoDb: new DynamoDBClient(clientSettings()),
    ...(config.evidenceBucket !== undefined && { evidence: new EvidenceWriter(new S3Client(clientSettings()), config.evidenceBucket) }),
    ...(org !== undefined && { org }),
  }),
).use(injectLambdaContext(logger, { resetKeys: true }));
