/**
 * Org mode for the functions that go through every monitored account (the findings refresher, the
 * recorder health check, the monthly report): the organization's monitored accounts (ListAccounts
 * with the settings' account filter) and a router to each account's adapters. Imported dynamically,
 * only in org mode, so single-account bundles leave Organizations, STS and the member-role code out.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { clientSettings } from '../shared/clients.js';
import type { AccountRouter } from './account-router.js';
import { loadAccountFilterEnv, monitoredAccounts, organizationsRegion } from './organization-accounts.js';
import { createRuntimeRouter, type RuntimeRouterOptions } from './runtime.js';

export { memberClientSettings } from './runtime.js';

export interface MonitoredRuntime<A> {
  /** The monitored accounts, listed anew at each call. */
  readonly accounts: () => Promise<string[]>;
  readonly router: AccountRouter<A>;
}

/** `environment`: the function's, for the account filter (EXCLUDED_ACCOUNTS, INCLUDED_ACCOUNTS), validated here at cold start. */
export function monitoredRuntime<A>(environment: Readonly<Record<string, string | undefined>>, options: RuntimeRouterOptions<A>): MonitoredRuntime<A> {
  const filter = loadAccountFilterEnv(environment);
  const organizations = new OrganizationsClient(clientSettings({ region: organizationsRegion(options.env.partition) }));
  return {
    accounts: () => monitoredAccounts(organizations, { centralAccountId: options.env.centralAccountId, ...filter }),
    router: createRuntimeRouter(options),
  };
}
