/**
 * rules/index.generated.ts: the list of rule definitions the catalog is built from, found by
 * importing every file under rules/<area>/ and keeping the exports that are rule definitions. The
 * written file imports them statically, so esbuild bundles every rule into the Lambdas without
 * scanning directories at run time.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AREAS, SEVERITIES, type Area, type Rule } from '../../rules/types.js';

export const RULES_DIR = join(import.meta.dirname, '..', '..', 'rules');
export const INDEX_FILE = join(RULES_DIR, 'index.generated.ts');

export interface FoundRule {
  /** The file, relative to rules/: `<area>/<id>.ts`. */
  readonly file: string;
  readonly exportName: string;
  readonly rule: Rule;
}

function isRule(value: unknown): value is Rule {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof Rule, unknown>>;
  return (candidate.kind === 'item' || candidate.kind === 'inventory') && typeof candidate.id === 'string' && typeof candidate.evaluate === 'function';
}

function isArea(name: string): name is Area {
  return Object.hasOwn(AREAS, name);
}

/**
 * The rule definitions a module exports, checked against where the file lies: one rule per file,
 * named like its id, in the folder of its area.
 */
export function rulesOf(exports: Readonly<Record<string, unknown>>, file: string): FoundRule[] {
  const found = Object.entries(exports)
    .filter((entry): entry is [string, Rule] => isRule(entry[1]))
    .map(([exportName, rule]) => ({ file, exportName, rule }));
  if (found.length > 1)
    throw new Error(`rules/${file} exports ${found.length} rule definitions (${found.map((f) => f.rule.id).join(', ')}); give each rule its own file`);
  for (const { rule } of found) {
    const [area, name] = file.split('/');
    if (name !== `${rule.id}.ts`) throw new Error(`rules/${file} defines rule ${rule.id}; the file must be named ${rule.id}.ts`);
    if (area !== rule.area) throw new Error(`rules/${file} defines a rule of area ${rule.area}; move it to rules/${rule.area}/`);
  }
  return found;
}

/** Every rule definition under rules/<area>/: by area (the order of AREAS), worst severity first, then by id. */
export async function discoverRules(rulesDir = RULES_DIR): Promise<FoundRule[]> {
  const found: FoundRule[] = [];
  const folders = readdirSync(rulesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  for (const folder of folders) {
    for (const name of readdirSync(join(rulesDir, folder))
      .filter((file) => file.endsWith('.ts'))
      .sort()) {
      const exports = (await import(pathToFileURL(join(rulesDir, folder, name)).href)) as Record<string, unknown>;
      const rules = rulesOf(exports, `${folder}/${name}`);
      if (rules.length > 0 && !isArea(folder)) throw new Error(`rules/${folder}/${name}: ${folder} is not an area; add it to AREAS in rules/types.ts`);
      found.push(...rules);
    }
  }
  const areas = Object.keys(AREAS);
  found.sort(
    (a, b) =>
      areas.indexOf(a.rule.area) - areas.indexOf(b.rule.area) ||
      SEVERITIES.indexOf(a.rule.severity) - SEVERITIES.indexOf(b.rule.severity) ||
      a.rule.id.localeCompare(b.rule.id),
  );
  for (const [i, a] of found.entries()) {
    const twin = found.slice(i + 1).find((b) => b.exportName === a.exportName || b.rule.id === a.rule.id);
    if (twin !== undefined)
      throw new Error(`rules/${a.file} and rules/${twin.file} both export ${a.exportName === twin.exportName ? a.exportName : `rule ${a.rule.id}`}`);
  }
  return found;
}

export function renderIndex(rules: readonly FoundRule[]): string {
  const imports = [...rules]
    .sort((a, b) => a.file.localeCompare(b.file))
    .map(({ file, exportName }) => `import { ${exportName} } from './${file.replace(/\.ts$/, '.js')}';`);
  return [
    `// Written by \`npm run docs\` (scripts/docs.ts) from the rule files under rules/<area>/: do not edit.`,
    `// Static imports, so esbuild bundles every rule into the Lambdas; a test fails when this list is stale.`,
    ...imports,
    '',
    `/** Every rule definition: by area (AREAS in rules/types.ts), worst severity first, then by id. */`,
    'export const RULES = [',
    ...rules.map(({ exportName }) => `  ${exportName},`),
    '] as const;',
    '',
  ].join('\n');
}
