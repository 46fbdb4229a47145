import fc from 'fast-check';
import { escapeControlCharactersInStrings, firstTooDeep, JsonSyntaxError, parseAwsJson } from '../../rules/json.js';
import { sampleText } from '../helpers/samples.js';

describe('parseAwsJson', () => {
  test('parses the SSM inventory sample that holds a raw control character, which JSON.parse rejects', () => {
    const text = sampleText('config-ci/rdk/AWS_SSM_ManagedInstanceInventory_Linux.json');
    expect(() => JSON.parse(text)).toThrow(/control character/i);
    const doc = parseAwsJson(text) as { configurationItem: { resourceType: string } };
    expect(doc.configurationItem.resourceType).toBe('AWS::SSM::ManagedInstanceInventory');
  });

  test('keeps the control character in the string value', () => {
    expect(parseAwsJson('{"a":"x\ty\u0001"}')).toEqual({ a: 'x\ty\u0001' });
  });

  test('names line and column of a syntax error', () => {
    const error = (() => {
      try {
        parseAwsJson('{\n  "a": 1,\n  "b": }');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as JsonSyntaxError).message).toMatch(/line 3, column 8/);
  });

  test('calls a cut-off document truncated', () => {
    expect(() => parseAwsJson('{"configurationItems": [{"resourceType": "AWS::EC2::Volume"')).toThrow(/truncated|line 1/);
  });

  test('escaping never changes a document without raw control characters in strings (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 2);
        expect(escapeControlCharactersInStrings(text)).toBe(text);
      }),
    );
  });

  test('any string with control characters survives a raw round trip (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        // Write the string the way AWS sometimes does: control characters unescaped.
        const raw = JSON.stringify({ value }).replace(/\\u00([01][0-9a-f])|\\([tnrbf])/g, (m, hex: string | undefined, letter: string | undefined) =>
          hex !== undefined
            ? String.fromCharCode(parseInt(hex, 16))
            : (({ t: '\t', n: '\n', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[letter ?? ''] ?? m),
        );
        expect(parseAwsJson(raw)).toEqual({ value });
      }),
    );
  });
});

describe('parseAwsJson on deep nesting', () => {
  test.each([
    ['[ ten thousand times', '['.repeat(10_000)],
    ['{"a": ten thousand times', '{"a":'.repeat(10_000)],
    ['deep and then broken', `${'['.repeat(5_000)}1,]`],
  ])('%s: a located syntax error, not a stack overflow', (_name, text) => {
    expect(() => parseAwsJson(text)).toThrow(JsonSyntaxError);
    expect(() => parseAwsJson(text)).toThrow(/nested more than 1000 levels deep \(no AWS export nests like this\) at line 1, column \d+ \(offset \d+\)/);
  });

  test('a valid deep document still parses (V8 parses without recursion)', () => {
    expect(parseAwsJson(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toEqual([expect.anything()]);
  });

  test('brackets inside strings do not count as nesting', () => {
    expect(firstTooDeep(`{"a": "${'['.repeat(2_000)}"}`)).toBe(-1);
    expect(firstTooDeep(`{"a": "\\"${'['.repeat(2_000)}"}`)).toBe(-1);
    expect(firstTooDeep('['.repeat(1_001))).toBe(1_000);
  });
});
