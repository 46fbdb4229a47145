/**
 * The notifier's third stage: one ASFF finding per kept transition imported into Security Hub, so
 * auditors' findings follow each change. Its UpdatedAt is Config's recording time, so a retried or
 * late older result never overwrites a newer one.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { FindingsSender, SendFindingsResult } from '../findings/sender.js';
import type { AccountRouter } from '../org/account-router.js';
import { isAccessDeniedCode, MemberRoleError } from '../org/member-access.js';
import type { BatchFailures, Parsed } from './batch.js';

/** What the notifier does in a member account. */
export interface MemberSink {
  readonly sender: FindingsSender;
}

export type MemberRouter = Pick<AccountRouter<MemberSink>, 'run' | 'isMember' | 'reportDenied'>;

export type SendFindings = (findings: readonly AwsSecurityFinding[]) => Promise<SendFindingsResult>;

export interface ImportedFindings {
  /** The transitions whose finding Security Hub took: only these may page. */
  readonly delivered: Parsed[];
  readonly result: SendFindingsResult;
}

/** A record whose finding failed fails, and is not alerted: its retry imports and alerts it once. */
export async function importFindings(send: SendFindings, items: readonly Parsed[], failures: BatchFailures): Promise<ImportedFindings> {
  const result = await send(items.map((item) => item.finding));
  const failed = new Map(result.failed.map((f) => [f.id, `${f.errorCode}: ${f.errorMessage}`]));
  const delivered: Parsed[] = [];
  for (const item of items) {
    const reason = failed.get(item.finding.Id ?? '');
    if (reason === undefined) delivered.push(item);
    else failures.fail(item.record, `Security Hub import failed (${reason})`);
  }
  return { delivered, result };
}

/**
 * Org mode: each finding is imported into its own account's Security Hub (the default product must be
 * the caller's), members' through their member role; an unusable role fails that account's findings.
 */
export function sendByAccount(sender: Pick<FindingsSender, 'send'>, router: MemberRouter, logger: Logger): SendFindings {
  return async (findings) => {
    const total: SendFindingsResult = { imported: [], failed: [], superseded: [], stale: [], requests: 0 };
    for (const [account, group] of byAccount(findings)) {
      const result = router.isMember(account) ? await sendAsMember(router, account, group, logger) : await sender.send(group);
      total.imported.push(...result.imported);
      total.failed.push(...result.failed);
      total.superseded.push(...result.superseded);
      total.stale.push(...result.stale);
      total.requests += result.requests;
    }
    return total;
  };
}

function byAccount(findings: readonly AwsSecurityFinding[]): Map<string, AwsSecurityFinding[]> {
  const groups = new Map<string, AwsSecurityFinding[]>();
  for (const finding of findings) {
    const account = finding.AwsAccountId ?? '';
    groups.set(account, [...(groups.get(account) ?? []), finding]);
  }
  return groups;
}

async function sendAsMember(router: MemberRouter, account: string, group: readonly AwsSecurityFinding[], logger: Logger): Promise<SendFindingsResult> {
  let result: SendFindingsResult;
  try {
    result = await router.run(account, (sink) => sink.sender.send(group));
  } catch (error) {
    if (!(error instanceof MemberRoleError)) throw error;
    logger.error('member role unusable; its findings and alerts wait for the SQS retry', { accountId: account, code: error.code, stage: error.stage });
    result = {
      imported: [],
      failed: group.map((f) => ({ id: f.Id ?? '', errorCode: 'MemberRoleUnusable', errorMessage: error.message })),
      superseded: [],
      stale: [],
      requests: 0,
    };
  }
  const denied = result.failed.find((f) => isAccessDeniedCode(f.errorCode));
  if (denied !== undefined) await router.reportDenied(account, { name: denied.errorCode, message: denied.errorMessage });
  return result;
}
