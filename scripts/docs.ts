/**
 * `npm run docs`: writes rules/index.generated.ts (the rule list the catalog is built from) and the
 * README's generated sections from the rule catalog. `npm run docs -- --check` writes nothing and
 * exits 1 naming the stale files; test/scripts/docs.test.ts fails the same way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { discoverRules, INDEX_FILE, renderIndex } from './docs/rule-index.js';

const check = process.argv.includes('--check');
const stale: string[] = [];

function update(file: string, text: string): void {
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  const name = relative(process.cwd(), file);
  if (current === text) return void console.log(`${name}: up to date`);
  if (check) return void stale.push(name);
  writeFileSync(file, text);
  console.log(`${name}: written`);
}

update(INDEX_FILE, renderIndex(await discoverRules()));
// Imported only now: the README sections come from the catalog, which reads the index just written.
const { generateReadme, README_FILE } = await import('./docs/readme.js');
update(README_FILE, await generateReadme(readFileSync(README_FILE, 'utf8')));

if (stale.length > 0) {
  console.error(`stale: ${stale.join(', ')}; run npm run docs`);
  process.exitCode = 1;
}
