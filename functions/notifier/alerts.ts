/**
 * The notifier's last stage: on-call is paged over SNS for the delivered transitions that need a
 * person, one message each, or one digest when the batch holds more than the digest threshold. The
 * alert ledger (functions/alerts/ledger.ts) decides which may page: a change already paged (twice in
 * the batch, redelivered, or sent by EventBridge under two event ids) pages once, and one older than a
 * change already paged for the same rule and resource (a PROBLEM retried after its RESOLVED went out)
 * not at all.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { ledgerKey, type AlertLedger, type Claim } from '../alerts/ledger.js';
import type { AlertPublisher } from '../alerts/publisher.js';
import { buildDigest, toAlert, transitionKind, type Alert } from '../alerts/to-alert.js';
import type { AccountNames } from '../org/account-names.js';
import type { BatchFailures, Parsed } from './batch.js';

export interface AlertStage {
  readonly ledger: Pick<AlertLedger, 'claim'>;
  readonly publisher: Pick<AlertPublisher, 'publish'>;
  readonly logger: Logger;
  /** More alertable transitions than this in one batch → one digest instead. */
  readonly digestThreshold: number;
  /** The settings' display name of the function's own account. */
  readonly accountName?: string;
  /** Org mode: alerts name each account, by its AWS Organizations name. */
  readonly org?: { readonly accountNames?: Pick<AccountNames, 'namesOf'> };
}

export interface AlertOutcome {
  readonly sent: number;
  readonly failed: number;
  readonly digest: boolean;
  /** Transitions already paged: twice in this batch, redelivered, or under another event id. */
  readonly duplicate: number;
  /** Transitions older than one already paged for the same rule and resource. */
  readonly stale: number;
}

/** A transition the ledger let through: paged by this run, then confirmed or released. */
interface Claimed extends Parsed {
  readonly claim: Claim;
}

/** Where the run stands: how long a claim holds (the invocation's remaining time), and the function's own account. */
export interface AlertContext {
  readonly leaseMs: number;
  readonly ownAccount: string | undefined;
}

/** Claims, oldest change first, then pages; a record whose claim or page failed fails. */
export async function alertOnCall(stage: AlertStage, items: readonly Parsed[], context: AlertContext, failures: BatchFailures): Promise<AlertOutcome> {
  const alertable = items
    .filter((item) => transitionKind(item.transition.oldCompliance, item.transition.newCompliance) !== undefined)
    .sort((a, b) => Date.parse(a.transition.recordedAt) - Date.parse(b.transition.recordedAt));
  const claims = await claimAll(stage.ledger, alertable, context.leaseMs, failures);
  const published = await publishAlerts(stage, claims.claimed, context.ownAccount, failures);
  return { ...published, duplicate: claims.duplicate, stale: claims.stale };
}

/**
 * Asks the ledger, per transition, whether it may page. The same change twice in this batch is
 * settled here; changes of one rule and resource are claimed one after another, oldest first, and
 * different ones concurrently. A ledger that cannot be asked fails the record (SQS retries it):
 * a page is delayed, never sent unchecked.
 */
async function claimAll(
  ledger: AlertStage['ledger'],
  alertable: readonly Parsed[],
  leaseMs: number,
  failures: BatchFailures,
): Promise<{ claimed: Claimed[]; duplicate: number; stale: number }> {
  const byKey = new Map<string, Parsed[]>();
  let duplicate = 0;
  let stale = 0;
  for (const item of alertable) {
    const key = ledgerKey(item.transition);
    const same = byKey.get(key);
    if (same === undefined) byKey.set(key, [item]);
    else if (same.some((other) => other.transition.recordedAt === item.transition.recordedAt)) duplicate++;
    else same.push(item);
  }
  const claimed = new Map<Parsed, Claim>();
  await Promise.all(
    [...byKey.values()].map(async (items) => {
      for (const item of items) {
        const result = await ledger.claim(item.transition, leaseMs);
        if (result.status === 'claimed') claimed.set(item, result.claim);
        else if (result.status === 'duplicate') duplicate++;
        else if (result.status === 'stale') stale++;
        else failures.fail(item.record, `alert ledger unavailable (${result.errorCode}: ${result.errorMessage})`);
      }
    }),
  );
  return { claimed: alertable.flatMap((item) => (claimed.has(item) ? [{ ...item, claim: claimed.get(item) as Claim }] : [])), duplicate, stale };
}

/** Pages one alert per transition, or one digest; confirms the claims of what went out and releases the rest. */
async function publishAlerts(
  stage: AlertStage,
  claimed: readonly Claimed[],
  ownAccount: string | undefined,
  failures: BatchFailures,
): Promise<{ sent: number; failed: number; digest: boolean }> {
  const digest = claimed.length > stage.digestThreshold;
  const names = await accountNamesFor(
    stage,
    claimed.map((item) => item.transition.accountId),
    ownAccount,
  );
  const groups = digest ? [{ alert: buildDigest(claimed, { ...ownName(stage), accountNames: names }), items: claimed }] : oneEach(stage, claimed, names);
  const published = await stage.publisher.publish(groups.map((g) => g.alert));
  const failedGroups = new Set<number>();
  for (const failed of published.failed) {
    failedGroups.add(failed.index);
    for (const item of groups[failed.index]?.items ?? []) failures.fail(item.record, `SNS publish failed (${failed.errorCode}: ${failed.errorMessage})`);
  }
  // What went out is confirmed; the rest (a failed publish, or a transition toAlert declined) is put back.
  const paged = new Set(groups.flatMap((group, index) => (failedGroups.has(index) ? [] : group.items)));
  await settle(stage.logger, claimed, paged);
  return { sent: published.sent.length, failed: published.failed.length, digest };
}

function oneEach(stage: AlertStage, claimed: readonly Claimed[], names: Readonly<Record<string, string>>): { alert: Alert; items: readonly Claimed[] }[] {
  return claimed.flatMap((item) => {
    const name = names[item.transition.accountId];
    const alert = toAlert(item.transition, item.entry, stage.org === undefined ? ownName(stage) : name === undefined ? {} : { accountName: name });
    return alert === undefined ? [] : [{ alert, items: [item] }];
  });
}

async function settle(logger: Logger, claimed: readonly Claimed[], paged: ReadonlySet<Claimed>): Promise<void> {
  const outcomes = await Promise.allSettled(claimed.map((item) => (paged.has(item) ? item.claim.confirm() : item.claim.release())));
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') {
      const { name } = outcome.reason as Error;
      logger.warn('alert ledger not updated; its claim expires with this invocation', { errorCode: name });
    }
  }
}

/** Org mode: each account's AWS Organizations name; the settings' accountName for the function's own account. */
async function accountNamesFor(stage: AlertStage, accounts: readonly string[], own: string | undefined): Promise<Record<string, string>> {
  if (stage.org === undefined) return {};
  const configured = stage.accountName !== undefined && own !== undefined ? { [own]: stage.accountName } : {};
  const unknown = accounts.filter((account) => !(account in configured));
  const looked = stage.org.accountNames === undefined || unknown.length === 0 ? {} : await stage.org.accountNames.namesOf(unknown);
  return { ...looked, ...configured };
}

function ownName(stage: AlertStage): { accountName?: string } {
  return stage.accountName === undefined ? {} : { accountName: stage.accountName };
}
