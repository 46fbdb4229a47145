/**
 * The organization's accounts the monitor covers: AWS Organizations' ACTIVE accounts (ListAccounts,
 * which the management account or a delegated administrator may call), minus the settings'
 * excludeAccounts, and — when includeAccounts is set — only those (the central account stays in
 * unless excluded: it needs no member role).
 */
import { ListAccountsCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import * as z from 'zod/mini';

/** AWS Organizations is served from one Region per partition. */
export const ORGANIZATIONS_REGION: Readonly<Record<string, string>> = { aws: 'us-east-1', 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-northwest-1' };

export function organizationsRegion(partition: string): string {
  return ORGANIZATIONS_REGION[partition] ?? 'us-east-1';
}

export interface AccountSelection {
  readonly centralAccountId: string;
  readonly excluded: readonly string[];
  /** Only these (and the central account); undefined: every account. */
  readonly included?: readonly string[];
}

/** Ids of the organization's ACTIVE accounts, every page, in the order Organizations lists them. */
export async function listActiveAccounts(client: OrganizationsClient): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const response = await client.send(new ListAccountsCommand({ MaxResults: 20, ...(nextToken !== undefined && { NextToken: nextToken }) }));
    for (const account of response.Accounts ?? []) {
      // Status is retired in favour of State (September 2026); either says ACTIVE.
      const state: string | undefined = account.State ?? account.Status;
      if (account.Id !== undefined && state === 'ACTIVE') ids.push(account.Id);
    }
    nextToken = response.NextToken || undefined;
  } while (nextToken !== undefined);
  return ids;
}

/** The monitored accounts among the organization's active ones. */
export async function monitoredAccounts(client: OrganizationsClient, selection: AccountSelection): Promise<string[]> {
  const excluded = new Set(selection.excluded);
  const included = selection.included === undefined ? undefined : new Set([...selection.included, selection.centralAccountId]);
  const active = await listActiveAccounts(client);
  return [...new Set(active)].filter((id) => !excluded.has(id) && (included === undefined || included.has(id)));
}

const accountList = z.string().check(z.regex(/^(\d{12}(,\d{12})*)?$/, 'must be comma-separated 12-digit account ids'));
const schema = z.object({ EXCLUDED_ACCOUNTS: z.optional(accountList), INCLUDED_ACCOUNTS: z.optional(accountList) });

export interface AccountFilterEnv {
  readonly excluded: string[];
  /** Undefined: every account of the organization. */
  readonly included?: string[];
}

/** The account filter of the functions that go through every account (settings excludeAccounts / includeAccounts), validated at cold start. */
export function loadAccountFilterEnv(env: Readonly<Record<string, string | undefined>>): AccountFilterEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`org mode configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  const split = (text: string | undefined): string[] => (text === undefined || text === '' ? [] : text.split(','));
  const { EXCLUDED_ACCOUNTS, INCLUDED_ACCOUNTS } = parsed.data;
  return { excluded: split(EXCLUDED_ACCOUNTS), ...(INCLUDED_ACCOUNTS !== undefined && { included: split(INCLUDED_ACCOUNTS) }) };
}
