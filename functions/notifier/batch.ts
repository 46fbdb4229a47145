/**
 * What the notifier's stages (./handler.ts) hand on: the transitions parsed from a batch's records,
 * and the records that failed. SQS retries exactly those (Lambda's ReportBatchItemFailures).
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { CatalogEntry } from '../../rules/catalog.js';
import type { RuleTransition } from '../alerts/compliance-change.js';

/** A record holding a transition of one of our rules, with its catalog entry and its finding. */
export interface Parsed {
  readonly record: SQSRecord;
  readonly transition: RuleTransition;
  readonly entry: CatalogEntry;
  readonly finding: AwsSecurityFinding;
}

/** The failed records of one batch, each with the reason it failed first. */
export class BatchFailures {
  private readonly reasons = new Map<string, string>();

  fail(record: Pick<SQSRecord, 'messageId'>, reason: string): void {
    if (!this.reasons.has(record.messageId)) this.reasons.set(record.messageId, reason);
  }

  /** Message id and reason of each failed record, in the order they failed. */
  entries(): [string, string][] {
    return [...this.reasons];
  }

  /** The batch item failures, in the batch's order: SQS deletes every other record. */
  response(records: readonly Pick<SQSRecord, 'messageId'>[]): SQSBatchResponse {
    return { batchItemFailures: records.filter((record) => this.reasons.has(record.messageId)).map((record) => ({ itemIdentifier: record.messageId })) };
  }
}
