/**
 * The Config recorder health check's Lambda entry point, run every 6 hours by an EventBridge schedule
 * (./check.ts). Single-account it checks its own account; org mode (MEMBER_ROLE_NAME set) every
 * monitored account of the organization through its member role.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { clientSettings } from '../shared/clients.js';
import { LAMBDAS, METRICS_NAMESPACE } from '../shared/services.js';
import { createRecorderHealthHandler, type RecorderAdapters, type RecorderHealthHandlerDeps } from './check.js';

const logger = new Logger({ serviceName: LAMBDAS.recorderHealth.service });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: LAMBDAS.recorderHealth.service });
const healthTopicArn = process.env.HEALTH_TOPIC_ARN ?? '';
if (!/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/.test(healthTopicArn))
  throw new Error(`HEALTH_TOPIC_ARN must be an SNS topic ARN, got ${JSON.stringify(healthTopicArn)}`);
const own: RecorderAdapters = { config: new ConfigServiceClient(clientSettings()) };

/** Org mode only: Organizations and STS load here; single-account bundles leave this out (CCM_BUNDLE). */
async function loadOrg(): Promise<RecorderHealthHandlerDeps['org']> {
  if (!process.env.MEMBER_ROLE_NAME) return undefined;
  const { loadOrgEnv } = await import('../org/env.js');
  const orgEnv = loadOrgEnv(process.env);
  if (orgEnv === undefined) return undefined;
  const { memberClientSettings, monitoredRuntime } = await import('../org/monitored-runtime.js');
  return monitoredRuntime<RecorderAdapters>(process.env, {
    env: orgEnv,
    source: LAMBDAS.recorderHealth.name,
    own,
    build: (credentials) => ({ config: new ConfigServiceClient(memberClientSettings(credentials)) }),
    warn: (message, details) => logger.warn(message, details),
  });
}

const org = process.env.CCM_BUNDLE === 'single-account' ? undefined : await loadOrg();

export const handler = middy(
  createRecorderHealthHandler({
    own,
    ...(org !== undefined && { org }),
    sns: new SNSClient(clientSettings()),
    healthTopicArn,
    region: process.env.AWS_REGION ?? 'us-east-1',
    logger,
    metrics,
  }),
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
