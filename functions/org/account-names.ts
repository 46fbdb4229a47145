/**
 * Account display names for alerts: AWS Organizations' name of each account (DescribeAccount, which
 * the management account or an Organizations delegated administrator may call), cached. A name that
 * cannot be read leaves the alert with the account id alone; it never fails a delivery.
 */
import { DescribeAccountCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { errorParts } from '../shared/retry.js';

export const NAME_TTL_MS = 6 * 3_600_000;
/** After a failure, do not ask again for this long. */
export const FAILURE_TTL_MS = 3_600_000;

export interface AccountNamesOptions {
  /** Created on first use. */
  readonly organizations: () => OrganizationsClient;
  /** Known names (e.g. the settings' accountName for the central account), never looked up. */
  readonly known?: Readonly<Record<string, string>>;
  readonly clock?: () => number;
  readonly warn?: (message: string, details: Record<string, unknown>) => void;
}

export class AccountNames {
  private readonly cache = new Map<string, { name: string | undefined; untilMs: number }>();
  private client: OrganizationsClient | undefined;
  private readonly clock: () => number;

  constructor(private readonly options: AccountNamesOptions) {
    this.clock = options.clock ?? Date.now;
  }

  async nameOf(accountId: string): Promise<string | undefined> {
    const known = this.options.known?.[accountId];
    if (known !== undefined) return known;
    const now = this.clock();
    const cached = this.cache.get(accountId);
    if (cached !== undefined && now < cached.untilMs) return cached.name;
    try {
      this.client ??= this.options.organizations();
      const response = await this.client.send(new DescribeAccountCommand({ AccountId: accountId }));
      const name = response.Account?.Name || undefined;
      this.cache.set(accountId, { name, untilMs: now + NAME_TTL_MS });
      return name;
    } catch (error) {
      this.options.warn?.('could not read the account name from AWS Organizations', { accountId, ...errorParts(error) });
      this.cache.set(accountId, { name: cached?.name, untilMs: now + FAILURE_TTL_MS });
      return cached?.name;
    }
  }

  /** Names of several accounts, looked up concurrently; accounts without a name are left out. */
  async namesOf(accountIds: readonly string[]): Promise<Record<string, string>> {
    const pairs = await Promise.all([...new Set(accountIds)].map(async (id) => [id, await this.nameOf(id)] as const));
    return Object.fromEntries(pairs.filter((pair): pair is readonly [string, string] => pair[1] !== undefined));
  }
}
