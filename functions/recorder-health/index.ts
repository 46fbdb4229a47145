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
import type { Context } from 'aws-lambda';
import { clientSettings } from '../shared/clients.js';
import { accountOfFunctionArn } from '../shared/resources.js';
import { createRecorderHealthCheck, type RecorderAdapters, type RecorderHealthResult } from './check.js';

const logger = new Logger({ serviceName: 'clinic-compliance-monitor' });
const metrics = new Metrics({ namespace: 'ClinicComplianceMonitor', serviceName: 'recorder-health' });
const region = process.env.AWS_REGION ?? 'us-east-1';
const healthTopicArn = process.env.HEALTH_TOPIC_ARN ?? '';
if (!/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/.test(healthTopicArn)) throw new Error(`HEALTH_TOPIC_ARN must be an SNS topic ARN, got ${JSON.stringify(healthTopicArn)}`);
const own: RecorderAdapters = { config: new ConfigServiceClient(clientSettings()) };
const sns = new SNSClient(clientSettings());

/** Org mode only: Organizations and STS load here; single-account bundles leave this out (CCM_BUNDLE). */
async function loadOrg(): Promise<Parameters<typeof createRecorderHealthCheck>[0] | undefined> {
  if (!process.env.MEMBER_ROLE_NAME) return undefined;
  const { loadOrgEnv } = await import('../org/env.js');
  const orgEnv = loadOrgEnv(process.env);
  if (orgEnv === undefined) return undefined;
  const { memberClientSettings, monitoredRuntime } = await import('../org/monitored-runtime.js');
  return {
    ...monitoredRuntime<RecorderAdapters>(process.env, {
      env: orgEnv,
      source: 'recorder-health',
      own,
      build: (credentials) => ({ config: new ConfigServiceClient(memberClientSettings(credentials)) }),
      warn: (message, details) => logger.warn(message, details),
    }),
    sns,
    healthTopicArn,
    region,
    logger,
    metrics,
  };
}

const org = process.env.CCM_BUNDLE === 'single-account' ? undefined : await loadOrg();

function singleAccount(context: Pick<Context, 'invokedFunctionArn'>): () => Promise<RecorderHealthResult> {
  return createRecorderHealthCheck({
    accounts: async () => [accountOfFunctionArn(context.invokedFunctionArn)],
    router: { run: (_accountId, work) => work(own) },
    sns,
    healthTopicArn,
    region,
    logger,
    metrics,
  });
}

const orgCheck = org === undefined ? undefined : createRecorderHealthCheck(org);

export const handler = middy(async (_event: unknown, context: Context) => (orgCheck ?? singleAccount(context))())
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
