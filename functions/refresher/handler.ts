/**
 * The daily findings refresher: a resource that stays non-compliant sends no compliance-change
 * event, and Security Hub deletes a finding 90 days after its last update. An EventBridge schedule
 * runs this once a day; it re-imports our findings that are due (functions/findings/refresh.ts).
 * A failure to refresh fails the invocation, so the function's error alarm fires. Org mode is
 * ./organization.ts; the entry point, ./index.ts, picks one.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Context } from 'aws-lambda';
import { refreshDueFindings, type RefreshResult } from '../findings/refresh.js';
import type { FindingsSender } from '../findings/sender.js';
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

export function createRefresherHandler(
  deps: RefresherDeps,
): (event: unknown, context: Pick<Context, 'invokedFunctionArn'>) => Promise<{ examined: number; refreshed: number }> {
  return async (_event, context) => {
    // Only this account's findings of this Region: in a Security Hub administrator or aggregation Region,
    // GetFindings also returns other accounts' and Regions' findings, which BatchImportFindings refuses here.
    const scope = { accountId: accountOfFunctionArn(context.invokedFunctionArn), region: deps.region };
    const result: RefreshResult = await refreshDueFindings(deps.securityHub, deps.sender, {
      now: deps.now?.() ?? new Date(),
      scope,
      ...(deps.sleep && { sleep: deps.sleep }),
    });
    const { imported, failed } = result.sent;
    deps.logger.info('refreshed findings', { examined: result.examined, refreshed: imported.length, failed: failed.length });
    if (failed.length > 0) {
      throw new Error(
        `${failed.length} finding(s) could not be refreshed, e.g. ${failed
          .slice(0, 3)
          .map((f) => `${f.id}: ${f.errorCode ?? ''} ${f.errorMessage ?? ''}`.trim())
          .join('; ')}`,
      );
    }
    return { examined: result.examined, refreshed: imported.length };
  };
}
