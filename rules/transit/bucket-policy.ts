/**
 * Reading an S3 bucket policy for the one thing the TLS rule asks: does it deny every request made
 * without TLS? IAM policy grammar (IAM User Guide, "IAM JSON policy elements reference"): Statement is
 * one object or a list; Principal, Action and Resource are a string or a list; `*` matches any run of
 * characters and `?` one; action names and condition keys are case-insensitive. See
 * docs/aws-semantics.md, "S3 bucket policies and TLS".
 */
import { field, RuleInputError } from '../fields.js';
import { isRecord } from '../inventory.js';
import { parseAwsJson } from '../json.js';

/** What one statement denying plain-HTTP requests covers. */
export interface TlsDeny {
  readonly sid?: string;
  readonly allPrincipals: boolean;
  /** Every S3 action (`s3:*`, `*`); otherwise `actions` names what it does cover. */
  readonly allActions: boolean;
  readonly actions: readonly string[];
  readonly coversBucket: boolean;
  readonly coversObjects: boolean;
  /** Conditions besides aws:SecureTransport narrow the deny to some requests. */
  readonly otherConditions: boolean;
  /** NotPrincipal, NotAction or NotResource: the deny leaves something out by construction. */
  readonly negated: boolean;
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const regexCache = new Map<string, RegExp>();

/** `*` any run of characters, `?` any one; a NUL in the text (see coversAll) is matched by `*` only. */
function globRegex(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = regexCache.get(key);
  if (regex === undefined) {
    const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '[^\\u0000]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    regex = new RegExp(`^${body}$`, ignoreCase ? 'si' : 's');
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(key, regex);
  }
  return regex;
}

function matches(pattern: string, text: string, ignoreCase = false): boolean {
  return globRegex(pattern, ignoreCase).test(text);
}

/**
 * Whether the pattern matches every string that starts with `prefix`. It does when it matches
 * `prefix` followed by a character that only `*` can stand for: that `*` then stands for any rest.
 */
function coversAll(pattern: string, prefix: string, ignoreCase = false): boolean {
  return matches(pattern, `${prefix}\u0000`, ignoreCase);
}

/** `"Principal": "*"` or `{"AWS": "*"}` (or a list holding `*`): everyone, anonymous callers included. */
function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  return isRecord(principal) && list(field(principal, 'AWS')).includes('*');
}

const FALSE = new Set(['false', false]);

/**
 * The statement's condition is "aws:SecureTransport is false" under Bool or BoolIfExists (the value a
 * string or a boolean; AWS records what was written). Returns undefined when the statement is not
 * about SecureTransport at all, and whether other conditions narrow it.
 */
function secureTransportFalse(condition: unknown): { otherConditions: boolean } | undefined {
  if (!isRecord(condition)) return undefined;
  let found = false;
  let others = false;
  for (const [operator, block] of Object.entries(condition)) {
    if (!isRecord(block)) {
      others = true;
      continue;
    }
    for (const [key, value] of Object.entries(block)) {
      const values = list(value).map((v) => (typeof v === 'string' ? v.toLowerCase() : v));
      if (
        /^(Bool|BoolIfExists)$/i.test(operator) &&
        key.toLowerCase() === 'aws:securetransport' &&
        values.length > 0 &&
        values.every((v) => FALSE.has(v as string | boolean))
      )
        found = true;
      else others = true;
    }
  }
  return found ? { otherConditions: others } : undefined;
}

/** The policy document from the item: `policyText` is a JSON string (or, from some exporters, the object). */
export function policyDocument(bucketPolicy: unknown): Record<string, unknown> | null {
  if (typeof bucketPolicy === 'string') throw new RuleInputError('supplementaryConfiguration.BucketPolicy is not readable JSON');
  if (!isRecord(bucketPolicy)) throw new RuleInputError('supplementaryConfiguration.BucketPolicy is not an object holding policyText');
  const text = field(bucketPolicy, 'policyText');
  if (text === null || text === undefined || text === '') return null;
  let doc: unknown = text;
  if (typeof text === 'string') {
    try {
      doc = parseAwsJson(text);
    } catch (error) {
      throw new RuleInputError(`the bucket policy (BucketPolicy.policyText) is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isRecord(doc)) throw new RuleInputError('the bucket policy (BucketPolicy.policyText) is not a JSON object');
  return doc;
}

/** Every Deny statement of the policy whose condition refuses requests made without TLS, and what it covers. */
export function tlsDenies(policy: Record<string, unknown>, bucket: string, partition: string): TlsDeny[] {
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  const out: TlsDeny[] = [];
  for (const statement of list(field(policy, 'Statement'))) {
    if (!isRecord(statement) || String(field(statement, 'Effect')).toLowerCase() !== 'deny') continue;
    const transport = secureTransportFalse(field(statement, 'Condition'));
    if (transport === undefined) continue;
    const actions = list(field(statement, 'Action')).filter((a): a is string => typeof a === 'string');
    const resources = list(field(statement, 'Resource')).filter((r): r is string => typeof r === 'string');
    const sid = field(statement, 'Sid');
    out.push({
      ...(typeof sid === 'string' && sid !== '' && { sid }),
      allPrincipals: isEveryone(field(statement, 'Principal')),
      allActions: actions.some((a) => coversAll(a, 's3:', true)),
      actions,
      coversBucket: resources.some((r) => matches(r, bucketArn)),
      coversObjects: resources.some((r) => coversAll(r, `${bucketArn}/`)),
      otherConditions: transport.otherConditions,
      negated: ['NotPrincipal', 'NotAction', 'NotResource'].some((name) => field(statement, name) !== undefined),
    });
  }
  return out;
}
