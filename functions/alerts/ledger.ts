/**
 * The alert ledger: which compliance change was last paged for each rule and resource, so that one
 * change pages once and a late change never pages over a newer one.
 *
 * Why state at all: EventBridge delivers at least once (the same event may arrive twice, even under
 * two event ids), SQS redelivers a record whose batch item failed, and a PROBLEM alert that failed at
 * SNS is retried minutes later — possibly after the RESOLVED alert for the same resource went out.
 * One batch cannot see any of that; only something that outlives the invocation can.
 *
 * Why a DynamoDB table, one item per rule and resource: a conditional write decides "new, duplicate
 * or stale" atomically across concurrent notifiers, and the item's `recordedAt` (Config's
 * resultRecordedTime, which grows with every result of a rule on a resource) orders changes, which
 * deduplication alone cannot. The alternatives fall short: an SNS FIFO topic deduplicates only within
 * five minutes, cannot deliver to email or SMS subscribers, and knows nothing of order; Powertools
 * Idempotency deduplicates identical requests but has no notion of "older than what was already sent",
 * and wraps one call per record where the notifier publishes batches and digests. On demand, a
 * handful of writes per alert costs nothing measurable; items expire by TTL after the longest time a
 * change can still be redelivered (14 days in the dead-letter queue).
 *
 * The protocol, per alert: claim (a conditional put: no item, an older change, or an abandoned claim
 * of this same change), publish, then confirm (mark sent) — or, when publishing fails, release (put
 * back what was there), so the SQS retry can claim again. A claim is a lease: a notifier that dies
 * between claim and confirm leaves a claim that expires with the invocation's time, and the retry
 * (SQS waits a visibility timeout, six times longer) takes it over.
 */
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { errorParts } from '../shared/retry.js';
import type { RuleTransition } from './compliance-change.js';

/** The dead-letter queue keeps a record 14 days; a redriven one must still find its entry. */
export const LEDGER_TTL_DAYS = 15;

export const LEDGER_TABLE_ARN = /^arn:aws[\w-]*:dynamodb:[\w-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;

type Item = Record<string, AttributeValue>;

/** What the ledger needs of a transition: who (rule and resource) and which result (new compliance, recorded when). */
export type LedgerTransition = Pick<RuleTransition, 'ruleId' | 'accountId' | 'region' | 'resourceType' | 'resourceId' | 'newCompliance' | 'recordedAt'>;

export type ClaimResult =
  | { readonly status: 'claimed'; readonly claim: Claim }
  /** This very change was already paged (or is being paged right now). */
  | { readonly status: 'duplicate' }
  /** A newer change of this rule and resource was already paged: this one would say something no longer true. */
  | { readonly status: 'stale' }
  /** The ledger could not be asked: the record is retried later, never paged unchecked. */
  | { readonly status: 'failed'; readonly errorCode: string; readonly errorMessage: string };

/** The ledger key: one rule on one resource in one account and Region. */
export function ledgerKey(transition: LedgerTransition): string {
  return [transition.accountId, transition.region, transition.ruleId, transition.resourceType, transition.resourceId].join('|');
}

export interface AlertLedgerOptions {
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: () => number;
}

export class Claim {
  constructor(
    private readonly ledger: AlertLedger,
    readonly key: string,
    readonly recordedAtMs: number,
    private readonly previous: Item | undefined,
    private readonly item: Item,
  ) {}

  /** The alert went out: the change is SENT, and stays the one later changes are compared with. */
  async confirm(): Promise<void> {
    await this.ledger.write({ ...this.item, state: { S: 'SENT' } }, this.recordedAtMs);
  }

  /** The alert did not go out: the ledger holds what it held before, so the retry can claim again. */
  async release(): Promise<void> {
    if (this.previous === undefined) await this.ledger.remove(this.key, this.recordedAtMs);
    else await this.ledger.write(this.previous, this.recordedAtMs);
  }
}

export class AlertLedger {
  private readonly clock: () => number;

  constructor(
    private readonly client: DynamoDBClient,
    /** The table's ARN (DynamoDB takes it wherever a table name goes). */
    private readonly tableArn: string,
    options: AlertLedgerOptions = {},
  ) {
    if (!LEDGER_TABLE_ARN.test(tableArn)) throw new Error(`not a DynamoDB table ARN: ${JSON.stringify(tableArn)}`);
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Claims the right to page this change for `leaseMs`. Claims of the same rule and resource must be
   * made one after another, oldest change first (the notifier does so).
   */
  async claim(transition: LedgerTransition, leaseMs: number): Promise<ClaimResult> {
    const key = ledgerKey(transition);
    const recordedAtMs = Date.parse(transition.recordedAt);
    const now = this.clock();
    const item: Item = {
      pk: { S: key },
      recordedAt: { N: String(recordedAtMs) },
      compliance: { S: transition.newCompliance },
      state: { S: 'SENDING' },
      leaseUntil: { N: String(now + Math.max(leaseMs, 1_000)) },
      expiresAt: { N: String(Math.floor(now / 1000) + LEDGER_TTL_DAYS * 86_400) },
    };
    try {
      const response = await this.client.send(
        new PutItemCommand({
          TableName: this.tableArn,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR recordedAt < :recordedAt OR (recordedAt = :recordedAt AND #state = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':recordedAt': { N: String(recordedAtMs) }, ':sending': { S: 'SENDING' }, ':now': { N: String(now) } },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { status: 'claimed', claim: new Claim(this, key, recordedAtMs, response.Attributes, item) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const held = Number(error.Item?.recordedAt?.N);
        return { status: held > recordedAtMs ? 'stale' : 'duplicate' };
      }
      const { code, message } = errorParts(error);
      return { status: 'failed', errorCode: code, errorMessage: message };
    }
  }

  /** Writes an item for this key as long as the ledger still holds the claimed change (a newer claim wins). */
  async write(item: Item, claimedAtMs: number): Promise<void> {
    await ignoringConflict(this.client.send(new PutItemCommand({ TableName: this.tableArn, Item: item, ...stillClaimed(claimedAtMs) })));
  }

  async remove(key: string, claimedAtMs: number): Promise<void> {
    await ignoringConflict(this.client.send(new DeleteItemCommand({ TableName: this.tableArn, Key: { pk: { S: key } }, ...stillClaimed(claimedAtMs) })));
  }
}

function stillClaimed(claimedAtMs: number) {
  return { ConditionExpression: 'recordedAt = :claimed', ExpressionAttributeValues: { ':claimed': { N: String(claimedAtMs) } } };
}

/** A newer change took the item over meanwhile: nothing of ours to confirm or put back. */
async function ignoringConflict(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
