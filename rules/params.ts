/**
 * Rule parameters. AWS Config hands input parameters over as strings ("true", "24", "a,b"); the
 * offline `--params` file may give real JSON values. Both are accepted and validated the same way,
 * and a bad value is an error naming the rule, the parameter and the value — never a silent default.
 */
// zod/mini: the same validation in a few KiB instead of hundreds, which matters for Lambda cold starts.
import * as z from 'zod/mini';

export interface ParamSpec<T> {
  readonly type: 'boolean' | 'integer' | 'stringList' | 'integerList' | 'string';
  readonly description: string;
  /** The values it accepts, as the README's parameter table shows them: `1–8760`, `true, false`. */
  readonly allowed: string;
  readonly default: T;
  readonly schema: z.ZodMiniType<T>;
}

export type ParamSpecs = Readonly<Record<string, ParamSpec<unknown>>>;
export type ParamValues<S extends ParamSpecs> = { readonly [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never };

export class ParameterError extends Error {
  constructor(
    readonly ruleId: string,
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'ParameterError';
  }
}

/**
 * A spec whose zod schema is built on first use: a Lambda cold start loads every rule's specs but
 * validates only one rule's parameters, and each schema costs construction time at import.
 */
function lazySpec<T>(spec: Omit<ParamSpec<T>, 'schema'>, make: () => z.ZodMiniType<T>): ParamSpec<T> {
  let schema: z.ZodMiniType<T> | undefined;
  return {
    ...spec,
    get schema() {
      return (schema ??= make());
    },
  };
}

const booleanFromString = () =>
  z.pipe(
    z.transform((value: unknown) => {
      if (typeof value !== 'string') return value;
      const lower = value.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      return value;
    }),
    z.boolean({ error: 'expected true or false' }),
  );

export function booleanParam(options: { default: boolean; description: string }): ParamSpec<boolean> {
  return lazySpec({ type: 'boolean', allowed: 'true, false', ...options }, booleanFromString);
}

export function integerParam(options: { default: number; description: string; min: number; max: number }): ParamSpec<number> {
  return lazySpec({ type: 'integer', default: options.default, description: options.description, allowed: `${options.min}–${options.max}` }, () =>
    z.pipe(
      z.transform((value: unknown) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value)),
      z
        .number({ error: 'expected a whole number' })
        .check(
          z.int({ error: 'expected a whole number' }),
          z.minimum(options.min, { error: `must be at least ${options.min}` }),
          z.maximum(options.max, { error: `must be at most ${options.max}` }),
        ),
    ),
  );
}

/** A list given as a JSON array or, as Config input parameters must be, a comma-separated string. */
export function stringListParam(options: {
  default: readonly string[];
  description: string;
  allowed: string;
  item: () => z.ZodMiniType<string>;
}): ParamSpec<readonly string[]> {
  return lazySpec({ type: 'stringList', default: options.default, description: options.description, allowed: `a list of ${options.allowed}` }, () =>
    z.pipe(
      z.transform((value: unknown) =>
        typeof value === 'string'
          ? value
              .split(',')
              .map((part) => part.trim())
              .filter((part) => part !== '')
          : value,
      ),
      z.readonly(z.array(options.item(), { error: 'expected a list (JSON array or comma-separated string)' })),
    ),
  );
}

/** A list of whole numbers given as a JSON array or a comma-separated string ("22, 3389"). */
export function integerListParam(options: { default: readonly number[]; description: string; min: number; max: number }): ParamSpec<readonly number[]> {
  return lazySpec(
    { type: 'integerList', default: options.default, description: options.description, allowed: `a list of whole numbers ${options.min}–${options.max}` },
    () =>
      z.pipe(
        z.transform((value: unknown) => {
          const parts =
            typeof value === 'string'
              ? value
                  .split(',')
                  .map((part) => part.trim())
                  .filter((part) => part !== '')
              : value;
          return Array.isArray(parts) ? parts.map((part: unknown) => (typeof part === 'string' && /^\s*-?\d+\s*$/.test(part) ? Number(part) : part)) : parts;
        }),
        z.readonly(
          z
            .array(
              z
                .number({ error: 'expected a whole number' })
                .check(
                  z.int({ error: 'expected a whole number' }),
                  z.minimum(options.min, { error: `must be at least ${options.min}` }),
                  z.maximum(options.max, { error: `must be at most ${options.max}` }),
                ),
              { error: 'expected a list (JSON array or comma-separated string)' },
            )
            .check(z.minLength(1, { error: 'expected at least one value' })),
        ),
      ),
  );
}

export function enumParam<const T extends readonly [string, ...string[]]>(options: {
  default: T[number];
  description: string;
  values: T;
}): ParamSpec<T[number]> {
  return lazySpec(
    { type: 'string', default: options.default, description: options.description, allowed: options.values.join(', ') },
    () =>
      z.pipe(
        z.transform((value: unknown) => (typeof value === 'string' ? value.trim().toUpperCase() : value)),
        z.enum(options.values, { error: `expected one of ${options.values.join(', ')}` }),
      ) as unknown as z.ZodMiniType<T[number]>,
  );
}

/** KMS keys named by key ARN, alias ARN, key id (UUID or multi-Region `mrk-…`) or alias name. */
export const kmsKeyReference = (): z.ZodMiniType<string> =>
  z.string().check(
    z.regex(
      /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|alias\/[A-Za-z0-9/_-]+)$/,
      {
        error: 'expected a KMS key ARN, alias ARN, key id or alias/name',
      },
    ),
  );

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? text.slice(0, 80) + '…' : text;
}

/**
 * Validates raw parameters against a rule's specs, filling defaults for parameters that are absent.
 * Unknown names are errors too (a typo would otherwise be a silent default), and so are names only
 * an object's prototype has (`toString`, `constructor`, `__proto__`). A parameter given as `null` or
 * `""` is an error, not the default: whoever wrote it meant something, and the default may not be it.
 */
export function parseParameters<S extends ParamSpecs>(ruleId: string, specs: S, raw: Readonly<Record<string, unknown>> | undefined): ParamValues<S> {
  const input = raw ?? {};
  for (const name of Object.keys(input)) {
    if (!Object.hasOwn(specs, name)) {
      const known = Object.keys(specs);
      throw new ParameterError(
        ruleId,
        name,
        `${ruleId}: unknown parameter ${JSON.stringify(name)}; ${known.length ? `known parameters: ${known.join(', ')}` : 'this rule takes no parameters'}`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (!Object.hasOwn(input, name) || input[name] === undefined) {
      out[name] = spec.default;
      continue;
    }
    const value = input[name];
    if (value === null || (typeof value === 'string' && value.trim() === '')) {
      throw new ParameterError(
        ruleId,
        name,
        `${ruleId}: parameter ${name} = ${show(value)} is invalid: give a value, or leave the parameter out to use its default (${show(spec.default)})`,
      );
    }
    const result = spec.schema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (item ${issue.path.join('.')})` : '';
      throw new ParameterError(ruleId, name, `${ruleId}: parameter ${name} = ${show(value)} is invalid${where}: ${issue?.message ?? 'invalid value'}`);
    }
    out[name] = result.data;
  }
  return out as ParamValues<S>;
}
