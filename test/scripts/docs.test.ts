/**
 * What `npm run docs` writes must be what is checked in: the rule list the catalog is built from
 * and the README's generated sections. When a test here fails, run `npm run docs`.
 */
import { readFileSync } from 'node:fs';
import { CATALOG } from '../../rules/catalog.js';
import { generateReadme, README_FILE, renderSections, replaceSections, SECTIONS, demoArguments } from '../../scripts/docs/readme.js';
import { discoverRules, INDEX_FILE, renderIndex, rulesOf } from '../../scripts/docs/rule-index.js';
import { NOW } from '../helpers/rules.js';

describe('npm run docs', () => {
  test('rules/index.generated.ts lists every rule file under rules/<area>/ (run npm run docs when this fails)', async () => {
    const found = await discoverRules();
    expect(readFileSync(INDEX_FILE, 'utf8')).toBe(renderIndex(found));
    expect(found.map((f) => f.rule.id)).toEqual(CATALOG.map((entry) => entry.id));
  });

  test('the README holds what npm run docs writes from the catalog, demo output included (run npm run docs when this fails)', async () => {
    const readme = readFileSync(README_FILE, 'utf8');
    expect(await generateReadme(readme)).toBe(readme);
  });

  test('the README demo is the demo of package.json, as of the example clinic date', () => {
    const args = demoArguments();
    expect(args).toEqual([
      '--snapshot',
      expect.any(String),
      '--credential-report',
      expect.any(String),
      '--backup-selections',
      expect.any(String),
      '--as-of',
      NOW.toISOString().replace('.000', ''),
    ]);
    expect(readFileSync(README_FILE, 'utf8')).toContain(
      `npm run scan -- --snapshot ${args[1]} \\\n  --credential-report ${args[3]} \\\n  --backup-selections ${args[5]} \\\n  --as-of ${args[7]}\n`,
    );
  });

  test('a README missing or repeating a section, or holding an unknown one, is refused with the markers to add', () => {
    const sections = renderSections(CATALOG, { args: [], output: 'demo' });
    const readme = readFileSync(README_FILE, 'utf8');
    const rules = /<!-- BEGIN GENERATED rules [^>]*-->\n[\s\S]*?<!-- END GENERATED rules -->\n/.exec(readme)?.[0] ?? '';
    expect(rules).not.toBe('');
    expect(() => replaceSections(readme.replace(rules, ''), sections)).toThrow(
      /README\.md must hold the section rules once, between the lines\n<!-- BEGIN GENERATED rules/,
    );
    expect(() => replaceSections(readme + rules, sections)).toThrow(/section rules once/);
    expect(() => replaceSections(`${readme}<!-- BEGIN GENERATED rule-table (x) -->\n`, sections)).toThrow(
      /generated sections npm run docs does not know: rule-table/,
    );
    // Each section is replaced between its own markers and nowhere else.
    const replaced = replaceSections(readme, sections);
    for (const name of SECTIONS)
      expect(replaced).toContain(
        `(npm run docs writes this from the rule catalog: edit the rules, not this) -->\n${sections[name]}\n<!-- END GENERATED ${name} -->`,
      );
  });

  test('a rule file must be named after its rule, lie in its area folder and hold one rule', () => {
    const rule = CATALOG.find((entry) => entry.id === 'ebs-volume-encrypted');
    expect(rulesOf({ ebsVolumeEncrypted: rule, helper: () => 1, LIMIT: 3 }, 'encryption/ebs-volume-encrypted.ts')).toEqual([
      { file: 'encryption/ebs-volume-encrypted.ts', exportName: 'ebsVolumeEncrypted', rule },
    ]);
    expect(rulesOf({ helper: () => 1 }, 'encryption/kms.ts')).toEqual([]);
    expect(() => rulesOf({ ebsVolumeEncrypted: rule }, 'encryption/ebs-encrypted.ts')).toThrow(
      'rules/encryption/ebs-encrypted.ts defines rule ebs-volume-encrypted; the file must be named ebs-volume-encrypted.ts',
    );
    expect(() => rulesOf({ ebsVolumeEncrypted: rule }, 'backup/ebs-volume-encrypted.ts')).toThrow(
      'rules/backup/ebs-volume-encrypted.ts defines a rule of area encryption; move it to rules/encryption/',
    );
    expect(() => rulesOf({ a: rule, b: { ...rule, id: 'other' } }, 'encryption/ebs-volume-encrypted.ts')).toThrow(
      /exports 2 rule definitions \(ebs-volume-encrypted, other\); give each rule its own file/,
    );
  });
});
