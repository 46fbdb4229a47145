/**
 * Issue 11, "Bad input gets exit 2 and one line, never a trace": oversized and compressed inputs, deep
 * nesting in every JSON input, bad parameters and dates; and generated damage to real inputs, which
 * either stops the scan with exactly one line naming the file, or (inside one item) leaves every
 * other item evaluated.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { defaultInputLimits } from '../../cli/load.js';
import { CATALOG } from '../../rules/catalog.js';
import { EXAMPLE, escapeRegExp, report, REPORT, runScan, runScanWith, SELECTIONS, temp } from '../helpers/cli.js';

const MiB = 2 ** 20;
const SMALL = { fileBytes: 1 * MiB, totalBytes: 3 * MiB };
const EXAMPLE_DOC = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { configurationItems: Record<string, unknown>[] };

/** Exit 2, nothing on stdout, and exactly one stderr line: `error: <file>: <problem>`. */
function expectOneLineError(result: { code: number; stdout: string; stderr: string }, file: string, problem: RegExp | string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr.startsWith(`error: ${file}: `)).toBe(true);
  expect(result.stderr).toMatch(problem);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('compressed and huge inputs', () => {
  test('a gzip bomb stops at the limit: exit 2 saying the limit and how to split the input', async () => {
    const bomb = temp('bomb.json.gz', gzipSync(Buffer.alloc(8 * MiB)));
    expect(readFileSync(bomb).length).toBeLessThan(64 * 1024);
    const result = await runScanWith(['--snapshot', bomb], { limits: SMALL });
    expectOneLineError(
      result,
      bomb,
      /unpacked, the gzip data is larger than 1 MiB, the most one input can be .*split it into several files and give each with its own --snapshot/,
    );
  });

  test('a plain file over the limit is refused before it is read', async () => {
    const big = temp('big.json', ' '.repeat(2 * MiB));
    expectOneLineError(await runScanWith(['--snapshot', big], { limits: SMALL }), big, /the file \(2 MiB\) is larger than 1 MiB/);
  });

  test('inputs that together exceed what the heap can hold: exit 2 naming the file that crossed the line', async () => {
    const part = JSON.stringify({ configurationItems: EXAMPLE_DOC.configurationItems.slice(0, 1) }).padEnd(0.9 * MiB, ' ');
    const files = [1, 2, 3, 4].map((n) => temp(`part-${n}.json`, part));
    const result = await runScanWith(
      files.flatMap((file) => ['--snapshot', file]),
      { limits: SMALL },
    );
    expectOneLineError(
      result,
      files[3] ?? '',
      /the inputs reach 4 MiB with this file; one scan can hold about 3 MiB .*Scan fewer files at a time .*NODE_OPTIONS=--max-old-space-size=8192/,
    );
  });

  test('standard input is bounded the same way', async () => {
    const result = await runScanWith(['--snapshot', '-'], { limits: SMALL, stdin: Readable.from([Buffer.alloc(MiB), Buffer.alloc(MiB)]) });
    expectOneLineError(result, '-', /standard input is larger than 1 MiB/);
  });

  test("the default limits: 500 MiB per file (under V8's longest string), a fifth of the heap for all inputs", () => {
    expect(defaultInputLimits(4096 * MiB)).toEqual({ fileBytes: 500 * MiB, totalBytes: Math.floor((4096 * MiB) / 5) });
    expect(defaultInputLimits().fileBytes).toBeLessThan(0x1fffffe8);
  });
});

describe('deep nesting, in every JSON input', () => {
  const deep = '['.repeat(10_000);
  const nested = /not valid JSON: nested more than 1000 levels deep/;
  test.each([
    ['--snapshot', 'snapshot.json'],
    ['--params', 'params.json'],
    ['--backup-selections', 'selections.json'],
  ])('%s: exit 2 naming the file', async (option, name) => {
    const file = temp(name, deep);
    const argv = option === '--snapshot' ? ['--snapshot', file] : ['--snapshot', EXAMPLE, option, file];
    expectOneLineError(await runScan(...argv), file, nested);
  });

  test('a JSON credential report: exit 2 naming the file', async () => {
    const file = temp('report.json', `{"Content": ${deep}`);
    expectOneLineError(
      await runScan('--snapshot', EXAMPLE, '--credential-report', file),
      file,
      /not a readable IAM credential report: .*nested more than 1000 levels deep/,
    );
  });
});

describe('--params', () => {
  test.each([
    ['{"s3-bucket-encrypted": {"toString": true}}', /s3-bucket-encrypted: unknown parameter "toString"/],
    ['{"s3-bucket-encrypted": {"__proto__": {"requireKms": true}}}', /unknown parameter "__proto__"/],
    ['{"constructor": {}}', /unknown rule id "constructor"/],
    [
      '{"s3-bucket-encrypted": {"requireKms": null}}',
      /parameter requireKms = null is invalid: give a value, or leave the parameter out to use its default \(false\)/,
    ],
    ['{"iam-user-console-mfa": {"gracePeriodHours": ""}}', /parameter gracePeriodHours = "" is invalid/],
  ])('%s is exit 2 with one line', async (content, message) => {
    const file = temp('params.json', content);
    expectOneLineError(await runScan('--snapshot', EXAMPLE, '--params', file), file, message);
  });
});

describe('--as-of', () => {
  test.each(['2026-02-30', '2025-02-29', '2026-04-31', '2026-13-01', '2026-01-01T24:00:00Z', '2026-01-01T12:60:00Z', '2026-01-01T12:00:00+25:00', '2026-1-1'])(
    '%s does not exist: exit 2',
    async (value) => {
      const result = await runScan('--snapshot', EXAMPLE, '--as-of', value);
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: --as-of ${JSON.stringify(value)} is not an ISO-8601 time that exists (e.g. 2026-11-28T12:00:00Z)\n`,
      });
    },
  );

  test.each([
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-11-28T12:00:00Z', '2026-11-28T12:00:00.000Z'],
    ['2026-11-28T12:00:00.5+01:00', '2026-11-28T11:00:00.500Z'],
  ])('%s is accepted', async (value, iso) => {
    const result = await runScan('--snapshot', EXAMPLE, '--as-of', value, '--format', 'json');
    expect(result.code).toBe(1);
    expect(report(result.stdout).summary.generatedAt).toBe(iso);
  });
});

describe('generated damage to real inputs (property)', () => {
  const text = JSON.stringify(EXAMPLE_DOC, null, 2);
  const lastBrace = text.lastIndexOf('}');

  /** Whole-file damage: what no reader can use. */
  const fileDamage = fc.oneof(
    fc.integer({ min: 0, max: lastBrace - 1 }).map((cut) => ({ what: 'truncated', content: text.slice(0, cut) })),
    fc.integer({ min: 1_001, max: 20_000 }).map((depth) => ({ what: 'nested', content: `${'['.repeat(depth)}${text}` })),
    fc
      .constantFrom('42', '"text"', 'true', 'null', '{"configurationItems": 7}', '{"Results": "x"}', '{"hello": []}')
      .map((content) => ({ what: 'wrong type', content })),
    fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((bytes) => ({ what: 'garbage', content: Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from(bytes)]) })),
  );

  test('damage to the whole file: exit 2, one line naming the file, nothing on stdout', async () => {
    await fc.assert(
      fc.asyncProperty(fileDamage, async ({ content }) => {
        const file = temp('damaged.json', content);
        const result = await runScan('--snapshot', file, '--format', 'json');
        expectOneLineError(result, file, /\S/);
      }),
      { numRuns: 60 },
    );
  });

  const itemTypes = new Set<string>(CATALOG.flatMap((entry) => (entry.kind === 'item' ? entry.resourceTypes : [])));
  const REQUIRED = ['resourceType', 'resourceId', 'configurationItemCaptureTime', 'awsRegion', 'awsAccountId'];
  const wrongValue = fc.constantFrom<unknown>(42, true, [], ['x'], 'not a date', { nested: {} });
  const itemDamage = fc.record({
    index: fc.integer({ min: 0, max: EXAMPLE_DOC.configurationItems.length - 1 }),
    field: fc.constantFrom(...REQUIRED, 'tags', 'relationships', 'configuration', 'configurationItemStatus'),
    remove: fc.boolean(),
    value: wrongValue,
  });

  test('damage inside items: every undamaged item is still evaluated, and each skipped one is named on stderr', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(itemDamage, { minLength: 1, maxLength: 4, selector: (d) => d.index }), async (damages) => {
        const items = structuredClone(EXAMPLE_DOC.configurationItems);
        for (const d of damages) {
          const item = items[d.index] ?? {};
          if (d.remove) delete item[d.field];
          else item[d.field] = d.value;
        }
        const file = temp('items.json', JSON.stringify({ ...EXAMPLE_DOC, configurationItems: items }));
        const result = await runScan('--snapshot', file, '--format', 'json');
        expect([0, 1]).toContain(result.code);
        const { evaluations, summary } = report(result.stdout);
        const damaged = new Set(damages.map((d) => d.index));
        const evaluated = new Set(evaluations.map((e) => `${e.resourceType} ${e.resourceId}`));
        EXAMPLE_DOC.configurationItems.forEach((item, index) => {
          if (damaged.has(index) || !itemTypes.has(String(item.resourceType))) return;
          expect(evaluated).toContain(`${String(item.resourceType)} ${String(item.resourceId)}`);
        });
        const warnings = result.stderr.split('\n').filter((line) => line.startsWith('warning: skipped'));
        expect(warnings).toHaveLength(summary.skippedItems.length);
        for (const line of warnings) expect(line).toMatch(new RegExp(`^warning: skipped ${escapeRegExp(file)} configurationItems\\[\\d+\\]`));
        if (summary.skippedItems.length > 0) expect(result.code).toBe(1);
      }),
      { numRuns: 40 },
    );
  });

  test('duplicates of items, older and changed, leave the result as it was (property)', async () => {
    const baseline = report(
      (await runScan('--snapshot', EXAMPLE, '--credential-report', REPORT, '--backup-selections', SELECTIONS, '--format', 'json')).stdout,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            index: fc.integer({ min: 0, max: EXAMPLE_DOC.configurationItems.length - 1 }),
            daysOlder: fc.integer({ min: 0, max: 400 }),
            flip: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (copies) => {
          const items = [...EXAMPLE_DOC.configurationItems];
          for (const copy of copies) {
            const original = EXAMPLE_DOC.configurationItems[copy.index] ?? {};
            const older = structuredClone(original);
            const time = Date.parse(String(original.configurationItemCaptureTime)) - (copy.daysOlder + 1) * 86_400_000;
            older.configurationItemCaptureTime = new Date(time).toISOString();
            if (copy.flip && typeof older.configuration === 'object' && older.configuration !== null)
              (older.configuration as Record<string, unknown>).encrypted = false;
            items.splice(copy.index % 2 === 0 ? 0 : items.length, 0, older);
          }
          const file = temp('history.json', JSON.stringify({ configurationItems: items }));
          const result = report(
            (await runScan('--snapshot', file, '--credential-report', REPORT, '--backup-selections', SELECTIONS, '--format', 'json')).stdout,
          );
          expect(result.summary.compliance).toEqual(baseline.summary.compliance);
          expect(result.summary.resourcesEvaluated).toBe(baseline.summary.resourcesEvaluated);
        },
      ),
      { numRuns: 25 },
    );
  });

  test('any JSON as --params: accepted, or exit 2 with one line naming the params file (property)', async () => {
    const ruleIds = CATALOG.map((entry) => entry.id);
    const params = fc.dictionary(
      fc.oneof(fc.constantFrom(...ruleIds, 'toString', '__proto__'), fc.string()),
      fc.oneof(
        fc.dictionary(fc.oneof(fc.constantFrom('requireKms', 'kmsKeyArns', 'gracePeriodHours', 'constructor'), fc.string()), fc.jsonValue()),
        fc.jsonValue(),
      ),
      { maxKeys: 3 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(params, fc.jsonValue()), async (value) => {
        const file = temp('params.json', JSON.stringify(value) ?? 'null');
        const result = await runScan('--snapshot', EXAMPLE, '--params', file, '--format', 'json');
        if (result.code === 2) expectOneLineError(result, file, /\S/);
        else expect(report(result.stdout).evaluations.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  test('a credential report cut anywhere, as CSV or inside get-credential-report JSON: a report of whole rows, or exit 2 with one line naming the file (property)', async () => {
    const csv = readFileSync(REPORT, 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: csv.length - 1 }), fc.boolean(), async (cut, asJson) => {
        const text = csv.slice(0, cut);
        // As `aws iam get-credential-report` prints it: the cut CSV base64-encoded in valid JSON.
        const content = asJson
          ? JSON.stringify({ Content: Buffer.from(text).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-11-28T06:00:00Z' })
          : text;
        const file = temp(asJson ? 'report.json' : 'report.csv', content);
        const result = await runScan('--snapshot', EXAMPLE, '--credential-report', file, '--format', 'json');
        if (result.code === 2) expectOneLineError(result, file, /\S/);
        else {
          expect([0, 1]).toContain(result.code);
          expect(report(result.stdout).summary.inputs).toContain(file);
        }
      }),
      { numRuns: 40 },
    );
  });
});
