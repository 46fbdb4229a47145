/**
 * The archived compliance transitions of some months: every object under each month's prefix
 * (ListObjectsV2, 1,000 keys a page, every page), read a few at a time (GetObject) and parsed. An
 * object or a listing that cannot be read is reported with its key and the error, and the rest is
 * read: the report says what it could not see.
 */
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { SkippedItem } from '../../rules/inventory.js';
import { monthPrefix, parseJsonLines, type Month, type TransitionRecord } from '../evidence/transitions.js';
import { inPool } from '../shared/pool.js';
import { errorParts } from '../shared/retry.js';

export const LIST_PAGE_SIZE = 1000;
/** GetObject calls at once: enough to read a month in seconds, far under S3's per-prefix request rates. */
export const READ_CONCURRENCY = 8;

export interface ArchivedTransitions {
  readonly records: TransitionRecord[];
  /** Objects and lines that could not be read. */
  readonly problems: SkippedItem[];
  readonly objects: number;
  readonly bytes: number;
}

export async function readArchivedTransitions(
  s3: S3Client,
  bucket: string,
  months: readonly Month[],
  concurrency = READ_CONCURRENCY,
): Promise<ArchivedTransitions> {
  const result = { records: [] as TransitionRecord[], problems: [] as SkippedItem[], objects: 0, bytes: 0 };
  const keys: string[] = [];
  for (const month of months) {
    const prefix = monthPrefix(month);
    try {
      for await (const page of paginateListObjectsV2({ client: s3, pageSize: LIST_PAGE_SIZE }, { Bucket: bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      }
    } catch (error) {
      const { code, message } = errorParts(error);
      result.problems.push({ source: `s3://${bucket}/${prefix}`, location: 'ListObjectsV2', reason: `${code}: ${message}` });
    }
  }
  const bodies = await inPool(keys, concurrency, async (key) => {
    try {
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { key, body: (await response.Body?.transformToString('utf-8')) ?? '' };
    } catch (error) {
      const { code, message } = errorParts(error);
      return { key, error: `${code}: ${message}` };
    }
  });
  for (const read of bodies) {
    const source = `s3://${bucket}/${read.key}`;
    if (read.body === undefined) {
      result.problems.push({ source, location: 'GetObject', reason: read.error ?? 'no body' });
      continue;
    }
    const parsed = parseJsonLines(read.body, source);
    result.records.push(...parsed.records);
    result.problems.push(...parsed.problems);
    result.objects++;
    result.bytes += Buffer.byteLength(read.body);
  }
  return result;
}
