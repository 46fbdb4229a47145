/** The offline scan as a function: inputs in, evaluations and summary out. The CLI and the bench call it. */
import type { BackupSelection } from '../rules/backup/selection.js';
import { CATALOG, getRule, type CatalogEntry } from '../rules/catalog.js';
import { reportAge, type CredentialReport } from '../rules/credential-report.js';
import { parseAllParameters, runRules, type RawParameters } from '../rules/engine.js';
import { isRecord, latestPerResource, type ConfigurationItem } from '../rules/inventory.js';
import type { ParamSpecs, ParamValues } from '../rules/params.js';
import { buildInventory, type AccountCredentialReport, type Evaluation } from '../rules/types.js';
import type { CredentialReportSummary, InputFile } from '../functions/reports/model.js';
import { InputFileError, InputReader, loadBackupSelections, loadCredentialReport, loadSnapshots, type OnRead, type ReaderOptions } from './load.js';
import { summarize, type ScanResult } from './report.js';
import { selectRules, type RuleSelection } from './selection.js';

export interface ScanInputs {
  readonly snapshots: readonly string[];
  /** IAM credential reports, one per account; without one the MFA rules are skipped. */
  readonly credentialReports?: readonly string[];
  /** get-backup-selection output: the tag conditions Config items of selections lack. */
  readonly backupSelections?: readonly string[];
  readonly paramsFile?: string;
  readonly exemptionTagKey?: string;
  readonly now?: Date;
  /** Where relative paths start, what `-` reads, and the size limits. */
  readonly read?: ReaderOptions;
  /** `--rules` / `--skip-rules`: by default every rule. */
  readonly rules?: RuleSelection;
}

/** A scan with what the evidence report needs besides evaluations and summary. */
export interface OfflineScan extends ScanResult {
  /** Every rule's parameters after validation and defaults. */
  readonly parameters: ReadonlyMap<string, ParamValues<ParamSpecs>>;
  /** Each file read, in reading order, with its SHA-256. */
  readonly inputFiles: readonly InputFile[];
}

export async function readParamsFile(file: string, reader = new InputReader()): Promise<RawParameters> {
  const doc = await reader.json(file);
  if (!isRecord(doc)) throw new InputFileError(file, 'expected {"<rule-id>": {"<parameter>": value}}');
  for (const [ruleId, params] of Object.entries(doc)) {
    try {
      getRule(ruleId);
    } catch (error) {
      throw new InputFileError(file, (error as Error).message);
    }
    if (!isRecord(params)) throw new InputFileError(file, `parameters of ${ruleId} must be an object of name: value`);
  }
  return doc as RawParameters;
}

/** Every rule's parameters: the file's, validated, and the defaults. */
export async function loadParameters(paramsFile: string | undefined, reader = new InputReader()): Promise<Map<string, ParamValues<ParamSpecs>>> {
  const raw = paramsFile === undefined ? undefined : await readParamsFile(paramsFile, reader);
  try {
    return parseAllParameters(CATALOG, raw);
  } catch (error) {
    throw new InputFileError(paramsFile ?? '--params', (error as Error).message);
  }
}

/** Evaluations of credential report rows alone do not make an empty or wrong inventory a pass. */
export function anyItemEvaluated(items: readonly ConfigurationItem[], evaluations: readonly Evaluation[]): boolean {
  const itemKeys = new Set(items.map((item) => `${item.resourceType}\u0000${item.resourceId}`));
  return evaluations.some((evaluation) => itemKeys.has(`${evaluation.resourceType}\u0000${evaluation.resourceId}`));
}

/** Each credential report, and how old it was at the evaluation time. */
export function credentialReportSummaries(reports: readonly AccountCredentialReport[], now: Date): CredentialReportSummary[] {
  return reports.map((report) => {
    const age = reportAge(report, now);
    return {
      source: report.source,
      accountId: report.accountId,
      ...(age !== undefined && { generatedAt: age.generatedAt, ageHours: age.ageHours }),
      stale: age?.stale ?? false,
    };
  });
}

export async function scan(inputs: ScanInputs): Promise<OfflineScan> {
  const now = inputs.now ?? new Date();
  const inputFiles: InputFile[] = [];
  const onRead: OnRead = (file) => void inputFiles.push(file);
  const reader = new InputReader({ ...inputs.read, onRead });
  const params = await loadParameters(inputs.paramsFile, reader);
  const selected = selectRules(inputs.rules);
  const runnable: CatalogEntry[] = [];
  const rulesSkipped: { ruleId: string; reason: string }[] = [...selected.leftOut];
  const missingInputs: string[] = [];
  const credentialReportFiles = inputs.credentialReports ?? [];
  const selectionFiles = inputs.backupSelections ?? [];
  for (const entry of selected.rules) {
    if (entry.liveOnly) rulesSkipped.push({ ruleId: entry.id, reason: 'needs a live AWS API; runs in the deployed monitor and with --live' });
    else if (entry.needs?.includes('credentialReport') && credentialReportFiles.length === 0) {
      rulesSkipped.push({ ruleId: entry.id, reason: 'needs the IAM credential report (--credential-report FILE)' });
      missingInputs.push(entry.id);
    } else runnable.push(entry);
  }
  const loaded = await loadSnapshots(inputs.snapshots, reader);
  const credentialReports: CredentialReport[] = [];
  for (const file of credentialReportFiles) credentialReports.push(await loadCredentialReport(file, reader));
  const backupSelections: BackupSelection[] = [];
  for (const file of selectionFiles) backupSelections.push(...(await loadBackupSelections(file, reader)));
  const inventory = buildInventory(latestPerResource(loaded.items), { credentialReports, backupSelections });
  const evaluations = runRules(runnable, inventory, params, { now, ...(inputs.exemptionTagKey !== undefined && { exemptionTagKey: inputs.exemptionTagKey }) });
  const itemsEvaluated = anyItemEvaluated(inventory.items, evaluations);
  const reportSummaries = credentialReportSummaries(inventory.credentialReports, now);
  return {
    evaluations,
    summary: summarize(evaluations, {
      rulesRun: runnable,
      rulesSkipped,
      missingInputs,
      itemsEvaluated,
      skippedItems: loaded.skipped,
      credentialReports: reportSummaries,
      inputs: [...inputs.snapshots, ...credentialReportFiles, ...selectionFiles],
      now,
    }),
    parameters: params,
    inputFiles,
  };
}
