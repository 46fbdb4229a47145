/**
 * The scan's summary and its JSON contract (DESIGN.md), for the offline CLI and the deployed monthly
 * report alike: pure functions of the evaluations.
 */
import type { CatalogEntry } from '../../rules/catalog.js';
import type { SkippedItem } from '../../rules/inventory.js';
import type { Compliance, Evaluation } from '../../rules/types.js';
import type { CredentialReportSummary, LiveReadSummary, ScanSummary } from './model.js';

type Counts = Record<Compliance, number>;

const emptyCounts = (): Counts => ({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 });

export interface ScanResult {
  readonly evaluations: readonly Evaluation[];
  readonly summary: ScanSummary;
}

export function summarize(
  evaluations: readonly Evaluation[],
  context: {
    rulesRun: readonly CatalogEntry[];
    rulesSkipped: ScanSummary['rulesSkipped'];
    skippedItems: readonly SkippedItem[];
    inputs: readonly string[];
    now: Date;
    credentialReports?: readonly CredentialReportSummary[];
    /** Rules skipped for an input that was not given (as opposed to live-only rules, which never run offline). */
    missingInputs?: readonly string[];
    /** Whether any configuration item was evaluated; by default, whether anything was. */
    itemsEvaluated?: boolean;
    /** A live read: what it read, and what it could not (said first among the warnings). */
    live?: { readonly summary: LiveReadSummary; readonly warnings: readonly string[] };
  },
): ScanSummary {
  const compliance = emptyCounts();
  const rules: Record<string, Counts> = {};
  for (const entry of context.rulesRun) rules[entry.id] = emptyCounts();
  // Resources are counted through nested maps: a joined key per evaluation costs a string each, and
  // a scan with every rule on makes about two evaluations per item.
  const resources = new Map<string, Map<string, Set<string>>>();
  let resourcesEvaluated = 0;
  let errors = 0;
  let last: { accountId: string; region: string; byType: Map<string, Set<string>> } | undefined;
  for (const evaluation of evaluations) {
    compliance[evaluation.compliance]++;
    (rules[evaluation.ruleId] ??= emptyCounts())[evaluation.compliance]++;
    let byType = last !== undefined && last.accountId === evaluation.accountId && last.region === evaluation.region ? last.byType : undefined;
    if (byType === undefined) {
      const place = `${evaluation.accountId}\u0000${evaluation.region}`;
      byType = resources.get(place);
      if (byType === undefined) resources.set(place, (byType = new Map()));
      last = { accountId: evaluation.accountId, region: evaluation.region, byType };
    }
    let ids = byType.get(evaluation.resourceType);
    if (ids === undefined) byType.set(evaluation.resourceType, (ids = new Set()));
    if (!ids.has(evaluation.resourceId)) {
      ids.add(evaluation.resourceId);
      resourcesEvaluated++;
    }
    if (evaluation.error) errors++;
  }
  const credentialReports = context.credentialReports ?? [];
  const nothingEvaluated = !(context.itemsEvaluated ?? evaluations.length > 0);
  const nothing = context.live
    ? 'Nothing read live was evaluated: the accounts and Regions read hold no resource any rule checks, or could not be read (a wrong Region or account?). This is not a pass.'
    : 'Nothing in the snapshots was evaluated: they hold no resource any rule checks (a wrong Region or account, an empty export?). This is not a pass.';
  const warnings = [
    ...(context.live?.warnings ?? []),
    ...(nothingEvaluated ? [nothing] : []),
    ...context.rulesSkipped.filter((skip) => context.missingInputs?.includes(skip.ruleId)).map((skip) => `Rule ${skip.ruleId} was not run: it ${skip.reason}.`),
    ...credentialReports
      .filter((report) => report.stale)
      .map(
        (report) =>
          `The credential report ${report.source} was generated ${report.generatedAt ?? ''}, ${Math.floor((report.ageHours ?? 0) / 24)} days before the evaluation time; MFA verdicts show that old state.`,
      ),
  ];
  return {
    resourcesEvaluated,
    evaluations: evaluations.length,
    compliance,
    rules,
    rulesSkipped: context.rulesSkipped,
    errors,
    skippedItems: context.skippedItems,
    nothingEvaluated,
    credentialReports,
    warnings,
    inputs: context.inputs,
    generatedAt: context.now.toISOString(),
    ...(context.live && { live: context.live.summary }),
  };
}

/**
 * The DESIGN.md JSON contract with one evaluation per line: as easy to grep and diff as to parse, and
 * a fifth smaller than fully indented JSON, which counts for reports over 100k-item snapshots.
 */
export function toJson(result: ScanResult): string {
  // Appending builds a rope that is flattened once; an array of lines joined at the end peaks higher.
  let evaluations = '';
  for (const e of result.evaluations) {
    const line = JSON.stringify({
      ruleId: e.ruleId,
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      accountId: e.accountId,
      region: e.region,
      compliance: e.compliance,
      annotation: e.annotation,
      severity: e.severity,
      hipaa: e.hipaa,
    });
    evaluations += evaluations === '' ? `\n    ${line}` : `,\n    ${line}`;
  }
  const list = evaluations === '' ? '[]' : `[${evaluations}\n  ]`;
  return `{\n  "evaluations": ${list},\n  "summary": ${JSON.stringify(result.summary, null, 2).replaceAll('\n', '\n  ')}\n}\n`;
}
