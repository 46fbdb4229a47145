/** What the senders share about retrying AWS calls: which errors are worth another try, and how long to wait. */

const TRANSIENT = new Set([
  // Security Hub
  'LimitExceededException',
  'InternalException',
  // SNS
  'ThrottledException',
  'KMSThrottlingException',
  'InternalErrorException',
  // generic
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

interface SdkErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Throttling, server errors and timeouts are worth another try; bad input and access errors are not. */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as SdkErrorLike;
  if (e.name !== undefined && TRANSIENT.has(e.name)) return true;
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

export function errorParts(error: unknown): { code: string; message: string } {
  if (typeof error === 'object' && error !== null) {
    const e = error as SdkErrorLike;
    return { code: e.name ?? 'Error', message: e.message ?? String(error) };
  }
  return { code: 'Error', message: String(error) };
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** In [0, 1). */
  readonly random: () => number;
}

/** Exponential backoff with half jitter: attempt 1 waits base/2…base, doubling up to maxDelayMs. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (options.random() * ceiling) / 2);
}
