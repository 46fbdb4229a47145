/**
 * Reading fields out of configuration items. Config's casing differs per service (EFS is PascalCase,
 * DynamoDB lowercases `ssedescription`), so lookups fall back to a case-insensitive match.
 * A field a rule cannot do without raises RuleInputError: the engine reports that resource as an
 * error, never as compliant.
 */
import { isRecord } from './inventory.js';

export class RuleInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleInputError';
  }
}

export function field(object: unknown, name: string): unknown {
  if (!isRecord(object)) return undefined;
  if (name in object) return object[name];
  // Runs for every absent field of every item: compare lengths before lower-casing anything.
  let lower: string | undefined;
  for (const key in object) {
    if (key.length !== name.length || !Object.hasOwn(object, key)) continue;
    lower ??= name.toLowerCase();
    if (key.toLowerCase() === lower) return object[key];
  }
  return undefined;
}

/** Follows a dotted path, case-insensitively at each step; anything in the way that is not an object reads as absent. */
export function path(object: unknown, dotted: string): unknown {
  if (!dotted.includes('.')) return field(object, dotted);
  let current = object;
  for (const part of dotted.split('.')) current = field(current, part);
  return current;
}

/** A value as an annotation quotes it: short, one line, never a whole nested document. */
export function quote(value: unknown): string {
  if (value === undefined) return 'missing';
  if (isRecord(value)) return 'an object';
  if (Array.isArray(value)) return 'a list';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * Like `path`, but a step that is present and not an object is an error naming it: `Lifecycle: "none"`
 * must not read as "no lifecycle". `null` and `""` on the way stand for absent, as AWS renders null.
 */
export function strictPath(object: unknown, dotted: string, prefix = 'configuration'): unknown {
  // Most lookups are one field of the configuration object: no splitting, no array (this runs per item of 100k-item snapshots).
  if (!dotted.includes('.') && isRecord(object)) return field(object, dotted);
  let current = object;
  const parts = dotted.split('.');
  for (let i = 0; i < parts.length; i++) {
    if (current === undefined || current === null || current === '') return undefined;
    if (!isRecord(current)) throw new RuleInputError(`${[prefix, ...parts.slice(0, i)].join('.')} is not an object (${quote(current)})`);
    current = field(current, parts[i] ?? '');
  }
  return current;
}

/** A boolean that AWS may also render as the string "true"/"false". */
export function requiredBoolean(object: unknown, dotted: string, prefix = 'configuration'): boolean {
  const value = strictPath(object, dotted, prefix);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new RuleInputError(`${prefix}.${dotted} is ${value === undefined || value === null ? 'missing' : `not a boolean (${quote(value)})`}`);
}

/** A boolean that may be absent (`undefined`); any other type is an error naming the field. */
export function optionalBoolean(object: unknown, dotted: string, prefix = 'configuration'): boolean | undefined {
  const value = strictPath(object, dotted, prefix);
  if (value === undefined || value === null || value === '') return undefined;
  return requiredBoolean(object, dotted, prefix);
}

/** A string that may be absent (null and "" stand for absent); a value of another type is an error naming the field. */
export function optionalString(object: unknown, dotted: string, prefix = 'configuration'): string | undefined {
  const value = strictPath(object, dotted, prefix);
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (value === undefined || value === null) return undefined;
  throw new RuleInputError(`${prefix}.${dotted} is not a string (${quote(value)})`);
}

/** A string that may be absent, and when present one of the values AWS documents for it. */
export function optionalEnum<const T extends string>(
  object: unknown,
  dotted: string,
  values: readonly T[],
  options: { prefix?: string; ignoreCase?: boolean } = {},
): T | undefined {
  const prefix = options.prefix ?? 'configuration';
  const value = optionalString(object, dotted, prefix);
  if (value === undefined) return undefined;
  const found = values.find((known) => (options.ignoreCase ? known.toLowerCase() === value.toLowerCase() : known === value));
  if (found === undefined) throw new RuleInputError(`${prefix}.${dotted} is ${quote(value)}, not one of the values AWS documents (${values.join(', ')})`);
  return found;
}

/** A whole number that AWS may also render as a string ("7"); empty strings stand for null. */
export function optionalInteger(object: unknown, dotted: string, prefix = 'configuration'): number | undefined {
  const value = strictPath(object, dotted, prefix);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  if (value === undefined || value === null || value === '') return undefined;
  throw new RuleInputError(`${prefix}.${dotted} is not a whole number (${quote(value)})`);
}

/**
 * A point in time as epoch milliseconds. Config renders dates as ISO strings, the API over the wire
 * as epoch seconds and some CIs (RDS cluster times) as epoch milliseconds; empty strings stand for null.
 */
export function toEpochMillis(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** A point in time that may be absent; a value that is not a date is an error naming the field. */
export function optionalTime(object: unknown, dotted: string, prefix = 'configuration'): number | undefined {
  const value = strictPath(object, dotted, prefix);
  if (value === undefined || value === null || value === '') return undefined;
  const at = toEpochMillis(value);
  if (at === undefined) throw new RuleInputError(`${prefix}.${dotted} is not a date (${quote(value)})`);
  return at;
}
