/**
 * The monthly evidence report as documents, from what the function read: the current evaluations of
 * every account read, and the archived transitions. The same renderers as the offline scan (HTML, CSV,
 * JSON); the month's figures (problems opened, fixed and closed per severity, median and 90th-percentile
 * time to fix, accounts not read) travel in the summary as `month`, which the JSON carries and the HTML
 * lists under "Other figures". What could not be read is listed among the input items that could not be
 * read, so the HTML says it where an auditor looks for gaps. Pure: nothing here calls AWS or reads
 * the clock.
 */
import { CATALOG } from '../../rules/catalog.js';
import type { SkippedItem } from '../../rules/inventory.js';
import type { Evaluation } from '../../rules/types.js';
import type { Month } from '../evidence/transitions.js';
import { REPORTS_PREFIX } from '../evidence/transitions.js';
import { toCsv } from '../reports/csv.js';
import { toHtml } from '../reports/html.js';
import type { InputFile, ScanSummary } from '../reports/model.js';
import { summarize, toJson } from '../reports/summary.js';
import type { ArchivedTransitions } from './archive-reader.js';
import type { AccountResults } from './config-results.js';
import type { ReportPeriod } from './period.js';
import { distinctRecords, LOOKBACK_MONTHS, timeToFix, type SeverityFigures } from './time-to-fix.js';

/** One account's read: its results, or why they could not be read. */
export type AccountOutcome = { readonly accountId: string; readonly results: AccountResults } | { readonly accountId: string; readonly error: string };

export interface MonthlyReportInput {
  readonly period: ReportPeriod;
  /** When the results were read: the report's "evaluated as of". */
  readonly generatedAt: Date;
  readonly region: string;
  readonly bucket: string;
  readonly configRulePrefix: string;
  readonly enabledRuleIds: readonly string[];
  readonly accounts: readonly AccountOutcome[];
  /** Org-wide: why the organization's accounts could not be listed (then only the central account was read). */
  readonly accountListError?: string;
  /** The reported month's records. */
  readonly month: ArchivedTransitions;
  /** The months before it (see LOOKBACK_MONTHS), to time fixes of problems opened earlier. */
  readonly lookback: ArchivedTransitions;
  readonly exemptionTagKey: string;
  readonly version: string;
}

export interface MonthFigures {
  readonly month: Month;
  readonly from: string;
  /** Exclusive: the first instant of the next month. */
  readonly to: string;
  /** Distinct compliance transitions AWS Config recorded in the month. */
  readonly transitions: number;
  /** Records archived twice (a retried batch), counted once. */
  readonly duplicateRecords: number;
  readonly lookbackMonths: number;
  readonly bySeverity: SeverityFigures[];
  readonly accountsRead: string[];
  readonly accountsNotRead: { readonly accountId: string; readonly reason: string }[];
}

export type MonthlySummary = ScanSummary & { readonly month: MonthFigures };

export interface MonthlyDocuments {
  readonly evaluations: Evaluation[];
  readonly summary: MonthlySummary;
  readonly html: string;
  readonly csv: string;
  readonly json: string;
  /** Everything was read: every account, every rule where expected, every archived object. */
  readonly complete: boolean;
  /** What could not be read, one line each (empty when complete). */
  readonly gaps: string[];
}

export interface ReportKeys {
  readonly html: string;
  readonly csv: string;
  readonly json: string;
}

/** `reports/YYYY-MM/ccm-evidence-YYYY-MM-<region>.{html,csv,json}`: each Region's central stack has its own archive, and downloads from several keep apart. */
export function reportKeys(month: Month, region: string): ReportKeys {
  const base = `${REPORTS_PREFIX}${month}/ccm-evidence-${month}-${region}`;
  return { html: `${base}.html`, csv: `${base}.csv`, json: `${base}.json` };
}

const catalogOrder = new Map<string, number>(CATALOG.map((entry, index) => [entry.id, index]));

function byRuleAccountResource(a: Evaluation, b: Evaluation): number {
  return (
    (catalogOrder.get(a.ruleId) ?? 0) - (catalogOrder.get(b.ruleId) ?? 0) ||
    a.accountId.localeCompare(b.accountId) ||
    a.resourceType.localeCompare(b.resourceType) ||
    a.resourceId.localeCompare(b.resourceId)
  );
}

export function buildMonthlyReport(input: MonthlyReportInput): MonthlyDocuments {
  const { period, region } = input;
  const read = input.accounts.flatMap((outcome) => ('results' in outcome ? [outcome.results] : []));
  const notRead = input.accounts.flatMap((outcome) => ('error' in outcome ? [{ accountId: outcome.accountId, reason: outcome.error }] : []));
  const evaluations = read.flatMap((results) => results.evaluations).sort(byRuleAccountResource);

  const skippedItems: SkippedItem[] = [];
  if (input.accountListError !== undefined) skippedItems.push({ source: 'AWS Organizations', location: 'ListAccounts', reason: input.accountListError });
  for (const { accountId, reason } of notRead)
    skippedItems.push({ source: 'AWS Config', location: `account ${accountId}, ${region}`, reason: `could not be read: ${reason}` });
  const enabled = CATALOG.filter((entry) => input.enabledRuleIds.includes(entry.id));
  const found = enabled.filter((entry) => read.some((results) => results.rules.has(entry.id)));
  for (const results of read) {
    for (const entry of found) {
      if (!results.rules.has(entry.id))
        skippedItems.push({
          source: 'AWS Config',
          location: `account ${results.accountId}, ${region}`,
          reason: `no Config rule for ${entry.id} (${input.configRulePrefix}${entry.id}): its resources there were not evaluated`,
        });
    }
    for (const { configRuleName, reason } of results.unreadable)
      skippedItems.push({ source: 'AWS Config', location: `account ${results.accountId}, ${region}, rule ${configRuleName}`, reason: `left out ${reason}` });
  }
  skippedItems.push(...input.month.problems, ...input.lookback.problems);
  const rulesSkipped = enabled
    .filter((entry) => !found.includes(entry))
    .map((entry) => ({
      ruleId: entry.id,
      reason:
        read.length === 0
          ? 'no account could be read'
          : `no AWS Config rule ${input.configRulePrefix}${entry.id} in the accounts read in ${region} (the account-wide IAM rules exist in the home Region only)`,
    }));

  const sources = [
    ...read.map((results) => `AWS Config rule results, account ${results.accountId}, ${region}`),
    `s3://${input.bucket}/transitions/ ${period.month}`,
    `s3://${input.bucket}/transitions/ ${LOOKBACK_MONTHS} months before ${period.month}`,
  ];
  // The offline scan's "nothing evaluated" speaks of snapshots: the report words its own warnings, and they lead its summary.
  const base = summarize(evaluations, { rulesRun: found, rulesSkipped, skippedItems, inputs: sources, now: input.generatedAt, itemsEvaluated: true });
  const archiveProblems = input.month.problems.length + input.lookback.problems.length;
  const warnings = [
    ...(evaluations.length === 0 ? ["No result of the monitor's rules could be read from AWS Config (see what could not be read). This is not a pass."] : []),
    ...(input.accountListError === undefined
      ? []
      : [`The organization's accounts could not be listed: only the central account was read. ${input.accountListError}.`]),
    ...notRead.map(({ accountId, reason }) => `Account ${accountId} could not be read in ${region}: its resources are not in this report. ${reason}`),
    ...(archiveProblems > 0
      ? [
          `${archiveProblems} part(s) of the evidence archive could not be read: the month's changes and times to fix may be short (see what could not be read).`,
        ]
      : []),
  ];
  const inMonth = distinctRecords(input.month.records);
  const summary: MonthlySummary = {
    ...base,
    nothingEvaluated: evaluations.length === 0,
    warnings: [...base.warnings, ...warnings],
    month: {
      month: period.month,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      transitions: inMonth.records.filter((r) => Date.parse(r.recordedAt) >= period.from.getTime() && Date.parse(r.recordedAt) < period.to.getTime()).length,
      duplicateRecords: inMonth.duplicates,
      lookbackMonths: LOOKBACK_MONTHS,
      bySeverity: timeToFix([...input.lookback.records, ...input.month.records], period),
      accountsRead: read.map((results) => results.accountId),
      accountsNotRead: notRead,
    },
  };

  const parameters: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const results of read) for (const [ruleId, values] of results.parameters) parameters[ruleId] ??= values;
  const inputs: InputFile[] = [
    ...read.map((results) => ({ name: `AWS Config rule results, account ${results.accountId}, ${region}` })),
    { name: `s3://${input.bucket}/transitions/year=…/month=… for ${period.month}: ${input.month.objects} objects`, bytes: input.month.bytes },
    { name: `s3://${input.bucket}/transitions/ for the ${LOOKBACK_MONTHS} months before: ${input.lookback.objects} objects`, bytes: input.lookback.bytes },
  ];
  const html = toHtml({
    evaluations,
    summary,
    catalog: CATALOG,
    meta: {
      generatedAt: input.generatedAt.toISOString(),
      evaluatedAsOf: input.generatedAt.toISOString(),
      source: `Monthly report for ${period.month} (UTC): current AWS Config results of the deployed rules in ${read.length} account(s), ${region}, and the month's compliance changes from the evidence archive`,
      inputs,
      parameters,
      exemptionTagKey: input.exemptionTagKey,
      version: input.version,
    },
  });
  const gaps = skippedItems.map((item) => `${item.source} ${item.location}: ${item.reason}`);
  return { evaluations, summary, html, csv: toCsv(evaluations, CATALOG), json: toJson({ evaluations, summary }), complete: gaps.length === 0, gaps };
}
