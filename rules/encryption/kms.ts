import { kmsKeyReference, stringListParam } from '../params.js';
import type { Verdict } from '../types.js';
import { compliant, nonCompliant } from '../verdicts.js';

export const kmsKeyArnsParam = stringListParam({
  default: [],
  item: kmsKeyReference,
  allowed: 'key ARNs, key ids, alias ARNs or alias names (alias/…)',
  description:
    'KMS keys allowed to encrypt the resource (key ARN, key id or alias ARN; comma-separated). Empty: any key. A key id matches the key ARN that ends in it.',
});

/** The key id at the end of a key ARN (`…:key/<id>`), or the reference itself. */
function keyId(reference: string): string {
  const marker = reference.lastIndexOf(':key/');
  return marker >= 0 ? reference.slice(marker + 5) : reference;
}

export function isAllowedKey(actual: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  if (actual === undefined) return false;
  const actualId = keyId(actual);
  return allowed.some((reference) => reference === actual || keyId(reference) === actualId);
}

/** The verdict for a resource known to be encrypted, once the key is checked against the allow-list. */
export function keyVerdict(what: string, actual: string | undefined, allowed: readonly string[]): Verdict {
  if (isAllowedKey(actual, allowed)) {
    return compliant(`${what} is encrypted${actual ? ` with KMS key ${actual}` : ''}.`);
  }
  return nonCompliant(`${what} is encrypted with ${actual ? `KMS key ${actual}` : 'an unrecorded key'}, which is not in kmsKeyArns.`);
}
