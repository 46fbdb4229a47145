/**
 * The notifier's org mode: findings imported in each member account through its member role, and
 * alerts naming each account by its AWS Organizations name. The entry calls this behind the
 * CCM_BUNDLE check, so single-account bundles leave Organizations, STS and the member-role code out.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { FindingsSender } from '../findings/sender.js';
import { AccountNames } from '../org/account-names.js';
import type { OrgEnv } from '../org/env.js';
import { organizationsRegion } from '../org/organization-accounts.js';
import { createRuntimeRouter, memberClientSettings } from '../org/runtime.js';
import { clientSettings } from '../shared/clients.js';
import { LAMBDAS } from '../shared/services.js';
import type { MemberSink, NotifierDependencies } from './handler.js';

/** `securityHub`: the function's own account's client. */
export function notifierOrg(env: OrgEnv, securityHub: SecurityHubClient, logger: Logger): NonNullable<NotifierDependencies['org']> {
  const warn = (message: string, details: Record<string, unknown>): void => logger.warn(message, details);
  const accountNames = new AccountNames({ organizations: () => new OrganizationsClient(clientSettings({ region: organizationsRegion(env.partition) })), warn });
  return {
    router: createRuntimeRouter<MemberSink>({
      env,
      source: LAMBDAS.notifier.name,
      own: { sender: new FindingsSender(securityHub) },
      build: (credentials) => ({ sender: new FindingsSender(new SecurityHubClient(memberClientSettings(credentials))) }),
      warn,
      accountName: (accountId: string) => accountNames.nameOf(accountId),
    }),
    accountNames,
  };
}
