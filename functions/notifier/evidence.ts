/** The notifier's second stage: every transition appended to the evidence archive before anything else. */
import type { EvidenceWriter } from '../evidence/writer.js';
import type { BatchFailures, Parsed } from './batch.js';

/**
 * The transitions the archive kept go on to Security Hub and SNS; the records it could not keep fail
 * here, so SQS redelivers them and nothing is lost or paged twice. Without an archive all go on.
 */
export async function keepEvidence(
  archive: Pick<EvidenceWriter, 'write'> | undefined,
  items: readonly Parsed[],
  failures: BatchFailures,
): Promise<readonly Parsed[]> {
  if (archive === undefined || items.length === 0) return items;
  const { failed } = await archive.write(items);
  for (const [index, reason] of failed) {
    const item = items[index];
    if (item !== undefined) failures.fail(item.record, `evidence archive write failed (${reason})`);
  }
  return items.filter((_, index) => !failed.has(index));
}
