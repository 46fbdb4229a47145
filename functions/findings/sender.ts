/**
 * Ships ASFF findings with BatchImportFindings, within Security Hub's limits (docs/aws-semantics.md, "Security Hub findings"): ≤100
 * findings and ≤6 MB per call, ≤240 KB per finding, paced under 10 requests per second, only the
 * FailedFindings retried, and UpdatedAt always later than what this sender sent before for the same
 * finding. Every finding given ends in exactly one list of the result: nothing is dropped silently.
 */
import { BatchImportFindingsCommand, type AwsSecurityFinding, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { backoffDelay, defaultSleep, errorParts, isRetryableError } from '../shared/retry.js';

export const MAX_FINDINGS_PER_CALL = 100;
export const MAX_BATCH_BYTES = 6 * 1024 * 1024;
export const MAX_FINDING_BYTES = 240 * 1024;
/** Security Hub allows 10 BatchImportFindings per second per account and Region; the evaluator shares that quota. */
export const DEFAULT_REQUESTS_PER_SECOND = 5;
/** Findings not updated for 90 days are deleted. */
export const FINDING_EXPIRY_DAYS = 90;

const ENVELOPE_BYTES = 1024;

export interface FindingsSenderOptions {
  /** Calls per finding, first one included. @default 4 */
  readonly maxAttempts?: number;
  /** Must stay under Security Hub's 10 per second. @default 5 */
  readonly requestsPerSecond?: number;
  /** First retry delay, doubled on each retry up to maxDelayMs. @default 200 */
  readonly baseDelayMs?: number;
  /** @default 5000 */
  readonly maxDelayMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly clock?: () => number;
  /** @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): spreads retries of concurrent senders. @default Math.random */
  readonly random?: () => number;
}

export interface FailedFinding {
  readonly id: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

export interface SendFindingsResult {
  /** Ids Security Hub accepted. */
  readonly imported: string[];
  /** Ids that could not be imported after the allowed attempts, with Security Hub's (or our) reason. */
  readonly failed: FailedFinding[];
  /** Ids given more than once in the same call: only the newest was sent. */
  readonly superseded: string[];
  /** Ids whose UpdatedAt is older than what this sender already imported: Security Hub would ignore them. */
  readonly stale: string[];
  /** BatchImportFindings calls made. */
  requests: number;
}

/** Error codes that will fail the same way however often they are retried. */
const PERMANENT = /invalid|accessdenied|access_denied|forbidden|size|malformed|validation/i;

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Keeps request starts at least 1/rate seconds apart, on the injected clock. */
class Pacer {
  private next = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly intervalMs: number,
    private readonly clock: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async wait(): Promise<void> {
    const now = this.clock();
    if (now < this.next) await this.sleep(this.next - now);
    this.next = Math.max(this.clock(), this.next) + this.intervalMs;
  }
}

interface Sized {
  readonly finding: AwsSecurityFinding;
  readonly id: string;
  readonly bytes: number;
}

export class FindingsSender {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly pacer: Pacer;
  /** UpdatedAt (ms) of the last successful import per finding id, bounded like an LRU. */
  private readonly lastImported = new Map<string, number>();
  private static readonly REMEMBERED = 20_000;

  constructor(
    private readonly client: SecurityHubClient,
    options: FindingsSenderOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 4;
    const rate = options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
    if (!(rate > 0 && rate < 10)) throw new Error(`requestsPerSecond must be above 0 and below 10 (Security Hub's limit), got ${rate}`);
    if (!(Number.isInteger(this.maxAttempts) && this.maxAttempts >= 1)) throw new Error(`maxAttempts must be a positive integer, got ${this.maxAttempts}`);
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.pacer = new Pacer(1000 / rate, options.clock ?? Date.now, this.sleep);
  }

  async send(findings: readonly AwsSecurityFinding[]): Promise<SendFindingsResult> {
    const result: SendFindingsResult = { imported: [], failed: [], superseded: [], stale: [], requests: 0 };
    const ready = this.prepare(findings, result);
    for (const group of byDestination(ready)) for (const chunk of chunks(group)) await this.sendChunk(chunk, result);
    return result;
  }

  /** Validates, keeps the newest finding per id, and moves UpdatedAt past what was imported before. */
  private prepare(findings: readonly AwsSecurityFinding[], result: SendFindingsResult): Sized[] {
    const newest = new Map<string, { finding: AwsSecurityFinding; updatedMs: number }>();
    for (const finding of findings) {
      const id = finding.Id ?? '';
      const updatedMs = finding.UpdatedAt === undefined ? Number.NaN : Date.parse(finding.UpdatedAt);
      if (id === '' || Number.isNaN(updatedMs)) {
        result.failed.push({ id, errorCode: 'InvalidInput', errorMessage: id === '' ? 'finding has no Id' : `finding ${id} has no valid UpdatedAt` });
        continue;
      }
      const seen = newest.get(id);
      if (seen !== undefined) {
        if (updatedMs >= seen.updatedMs) {
          result.superseded.push(id);
          newest.set(id, { finding, updatedMs });
        } else {
          result.superseded.push(id);
        }
        continue;
      }
      newest.set(id, { finding, updatedMs });
    }
    const ready: Sized[] = [];
    for (const [id, { finding, updatedMs }] of newest) {
      const last = this.lastImported.get(id);
      let outgoing = finding;
      if (last !== undefined && updatedMs < last) {
        result.stale.push(id);
        continue;
      }
      if (last !== undefined && updatedMs === last) outgoing = { ...finding, UpdatedAt: new Date(last + 1).toISOString() };
      const bytes = byteLength(outgoing);
      if (bytes > MAX_FINDING_BYTES) {
        result.failed.push({ id, errorCode: 'FindingTooLarge', errorMessage: `finding is ${bytes} bytes; Security Hub accepts at most ${MAX_FINDING_BYTES}` });
        continue;
      }
      ready.push({ finding: outgoing, id, bytes });
    }
    return ready;
  }

  private async sendChunk(chunk: readonly Sized[], result: SendFindingsResult): Promise<void> {
    let pending = [...chunk];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const last = attempt >= this.maxAttempts;
      await this.pacer.wait();
      result.requests++;
      let failures: readonly { Id?: string; ErrorCode?: string; ErrorMessage?: string }[];
      try {
        const response = await this.client.send(new BatchImportFindingsCommand({ Findings: pending.map((p) => p.finding) }));
        failures = response.FailedFindings ?? [];
      } catch (error) {
        const { code, message } = errorParts(error);
        if (last || !isRetryableError(error)) {
          for (const p of pending) result.failed.push({ id: p.id, errorCode: code, errorMessage: message });
          return;
        }
        await this.backoff(attempt);
        continue;
      }
      const failedById = new Map(failures.map((f) => [f.Id ?? '', f]));
      const retry: Sized[] = [];
      for (const p of pending) {
        const failure = failedById.get(p.id);
        if (failure === undefined) {
          result.imported.push(p.id);
          this.remember(p.id, Date.parse(p.finding.UpdatedAt ?? ''));
          continue;
        }
        const code = failure.ErrorCode ?? 'Unknown';
        if (last || PERMANENT.test(code)) result.failed.push({ id: p.id, errorCode: code, errorMessage: failure.ErrorMessage ?? '' });
        else retry.push(p);
      }
      pending = retry;
      if (pending.length > 0) await this.backoff(attempt);
    }
  }

  private async backoff(attempt: number): Promise<void> {
    await this.sleep(backoffDelay(attempt, { baseDelayMs: this.baseDelayMs, maxDelayMs: this.maxDelayMs, random: this.random }));
  }

  private remember(id: string, updatedMs: number): void {
    this.lastImported.delete(id);
    this.lastImported.set(id, updatedMs);
    if (this.lastImported.size > FindingsSender.REMEMBERED) {
      const oldest = this.lastImported.keys().next();
      if (!oldest.done) this.lastImported.delete(oldest.value);
    }
  }
}

/**
 * Findings per product ARN and account, in order of first appearance. Security Hub authorizes a call
 * against every finding's product (its Region and account): one finding this caller may not import
 * (another Region's, another account's) makes the whole call fail. Sent apart, it fails alone.
 */
function byDestination(findings: readonly Sized[]): Sized[][] {
  const groups = new Map<string, Sized[]>();
  for (const sized of findings) {
    const key = `${sized.finding.ProductArn ?? ''}\u0000${sized.finding.AwsAccountId ?? ''}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [sized]);
    else group.push(sized);
  }
  return [...groups.values()];
}

/** Groups of ≤100 findings and ≤6 MB, in input order. */
function chunks(findings: readonly Sized[]): Sized[][] {
  const out: Sized[][] = [];
  let current: Sized[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const sized of findings) {
    if (current.length > 0 && (current.length >= MAX_FINDINGS_PER_CALL || bytes + sized.bytes + 1 > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    current.push(sized);
    bytes += sized.bytes + 1;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export interface RefreshPolicy {
  /** Re-import a failing (FAILED, WARNING, NOT_AVAILABLE) finding at least this often. @default 30 */
  readonly failingEveryDays?: number;
  /** Re-import a passing finding at least this often, so auditors keep the evidence. @default 60 */
  readonly passingEveryDays?: number;
}

/** What the refresh decision needs of an imported finding (a GetFindings result fits). */
export type ImportedFindingState = Pick<AwsSecurityFinding, 'Id' | 'UpdatedAt' | 'RecordState'> & {
  readonly Compliance?: { readonly Status?: string | undefined } | undefined;
};

const DAY_MS = 86_400_000;

/**
 * The active findings that must be re-imported now to outlive Security Hub's 90-day expiry: failing
 * ones every `failingEveryDays`, passing ones every `passingEveryDays`. Archived findings are left to
 * expire. A finding without a readable UpdatedAt is due.
 */
export function findingsDueForRefresh<T extends ImportedFindingState>(findings: readonly T[], now: Date, policy: RefreshPolicy = {}): T[] {
  const failingDays = policy.failingEveryDays ?? 30;
  const passingDays = policy.passingEveryDays ?? 60;
  for (const [name, days] of [
    ['failingEveryDays', failingDays],
    ['passingEveryDays', passingDays],
  ] as const) {
    if (!(days > 0 && days < FINDING_EXPIRY_DAYS))
      throw new Error(`${name} must be above 0 and below ${FINDING_EXPIRY_DAYS} (Security Hub's expiry), got ${days}`);
  }
  return findings.filter((finding) => {
    if (finding.RecordState === 'ARCHIVED') return false;
    const updated = finding.UpdatedAt === undefined ? Number.NaN : Date.parse(finding.UpdatedAt);
    if (Number.isNaN(updated)) return true;
    const days = finding.Compliance?.Status === 'PASSED' ? passingDays : failingDays;
    return now.getTime() - updated >= days * DAY_MS;
  });
}
