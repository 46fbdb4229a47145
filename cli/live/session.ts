/**
 * The AWS side of a live scan: the caller's credentials (the SDK's default chain, `--profile` to
 * choose), who the caller is, the assessor role in other accounts, and the clients for each account
 * and Region, all with the monitor's retry policy and a middleware naming the call in any error.
 */
import { ConfigServiceClient, type ConfigurationRecorderStatus } from '@aws-sdk/client-config-service';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { createLiveReaders, type LiveClient, type LiveClientSettings, type LiveReaders } from '../../functions/inventory/live.js';
import { MemberAccess } from '../../functions/org/member-access.js';
import { listActiveAccounts, organizationsRegion } from '../../functions/org/organization-accounts.js';
import { readRecorders } from '../../functions/recorder-health/status.js';
import { clientSettings } from '../../functions/shared/clients.js';
import { partitionOf } from '../../functions/shared/resources.js';
import { nameFailedCommands } from './errors.js';

/** Names the scan in each account's CloudTrail (RoleSessionName). */
export const SESSION_NAME = 'ccm-live-scan';

/** Where a partition's global calls go when the caller has no default Region. */
const PARTITION_HOME: Readonly<Record<string, string>> = { aws: 'us-east-1', 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-north-1' };

export interface Caller {
  readonly accountId: string;
  readonly arn: string;
  readonly partition: string;
}

export interface SessionOptions {
  readonly profile?: string;
  /** The role assumed in accounts other than the caller's (--role-name). */
  readonly roleName?: string;
  /** Replaces the default chain (tests). */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** Waits between retries, by attempt (tests and the bench shorten them). */
  readonly retryDelay?: (attempt: number) => number;
  /** Merged into every client's configuration (the bench adds latency here). */
  readonly clientDefaults?: Readonly<Record<string, unknown>>;
  /** The credential report's poll wait (tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The caller's credential chain, or the assessor role's credentials in another account. */
export type AccountCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export class LiveSession {
  private readonly chain: AwsCredentialIdentityProvider;
  private caller: Caller | undefined;
  private access: MemberAccess | undefined;
  private readonly readersCache = new Map<string, LiveReaders>();

  constructor(private readonly options: SessionOptions = {}) {
    this.chain = options.credentials ?? defaultProvider(options.profile === undefined ? {} : { profile: options.profile });
  }

  /** Settings for one client: its own retry strategy, the Region, the account's credentials. */
  settings(region: string | undefined, credentials: AccountCredentials = this.chain): LiveClientSettings {
    return {
      ...clientSettings({ ...(region !== undefined && { region }), ...(this.options.retryDelay && { delay: this.options.retryDelay }) }),
      credentials,
      ...(this.options.profile !== undefined && { profile: this.options.profile }),
      ...this.options.clientDefaults,
    };
  }

  private client<C extends LiveClient | STSClient | OrganizationsClient>(client: C): C {
    nameFailedCommands(client);
    return client;
  }

  /** The caller's default Region (AWS_REGION, or the profile's), if any. */
  async defaultRegion(): Promise<string | undefined> {
    try {
      return await new STSClient(this.settings(undefined)).config.region();
    } catch {
      return undefined;
    }
  }

  /** Who the credentials are: GetCallerIdentity needs no permission, so it fails only on the credentials themselves. */
  async whoAmI(region: string): Promise<Caller> {
    if (this.caller !== undefined) return this.caller;
    const identity = await this.client(new STSClient(this.settings(region))).send(new GetCallerIdentityCommand({}));
    if (identity.Account === undefined || identity.Arn === undefined) throw new Error('GetCallerIdentity returned no account');
    this.caller = { accountId: identity.Account, arn: identity.Arn, partition: identity.Arn.split(':')[1] ?? partitionOf(region) };
    return this.caller;
  }

  homeRegionOf(partition: string): string {
    return PARTITION_HOME[partition] ?? 'us-east-1';
  }

  private memberAccess(caller: Caller, region: string): MemberAccess {
    const roleName = this.options.roleName;
    if (roleName === undefined) throw new Error('reading another account needs --role-name');
    this.access ??= new MemberAccess({
      sts: () => this.client(new STSClient(this.settings(region))),
      roleName,
      partition: caller.partition,
      sessionName: SESSION_NAME,
    });
    return this.access;
  }

  /** The account's credentials: the caller's own, or the assessor role's (assumed once, renewed before it expires). */
  async credentialsFor(caller: Caller, accountId: string, region: string): Promise<AccountCredentials> {
    if (accountId === caller.accountId) return this.chain;
    const access = this.memberAccess(caller, region);
    await access.credentialsFor(accountId);
    return () => access.credentialsFor(accountId);
  }

  /** The shared loader's readers in one account and Region (built once). */
  readers(accountId: string, region: string, credentials: AccountCredentials): LiveReaders {
    const key = `${accountId}/${region}`;
    let readers = this.readersCache.get(key);
    if (readers === undefined) {
      readers = createLiveReaders(() => this.settings(region, credentials), {
        configure: (client) => nameFailedCommands(client),
        ...(this.options.sleep && { credentialReportSleep: this.options.sleep }),
      });
      this.readersCache.set(key, readers);
    }
    return readers;
  }

  async recorders(region: string, credentials: AccountCredentials): Promise<ConfigurationRecorderStatus[]> {
    return readRecorders(this.client(new ConfigServiceClient(this.settings(region, credentials))));
  }

  /** The Regions enabled for the account (DescribeRegions, AllRegions false: opted-in and default ones). */
  async enabledRegions(region: string, credentials: AccountCredentials): Promise<string[]> {
    const response = await this.client(new EC2Client(this.settings(region, credentials))).send(new DescribeRegionsCommand({ AllRegions: false }));
    return (response.Regions ?? [])
      .filter((r) => r.OptInStatus === undefined || r.OptInStatus !== 'not-opted-in')
      .map((r) => r.RegionName)
      .filter((name): name is string => name !== undefined)
      .sort();
  }

  /** The organization's ACTIVE accounts (the caller must be the management account or a delegated administrator). */
  async organizationAccounts(caller: Caller): Promise<string[]> {
    return listActiveAccounts(this.client(new OrganizationsClient(this.settings(organizationsRegion(caller.partition)))));
  }
}
