/**
 * The notifier: an SQS-triggered Lambda whose records are EventBridge "Config Rules Compliance
 * Change" events. For each batch it
 *  1. parses every record (a malformed one fails alone, naming the field);
 *  2. appends every transition of our rules to the evidence archive (S3, JSON Lines, one object per
 *     batch and day), the auditors' record of each change for years;
 *  3. imports one ASFF finding per transition of our rules into Security Hub, so auditors' findings
 *     follow each change;
 *  4. asks the alert ledger (functions/alerts/ledger.ts) which transitions may page: a change already
 *     paged (twice in the batch, redelivered, or sent by EventBridge under two event ids) pages once,
 *     and one older than a change already paged for the same rule and resource (a PROBLEM retried
 *     after its RESOLVED went out) not at all;
 *  5. alerts on-call over SNS: one message per transition that needs a person, or one digest when the
 *     batch holds more than DIGEST_THRESHOLD of them;
 *  6. reports the records whose archive write, finding or alert failed as batch item failures, so
 *     only those are retried (and, in the end, kept by the queue's DLQ).
 * A record the archive could not keep is neither imported nor alerted in this run, and a record whose
 * finding failed is not alerted: its retry archives, imports and alerts it once.
 * Logs carry counts, ids and error codes: never configuration contents, annotations or tag values.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { getRule, type CatalogEntry } from '../../rules/catalog.js';
import { asRuleTransition, ComplianceChangeEventError, DEFAULT_RULE_PREFIX, evaluationFromTransition, parseComplianceChange, type RuleTransition } from '../alerts/compliance-change.js';
import { AlertLedger, LEDGER_TABLE_ARN, ledgerKey, type AlertLedgerOptions, type Claim } from '../alerts/ledger.js';
import { AlertPublisher, type AlertPublisherOptions } from '../alerts/publisher.js';
import { buildDigest, DEFAULT_DIGEST_THRESHOLD, toAlert, transitionKind, type Alert } from '../alerts/to-alert.js';
import { FindingsSender, type FindingsSenderOptions, type SendFindingsResult } from '../findings/sender.js';
import { toFinding } from '../findings/to-finding.js';
import type { EvidenceWriter } from '../evidence/writer.js';
import type { AccountNames } from '../org/account-names.js';
import type { AccountRouter } from '../org/account-router.js';
import { isAccessDeniedCode, MemberRoleError } from '../org/member-access.js';

export interface NotifierConfig {
  readonly alertTopicArn: string;
  /** The ARN of the alert ledger's DynamoDB table: what was paged last for each rule and resource. */
  readonly alertLedgerTableArn: string;
  /** More alertable transitions than this in one batch → one digest instead. */
  readonly digestThreshold: number;
  /** Config rules are named `<prefix><ruleId>`. */
  readonly configRulePrefix: string;
  /** The account's display name in alerts (e.g. its AWS Organizations name). */
  readonly accountName?: string;
  /** The Region whose Security Hub receives findings (the function's own). */
  readonly region?: string;
  /** The evidence archive bucket every transition is appended to. */
  readonly evidenceBucket?: string;
}

const envSchema = z.object({
  ALERT_TOPIC_ARN: z.string({ error: 'is required' }).check(z.regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+(\.fifo)?$/, 'must be an SNS topic ARN')),
  ALERT_LEDGER_TABLE_ARN: z.string({ error: 'is required' }).check(z.regex(LEDGER_TABLE_ARN, 'must be a DynamoDB table ARN')),
  DIGEST_THRESHOLD: z._default(
    z.coerce.number({ error: 'must be a number' }).check(z.int('must be a whole number'), z.minimum(1, 'must be at least 1'), z.maximum(10_000, 'must be at most 10000')),
    DEFAULT_DIGEST_THRESHOLD,
  ),
  CONFIG_RULE_PREFIX: z._default(z.string(), DEFAULT_RULE_PREFIX),
  ACCOUNT_NAME: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
  AWS_REGION: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
  EVIDENCE_BUCKET: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'))),
});

export class NotifierConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotifierConfigError';
  }
}

/** Validates the environment once, at cold start; the error names each bad variable. */
export function loadNotifierConfig(env: Readonly<Record<string, string | undefined>>): NotifierConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new NotifierConfigError(`notifier configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  }
  const data = parsed.data;
  return {
    alertTopicArn: data.ALERT_TOPIC_ARN,
    alertLedgerTableArn: data.ALERT_LEDGER_TABLE_ARN,
    digestThreshold: data.DIGEST_THRESHOLD,
    configRulePrefix: data.CONFIG_RULE_PREFIX,
    ...(data.ACCOUNT_NAME !== undefined && { accountName: data.ACCOUNT_NAME }),
    ...(data.AWS_REGION !== undefined && { region: data.AWS_REGION }),
    ...(data.EVIDENCE_BUCKET !== undefined && { evidenceBucket: data.EVIDENCE_BUCKET }),
  };
}

export interface NotifierDependencies {
  readonly config: NotifierConfig;
  readonly securityHub: SecurityHubClient;
  readonly sns: SNSClient;
  /** Holds the alert ledger's table. */
  readonly dynamoDb: DynamoDBClient;
  /** @default a Powertools Logger for service `ccm-notifier` */
  readonly logger?: Logger;
  readonly findings?: FindingsSenderOptions;
  readonly alerts?: AlertPublisherOptions;
  readonly ledger?: AlertLedgerOptions;
  /** Appends each batch's transitions to the evidence archive; without it nothing is archived. */
  readonly evidence?: Pick<EvidenceWriter, 'write'>;
  /**
   * Org mode: each finding is imported into its own account's Security Hub (the default product must
   * be the caller's: docs/aws-semantics.md, "Security Hub findings") through that account's member role; alerts name each account by its
   * AWS Organizations name.
   */
  readonly org?: { readonly router: Pick<AccountRouter<MemberSink>, 'run' | 'isMember' | 'reportDenied'>; readonly accountNames?: Pick<AccountNames, 'namesOf'> };
}

/** What the notifier does in a member account. */
export interface MemberSink {
  readonly sender: FindingsSender;
}

export interface BatchSummary {
  readonly records: number;
  readonly malformed: number;
  readonly ignored: number;
  readonly transitions: number;
  readonly findingsImported: number;
  readonly findingsFailed: number;
  readonly alertsSent: number;
  readonly alertsFailed: number;
  /** Transitions already paged: twice in this batch, redelivered, or under another event id. */
  readonly alertsDuplicate: number;
  /** Transitions older than one already paged for the same rule and resource. */
  readonly alertsStale: number;
  readonly digest: boolean;
}

interface Parsed {
  readonly record: SQSRecord;
  readonly transition: RuleTransition;
  readonly entry: CatalogEntry;
  readonly findingId: string;
}

/** A transition the ledger let through: paged by this run, then confirmed or released. */
interface Claimed extends Parsed {
  readonly claim: Claim;
}

/** Without a Lambda context (tests, the bench) a claim lasts as long as the notifier's timeout. */
const DEFAULT_LEASE_MS = 60_000;

/** The function's own account, from its ARN: findings are imported into it (default product). */
function accountOf(context: Pick<Context, 'invokedFunctionArn'> | undefined): string | undefined {
  const account = context?.invokedFunctionArn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type NotifierHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function createNotifierHandler(deps: NotifierDependencies): NotifierHandler {
  const { config } = deps;
  const logger = deps.logger ?? new Logger({ serviceName: 'ccm-notifier' });
  const sender = new FindingsSender(deps.securityHub, deps.findings);
  const publisher = new AlertPublisher(deps.sns, config.alertTopicArn, deps.alerts);
  const ledger = new AlertLedger(deps.dynamoDb, config.alertLedgerTableArn, deps.ledger);

  async function processBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const failures = new Map<string, string>();
    const fail = (record: SQSRecord, reason: string): void => {
      if (!failures.has(record.messageId)) failures.set(record.messageId, reason);
    };
    const parsed: Parsed[] = [];
    const findings: AwsSecurityFinding[] = [];
    let malformed = 0;
    let ignored = 0;
    const ownAccount = accountOf(context);

    for (const record of event.Records) {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        malformed++;
        fail(record, 'record body is not JSON');
        continue;
      }
      try {
        const transition = asRuleTransition(parseComplianceChange(body), config.configRulePrefix);
        if (transition === undefined) {
          ignored++;
          continue;
        }
        const entry = getRule(transition.ruleId);
        // Org mode: the finding belongs to (and is imported by) the resource's account; otherwise the function's own.
        const productAccountId = deps.org !== undefined ? transition.accountId : ownAccount;
        const finding = toFinding(evaluationFromTransition(transition, entry), entry, {
          now: new Date(transition.recordedAt),
          ...(productAccountId !== undefined && { productAccountId }),
          ...(config.region !== undefined && { productRegion: config.region }),
        });
        parsed.push({ record, transition, entry, findingId: finding.Id ?? '' });
        findings.push(finding);
      } catch (error) {
        malformed++;
        fail(record, error instanceof ComplianceChangeEventError ? error.message : `cannot map the event: ${describeError(error)}`);
      }
    }

    const archived = await keepEvidence(parsed, fail);
    const archivedFindings = new Set(archived.map((item) => item.findingId));

    // Security Hub first. UpdatedAt is Config's recording time, so a retried or late older result never overwrites a newer one.
    const sendResult = await sendAll(findings.filter((finding) => archivedFindings.has(finding.Id ?? '')));
    const failedFindings = new Map(sendResult.failed.map((f) => [f.id, `${f.errorCode}: ${f.errorMessage}`]));
    const delivered: Parsed[] = [];
    for (const item of archived) {
      const reason = failedFindings.get(item.findingId);
      if (reason === undefined) delivered.push(item);
      else fail(item.record, `Security Hub import failed (${reason})`);
    }

    const alertable = delivered
      .filter((item) => transitionKind(item.transition.oldCompliance, item.transition.newCompliance) !== undefined)
      .sort((a, b) => Date.parse(a.transition.recordedAt) - Date.parse(b.transition.recordedAt));
    const claims = await claimAll(alertable, context.getRemainingTimeInMillis?.() ?? DEFAULT_LEASE_MS, fail);
    const published = await publishAlerts(claims.claimed, ownAccount, fail);
    const summary: BatchSummary = {
      records: event.Records.length,
      malformed,
      ignored,
      transitions: parsed.length,
      findingsImported: sendResult.imported.length,
      findingsFailed: sendResult.failed.length,
      alertsSent: published.sent,
      alertsFailed: published.failed,
      alertsDuplicate: claims.duplicate,
      alertsStale: claims.stale,
      digest: published.digest,
    };
    logger.info('batch processed', { ...summary, transitionsArchived: deps.evidence === undefined ? 0 : archived.length, findingsSuperseded: sendResult.superseded.length, findingsStale: sendResult.stale.length });
    for (const [messageId, reason] of failures) logger.error('record failed; SQS will retry it', { messageId, reason });

    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(
      event,
      (record: SQSRecord) => {
        const reason = failures.get(record.messageId);
        if (reason !== undefined) throw new Error(reason);
      },
      processor,
      { context, throwOnFullBatchFailure: false },
    );
  }

  /**
   * Asks the ledger, per transition, whether it may page. The same change twice in this batch is
   * settled here; changes of one rule and resource are claimed one after another, oldest first, and
   * different ones concurrently. A ledger that cannot be asked fails the record (SQS retries it):
   * a page is delayed, never sent unchecked.
   */
  async function claimAll(alertable: readonly Parsed[], leaseMs: number, fail: (record: SQSRecord, reason: string) => void): Promise<{ claimed: Claimed[]; duplicate: number; stale: number }> {
    const byKey = new Map<string, Parsed[]>();
    let duplicate = 0;
    let stale = 0;
    for (const item of alertable) {
      const key = ledgerKey(item.transition);
      const same = byKey.get(key);
      if (same === undefined) byKey.set(key, [item]);
      else if (same.some((other) => other.transition.recordedAt === item.transition.recordedAt)) duplicate++;
      else same.push(item);
    }
    const claimed = new Map<Parsed, Claim>();
    await Promise.all(
      [...byKey.values()].map(async (items) => {
        for (const item of items) {
          const result = await ledger.claim(item.transition, leaseMs);
          if (result.status === 'claimed') claimed.set(item, result.claim);
          else if (result.status === 'duplicate') duplicate++;
          else if (result.status === 'stale') stale++;
          else fail(item.record, `alert ledger unavailable (${result.errorCode}: ${result.errorMessage})`);
        }
      }),
    );
    return { claimed: alertable.flatMap((item) => (claimed.has(item) ? [{ ...item, claim: claimed.get(item) as Claim }] : [])), duplicate, stale };
  }

  /** Pages one alert per transition, or one digest; confirms the claims of what went out and releases the rest. */
  async function publishAlerts(claimed: readonly Claimed[], ownAccount: string | undefined, fail: (record: SQSRecord, reason: string) => void): Promise<{ sent: number; failed: number; digest: boolean }> {
    const digest = claimed.length > config.digestThreshold;
    const names = await accountNamesFor(claimed.map((item) => item.transition.accountId), ownAccount);
    const groups: { alert: Alert; items: readonly Claimed[] }[] = digest
      ? [{ alert: buildDigest(claimed, { ...accountNameOption(config), accountNames: names }), items: claimed }]
      : claimed.flatMap((item) => {
          const name = names[item.transition.accountId];
          const alert = toAlert(item.transition, item.entry, deps.org === undefined ? accountNameOption(config) : name === undefined ? {} : { accountName: name });
          return alert === undefined ? [] : [{ alert, items: [item] }];
        });
    const published = await publisher.publish(groups.map((g) => g.alert));
    const failedGroups = new Set<number>();
    for (const failed of published.failed) {
      failedGroups.add(failed.index);
      for (const item of groups[failed.index]?.items ?? []) fail(item.record, `SNS publish failed (${failed.errorCode}: ${failed.errorMessage})`);
    }
    // What went out is confirmed; the rest (a failed publish, or a transition toAlert declined) is put back.
    const paged = new Set<Claimed>();
    groups.forEach((group, index) => {
      if (!failedGroups.has(index)) for (const item of group.items) paged.add(item);
    });
    const settle = claimed.map((item) => (paged.has(item) ? item.claim.confirm() : item.claim.release()));
    for (const outcome of await Promise.allSettled(settle)) {
      if (outcome.status === 'rejected') {
        const { name } = outcome.reason as Error;
        logger.warn('alert ledger not updated; its claim expires with this invocation', { errorCode: name });
      }
    }
    return { sent: published.sent.length, failed: published.failed.length, digest };
  }

  /**
   * Evidence before anything else: the transitions the archive kept go on to Security Hub and SNS; the
   * records it could not keep fail here, so SQS redelivers them and nothing is lost or paged twice.
   */
  async function keepEvidence(items: readonly Parsed[], fail: (record: SQSRecord, reason: string) => void): Promise<readonly Parsed[]> {
    if (deps.evidence === undefined || items.length === 0) return items;
    const { failed } = await deps.evidence.write(items);
    for (const [index, reason] of failed) {
      const item = items[index];
      if (item !== undefined) fail(item.record, `evidence archive write failed (${reason})`);
    }
    return items.filter((_, index) => !failed.has(index));
  }

  /** Single-account: one call. Org mode: one sender per account, members through their role. */
  async function sendAll(findings: readonly AwsSecurityFinding[]): Promise<SendFindingsResult> {
    const org = deps.org;
    if (org === undefined) return sender.send(findings);
    const byAccount = new Map<string, AwsSecurityFinding[]>();
    for (const finding of findings) {
      const account = finding.AwsAccountId ?? '';
      byAccount.set(account, [...(byAccount.get(account) ?? []), finding]);
    }
    const total: SendFindingsResult = { imported: [], failed: [], superseded: [], stale: [], requests: 0 };
    for (const [account, group] of byAccount) {
      let result: SendFindingsResult;
      if (!org.router.isMember(account)) {
        result = await sender.send(group);
      } else {
        try {
          result = await org.router.run(account, (sink) => sink.sender.send(group));
        } catch (error) {
          if (!(error instanceof MemberRoleError)) throw error;
          logger.error('member role unusable; its findings and alerts wait for the SQS retry', { accountId: account, code: error.code, stage: error.stage });
          result = { imported: [], failed: group.map((f) => ({ id: f.Id ?? '', errorCode: 'MemberRoleUnusable', errorMessage: error.message })), superseded: [], stale: [], requests: 0 };
        }
        const denied = result.failed.find((f) => isAccessDeniedCode(f.errorCode));
        if (denied !== undefined) await org.router.reportDenied(account, { name: denied.errorCode, message: denied.errorMessage });
      }
      total.imported.push(...result.imported);
      total.failed.push(...result.failed);
      total.superseded.push(...result.superseded);
      total.stale.push(...result.stale);
      total.requests += result.requests;
    }
    return total;
  }

  /** Org mode: each account's AWS Organizations name; the settings' accountName for the function's own account. */
  async function accountNamesFor(accounts: readonly string[], own: string | undefined): Promise<Record<string, string>> {
    if (deps.org === undefined) return {};
    const configured = config.accountName !== undefined && own !== undefined ? { [own]: config.accountName } : {};
    const unknown = accounts.filter((account) => !(account in configured));
    const looked = deps.org.accountNames === undefined || unknown.length === 0 ? {} : await deps.org.accountNames.namesOf(unknown);
    return { ...looked, ...configured };
  }

  const handler = middy(processBatch).use(injectLambdaContext(logger, { resetKeys: true }));
  return (event, context) => handler(event, context);
}

function accountNameOption(config: NotifierConfig): { accountName?: string } {
  return config.accountName === undefined ? {} : { accountName: config.accountName };
}
