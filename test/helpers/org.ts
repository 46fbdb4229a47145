/** Accounts and caller identity for the org-wide tests: which client (own or a member role's) made a call. */
import type { AwsCredentialIdentity } from '@smithy/types';

export const CENTRAL = '111122223333';
export const MEMBER_A = '444455556666';
export const MEMBER_B = '777788889999';

/** The access key of the client that made a call: `ASIA<account>` for member roles (as the tests' STS mocks issue), OWN for the function's own. */
export async function caller(client: unknown): Promise<string> {
  const credentials = await (client as { config: { credentials: () => Promise<AwsCredentialIdentity> } }).config.credentials();
  return credentials.accessKeyId;
}
