/**
 * Routes work to the event's account: the function's own adapters for its own account, adapters built
 * on the member role's credentials for any other (rebuilt when the credentials are renewed). A member
 * role that cannot be assumed, or that is refused a call, is reported once (MemberRoleAlarm) and the
 * work fails: the caller's invocation fails too, and Config or SQS retries it.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { isAccessDenied, MemberRoleError, type MemberAccess } from './member-access.js';
import type { MemberRoleAlarm } from './role-alarm.js';

export interface AccountRouterOptions<A> {
  /** The account the function runs in. */
  readonly centralAccountId: string;
  readonly own: A;
  readonly access: MemberAccess;
  /** Adapters on a member's credentials (e.g. clients built with clientSettings() and these credentials). */
  readonly build: (credentials: AwsCredentialIdentity, accountId: string) => A;
  readonly alarm: MemberRoleAlarm;
  /** The account's display name for the alarm, when the caller can resolve it. */
  readonly accountName?: (accountId: string) => Promise<string | undefined>;
}

export class AccountRouter<A> {
  private readonly built = new Map<string, { credentials: AwsCredentialIdentity; adapters: A }>();

  constructor(private readonly options: AccountRouterOptions<A>) {}

  get centralAccountId(): string {
    return this.options.centralAccountId;
  }

  isMember(accountId: string): boolean {
    return accountId !== this.options.centralAccountId;
  }

  /** The adapters for the account (may throw MemberRoleError, already reported). */
  async adaptersFor(accountId: string): Promise<A> {
    if (!this.isMember(accountId)) return this.options.own;
    let credentials: AwsCredentialIdentity;
    try {
      credentials = await this.options.access.credentialsFor(accountId);
    } catch (error) {
      if (error instanceof MemberRoleError) await this.report(error);
      throw error;
    }
    const known = this.built.get(accountId);
    if (known !== undefined && known.credentials === credentials) return known.adapters;
    const adapters = this.options.build(credentials, accountId);
    this.built.set(accountId, { credentials, adapters });
    return adapters;
  }

  /** Runs `work` with the account's adapters; an access-denied error inside it becomes a reported MemberRoleError. */
  async run<T>(accountId: string, work: (adapters: A) => Promise<T>): Promise<T> {
    const adapters = await this.adaptersFor(accountId);
    try {
      return await work(adapters);
    } catch (error) {
      if (!this.isMember(accountId) || !isAccessDenied(error)) throw error;
      const denied = new MemberRoleError(accountId, this.options.access.roleArn(accountId), 'call', error);
      await this.report(denied);
      throw denied;
    }
  }

  /** For callers that get access errors as values (e.g. BatchImportFindings' FailedFindings). */
  async reportDenied(accountId: string, cause: unknown): Promise<MemberRoleError> {
    const denied = new MemberRoleError(accountId, this.options.access.roleArn(accountId), 'call', cause);
    await this.report(denied);
    return denied;
  }

  private async report(error: MemberRoleError): Promise<void> {
    const name = await this.options.accountName?.(error.accountId).catch(() => undefined);
    await this.options.alarm.report(error, name);
  }
}
