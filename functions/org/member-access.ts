/**
 * Org mode: the monitor runs in a central account and reads, evaluates and imports findings in each
 * member account through one role there (`<memberRoleName>`, created by the member StackSet). Config
 * evaluations and Security Hub custom findings must be written from the member account itself
 * (docs/aws-semantics.md, "Organization rules" and "Security Hub findings"). Credentials are assumed once per account and reused until shortly before they
 * expire; a role that is missing or refuses us becomes a MemberRoleError naming the account and role.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { errorParts, isRetryableError } from '../shared/retry.js';

/** One hour: the default maximum session of a role, and longer than any invocation of ours. */
export const DEFAULT_SESSION_SECONDS = 3600;
/** Credentials are replaced this long before they expire, so no call starts with nearly dead ones. */
export const REFRESH_BEFORE_MS = 5 * 60_000;

/** Error names meaning "this principal may not do this": a missing, untrusting or under-privileged member role. */
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'NoSuchEntity',
  'NoSuchEntityException',
]);

export function isAccessDenied(error: unknown): boolean {
  return DENIED.has(errorParts(error).code);
}

export function isAccessDeniedCode(code: string | undefined): boolean {
  return code !== undefined && DENIED.has(code);
}

export function memberRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

export type MemberRoleStage = 'assume' | 'call';

export class MemberRoleError extends Error {
  readonly code: string;
  constructor(
    readonly accountId: string,
    readonly roleArn: string,
    readonly stage: MemberRoleStage,
    cause: unknown,
  ) {
    const { code, message } = errorParts(cause);
    super(
      stage === 'assume'
        ? `cannot assume member role ${roleArn} in account ${accountId} (${code}: ${message}); the role is missing or does not trust this monitor's roles: check the account's stack instance of the member StackSet`
        : `member role ${roleArn} in account ${accountId} was refused a call (${code}: ${message}); the role lacks a permission: update the account's stack instance of the member StackSet`,
      { cause },
    );
    this.name = 'MemberRoleError';
    this.code = code;
  }
}

export interface MemberAccessOptions {
  /** Created on first use, so a function that never leaves its own account never builds it. */
  readonly sts: () => STSClient;
  readonly roleName: string;
  readonly partition: string;
  /** Names the function in the member's CloudTrail (RoleSessionName, ≤64 chars). */
  readonly sessionName: string;
  /** @default 3600 */
  readonly durationSeconds?: number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: () => number;
}

interface Cached {
  readonly credentials: AwsCredentialIdentity;
  readonly refreshAtMs: number;
}

export class MemberAccess {
  private readonly cache = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<AwsCredentialIdentity>>();
  private client: STSClient | undefined;
  private readonly clock: () => number;
  private readonly durationSeconds: number;

  constructor(private readonly options: MemberAccessOptions) {
    this.clock = options.clock ?? Date.now;
    this.durationSeconds = options.durationSeconds ?? DEFAULT_SESSION_SECONDS;
    if (!/^[\w+=,.@-]{2,64}$/.test(options.sessionName)) throw new Error(`not a role session name: ${JSON.stringify(options.sessionName)}`);
  }

  roleArn(accountId: string): string {
    return memberRoleArn(this.options.partition, accountId, this.options.roleName);
  }

  /** The account's credentials: cached until REFRESH_BEFORE_MS before they expire; concurrent callers share one AssumeRole. */
  async credentialsFor(accountId: string): Promise<AwsCredentialIdentity> {
    const cached = this.cache.get(accountId);
    if (cached !== undefined && this.clock() < cached.refreshAtMs) return cached.credentials;
    const inFlight = this.pending.get(accountId);
    if (inFlight !== undefined) return inFlight;
    const request = this.assume(accountId).finally(() => this.pending.delete(accountId));
    this.pending.set(accountId, request);
    return request;
  }

  private async assume(accountId: string): Promise<AwsCredentialIdentity> {
    if (!/^\d{12}$/.test(accountId)) throw new Error(`not an account id: ${JSON.stringify(accountId)}`);
    const roleArn = this.roleArn(accountId);
    this.client ??= this.options.sts();
    let response;
    try {
      response = await this.client.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: this.options.sessionName, DurationSeconds: this.durationSeconds }),
      );
    } catch (error) {
      // Throttling and outages are retried by the SDK and then by the invoker; anything else is the role's fault.
      if (isRetryableError(error)) throw error;
      throw new MemberRoleError(accountId, roleArn, 'assume', error);
    }
    const c = response.Credentials;
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
      throw new MemberRoleError(accountId, roleArn, 'assume', new Error('AssumeRole returned no credentials'));
    }
    const expiresMs = c.Expiration?.getTime() ?? this.clock() + this.durationSeconds * 1000;
    const credentials: AwsCredentialIdentity = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: new Date(expiresMs),
    };
    this.cache.set(accountId, { credentials, refreshAtMs: expiresMs - REFRESH_BEFORE_MS });
    return credentials;
  }
}
