import fc from 'fast-check';
import { escapeControlCharactersInStrings, JsonSyntaxError, parseAwsJson } from '../../rules/json.js';
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
          hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : ({ t: '\t', n: '\n', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[letter ?? ''] ?? m,
        );
        expect(parseAwsJson(raw)).toEqual({ value });
      }),
    );
  });
});
