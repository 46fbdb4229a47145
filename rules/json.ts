import { parse, printParseErrorCode, type ParseError, type ParseErrorCode } from 'jsonc-parser';

/**
 * JSON as AWS emits it. Some AWS text (SSM inventory captured by Config, for one) carries raw
 * control characters inside string values, which strict JSON forbids. We accept it: such a
 * document is parsed after escaping control characters that sit inside strings, so a clinic's
 * real export is never rejected for AWS's own formatting.
 */

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number | undefined,
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

export function parseAwsJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    if (!hasRawControlCharacter(text)) throw toSyntaxError(text, first);
    try {
      return JSON.parse(escapeControlCharactersInStrings(text));
    } catch (second) {
      throw toSyntaxError(text, second);
    }
  }
}

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

function hasRawControlCharacter(text: string): boolean {
  if (RAW_CONTROL.test(text)) return true;
  // Tabs and line breaks are legal between tokens, so they only matter inside strings.
  return escapeControlCharactersInStrings(text) !== text;
}

/** Escapes U+0000–U+001F inside string literals only; whitespace between tokens is left alone. */
export function escapeControlCharactersInStrings(text: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) {
        i++;
      } else if (code === 0x22) {
        inString = false;
      } else if (code < 0x20) {
        out += text.slice(from, i) + '\\u' + code.toString(16).padStart(4, '0');
        from = i + 1;
      }
    } else if (code === 0x22) {
      inString = true;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Deeper than any document AWS writes (a configuration item nests a few dozen levels), and shallow
 * enough for the recursive locator below to stay far from the call-stack limit.
 */
export const MAX_LOCATED_DEPTH = 1000;

/** Where the text first nests deeper than `limit` arrays and objects, counted outside strings; -1 if never. */
export function firstTooDeep(text: string, limit = MAX_LOCATED_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return i;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return -1;
}

function located(text: string, position: number, reason: string): JsonSyntaxError {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return new JsonSyntaxError(`${reason} at line ${line}, column ${column} (offset ${position})`, position, line, column);
}

function toSyntaxError(text: string, cause: unknown): JsonSyntaxError {
  const raw = cause instanceof Error ? cause.message : String(cause);
  // The locator below recurses once per nesting level: `[` ten thousand times would overflow the stack.
  const deep = firstTooDeep(text);
  if (deep >= 0) return located(text, deep, `nested more than ${MAX_LOCATED_DEPTH} levels deep (no AWS export nests like this)`);
  // V8's messages carry no reliable position; a real JSON scanner finds where the text goes wrong.
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return new JsonSyntaxError(raw, undefined, undefined, undefined);
  const position = first.offset;
  return located(text, position, position >= text.trimEnd().length ? 'unexpected end of input (truncated file?)' : describeError(first.error));
}

function describeError(code: ParseErrorCode): string {
  return printParseErrorCode(code)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}
