/**
 * The daily findings refresher: a resource that stays non-compliant sends no compliance-change
 * event, and Security Hub deletes a finding 90 days after its last update. An EventBridge schedule
 * runs this once a day; it re-imports our findings that are due (functions/findings/refresh.ts).
 * A failure to refresh fails the invocation, so the function's error alarm fires.
 *
 * Org mode (MEMBER_ROLE_NAME set, functions/org/env.ts): every monitored account of the organization
 * is refreshed in its own Security Hub, members through their member role (./organization.ts).
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { refreshDueFindings, type RefreshResult } from '../findings/refresh.js';
import { FindingsSender } from '../findings/sender.js';
import { clientSettings } from '../shared/clients.js';
import { accountOfFunctionArn } from '../shared/resources.js';

export interface RefresherDeps {
  readonly securityHub: SecurityHubClient;
  readonly sender: FindingsSender;
  readonly logger: Logger;
  /** The function's Region: findings are re-imported where they were generated. */
  readonly region: string;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function createRefresher(deps: RefresherDeps): (event: unknown, context: Pick<Context, 'invokedFunctionArn'>) => Promise<{ examined: number; refreshed: number }> {
  return async (_event, context) => {
    // Only this account's findings of this Region: in a Security Hub administrator or aggregation Region,
    // GetFindings also returns other accounts' and Regions' findings, which BatchImportFindings refuses here.
    const scope = { accountId: accountOfFunctionArn(context.invokedFunctionArn), region: deps.region };
    const result: RefreshResult = await refreshDueFindings(deps.securityHub, deps.sender, { now: deps.now?.() ?? new Date(), scope, ...(deps.sleep && { sleep: deps.sleep }) });
    const { imported, failed } = result.sent;
    deps.logger.info('refreshed findings', { examined: result.examined, refreshed: imported.length, failed: failed.length });
    if (failed.length > 0) {
      throw new Error(`${failed.length} finding(s) could not be refreshed, e.g. ${failed.slice(0, 3).map((f) => `${f.id}: ${f.errorCode ?? ''} ${f.errorMessage ?? ''}`.trim()).join('; ')}`);
    }
    return { examined: result.examined, refreshed: imported.length };
  };
}

const logger = new Logger({ serviceName: 'clinic-compliance-monitor' });
const securityHub = new SecurityHubClient(clientSettings());
const sender = new FindingsSender(securityHub);

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
  const [{ memberClientSettings, monitoredRuntime }, { createOrgRefresher }] = await Promise.all([import('../org/monitored-runtime.js'), import('./organization.js')]);
  return createOrgRefresher({
    refresh: refreshDueFindings,
    ...monitoredRuntime(process.env, {
      env: orgEnv,
      source: 'findings-refresher',
      own: { securityHub, sender },
      build: (credentials) => {
        const client = new SecurityHubClient(memberClientSettings(credentials));
        return { securityHub: client, sender: new FindingsSender(client) };
      },
      warn: (message, details) => logger.warn(message, details),
    }),
    region: process.env.AWS_REGION ?? 'us-east-1',
    logger,
  });
}

const org = process.env.CCM_BUNDLE === 'single-account' ? undefined : await loadOrg();

export const handler = middy(org ?? createRefresher({ securityHub, sender, logger, region: process.env.AWS_REGION ?? 'us-east-1' })).use(injectLambdaContext(logger, { clearState: true }));
