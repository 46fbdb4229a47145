/**
 * "Never silence": when a member role is missing or refuses a call, on-call hears it once — one SNS
 * message on the monitor's health topic naming the account, the role and the error — at most once per
 * account per hour from each function instance. The invocation still fails, so its error alarm fires too.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { errorParts } from '../shared/retry.js';
import type { MemberRoleError } from './member-access.js';

export const ALARM_INTERVAL_MS = 3_600_000;
const MAX_SUBJECT = 99;

export interface MemberRoleAlarmOptions {
  /** Created on first use. */
  readonly sns: () => SNSClient;
  readonly topicArn: string;
  /** Which monitor function noticed (e.g. change-evaluator). */
  readonly source: string;
  /** @default one hour */
  readonly intervalMs?: number;
  readonly clock?: () => number;
  /** Where a failed publish is reported (the invocation fails anyway). */
  readonly warn?: (message: string, details: Record<string, unknown>) => void;
}

export interface MemberRoleMessage {
  readonly subject: string;
  readonly message: string;
}

export function memberRoleMessage(error: MemberRoleError, source: string, accountName?: string): MemberRoleMessage {
  const account = accountName === undefined || accountName === '' ? error.accountId : `${accountName.replace(/\s+/g, ' ')} (${error.accountId})`;
  const what = error.stage === 'assume' ? 'cannot assume the member role' : 'member role refused a call';
  let subject = `[MONITOR] ${what} in ${account}`;
  if (subject.length > MAX_SUBJECT) subject = `[MONITOR] ${what} in ${error.accountId}`;
  const message = [
    `The Clinic Compliance Monitor cannot check account ${account}: its rules there get no evaluations and no findings until this is fixed.`,
    '',
    `Account:  ${account}`,
    `Role:     ${error.roleArn}`,
    `Function: ${source}`,
    `Error:    ${error.code}: ${errorParts(error.cause).message}`,
    '',
    error.stage === 'assume'
      ? "What to check: the account has a stack instance of the member StackSet (it is in a target OU, not excluded, and the instance succeeded), and the role trusts the monitor's central roles."
      : 'What to check: the member StackSet instance of this account is current (redeploy the central stack), and no service control policy denies the call.',
    'To stop monitoring the account instead, add it to organization.excludeAccounts and redeploy.',
    '',
    'This alert repeats at most once an hour per function instance while the problem lasts.',
  ].join('\n');
  return { subject, message };
}

export class MemberRoleAlarm {
  private readonly lastSent = new Map<string, number>();
  private client: SNSClient | undefined;
  private readonly intervalMs: number;
  private readonly clock: () => number;

  constructor(private readonly options: MemberRoleAlarmOptions) {
    this.intervalMs = options.intervalMs ?? ALARM_INTERVAL_MS;
    this.clock = options.clock ?? Date.now;
  }

  /** Publishes unless this account was reported within the interval; true when a message went out. */
  async report(error: MemberRoleError, accountName?: string): Promise<boolean> {
    const now = this.clock();
    const last = this.lastSent.get(error.accountId);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.lastSent.set(error.accountId, now);
    const { subject, message } = memberRoleMessage(error, this.options.source, accountName);
    try {
      this.client ??= this.options.sns();
      await this.client.send(
        new PublishCommand({
          TopicArn: this.options.topicArn,
          Subject: subject,
          Message: message,
          MessageAttributes: {
            accountId: { DataType: 'String', StringValue: error.accountId },
            transition: { DataType: 'String', StringValue: 'member-role' },
          },
        }),
      );
      return true;
    } catch (publishError) {
      // Try again on the next failure rather than staying quiet for an hour.
      this.lastSent.delete(error.accountId);
      this.options.warn?.('could not publish the member-role alert', { accountId: error.accountId, ...errorParts(publishError) });
      return false;
    }
  }
}
