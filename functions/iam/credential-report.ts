/**
 * The IAM credential report, live (docs/aws-semantics.md, "Credential report"): Generate until COMPLETE, then Get. IAM builds a
 * new report at most every 4 hours and returns the last one otherwise, so this is cheap to call
 * on every periodic run. The wait is bounded: a report that never completes is an error, not a hang.
 */
import { GenerateCredentialReportCommand, GetCredentialReportCommand, type IAMClient } from '@aws-sdk/client-iam';
import { defaultSleep, errorParts } from '../shared/retry.js';

export class CredentialReportUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialReportUnavailableError';
  }
}

export interface CredentialReportOptions {
  /** Longest total wait for IAM to finish the report. */
  readonly maxWaitMs?: number;
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Get's errors (ReportInProgress, ReportExpired, ReportNotPresent on the wire) that a new Generate cures. */
const RETRY_AFTER_GENERATE = new Set(['CredentialReportNotReadyException', 'CredentialReportExpiredException', 'CredentialReportNotPresentException']);

export class CredentialReportAdapter {
  private readonly maxWaitMs: number;
  private readonly pollMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: IAMClient,
    options: CredentialReportOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.pollMs = options.pollMs ?? 2_000;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** The report's CSV text and when IAM generated it. */
  async fetch(): Promise<{ text: string; generatedAt?: Date }> {
    let waited = 0;
    for (;;) {
      const generated = await this.client.send(new GenerateCredentialReportCommand({}));
      if (generated.State === 'COMPLETE') {
        try {
          const report = await this.client.send(new GetCredentialReportCommand({}));
          if (report.Content === undefined) throw new CredentialReportUnavailableError('GetCredentialReport returned no content');
          return { text: new TextDecoder().decode(report.Content), ...(report.GeneratedTime && { generatedAt: report.GeneratedTime }) };
        } catch (error) {
          // In progress: wait. Expired or not present: the next Generate starts a new one.
          if (!RETRY_AFTER_GENERATE.has(errorParts(error).code)) throw error;
        }
      }
      if (waited >= this.maxWaitMs)
        throw new CredentialReportUnavailableError(
          `IAM did not finish the credential report within ${Math.round(this.maxWaitMs / 1000)} s (last state ${generated.State ?? 'unknown'})`,
        );
      await this.sleep(this.pollMs);
      waited += this.pollMs;
    }
  }
}
