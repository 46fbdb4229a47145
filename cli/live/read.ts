/**
 * Reads every account and Region of a live scan through the shared loader: per account the inputs
 * read once (the IAM credential report), per Region whether Config records, the items of every type
 * the rules read and the Region's other inputs. Accounts and Regions are read a few at a time, each
 * call within the SDK's retry policy. A refused call costs only the rules that need it; any other
 * failure costs its Region, or its account, never the scan.
 */
import { CATALOG, type CatalogEntry } from '../../rules/catalog.js';
import { isAccountWide, isAccountWideInput } from '../../rules/inputs.js';
import type { ConfigurationItem, SkippedItem } from '../../rules/inventory.js';
import type { ExtraInput, InventoryExtras } from '../../rules/types.js';
import { LIVE_INPUTS, loadConfigItems, mergeExtras, readsConfigItems, requestFor, type LiveReaders, type Place } from '../../functions/inventory/live.js';
import { MemberRoleError } from '../../functions/org/member-access.js';
import { recordingProblems } from '../../functions/recorder-health/status.js';
import { inPool } from '../../functions/shared/pool.js';
import { errorParts } from '../../functions/shared/retry.js';
import { LIVE_SCAN_CALLS, RECORDER_STATUS_CALL } from './calls.js';
import { deniedAction, describeError, errorKind, LiveScanError } from './errors.js';
import type { Progress } from './progress.js';
import type { AccountCredentials, Caller, LiveSession } from './session.js';

/** Accounts read at once, and Regions at once within an account: 16 places at most, each a handful of concurrent calls. */
export const ACCOUNTS_AT_ONCE = 4;
export const REGIONS_AT_ONCE = 4;

export type AccountSource = { readonly kind: 'caller' } | { readonly kind: 'list'; readonly ids: readonly string[] } | { readonly kind: 'organization' };

export interface ReadPlan {
  readonly accounts: AccountSource;
  /** Explicit Regions, every Region enabled in each account, or the caller's default Region. */
  readonly regions: readonly string[] | 'all' | 'default';
  /** For messages: the profile named with --profile. */
  readonly profile?: string;
  /** The rules to read for (--rules, --skip-rules); by default every rule. */
  readonly rules?: readonly CatalogEntry[];
}

/** An input the rules need that AWS refused to give: those rules could not be evaluated there. */
export interface Denial {
  readonly input: 'configItems' | ExtraInput;
  /** The IAM action refused (or, when AWS did not say which call, the input's actions). */
  readonly action: string;
  readonly message: string;
}

/** The inputs besides configuration items read in one place, and those AWS refused. */
interface InputsRead {
  readonly extras: InventoryExtras;
  readonly denied: readonly Denial[];
}

export interface PlaceRead extends Place, InputsRead {
  /** Config does not record here (why, and what to do): its Config-based rules are skipped. */
  readonly notRecording?: string;
  /** Recording, but with a problem worth saying (its last recording failed). */
  readonly recordingWarning?: string;
  readonly items: readonly ConfigurationItem[];
  readonly skipped: readonly SkippedItem[];
  /** The Region could not be read: nothing of it is evaluated. */
  readonly failure?: string;
}

/** An account: its Regions, and (as InputsRead) what is read once per account. */
export interface AccountRead extends InputsRead {
  readonly accountId: string;
  /** The account could not be read at all (role not assumable, Regions not listed). */
  readonly failure?: string;
  readonly places: readonly PlaceRead[];
  /** The account-wide inputs could not be read (other than refused). */
  readonly accountFailure?: string;
}

export interface LiveRead {
  readonly caller: Caller;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly accounts: readonly AccountRead[];
}

/** A scan's rules by where they run: in each Region of an account, or once per account (IAM, the trails). */
export interface RulesByScope {
  readonly regional: readonly CatalogEntry[];
  readonly accountWide: readonly CatalogEntry[];
}

export function rulesByScope(rules: readonly CatalogEntry[] = CATALOG): RulesByScope {
  return { regional: rules.filter((entry) => !isAccountWide(entry)), accountWide: rules.filter(isAccountWide) };
}
/** Kinds of recorder problem that mean Config keeps no current inventory. */
const NOT_RECORDING = new Set(['no-recorder', 'stopped', 'recording-unknown']);

const actionsOf = (input: 'configItems' | ExtraInput): string[] =>
  LIVE_SCAN_CALLS.filter((call) => call.for === input && call !== RECORDER_STATUS_CALL).map((call) => call.action);

function denial(input: Denial['input'], error: unknown, candidates = actionsOf(input)): Denial {
  return { input, action: deniedAction(error, candidates) ?? candidates.join(', '), message: errorParts(error).message };
}

class StageFailure extends Error {
  constructor(stage: string, cause: unknown, profile?: string) {
    super(`${stage}: ${describeError(cause, { ...(profile !== undefined && { profile }) })}`, { cause });
  }
}

/** Runs a stage, telling the progress display; the error is the stage's, named. */
async function stage<T>(
  progress: Progress,
  where: { accountId: string; region?: string },
  name: string,
  work: () => Promise<T>,
  count?: (value: T) => number,
): Promise<T> {
  progress({ ...where, stage: name, state: 'start' });
  try {
    const value = await work();
    progress({ ...where, stage: name, state: 'done', ...(count && { items: count(value) }) });
    return value;
  } catch (error) {
    progress({
      ...where,
      stage: name,
      state: 'failed',
      note: error instanceof MemberRoleError ? `cannot assume ${error.roleArn} (${error.code})` : describeError(error),
    });
    throw error;
  }
}

interface ReadContext {
  readonly session: LiveSession;
  readonly plan: ReadPlan;
  readonly rules: RulesByScope;
  readonly caller: Caller;
  readonly homeRegion: string;
  readonly progress: Progress;
}

async function readPlace(
  context: ReadContext,
  readers: LiveReaders,
  place: Place,
  readRecorders: () => ReturnType<LiveSession['recorders']>,
): Promise<PlaceRead> {
  const { progress } = context;
  const where = { accountId: place.accountId, region: place.region };
  const denied: Denial[] = [];
  let notRecording: string | undefined;
  let recordingWarning: string | undefined;
  try {
    const recorders = await stage(progress, where, 'Config recorder', readRecorders);
    const problems = recordingProblems(recorders, place.region);
    const off = problems.find((problem) => NOT_RECORDING.has(problem.kind));
    if (off !== undefined) {
      notRecording = `AWS Config is not recording in ${place.region} of ${place.accountId} (${off.detail}); its Config-based rules were skipped, not passed. To scan it, turn recording on: ${off.fix}`;
      progress({ ...where, stage: 'Config recorder', state: 'skipped', note: 'Config is not recording: Config-based rules skipped' });
    }
    const failing = problems.find((problem) => problem.kind === 'recording-failed');
    if (failing !== undefined) recordingWarning = `In ${place.region} of ${place.accountId}, ${failing.detail}; items may be out of date. ${failing.fix}`;
  } catch (error) {
    if (errorKind(error) !== 'denied')
      return { ...place, items: [], skipped: [], extras: {}, denied, failure: new StageFailure('Config recorder', error, context.plan.profile).message };
    denied.push(denial('configItems', error, [RECORDER_STATUS_CALL.action]));
  }
  const configReadable = notRecording === undefined && denied.length === 0;
  const runnable = context.rules.regional.filter((entry) => configReadable || !readsConfigItems(entry));
  const types = configReadable ? requestFor([...runnable, ...context.rules.accountWide]).types : [];
  const needs = requestFor(runnable).needs.filter((kind) => !isAccountWideInput(kind));
  const tasks: { input: Denial['input']; run: () => Promise<unknown> }[] = [];
  let loaded: { items: ConfigurationItem[]; skipped: SkippedItem[] } = { items: [], skipped: [] };
  const parts: InventoryExtras[] = [];
  if (types.length > 0) {
    tasks.push({
      input: 'configItems',
      run: () =>
        stage(
          progress,
          where,
          'Config query',
          async () => (loaded = await loadConfigItems(readers, types, (rows) => progress({ ...where, stage: 'Config query', state: 'progress', items: rows }))),
          (value) => value.items.length + value.skipped.length,
        ),
    });
  }
  for (const kind of needs)
    tasks.push({
      input: kind,
      run: async () => parts.push(await stage(progress, where, LIVE_INPUTS[kind].label, () => LIVE_INPUTS[kind].load(readers, place))),
    });
  const settled = await Promise.allSettled(tasks.map((task) => task.run()));
  let failure: string | undefined;
  settled.forEach((result, i) => {
    const task = tasks[i];
    if (result.status === 'fulfilled' || task === undefined) return;
    if (errorKind(result.reason) === 'denied') denied.push(denial(task.input, result.reason));
    else
      failure ??= new StageFailure(task.input === 'configItems' ? 'Config query' : LIVE_INPUTS[task.input].label, result.reason, context.plan.profile).message;
  });
  return {
    ...place,
    ...(notRecording !== undefined && { notRecording }),
    ...(recordingWarning !== undefined && { recordingWarning }),
    items: loaded.items,
    skipped: loaded.skipped,
    extras: mergeExtras(parts),
    denied,
    ...(failure !== undefined && { failure }),
  };
}

/** Inputs read once per account, through the first Region's clients (IAM is global). */
async function readAccountInputs(context: ReadContext, readers: LiveReaders, place: Place): Promise<Pick<AccountRead, 'extras' | 'denied' | 'accountFailure'>> {
  const needs = requestFor(context.rules.accountWide).needs.filter(isAccountWideInput);
  const parts: InventoryExtras[] = [];
  const denied: Denial[] = [];
  let accountFailure: string | undefined;
  for (const kind of needs) {
    try {
      parts.push(await stage(context.progress, { accountId: place.accountId }, LIVE_INPUTS[kind].label, () => LIVE_INPUTS[kind].load(readers, place)));
    } catch (error) {
      if (errorKind(error) === 'denied') denied.push(denial(kind, error));
      else accountFailure ??= new StageFailure(LIVE_INPUTS[kind].label, error, context.plan.profile).message;
    }
  }
  return { extras: mergeExtras(parts), denied, ...(accountFailure !== undefined && { accountFailure }) };
}

async function readAccount(context: ReadContext, accountId: string): Promise<AccountRead> {
  const { session, plan, caller, homeRegion, progress } = context;
  const failed = (failure: string): AccountRead => ({ accountId, failure, places: [], extras: {}, denied: [] });
  let account: AccountCredentials;
  let regions: readonly string[];
  try {
    account =
      accountId === caller.accountId
        ? await session.credentialsFor(caller, accountId, homeRegion)
        : await stage(progress, { accountId }, 'assume role', () => session.credentialsFor(caller, accountId, homeRegion));
    const credentials = account;
    regions =
      plan.regions === 'all'
        ? await stage(
            progress,
            { accountId },
            'list Regions',
            () => session.enabledRegions(homeRegion, credentials),
            (list) => list.length,
          )
        : plan.regions === 'default'
          ? [homeRegion]
          : plan.regions;
  } catch (error) {
    if (error instanceof MemberRoleError) {
      const { code, message } = errorParts(error.cause);
      return failed(
        `cannot assume ${error.roleArn} (${code}: ${message}); create the role in ${accountId} with the assessor policy, trusting ${caller.arn}, or leave the account out`,
      );
    }
    return failed(describeError(error, { ...(plan.profile !== undefined && { profile: plan.profile }) }));
  }
  const first = regions[0] ?? homeRegion;
  const [accountInputs, places] = await Promise.all([
    readAccountInputs(context, session.readers(accountId, first, account), { accountId, region: first }),
    inPool(regions, REGIONS_AT_ONCE, (region) =>
      readPlace(context, session.readers(accountId, region, account), { accountId, region }, () => session.recorders(region, account)),
    ),
  ]);
  return { accountId, places, ...accountInputs };
}

/** The accounts to read: the caller's, the listed ones, or the organization's active ones. */
async function accountsToRead(context: ReadContext): Promise<readonly string[]> {
  const { plan, caller, session } = context;
  if (plan.accounts.kind === 'caller') return [caller.accountId];
  if (plan.accounts.kind === 'list') return plan.accounts.ids;
  try {
    return await stage(
      context.progress,
      { accountId: caller.accountId },
      'list organization accounts',
      () => session.organizationAccounts(caller),
      (ids) => ids.length,
    );
  } catch (error) {
    const why = errorParts(error).code === 'AWSOrganizationsNotInUseException' ? `account ${caller.accountId} is not in an organization` : describeError(error);
    throw new LiveScanError(
      `--organization: cannot list the organization's accounts (${why}); run from the management account or a delegated administrator, or name the accounts with --accounts`,
      { cause: error },
    );
  }
}

export async function readLive(plan: ReadPlan, session: LiveSession, progress: Progress, clock: () => Date = () => new Date()): Promise<LiveRead> {
  const startedAt = clock();
  const configured = Array.isArray(plan.regions) ? (plan.regions as readonly string[])[0] : undefined;
  const preferred = configured ?? (await session.defaultRegion());
  if (plan.regions === 'default' && preferred === undefined) {
    throw new LiveScanError('no Region to read: pass --region R (repeatable) or --all-regions, or set a default Region (AWS_REGION, or region in the profile)');
  }
  let caller: Caller;
  try {
    caller = await session.whoAmI(preferred ?? 'us-east-1');
  } catch (error) {
    throw new LiveScanError(`cannot read AWS: ${describeError(error, { ...(plan.profile !== undefined && { profile: plan.profile }) })}`, { cause: error });
  }
  const homeRegion = preferred ?? session.homeRegionOf(caller.partition);
  const context: ReadContext = { session, plan, rules: rulesByScope(plan.rules), caller, homeRegion, progress };
  const ids = await accountsToRead(context);
  const accounts = await inPool(ids, ACCOUNTS_AT_ONCE, (accountId) => readAccount(context, accountId));
  return { caller, startedAt, finishedAt: clock(), accounts };
}
