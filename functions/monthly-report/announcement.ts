/**
 * The one SNS message announcing a monthly report on the alert topic: where the three files are, the
 * headline figures, and what could not be read. Attribute `transition` = `report`, so subscribers
 * filter it like the alerts (a filter on severity, ruleId, accountId or compliance does not match it:
 * the report has no single value of those).
 */
import { MAX_MESSAGE_BYTES, MAX_SUBJECT_CHARS, oneLine, type Alert } from '../alerts/to-alert.js';
import { serviceConsoleUrl } from '../shared/resources.js';
import type { MonthlyDocuments, ReportKeys } from './report.js';

/** Lines of "not read" listed in the message; the report lists every one. */
const MAX_GAP_LINES = 50;

export interface AnnouncementTarget {
  readonly bucket: string;
  readonly keys: ReportKeys;
  readonly region: string;
  /** The function's own account (the archive's), for the console link. */
  readonly accountId: string;
  /** The account's display name (settings accountName). */
  readonly accountName?: string;
}

function fixLine(figures: MonthlyDocuments['summary']['month']): string {
  const opened = figures.bySeverity.reduce((n, s) => n + s.opened, 0);
  const fixed = figures.bySeverity.reduce((n, s) => n + s.fixed, 0);
  const closed = figures.bySeverity.reduce((n, s) => n + s.closed, 0);
  const timed = figures.bySeverity
    .filter((s) => s.medianHoursToFix !== null)
    .map((s) => `${s.severity} median ${s.medianHoursToFix} h, 90th percentile ${s.p90HoursToFix} h`);
  return `In ${figures.month}: ${opened} problems opened, ${fixed} fixed, ${closed} closed (deleted, out of scope or exempted).${timed.length > 0 ? ` Time to fix: ${timed.join('; ')}.` : ''}`;
}

export function reportAnnouncement(documents: MonthlyDocuments, target: AnnouncementTarget): Alert {
  const { summary } = documents;
  const figures = summary.month;
  const accounts = figures.accountsRead.length + figures.accountsNotRead.length;
  const where =
    accounts === 1 && target.accountName !== undefined
      ? `${oneLine(target.accountName)} (${target.accountId})`
      : `${accounts} account${accounts === 1 ? '' : 's'}, ${target.region}`;
  const head = `[REPORT${documents.complete ? '' : ' INCOMPLETE'}] HIPAA evidence ${figures.month}: ${summary.compliance.NON_COMPLIANT} non-compliant`;
  const subject = `${head} — ${where}`.length <= MAX_SUBJECT_CHARS ? `${head} — ${where}` : `${head} — ${target.region}`;
  const s3 = (key: string) => `s3://${target.bucket}/${key}`;
  const folder = target.keys.html.slice(0, target.keys.html.lastIndexOf('/') + 1);
  const consoleUrl = serviceConsoleUrl(
    { resourceType: 'AWS::S3::Bucket', resourceId: target.bucket, accountId: target.accountId, region: target.region },
    target.region,
  );
  const c = summary.compliance;
  const lines = [
    `The HIPAA evidence report for ${figures.month} (${figures.from.slice(0, 10)} to the end of the month, UTC) is in the evidence archive, kept under S3 Object Lock.`,
    '',
    `  HTML (open in a browser; print to PDF to file it): ${s3(target.keys.html)}`,
    `  CSV (one row per evaluation):                     ${s3(target.keys.csv)}`,
    `  JSON:                                             ${s3(target.keys.json)}`,
    '',
    `Download all three: aws s3 cp ${s3(folder)} . --recursive --region ${target.region}`,
    ...(consoleUrl === undefined ? [] : [`In the console: ${consoleUrl}&prefix=${encodeURIComponent(folder)}`]),
    '',
    `Now: ${summary.resourcesEvaluated} resources, ${summary.evaluations} evaluations: ${c.COMPLIANT} compliant, ${c.NON_COMPLIANT} non-compliant, ${c.NOT_APPLICABLE} not applicable.`,
    fixLine(figures),
  ];
  if (!documents.complete) {
    lines.push('', `NOT READ (${documents.gaps.length}) — the report is incomplete; the monthly-report function's error alarm fires:`);
    lines.push(...documents.gaps.slice(0, MAX_GAP_LINES).map((gap) => `  ${oneLine(gap)}`));
    if (documents.gaps.length > MAX_GAP_LINES)
      lines.push(`  … and ${documents.gaps.length - MAX_GAP_LINES} more, listed in the report under "What was not evaluated".`);
  }
  let message = lines.join('\n');
  // Gap lines carry AWS error messages of unbounded length: keep the whole within SNS's limit.
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES - 1024) message = `${message.slice(0, MAX_MESSAGE_BYTES / 4)}\n  … (cut; see the report)`;
  return { subject, message, attributes: { transition: { DataType: 'String', StringValue: 'report' } } };
}
