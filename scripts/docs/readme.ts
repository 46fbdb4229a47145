/**
 * The README's generated sections: the demo scan, the export query, and the rules, HIPAA, resource
 * type and parameter tables, all written from the rule catalog between BEGIN/END GENERATED markers.
 * Everything outside the markers is the README's own prose and stays as written.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { assessorPolicy, assessorTrustPolicy, practicePolicy } from '../../cli/live/calls.js';
import { main } from '../../cli/scan.js';
import { CATALOG, offlineTypes, type CatalogEntry } from '../../rules/catalog.js';
import { inputLabel, offlineItemTypes } from '../../rules/inputs.js';
import { HIPAA_CITATIONS, type HipaaCitation } from '../../rules/mapping.js';
import type { ParamSpec } from '../../rules/params.js';
import { RESOURCE_TYPES, type ResourceType } from '../../rules/resource-types.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const README_FILE = join(ROOT, 'README.md');

export const SECTIONS = ['demo', 'export-query', 'assessor-policy', 'rules', 'hipaa', 'resource-types', 'parameters'] as const;
export type Section = (typeof SECTIONS)[number];

const begin = (name: string): string => `<!-- BEGIN GENERATED ${name} (npm run docs writes this from the rule catalog: edit the rules, not this) -->`;
const end = (name: string): string => `<!-- END GENERATED ${name} -->`;

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replaceAll('|', '\\|');
}

const code = (text: string): string => `\`${text}\``;
const ids = (entries: readonly CatalogEntry[]): string => entries.map((entry) => code(entry.id)).join(', ');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The demo's arguments, as `npm run demo` (package.json) passes them to cli/scan.ts. */
export function demoArguments(root = ROOT): string[] {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const tokens = (scripts.demo ?? '').split(/\s+/);
  const start = tokens.indexOf('cli/scan.ts');
  const stop = tokens.indexOf('||');
  if (start < 0) throw new Error('package.json scripts.demo does not run cli/scan.ts');
  return tokens.slice(start + 1, stop < 0 ? undefined : stop);
}

/** What `npm run demo` prints: the scan of the example clinic, run in this process. */
export async function demoOutput(args: readonly string[], root = ROOT): Promise<string> {
  // Input files are named relative to the repository root, where npm runs the script.
  const absolute = args.map((arg, i) => (i > 0 && args[i - 1] !== '--as-of' && !arg.startsWith('--') && !isAbsolute(arg) ? join(root, arg) : arg));
  let stdout = '';
  let stderr = '';
  const exit = await main(absolute, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  if (exit > 1 || stderr !== '') throw new Error(`the demo scan failed (exit ${exit}): ${stderr}`);
  return stdout.trimEnd();
}

function renderDemo(args: readonly string[], output: string): string {
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = args[i + 1];
    if (arg.startsWith('--') && value !== undefined && !value.startsWith('--')) {
      options.push(`${arg} ${value}`);
      i++;
    } else options.push(arg);
  }
  return ['```sh', `npm run scan -- ${options.join(' \\\n  ')}`, '```', '', '```', output, '```'].join('\n');
}

/** Every Config resource type the rules read offline, in catalog order: the export must hold all of them. */
export function exportedTypes(catalog: readonly CatalogEntry[]): ResourceType[] {
  return [...new Set(catalog.flatMap((entry) => offlineTypes(entry)))];
}

function renderExportQuery(catalog: readonly CatalogEntry[]): string {
  const types = exportedTypes(catalog)
    .map((type) => `'${type}'`)
    .join(',');
  return [
    '```sh',
    '# Or an advanced query over every resource type the rules read (select-resource-config output works as is):',
    `aws configservice select-resource-config --expression "SELECT * WHERE resourceType IN (${types})" > exports/query.json`,
    'npm run scan -- --snapshot exports/query.json --format json --out exports/report.json',
    '```',
  ].join('\n');
}

/** The example names the README's policies use; the permission simulation (test/infra/assessor-policy.test.ts) proves the same documents. */
export const EXAMPLE_ROLE_NAME = 'clinic-assessor';
export const EXAMPLE_SCANNING_ACCOUNT = '111122223333';

const jsonBlock = (document: unknown): string => ['```json', JSON.stringify(document, null, 2), '```'].join('\n');

function renderAssessorPolicy(): string {
  return [
    `**assessor-policy.json**, the read-only policy of whoever reads an account (you, or the role \`--role-name\` names in each account): every call \`--live\` makes there, nothing else.`,
    '',
    jsonBlock(assessorPolicy()),
    '',
    `**practice-policy.json**, for reading other accounts: the identity that runs the scan may assume the assessor role (here \`${EXAMPLE_ROLE_NAME}\`) in any account, and list the organization's accounts (\`--organization\`).`,
    '',
    jsonBlock(practicePolicy(EXAMPLE_ROLE_NAME)),
    '',
    `**assessor-trust.json**, the assessor role's trust policy in each account read: it trusts the account the scan runs from (here \`${EXAMPLE_SCANNING_ACCOUNT}\`).`,
    '',
    jsonBlock(assessorTrustPolicy(EXAMPLE_SCANNING_ACCOUNT)),
  ].join('\n');
}

function resourceCell(entry: CatalogEntry): string {
  const judged = entry.resourceTypes.map((type) => (RESOURCE_TYPES[type].recordedByConfig ? type : RESOURCE_TYPES[type].label)).join(', ');
  const besides = [...(entry.reads ?? []), ...(entry.needs ?? []).map(inputLabel)];
  const offline = offlineItemTypes(entry);
  return [
    judged,
    ...(besides.length > 0 ? [`reads ${besides.join(', ')}`] : []),
    ...(offline.length > 0 ? [`offline: ${offline.join(', ')} items`] : []),
    ...(entry.liveOnly ? ['live API only: the deployed monitor and --live, not files'] : []),
  ].join('; ');
}

function renderRules(catalog: readonly CatalogEntry[]): string {
  return table(
    ['id', 'checks', 'resource types', 'trigger', 'severity', 'HIPAA', 'nearest AWS rule / Security Hub'],
    catalog.map((entry) => [
      code(entry.id),
      cell(entry.title),
      cell(resourceCell(entry)),
      entry.trigger,
      entry.severity,
      entry.hipaa.join(', '),
      [entry.awsManagedRule ?? 'none', ...(entry.securityHubControls.length > 0 ? [entry.securityHubControls.join(', ')] : [])].join(' / '),
    ]),
  );
}

function renderHipaa(catalog: readonly CatalogEntry[]): string {
  return table(
    ['citation', 'safeguard', 'rules'],
    (Object.keys(HIPAA_CITATIONS) as HipaaCitation[]).map((citation) => [
      citation,
      cell(HIPAA_CITATIONS[citation]),
      ids(catalog.filter((entry) => entry.hipaa.includes(citation))),
    ]),
  );
}

function renderResourceTypes(catalog: readonly CatalogEntry[]): string {
  const types = [...new Set(catalog.flatMap((entry) => [...entry.resourceTypes, ...(entry.reads ?? []), ...offlineItemTypes(entry)]))];
  const readers = (type: ResourceType): string =>
    [
      ...catalog.filter((entry) => entry.reads?.includes(type)).map((entry) => code(entry.id)),
      ...catalog.filter((entry) => offlineItemTypes(entry).includes(type)).map((entry) => `${code(entry.id)} (offline)`),
    ].join(', ');
  return table(
    ['resource type', 'alerts and findings call it', 'Security Hub type', 'judged by', 'read by'],
    types.map((type) => {
      const declared = RESOURCE_TYPES[type];
      return [
        declared.recordedByConfig ? type : `${type} (not recorded by Config)`,
        cell(declared.label),
        declared.asffType,
        ids(catalog.filter((entry) => entry.resourceTypes.includes(type))) || '—',
        readers(type) || '—',
      ];
    }),
  );
}

function formatDefault(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'empty' : value.map((item) => code(String(item))).join(', ');
  return code(String(value));
}

function renderParameters(catalog: readonly CatalogEntry[]): string {
  // A spec shared by several rules (the same object) is one row naming them all.
  const rows = new Map<ParamSpec<unknown>, { name: string; rules: CatalogEntry[] }>();
  for (const entry of catalog) {
    for (const [name, spec] of Object.entries(entry.parameters)) {
      const row = rows.get(spec) ?? { name, rules: [] };
      row.rules.push(entry);
      rows.set(spec, row);
    }
  }
  return table(
    ['rule', 'parameter', 'default', 'allowed', 'meaning'],
    [...rows].map(([spec, { name, rules }]) => [ids(rules), code(name), formatDefault(spec.default), cell(spec.allowed), cell(spec.description)]),
  );
}

/** Every generated section, from the catalog and the demo's output. */
export function renderSections(catalog: readonly CatalogEntry[], demo: { args: readonly string[]; output: string }): Record<Section, string> {
  return {
    demo: renderDemo(demo.args, demo.output),
    'export-query': renderExportQuery(catalog),
    'assessor-policy': renderAssessorPolicy(),
    rules: renderRules(catalog),
    hipaa: renderHipaa(catalog),
    'resource-types': renderResourceTypes(catalog),
    parameters: renderParameters(catalog),
  };
}

/** The README with each generated section replaced; every section must appear exactly once. */
export function replaceSections(readme: string, sections: Readonly<Record<Section, string>>): string {
  const found = [...readme.matchAll(/<!-- BEGIN GENERATED (\S+) /g)].map((match) => match[1]);
  const unknown = found.filter((name) => !(SECTIONS as readonly (string | undefined)[]).includes(name));
  if (unknown.length > 0) throw new Error(`README.md has generated sections npm run docs does not know: ${unknown.join(', ')}`);
  let out = readme;
  for (const name of SECTIONS) {
    const open = out.indexOf(begin(name));
    const close = out.indexOf(end(name));
    if (open < 0 || close < open || out.indexOf(begin(name), open + 1) >= 0) {
      throw new Error(`README.md must hold the section ${name} once, between the lines\n${begin(name)}\n${end(name)}`);
    }
    out = `${out.slice(0, open)}${begin(name)}\n${sections[name]}\n${out.slice(close)}`;
  }
  return out;
}

/** The README as `npm run docs` writes it: the demo is run and every section regenerated. */
export async function generateReadme(readme: string, catalog: readonly CatalogEntry[] = CATALOG): Promise<string> {
  const args = demoArguments();
  return replaceSections(readme, renderSections(catalog, { args, output: await demoOutput(args) }));
}
