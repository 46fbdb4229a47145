import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CATALOG, getRule, UnknownRuleError } from '../../rules/catalog.js';
import { HIPAA_CITATIONS, RULE_IDS, RULE_MAPPING } from '../../rules/mapping.js';

const RULES_DIR = join(import.meta.dirname, '..', '..', 'rules');

function ruleFiles(dir = RULES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return ruleFiles(full);
    return /^[a-z0-9]+(-[a-z0-9]+)+\.ts$/.test(entry.name) && /define(Item|Inventory)Rule\(/.test(readFileSync(full, 'utf8')) ? [full] : [];
  });
}

describe('rule catalog', () => {
  test('every rule is mapped and every mapping names an existing rule', () => {
    expect(CATALOG.map((r) => r.id).sort()).toEqual([...RULE_IDS].sort());
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

  test('every citation is a known HIPAA Security Rule section with a title', () => {
    for (const mapping of Object.values(RULE_MAPPING)) {
      expect(mapping.hipaa.length).toBeGreaterThan(0);
      for (const citation of mapping.hipaa) expect(HIPAA_CITATIONS[citation]).toEqual(expect.any(String));
    }
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
  });

  test('change-triggered rules judge one item; inventory-wide rules are periodic', () => {
    for (const entry of CATALOG) if (entry.kind === 'inventory') expect(entry.trigger).toBe('periodic');
  });

  test('getRule names the known rules when given an unknown id', () => {
    expect(() => getRule('ebs-encrypted')).toThrow(UnknownRuleError);
    expect(() => getRule('ebs-encrypted')).toThrow(/unknown rule id "ebs-encrypted"; known rules: ebs-volume-encrypted/);
  });
});
