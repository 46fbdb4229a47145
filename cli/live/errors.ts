/**
 * What went wrong in a live read, in words a person acts on: no credentials, an expired session,
 * credentials AWS refuses, a permission the assessor lacks (naming the IAM action), or anything else.
 */
import type { AbsoluteLocation, HandlerOptions, InitializeMiddleware } from '@smithy/types';
import { errorParts } from '../../functions/shared/retry.js';
import { callOf } from './calls.js';

/** A problem that stops the whole scan before any account is read (exit 2). */
export class LiveScanError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LiveScanError';
  }
}

const FAILED_COMMAND = 'ccmFailedCommand';

interface Stacked {
  readonly middlewareStack: { add(middleware: InitializeMiddleware<object, object>, options: HandlerOptions & AbsoluteLocation & { name?: string }): void };
}

/**
 * Adds to a client a middleware that names, on any error, the command that failed: an SDK error says
 * what AWS refused (AccessDeniedException) but not which call, and the IAM action is the call's.
 */
export function nameFailedCommands(client: Stacked): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (typeof error === 'object' && error !== null && !(FAILED_COMMAND in error))
          Object.defineProperty(error, FAILED_COMMAND, { value: context.commandName, enumerable: false });
        throw error;
      }
    },
    { step: 'initialize', name: 'ccmNameFailedCommand', priority: 'high' },
  );
}

/** The SDK command an error came from, when a client named it (see nameFailedCommands). */
export function failedCommand(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !(FAILED_COMMAND in error)) return undefined;
  const value = (error as Record<string, unknown>)[FAILED_COMMAND];
  return typeof value === 'string' ? value : undefined;
}

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'UnauthorizedException']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException']);
/** Keys AWS does not know, or signed wrongly: the credentials themselves are bad. */
const REFUSED = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'AuthFailure', 'InvalidAccessKeyId']);

export type ErrorKind = 'no-credentials' | 'expired' | 'refused' | 'denied' | 'other';

export function errorKind(error: unknown): ErrorKind {
  const { code } = errorParts(error);
  if (code === 'CredentialsProviderError' || code === 'TokenProviderError') return 'no-credentials';
  if (EXPIRED.has(code)) return 'expired';
  if (REFUSED.has(code)) return 'refused';
  if (DENIED.has(code)) return 'denied';
  return 'other';
}

/** The IAM action a denied error was about: from the failed command, else from AWS's message, else the first of the candidates. */
export function deniedAction(error: unknown, candidates: readonly string[] = []): string | undefined {
  const declared = callOf(failedCommand(error))?.action;
  if (declared !== undefined) return declared;
  const named = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(errorParts(error).message)?.[1];
  return named ?? (candidates.length === 1 ? candidates[0] : undefined);
}

/** One sentence for the user: what happened and what to do. */
export function describeError(error: unknown, context: { profile?: string; candidates?: readonly string[] } = {}): string {
  const { code, message } = errorParts(error);
  const profile = context.profile === undefined ? '' : ` --profile ${context.profile}`;
  switch (errorKind(error)) {
    case 'no-credentials':
      return `no AWS credentials found (${message}); sign in first (aws configure, or aws sso login${profile}) and pass --profile NAME or set AWS_PROFILE`;
    case 'expired':
      return `the AWS session has expired (${code}); renew it (aws sso login${profile}, or new temporary keys) and run the scan again`;
    case 'refused':
      return `AWS refused the credentials (${code}: ${message}); check the access key, or sign in again (aws sso login${profile})`;
    case 'denied': {
      const action = deniedAction(error, context.candidates ?? []);
      const candidates = context.candidates ?? [];
      const what = action ?? (candidates.length > 0 ? `one of ${candidates.join(', ')}` : 'a permission');
      return `access denied: the credentials lack ${what} (${code}: ${message})`;
    }
    case 'other':
      return `${code}: ${message}`;
  }
}
