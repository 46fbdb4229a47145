/**
 * The monthly report's Lambda entry point (`index.handler`), invoked by its EventBridge schedule (or by
 * hand with `{"month": "YYYY-MM"}`). Configuration is validated and clients are built at cold start.
 *
 * Org mode (MEMBER_ROLE_NAME set, functions/org/env.ts): the organization's monitored accounts are read,
 * members through their member role. Its code loads only then; single-account bundles are built with
 * CCM_BUNDLE defined as "single-account", so esbuild leaves it out.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import { clientSettings } from '../shared/clients.js';
import { LAMBDAS } from '../shared/services.js';
import { createMonthlyReportHandler, loadMonthlyReportConfig, organizationAccess, ownAccountAccess, type ConfigAccess } from './handler.js';

const logger = new Logger({ serviceName: LAMBDAS.report.service });
const config = loadMonthlyReportConfig(process.env);
const configService = new ConfigServiceClient(clientSettings());

async function loadOrgAccess(): Promise<ConfigAccess | undefined> {
  if (!process.env.MEMBER_ROLE_NAME) return undefined;
  const { loadOrgEnv } = await import('../org/env.js');
  const orgEnv = loadOrgEnv(process.env);
  if (orgEnv === undefined) return undefined;
  const { memberClientSettings, monitoredRuntime } = await import('../org/monitored-runtime.js');
  const { accounts, router } = monitoredRuntime<{ config: ConfigServiceClient }>(process.env, {
    env: orgEnv,
    source: LAMBDAS.report.name,
    own: { config: configService },
    build: (credentials) => ({ config: new ConfigServiceClient(memberClientSettings(credentials)) }),
    warn: (message, details) => logger.warn(message, details),
  });
  return organizationAccess(router, accounts);
}

const org = process.env.CCM_BUNDLE === 'single-account' ? undefined : await loadOrgAccess();

const report = createMonthlyReportHandler({
  config,
  s3: new S3Client(clientSettings()),
  sns: new SNSClient(clientSettings()),
  access: org ?? ownAccountAccess(config.accountId, configService),
  logger,
});

export const handler = middy(async (event: unknown) => report(event)).use(injectLambdaContext(logger, { resetKeys: true }));
