/**
 * Publishes alerts to the topic: PublishBatch (≤10 entries, ≤256 KB in all, unique ids), failed
 * entries and throttled calls retried a bounded number of times, and whatever still fails returned to
 * the caller (the notifier then reports those SQS records as failed: SQS retries them, and its DLQ
 * keeps what never gets through).
 */
import { PublishBatchCommand, PublishCommand, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import { backoffDelay, defaultSleep, errorParts, isRetryableError } from '../shared/retry.js';
import { MAX_MESSAGE_BYTES, MAX_SUBJECT_CHARS, type Alert } from './to-alert.js';

export const MAX_BATCH_ENTRIES = 10;

export interface AlertPublisherOptions {
  /** `batch`: PublishBatch; `single`: one Publish per alert. @default 'batch' */
  readonly mode?: 'batch' | 'single';
  /** Calls per alert, first one included. @default 3 */
  readonly maxAttempts?: number;
  /** @default 100 */
  readonly baseDelayMs?: number;
  /** @default 2000 */
  readonly maxDelayMs?: number;
  /** @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

export interface FailedAlert {
  /** Position in the list given to publish(). */
  readonly index: number;
  readonly errorCode: string;
  readonly errorMessage: string;
}

export interface PublishResult {
  /** Positions of the alerts SNS accepted. */
  readonly sent: number[];
  readonly failed: FailedAlert[];
  /** Publish or PublishBatch calls made. */
  requests: number;
}

/** Entry errors SNS marks as the caller's fault, or whose code says the input is wrong, are not retried. */
const PERMANENT_CODE = /invalid|validation|authorization|accessdenied|notfound|toolong|kmsdisabled|kmsnotfound|optedout|disabled/i;

function attributeBytes(alert: Alert): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(alert.attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

/** Bytes SNS counts against the 256 KB limit: message, subject and attributes. */
export function alertBytes(alert: Alert): number {
  return Buffer.byteLength(alert.message) + Buffer.byteLength(alert.subject) + attributeBytes(alert);
}

/** Why SNS would reject this alert, or undefined when it is valid. */
export function alertProblem(alert: Alert): string | undefined {
  if (alert.message === '') return 'message is empty';
  if (alert.subject.length > MAX_SUBJECT_CHARS) return `subject has ${alert.subject.length} characters; SNS takes fewer than 100`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(alert.subject)) return 'subject contains a line break or control character';
  const bytes = alertBytes(alert);
  if (bytes > MAX_MESSAGE_BYTES) return `message with attributes is ${bytes} bytes; SNS takes at most ${MAX_MESSAGE_BYTES}`;
  return undefined;
}

interface Pending {
  readonly index: number;
  readonly alert: Alert;
  readonly bytes: number;
}

export class AlertPublisher {
  private readonly mode: 'batch' | 'single';
  private readonly maxAttempts: number;
  private readonly delays: { baseDelayMs: number; maxDelayMs: number; random: () => number };
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
    options: AlertPublisherOptions = {},
  ) {
    if (!/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+(\.fifo)?$/.test(topicArn)) throw new Error(`not an SNS topic ARN: ${JSON.stringify(topicArn)}`);
    this.mode = options.mode ?? 'batch';
    this.maxAttempts = options.maxAttempts ?? 3;
    if (!(Number.isInteger(this.maxAttempts) && this.maxAttempts >= 1)) throw new Error(`maxAttempts must be a positive integer, got ${this.maxAttempts}`);
    this.delays = { baseDelayMs: options.baseDelayMs ?? 100, maxDelayMs: options.maxDelayMs ?? 2000, random: options.random ?? Math.random };
    this.sleep = options.sleep ?? defaultSleep;
  }

  async publish(alerts: readonly Alert[]): Promise<PublishResult> {
    const result: PublishResult = { sent: [], failed: [], requests: 0 };
    const valid: Pending[] = [];
    alerts.forEach((alert, index) => {
      const problem = alertProblem(alert);
      if (problem === undefined) valid.push({ index, alert, bytes: alertBytes(alert) });
      else result.failed.push({ index, errorCode: 'InvalidAlert', errorMessage: problem });
    });
    if (this.mode === 'single') for (const item of valid) await this.publishOne(item, result);
    else for (const chunk of batches(valid)) await this.publishChunk(chunk, result);
    result.sent.sort((a, b) => a - b);
    result.failed.sort((a, b) => a.index - b.index);
    return result;
  }

  private async publishOne(item: Pending, result: PublishResult): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      result.requests++;
      try {
        await this.client.send(
          new PublishCommand({ TopicArn: this.topicArn, Subject: item.alert.subject, Message: item.alert.message, MessageAttributes: item.alert.attributes }),
        );
        result.sent.push(item.index);
        return;
      } catch (error) {
        if (attempt >= this.maxAttempts || !isRetryableError(error)) {
          const { code, message } = errorParts(error);
          result.failed.push({ index: item.index, errorCode: code, errorMessage: message });
          return;
        }
        await this.sleep(backoffDelay(attempt, this.delays));
      }
    }
  }

  private async publishChunk(chunk: readonly Pending[], result: PublishResult): Promise<void> {
    let pending = [...chunk];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const last = attempt >= this.maxAttempts;
      // Ids only need to be unique within one request: the position in it.
      const entries: PublishBatchRequestEntry[] = pending.map((item, i) => ({
        Id: `a${i}`,
        Subject: item.alert.subject,
        Message: item.alert.message,
        MessageAttributes: item.alert.attributes,
      }));
      result.requests++;
      let failedEntries: readonly { Id?: string; Code?: string; Message?: string; SenderFault?: boolean }[];
      let succeeded: ReadonlySet<string>;
      try {
        const response = await this.client.send(new PublishBatchCommand({ TopicArn: this.topicArn, PublishBatchRequestEntries: entries }));
        failedEntries = response.Failed ?? [];
        succeeded = new Set((response.Successful ?? []).map((s) => s.Id ?? ''));
      } catch (error) {
        if (last || !isRetryableError(error)) {
          const { code, message } = errorParts(error);
          for (const item of pending) result.failed.push({ index: item.index, errorCode: code, errorMessage: message });
          return;
        }
        await this.sleep(backoffDelay(attempt, this.delays));
        continue;
      }
      const failedById = new Map(failedEntries.map((f) => [f.Id ?? '', f]));
      const retry: Pending[] = [];
      pending.forEach((item, i) => {
        const id = `a${i}`;
        const failure = failedById.get(id);
        if (failure === undefined && succeeded.has(id)) {
          result.sent.push(item.index);
          return;
        }
        // An entry in neither list was not confirmed: treat it as a transient failure.
        const code = failure?.Code ?? 'Unconfirmed';
        const permanent = failure?.SenderFault === true || PERMANENT_CODE.test(code);
        if (last || permanent)
          result.failed.push({
            index: item.index,
            errorCode: code,
            errorMessage: failure?.Message ?? 'SNS reported neither success nor failure for this entry',
          });
        else retry.push(item);
      });
      pending = retry;
      if (pending.length > 0) await this.sleep(backoffDelay(attempt, this.delays));
    }
  }
}

/** Groups of ≤10 alerts whose total payload stays within 256 KB. */
function batches(items: readonly Pending[]): Pending[][] {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= MAX_BATCH_ENTRIES || bytes + item.bytes > MAX_MESSAGE_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}
