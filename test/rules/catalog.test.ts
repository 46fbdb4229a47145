import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CATALOG, getRule, RULE_IDS, UnknownRuleError, type RuleId } from '../../rules/catalog.js';
import { HIPAA_CITATIONS } from '../../rules/mapping.js';

const RULES_DIR = join(import.meta.dirname, '..', '..', 'rules');
const TESTS_DIR = import.meta.dirname;

function ruleFiles(dir = RULES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return ruleFiles(full);
    return /^[a-z0-9]+(-[a-z0-9]+)+\.ts$/.test(entry.name) && /define(Item|Inventory)Rule\(/.test(readFileSync(full, 'utf8')) ? [full] : [];
  });
}

describe('rule catalog', () => {
  test('RuleId is the union of the literal rule ids, so a misspelled id fails tsc', () => {
    const known: RuleId = 'ebs-volume-encrypted';
    // @ts-expect-error not a rule id
    const unknown: RuleId = 'ebs-encrypted';
    expect(RULE_IDS).toContain(known);
    expect(RULE_IDS).not.toContain(unknown);
  });

  test('rule ids are unique, kebab-case, and match their file name', () => {
    const ids = CATALOG.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const files = ruleFiles().map((f) => relative(RULES_DIR, f));
    for (const entry of CATALOG) {
      expect(entry.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(files).toContain(`${entry.area}/${entry.id}.ts`);
    }
    expect(files).toHaveLength(CATALOG.length);
  });

  test('every rule cites HIPAA Security Rule sections that have a title, and every citation is used', () => {
    for (const entry of CATALOG) {
      expect(entry.hipaa.length).toBeGreaterThan(0);
      for (const citation of entry.hipaa) expect(HIPAA_CITATIONS[citation]).toEqual(expect.any(String));
    }
    const cited = new Set(CATALOG.flatMap((entry) => entry.hipaa));
    expect(Object.keys(HIPAA_CITATIONS).filter((citation) => !cited.has(citation as keyof typeof HIPAA_CITATIONS))).toEqual([]);
  });

  test('every rule has its test beside the others: test/rules/<area>/<id>.test.ts', () => {
    expect(CATALOG.map((entry) => `${entry.area}/${entry.id}.test.ts`).filter((file) => !existsSync(join(TESTS_DIR, file)))).toEqual([]);
  });

  test('encryption rules cite 164.312(a)(2)(iv)', () => {
    for (const entry of CATALOG.filter((r) => r.area === 'encryption')) expect(entry.hipaa).toContain('164.312(a)(2)(iv)');
  });

  test.each(CATALOG.map((r) => [r.id, r] as const))('%s has a complete definition', (_id, entry) => {
    expect(entry.title.length).toBeGreaterThan(10);
    expect(entry.description).toMatch(/COMPLIANT/);
    expect(entry.resourceTypes.length).toBeGreaterThan(0);
    for (const type of entry.resourceTypes) expect(type).toMatch(/^AWS::(\w+)?::\w+$/);
    expect(['change', 'periodic']).toContain(entry.trigger);
    expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']).toContain(entry.severity);
    expect(entry.remediation.steps.length).toBeGreaterThan(0);
    expect(entry.remediation.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    for (const [name, spec] of Object.entries(entry.parameters)) {
      expect(name).toMatch(/^[a-z][A-Za-z]+$/);
      expect(spec.description.length).toBeGreaterThan(10);
      // The default must pass the rule's own validation.
      expect(spec.schema.safeParse(spec.default).success).toBe(true);
    }
    for (const control of entry.securityHubControls) expect(control).toMatch(/^[A-Za-z0-9]+\.\d+$/);
    if (entry.awsManagedRule !== null) expect(entry.awsManagedRule).toMatch(/^[A-Z0-9]+(_[A-Z0-9]+)+$/);
  });

  test('change-triggered rules judge one item; inventory-wide rules are periodic', () => {
    for (const entry of CATALOG) if (entry.kind === 'inventory') expect(entry.trigger).toBe('periodic');
  });

  test('getRule names the known rules when given an unknown id', () => {
    expect(() => getRule('ebs-encrypted')).toThrow(UnknownRuleError);
    expect(() => getRule('ebs-encrypted')).toThrow(`unknown rule id "ebs-encrypted"; known rules: ${RULE_IDS.join(', ')}`);
    expect(RULE_IDS).toContain('ebs-volume-encrypted');
  });
});
