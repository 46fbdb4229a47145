/**
 * `--rules` and `--skip-rules`: which rules of the catalog a scan runs. Every rule left out is listed
 * in the report as skipped, with the option that left it out, so a report never reads as if a rule
 * had passed when it was not run.
 */
import { CATALOG, type CatalogEntry } from '../rules/catalog.js';
import { InputFileError } from './load.js';

export interface RuleSelection {
  /** Run only these rule ids (`--rules`). */
  readonly only?: readonly string[];
  /** Leave these rule ids out (`--skip-rules`). */
  readonly skip?: readonly string[];
}

export interface SelectedRules {
  readonly rules: readonly CatalogEntry[];
  readonly leftOut: readonly { readonly ruleId: string; readonly reason: string }[];
}

/** Splits repeated, comma-separated option values into ids. */
export function ruleIds(values: readonly string[] | undefined): string[] | undefined {
  return values?.flatMap((value) => value.split(',')).map((id) => id.trim());
}

function checkIds(option: string, ids: readonly string[], catalog: readonly CatalogEntry[]): void {
  const known = new Set<string>(catalog.map((entry) => entry.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const what = unknown.map((id) => JSON.stringify(id)).join(', ');
    throw new InputFileError(option, `no rule ${what}; the rule ids are: ${catalog.map((entry) => entry.id).join(', ')}`);
  }
}

/** The rules a selection runs, in catalog order, and those it leaves out with why; unknown ids and an empty result are bad input. */
export function selectRules(selection: RuleSelection = {}, catalog: readonly CatalogEntry[] = CATALOG): SelectedRules {
  const { only, skip } = selection;
  if (only !== undefined) checkIds('--rules', only, catalog);
  if (skip !== undefined) checkIds('--skip-rules', skip, catalog);
  const rules: CatalogEntry[] = [];
  const leftOut: { ruleId: string; reason: string }[] = [];
  for (const entry of catalog) {
    if (only !== undefined && !only.includes(entry.id as string)) leftOut.push({ ruleId: entry.id, reason: 'left out: not named in --rules' });
    else if (skip?.includes(entry.id as string)) leftOut.push({ ruleId: entry.id, reason: 'left out with --skip-rules' });
    else rules.push(entry);
  }
  if (rules.length === 0) throw new InputFileError(skip !== undefined ? '--skip-rules' : '--rules', 'leaves no rule to run');
  return { rules, leftOut };
}
