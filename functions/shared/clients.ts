/**
 * One retry policy for every SDK client the monitor creates. Config, IAM and Backup throttle in
 * bursts when a periodic run fans out over an account; the SDK default (3 attempts) gives up inside
 * the burst. Eight attempts with capped exponential backoff and full jitter ride out roughly half a
 * minute of throttling, still well inside the functions' timeouts.
 */
import { ConfiguredRetryStrategy } from '@smithy/core/retry';

export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 8_000;

/** Full-jitter exponential backoff (attempt counts from 1). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export interface ClientSettings {
  readonly retryStrategy: ConfiguredRetryStrategy;
  readonly region?: string;
}

/** Settings for a client: `delay` is replaced in tests so retries do not wait. */
export function clientSettings(options: { region?: string; delay?: (attempt: number) => number } = {}): ClientSettings {
  return {
    retryStrategy: new ConfiguredRetryStrategy(MAX_ATTEMPTS, options.delay ?? ((attempt) => backoffDelay(attempt))),
    ...(options.region !== undefined && { region: options.region }),
  };
}
