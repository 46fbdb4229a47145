/**
 * The findings refresher's Lambda entry point (`index.handler`), run once a day by an EventBridge
 * schedule: single-account ./handler.ts; org mode (MEMBER_ROLE_NAME set, functions/org/env.ts) every
 * monitored account of the organization in its own Security Hub, members through their member role
 * (./organization.ts).
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { refreshDueFindings } from '../findings/refresh.js';
import { FindingsSender } from '../findings/sender.js';
import { clientSettings } from '../shared/clients.js';
import { LAMBDAS } from '../shared/services.js';
import { createRefresherHandler } from './handler.js';

const logger = new Logger({ serviceName: LAMBDAS.refresher.service });
const securityHub = new SecurityHubClient(clientSettings());
const sender = new FindingsSender(securityHub);
const region = process.env.AWS_REGION ?? 'us-east-1';

/**
 * Org mode only: its settings, Organizations, STS and SNS load here (even the env parser: it would
 * bring the rule catalog into this small bundle). A single-account stack builds with CCM_BUNDLE
 * defined as "single-account", so esbuild leaves the org code out of the bundle altogether.
 */
async function loadOrg(): Promise<(() => Promise<unknown>) | undefined> {
  if (!process.env.MEMBER_ROLE_NAME) return undefined;
  const { loadOrgEnv } = await import('../org/env.js');
  const orgEnv = loadOrgEnv(process.env);
  if (orgEnv === undefined) return undefined;
  const [{ memberClientSettings, monitoredRuntime }, { createOrgRefresherHandler }] = await Promise.all([
    import('../org/monitored-runtime.js'),
    import('./organization.js'),
  ]);
  return createOrgRefresherHandler({
    refresh: refreshDueFindings,
    ...monitoredRuntime(process.env, {
      env: orgEnv,
      source: LAMBDAS.refresher.name,
      own: { securityHub, sender },
      build: (credentials) => {
        const client = new SecurityHubClient(memberClientSettings(credentials));
        return { securityHub: client, sender: new FindingsSender(client) };
      },
      warn: (message, details) => logger.warn(message, details),
    }),
    region,
    logger,
  });
}

const org = process.env.CCM_BUNDLE === 'single-account' ? undefined : await loadOrg();

export const handler = middy(org ?? createRefresherHandler({ securityHub, sender, logger, region })).use(injectLambdaContext(logger, { resetKeys: true }));
