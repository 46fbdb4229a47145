/**
 * The findings refresher in org mode: every monitored account's findings live in that account's own
 * Security Hub (BatchImportFindings takes a finding only from its account), so each account is
 * refreshed on its own — members through their member role, the central account with the function's
 * own clients. Accounts are the organization's ACTIVE ones minus the excluded (functions/org/
 * organization-accounts.ts). One account failing never stops the others; the invocation fails at the
 * end, naming every account that failed, so the function's error alarm fires. A missing or refusing
 * member role also raises the one-per-account-per-hour health alert (MemberRoleAlarm).
 *
 * Loaded dynamically by index.ts, only in org mode: single-account bundles leave it out.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { refreshDueFindings } from '../findings/refresh.js';
import type { FindingsSender } from '../findings/sender.js';
import type { AccountRouter } from '../org/account-router.js';
import { isAccessDeniedCode, MemberRoleError } from '../org/member-access.js';
import { inPool } from '../shared/pool.js';
import { errorParts } from '../shared/retry.js';

/** What the refresher uses in one account. */
export interface RefreshAdapters {
  readonly securityHub: SecurityHubClient;
  readonly sender: FindingsSender;
}

export interface AccountRefresh {
  readonly accountId: string;
  readonly examined: number;
  readonly refreshed: number;
  /** Why the account's refresh failed (fully or for some findings). */
  readonly error?: string;
}

export interface OrgRefreshResult {
  readonly examined: number;
  readonly refreshed: number;
  readonly accounts: AccountRefresh[];
}

/** The invocation's failure: which accounts failed, and every account's result. */
export class OrgRefreshError extends Error {
  constructor(
    message: string,
    readonly accounts: readonly AccountRefresh[],
  ) {
    super(message);
    this.name = 'OrgRefreshError';
  }
}

export interface OrgRefresherDeps {
  /**
   * refreshDueFindings (functions/findings/refresh.ts), passed in rather than imported: a module the
   * entry imports statically, reached again through this dynamically imported one, would make esbuild
   * keep the whole Security Hub client in the single-account bundle.
   */
  readonly refresh: typeof refreshDueFindings;
  /** The monitored accounts (ListAccounts, ACTIVE, minus the excluded). */
  readonly accounts: () => Promise<readonly string[]>;
  /** Own clients for the central account, member-role clients for the others. */
  readonly router: Pick<AccountRouter<RefreshAdapters>, 'run' | 'isMember' | 'reportDenied' | 'centralAccountId'>;
  /** The function's Region: findings are refreshed where they were generated. */
  readonly region: string;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Accounts refreshed at once (each has its own Security Hub quotas). @default 4 */
  readonly concurrency?: number;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

function describeFailures(failed: readonly { id: string; errorCode: string; errorMessage: string }[]): string {
  return `${failed.length} finding(s) could not be refreshed, e.g. ${failed
    .slice(0, 3)
    .map((f) => `${f.id}: ${f.errorCode} ${f.errorMessage}`.trim())
    .join('; ')}`;
}

export function createOrgRefresherHandler(deps: OrgRefresherDeps): () => Promise<OrgRefreshResult> {
  const concurrency = deps.concurrency ?? 4;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  const { router, logger } = deps;

  async function refreshAccount(accountId: string, now: Date): Promise<AccountRefresh> {
    try {
      const result = await router.run(accountId, ({ securityHub, sender }) =>
        deps.refresh(securityHub, sender, { now, scope: { accountId, region: deps.region }, ...(deps.sleep && { sleep: deps.sleep }) }),
      );
      const { imported, failed } = result.sent;
      if (failed.length > 0 && router.isMember(accountId)) {
        // FailedFindings come back as values: a refused import is still the member role's problem.
        const denied = failed.find((f) => isAccessDeniedCode(f.errorCode));
        if (denied !== undefined) await router.reportDenied(accountId, { name: denied.errorCode, message: denied.errorMessage });
      }
      logger.info('refreshed findings', { accountId, examined: result.examined, refreshed: imported.length, failed: failed.length });
      return { accountId, examined: result.examined, refreshed: imported.length, ...(failed.length > 0 && { error: describeFailures(failed) }) };
    } catch (error) {
      const { code, message } = errorParts(error);
      logger.error("could not refresh the account's findings", { accountId, code, message });
      // A MemberRoleError's message names the role, the AWS error and what to check.
      return { accountId, examined: 0, refreshed: 0, error: error instanceof MemberRoleError ? message : `${code}: ${message}` };
    }
  }

  return async () => {
    const now = deps.now?.() ?? new Date();
    let accountIds: readonly string[];
    let listError: string | undefined;
    try {
      accountIds = await deps.accounts();
    } catch (error) {
      // The central account needs no list: refresh it anyway, then fail.
      const { code, message } = errorParts(error);
      listError = `cannot list the organization's accounts (${code}: ${message}); only the central account was refreshed`;
      logger.error("could not list the organization's accounts", { code, message });
      accountIds = [router.centralAccountId];
    }
    const accounts = await inPool([...new Set(accountIds)], concurrency, (accountId) => refreshAccount(accountId, now));
    const examined = accounts.reduce((sum, a) => sum + a.examined, 0);
    const refreshed = accounts.reduce((sum, a) => sum + a.refreshed, 0);
    const failedAccounts = accounts.filter((a) => a.error !== undefined);
    logger.info('refreshed findings in the organization', {
      accounts: accounts.length,
      examined,
      refreshed,
      failedAccounts: failedAccounts.map((a) => a.accountId),
    });
    if (failedAccounts.length > 0 || listError !== undefined) {
      const parts = [
        ...(listError !== undefined ? [listError] : []),
        ...(failedAccounts.length > 0
          ? [
              `findings of ${failedAccounts.length} of ${accounts.length} account(s) could not be refreshed: ${failedAccounts.map((a) => `${a.accountId} (${a.error ?? ''})`).join('; ')}`,
            ]
          : []),
      ];
      throw new OrgRefreshError(parts.join('. '), accounts);
    }
    return { examined, refreshed, accounts };
  };
}
