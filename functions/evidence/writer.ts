/**
 * Appends compliance transitions to the evidence archive: one PutObject per batch and day (see
 * ./transitions.ts for keys and format). The bucket's default encryption (the monitor's KMS key) and
 * Object Lock default retention apply to every object; S3 requires a checksum on writes to a bucket
 * with Object Lock (docs/aws-semantics.md, "Evidence archive"), so each PutObject carries a SHA-256
 * one, which also lets an auditor check the object later (GetObjectAttributes). Throttling and server errors are retried by the client's retry
 * strategy; what still fails is returned per item, so the caller retries exactly those records.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CatalogEntry } from '../../rules/catalog.js';
import type { RuleTransition } from '../alerts/compliance-change.js';
import { errorParts } from '../shared/retry.js';
import { byDay, toJsonLines, toTransitionRecord, transitionsKey } from './transitions.js';

export interface ArchiveItem {
  readonly transition: RuleTransition;
  readonly entry: CatalogEntry;
}

export interface ArchiveResult {
  /** Keys written. */
  readonly written: string[];
  /** Position of each item that was not kept, with why. */
  readonly failed: Map<number, string>;
}

export const JSON_LINES_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';

export class EvidenceWriter {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`not an S3 bucket name: ${JSON.stringify(bucket)}`);
  }

  async write(items: readonly ArchiveItem[]): Promise<ArchiveResult> {
    const result: ArchiveResult = { written: [], failed: new Map() };
    const records = items.map((item) => toTransitionRecord(item.transition, item.entry));
    for (const indexes of byDay(records).values()) {
      const day = indexes.flatMap((i) => (records[i] === undefined ? [] : [records[i]]));
      const key = transitionsKey(day);
      try {
        await this.s3.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: toJsonLines(day), ContentType: JSON_LINES_CONTENT_TYPE, ChecksumAlgorithm: 'SHA256' }),
        );
        result.written.push(key);
      } catch (error) {
        const { code, message } = errorParts(error);
        for (const index of indexes) result.failed.set(index, `${code}: ${message}`);
      }
    }
    return result;
  }
}
