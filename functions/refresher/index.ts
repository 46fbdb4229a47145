/**
 * The daily findings refresher: a resource that stays non-compliant sends no compliance-change
 * event, and Security Hub deletes a finding 90 days after its last update. An EventBridge schedule
 * runs this once a day; it re-imports our findings that are due (functions/findings/refresh.ts).
 * A failure to refresh fails the invocation, so the function's error alarm fires.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { refreshDueFindings, type RefreshResult } from '../findings/refresh.js';
import { FindingsSender } from '../findings/sender.js';
import { clientSettings } from '../shared/clients.js';

export interface RefresherDeps {
  readonly securityHub: SecurityHubClient;
  readonly sender: FindingsSender;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function createRefresher(deps: RefresherDeps): () => Promise<{ examined: number; refreshed: number }> {
  return async () => {
    const result: RefreshResult = await refreshDueFindings(deps.securityHub, deps.sender, { now: deps.now?.() ?? new Date(), ...(deps.sleep && { sleep: deps.sleep }) });
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

export const handler = middy(createRefresher({ securityHub, sender: new FindingsSender(securityHub), logger })).use(injectLambdaContext(logger, { clearState: true }));
