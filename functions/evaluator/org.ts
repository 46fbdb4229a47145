/**
 * An evaluator's org mode, from its environment: per-account parameters, and a router that runs the
 * work in the event's account through its member role. The entries call this behind the CCM_BUNDLE
 * check, so single-account bundles leave it, the member-role code, STS and SNS out altogether.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AccountRouter } from '../org/account-router.js';
import { loadOrgEnv } from '../org/env.js';
import type { AccountOverrides } from '../org/overrides.js';
import { createRuntimeRouter, memberClientSettings } from '../org/runtime.js';
import { LAMBDAS } from '../shared/services.js';

export interface EvaluatorOrg<A> {
  readonly router: AccountRouter<A>;
  readonly overrides: AccountOverrides;
}

export interface EvaluatorOrgOptions<A> {
  /** The function's own account's adapters. */
  readonly own: A;
  /** A member account's adapters; `settings` gives each client its own settings (a retry strategy's quota is not shared) on the member's credentials. */
  readonly build: (settings: () => ReturnType<typeof memberClientSettings>) => A;
  readonly logger: Logger;
}

/** Undefined unless MEMBER_ROLE_NAME is set. */
export function loadEvaluatorOrg<A>(
  evaluator: 'change' | 'periodic',
  env: Readonly<Record<string, string | undefined>>,
  options: EvaluatorOrgOptions<A>,
): EvaluatorOrg<A> | undefined {
  const orgEnv = loadOrgEnv(env);
  if (orgEnv === undefined) return undefined;
  return {
    overrides: orgEnv.overrides,
    router: createRuntimeRouter<A>({
      env: orgEnv,
      source: LAMBDAS[evaluator].name,
      own: options.own,
      build: (credentials) => options.build(() => memberClientSettings(credentials)),
      warn: (message, details) => options.logger.warn(message, details),
    }),
  };
}
