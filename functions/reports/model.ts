/**
 * What the evidence reports (HTML, CSV) are rendered from, and the groupings they share. Pure: the
 * offline CLI passes the files it read, and a Lambda can pass what it fetched, so nothing here reads
 * files, the clock or the environment.
 */
import type { CatalogEntry } from '../../rules/catalog.js';
import type { Exemption } from '../../rules/exemptions.js';
import type { SkippedItem } from '../../rules/inventory.js';
import type { Compliance, Evaluation } from '../../rules/types.js';

/** One input as read: the name it was given under, and size and SHA-256 of its bytes as stored. */
export interface InputFile {
  readonly name: string;
  readonly bytes?: number;
  readonly sha256?: string;
}

export interface ReportMetadata {
  /** When the report was produced. */
  readonly generatedAt: string;
  /** The time rules measured ages against (`--as-of`, or the time of the run). */
  readonly evaluatedAsOf: string;
  /** Where the evaluations come from, in words (an offline scan of exported files, the deployed rules). */
  readonly source: string;
  readonly inputs: readonly InputFile[];
  /** Every rule's parameters after validation and defaults, by rule id. */
  readonly parameters: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly exemptionTagKey: string;
  /** The project version that produced the report. */
  readonly version: string;
}

/**
 * The scan's counts, as the CLI's JSON report carries them (DESIGN.md) and the reports render them.
 * Declared here, with the report model, so the renderers need nothing from cli/.
 */
export interface ScanSummary {
  readonly resourcesEvaluated: number;
  readonly evaluations: number;
  readonly compliance: Record<Compliance, number>;
  readonly rules: Readonly<Record<string, Record<Compliance, number>>>;
  /** Rules that could not run over these inputs, with why (live-only, input not given; live, where Config does not record). */
  readonly rulesSkipped: readonly SkippedRule[];
  /** Evaluations where the rule failed on the resource (counted as INSUFFICIENT_DATA). */
  readonly errors: number;
  /** Items that could not be read and were left out; every other item was evaluated. */
  readonly skippedItems: readonly SkippedItem[];
  /** True when no configuration item of the snapshots was evaluated (none, or none any rule checks: a wrong Region?): never a pass. */
  readonly nothingEvaluated: boolean;
  /** Each credential report read, and how old it was at the evaluation time (when it says when it was generated). */
  readonly credentialReports: readonly CredentialReportSummary[];
  /** What a reader must not miss, one sentence each: nothing evaluated, rules not run for lack of input, old credential reports. */
  readonly warnings: readonly string[];
  readonly inputs: readonly string[];
  readonly generatedAt: string;
  /** A live scan (--live): what was read, where, when, and what could not be. */
  readonly live?: LiveReadSummary;
}

export interface SkippedRule {
  readonly ruleId: string;
  /** Names the account and Region when the rule was skipped in one place only (live). */
  readonly reason: string;
  readonly accountId?: string;
  readonly region?: string;
}

/** What a live scan read: the report header names its accounts, Regions and time. */
export interface LiveReadSummary {
  /** The identity that read (GetCallerIdentity's ARN). */
  readonly caller: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Every account and Region was read in full, with Config recording: otherwise the exit code is 1. */
  readonly complete: boolean;
  readonly accounts: readonly LiveAccountSummary[];
}

export interface LiveAccountSummary {
  readonly accountId: string;
  readonly status: 'read' | 'failed';
  readonly problem?: string;
  readonly regions: readonly LiveRegionSummary[];
  /** IAM actions refused for the inputs read once per account (the credential report). */
  readonly denied: readonly string[];
}

export interface LiveRegionSummary {
  readonly region: string;
  /** `not-recording`: AWS Config does not record there, so its Config-based rules were skipped. */
  readonly status: 'read' | 'not-recording' | 'failed';
  readonly items: number;
  readonly problem?: string;
  /** IAM actions refused there: the rules that needed them could not be evaluated. */
  readonly denied: readonly string[];
}

export interface CredentialReportSummary {
  readonly source: string;
  readonly accountId: string;
  readonly generatedAt?: string;
  readonly ageHours?: number;
  /** Older than STALE_REPORT_HOURS (rules/credential-report.ts) at the evaluation time. */
  readonly stale: boolean;
}

export interface ReportInput {
  readonly evaluations: readonly Evaluation[];
  readonly summary: ScanSummary;
  readonly catalog: readonly CatalogEntry[];
  readonly meta: ReportMetadata;
}

export const COMPLIANCE_LABELS: Readonly<Record<Compliance, string>> = {
  COMPLIANT: 'Compliant',
  NON_COMPLIANT: 'Non-compliant',
  NOT_APPLICABLE: 'Not applicable',
  INSUFFICIENT_DATA: 'Could not be evaluated',
};

export const COMPLIANCE_ORDER: readonly Compliance[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'];

export function groupByRule(evaluations: readonly Evaluation[]): Map<string, Evaluation[]> {
  const byRule = new Map<string, Evaluation[]>();
  for (const evaluation of evaluations) {
    let list = byRule.get(evaluation.ruleId);
    if (list === undefined) byRule.set(evaluation.ruleId, (list = []));
    list.push(evaluation);
  }
  return byRule;
}

/** Accounts and, per account, the Regions its evaluated resources are in (IAM's are `global`). */
export function coverage(evaluations: readonly Evaluation[]): Map<string, Set<string>> {
  const accounts = new Map<string, Set<string>>();
  for (const evaluation of evaluations) {
    let regions = accounts.get(evaluation.accountId);
    if (regions === undefined) accounts.set(evaluation.accountId, (regions = new Set()));
    regions.add(evaluation.region);
  }
  return accounts;
}

/** One exemption tag on one resource, with the rules that read it. */
export interface ExemptionEntry {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly accountId: string;
  readonly region: string;
  readonly exemption: Exemption;
  readonly ruleIds: string[];
}

/** Exemptions in force and those ignored (expired, malformed), one entry per resource and tag value. */
export function exemptionRegister(evaluations: readonly Evaluation[]): { active: ExemptionEntry[]; ignored: ExemptionEntry[] } {
  const entries = new Map<string, ExemptionEntry>();
  for (const evaluation of evaluations) {
    const { exemption } = evaluation;
    if (exemption === undefined) continue;
    const key = JSON.stringify([evaluation.accountId, evaluation.region, evaluation.resourceType, evaluation.resourceId, exemption]);
    const entry = entries.get(key);
    if (entry === undefined) {
      entries.set(key, {
        resourceType: evaluation.resourceType,
        resourceId: evaluation.resourceId,
        ...(evaluation.resourceName !== undefined && { resourceName: evaluation.resourceName }),
        accountId: evaluation.accountId,
        region: evaluation.region,
        exemption,
        ruleIds: [evaluation.ruleId],
      });
    } else if (!entry.ruleIds.includes(evaluation.ruleId)) entry.ruleIds.push(evaluation.ruleId);
  }
  const all = [...entries.values()];
  return { active: all.filter((e) => e.exemption.state === 'active'), ignored: all.filter((e) => e.exemption.state !== 'active') };
}

/** Why an exemption was ignored, in words. */
export function ignoredBecause(exemption: Exemption): string {
  switch (exemption.state) {
    case 'active':
      return '';
    case 'expired':
      return `expired on ${exemption.until}`;
    case 'malformed':
      return `malformed: ${exemption.problem}`;
  }
}

/** A verdict the rule could not reach: listed under "not evaluated", never among the failures. */
export const couldNotEvaluate = (evaluation: Evaluation): boolean => evaluation.error === true || evaluation.compliance === 'INSUFFICIENT_DATA';

const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The live read in one sentence: accounts, Regions, when, and by whom (the reports' header). */
export function describeLiveRead(live: LiveReadSummary): string {
  const regions = [...new Set(live.accounts.flatMap((account) => account.regions.map((region) => region.region)))].sort();
  const failed = live.accounts.filter((account) => account.status === 'failed').length;
  return `Live read of ${count(live.accounts.length, 'account')} (${live.accounts.map((account) => account.accountId).join(', ')}) in ${count(regions.length, 'Region')} (${regions.join(', ') || 'none'}), ${live.startedAt} to ${live.finishedAt}, as ${live.caller}${failed > 0 ? `; ${failed} could not be read` : ''}.`;
}
