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

/** Follows a dotted path, case-insensitively at each step. */
export function path(object: unknown, dotted: string): unknown {
  if (!dotted.includes('.')) return field(object, dotted);
  let current = object;
  for (const part of dotted.split('.')) current = field(current, part);
  return current;
}

/** A boolean that AWS may also render as the string "true"/"false". */
export function requiredBoolean(object: unknown, dotted: string): boolean {
  const value = path(object, dotted);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new RuleInputError(`configuration.${dotted} is ${value === undefined ? 'missing' : `not a boolean (${JSON.stringify(value)})`}`);
}

export function optionalString(object: unknown, dotted: string): string | undefined {
  const value = path(object, dotted);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A whole number that AWS may also render as a string ("7"); empty strings stand for null. */
export function optionalInteger(object: unknown, dotted: string): number | undefined {
  const value = path(object, dotted);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  if (value === undefined || value === null || value === '') return undefined;
  throw new RuleInputError(`configuration.${dotted} is not a whole number (${JSON.stringify(value)})`);
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

export function optionalTime(object: unknown, dotted: string): number | undefined {
  return toEpochMillis(path(object, dotted));
}
