/** The `--live` options of `npm run scan`, and what they make of a read plan (or which usage error). */
import { Option, type Command } from 'commander';
import type { ReadPlan } from './read.js';

export interface LiveOptions {
  readonly live?: boolean;
  readonly region?: readonly string[];
  readonly allRegions?: boolean;
  readonly profile?: string;
  readonly accounts?: string;
  readonly roleName?: string;
  readonly organization?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The options only --live takes: given without it, each is a usage error. */
const LIVE_ONLY: readonly (keyof LiveOptions)[] = ['region', 'allRegions', 'profile', 'accounts', 'roleName', 'organization'];
const FLAG: Readonly<Record<keyof LiveOptions, string>> = {
  live: '--live',
  region: '--region',
  allRegions: '--all-regions',
  profile: '--profile',
  accounts: '--accounts',
  roleName: '--role-name',
  organization: '--organization',
};

export function addLiveOptions(program: Command): Command {
  return program
    .addOption(
      new Option('--live', 'read AWS now with your credentials (read-only) instead of files').conflicts(['snapshot', 'credentialReport', 'backupSelections']),
    )
    .addOption(
      new Option('--region <region>', 'with --live: a Region to read; repeatable (default: your default Region)').argParser(collect).conflicts('allRegions'),
    )
    .option('--all-regions', 'with --live: every Region enabled in each account (EC2 DescribeRegions)')
    .option('--profile <name>', 'with --live: the AWS profile whose credentials to use (default: the standard credential chain)')
    .addOption(new Option('--accounts <ids>', 'with --live: comma-separated account ids to read, through --role-name in each').conflicts('organization'))
    .option('--role-name <name>', 'with --live: the read-only assessor role to assume in each account other than your own')
    .option(
      '--organization',
      'with --live: every ACTIVE account of your organization, through --role-name (from the management account or a delegated administrator)',
    );
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** Without --live: the live-only options given anyway, as a usage error. */
export function strayLiveOptions(options: LiveOptions): string | undefined {
  const stray = LIVE_ONLY.filter((key) => options[key] !== undefined);
  return stray.length === 0 ? undefined : `${stray.map((key) => FLAG[key]).join(', ')} ${stray.length === 1 ? 'needs' : 'need'} --live`;
}

/** The read plan of --live, or a usage error in one sentence (exit 2). */
export function readPlanFrom(options: LiveOptions): ReadPlan | { readonly problem: string } {
  const regions = options.region ?? [];
  const badRegion = regions.find((region) => !REGION.test(region));
  if (badRegion !== undefined) return { problem: `--region ${JSON.stringify(badRegion)} is not a Region code (e.g. us-east-1)` };
  let accounts: ReadPlan['accounts'] = { kind: 'caller' };
  if (options.accounts !== undefined) {
    const ids = options.accounts.split(',').map((id) => id.trim());
    const bad = ids.find((id) => !ACCOUNT.test(id));
    if (bad !== undefined)
      return { problem: `--accounts: ${JSON.stringify(bad)} is not a 12-digit account id (give them comma-separated, e.g. 111122223333,444455556666)` };
    accounts = { kind: 'list', ids: [...new Set(ids)] };
  }
  if (options.organization === true) accounts = { kind: 'organization' };
  if (accounts.kind !== 'caller' && options.roleName === undefined)
    return { problem: `${accounts.kind === 'list' ? '--accounts' : '--organization'} needs --role-name NAME: the read-only role to assume in each account` };
  if (accounts.kind === 'caller' && options.roleName !== undefined)
    return { problem: '--role-name needs --accounts or --organization: without them only your own account is read' };
  if (options.roleName !== undefined && !ROLE_NAME.test(options.roleName))
    return { problem: `--role-name ${JSON.stringify(options.roleName)} is not an IAM role name` };
  return {
    accounts,
    regions: options.allRegions === true ? 'all' : regions.length > 0 ? [...new Set(regions)] : 'default',
    ...(options.profile !== undefined && { profile: options.profile }),
  };
}

export const isProblem = (plan: ReadPlan | { readonly problem: string }): plan is { readonly problem: string } => 'problem' in plan;
