/**
 * The notifier: an SQS-triggered Lambda whose records are EventBridge "Config Rules Compliance
 * Change" events. Each batch goes through four stages, each handing on what succeeded:
 *  1. parse every record (./parse.ts; a malformed one fails alone, naming the field);
 *  2. keep evidence: append every transition of our rules to the evidence archive (./evidence.ts;
 *     S3, JSON Lines, one object per batch and day), the auditors' record of each change for years;
 *  3. import findings: one ASFF finding per transition into Security Hub (./findings.ts), so
 *     auditors' findings follow each change;
 *  4. publish alerts: on-call paged over SNS for the transitions that need a person, once each, as
 *     the alert ledger allows (./alerts.ts).
 * The records whose archive write, finding or alert failed are returned as batch item failures, so
 * only those are retried (and, in the end, kept by the queue's DLQ). A record the archive could not
 * keep is neither imported nor alerted in this run, and a record whose finding failed is not
 * alerted: its retry archives, imports and alerts it once.
 * Logs carry counts, ids and error codes: never configuration contents, annotations or tag values.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { DEFAULT_RULE_PREFIX } from '../alerts/compliance-change.js';
import { AlertLedger, LEDGER_TABLE_ARN, type AlertLedgerOptions } from '../alerts/ledger.js';
import { AlertPublisher, type AlertPublisherOptions } from '../alerts/publisher.js';
import { DEFAULT_DIGEST_THRESHOLD } from '../alerts/to-alert.js';
import { FindingsSender, type FindingsSenderOptions } from '../findings/sender.js';
import type { EvidenceWriter } from '../evidence/writer.js';
import type { AccountNames } from '../org/account-names.js';
import { LAMBDAS } from '../shared/services.js';
import { alertOnCall, type AlertOutcome, type AlertStage } from './alerts.js';
import { BatchFailures } from './batch.js';
import { keepEvidence } from './evidence.js';
import { importFindings, sendByAccount, type ImportedFindings, type MemberRouter, type SendFindings } from './findings.js';
import { parseRecords, type ParseOptions, type ParsedBatch } from './parse.js';

export type { MemberSink } from './findings.js';

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
    z.coerce
      .number({ error: 'must be a number' })
      .check(z.int('must be a whole number'), z.minimum(1, 'must be at least 1'), z.maximum(10_000, 'must be at most 10000')),
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
  /** @default a Powertools Logger of the notifier's service */
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
  readonly org?: { readonly router: MemberRouter; readonly accountNames?: Pick<AccountNames, 'namesOf'> };
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

/** Without a Lambda context (tests, the bench) a claim lasts as long as the notifier's timeout. */
const DEFAULT_LEASE_MS = 60_000;

/** The function's own account, from its ARN: findings are imported into it (default product). */
function accountOf(context: Pick<Context, 'invokedFunctionArn'> | undefined): string | undefined {
  const account = context?.invokedFunctionArn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

export type NotifierHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function createNotifierHandler(deps: NotifierDependencies): NotifierHandler {
  const { config, org } = deps;
  const logger = deps.logger ?? new Logger({ serviceName: LAMBDAS.notifier.service });
  const sender = new FindingsSender(deps.securityHub, deps.findings);
  const send: SendFindings = org === undefined ? (findings) => sender.send(findings) : sendByAccount(sender, org.router, logger);
  const alerting: AlertStage = {
    ledger: new AlertLedger(deps.dynamoDb, config.alertLedgerTableArn, deps.ledger),
    publisher: new AlertPublisher(deps.sns, config.alertTopicArn, deps.alerts),
    logger,
    digestThreshold: config.digestThreshold,
    ...(config.accountName !== undefined && { accountName: config.accountName }),
    ...(org !== undefined && { org: { ...(org.accountNames !== undefined && { accountNames: org.accountNames }) } }),
  };

  /** Org mode: the finding belongs to (and is imported by) the resource's account; otherwise the function's own. */
  const parseOptions = (ownAccount: string | undefined): ParseOptions => ({
    configRulePrefix: config.configRulePrefix,
    productAccountId: (transition) => (org === undefined ? ownAccount : transition.accountId),
    ...(config.region !== undefined && { productRegion: config.region }),
  });

  async function processBatch(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const failures = new BatchFailures();
    const ownAccount = accountOf(context);
    const parsed = parseRecords(event.Records, parseOptions(ownAccount), failures);
    const archived = await keepEvidence(deps.evidence, parsed.transitions, failures);
    const imported = await importFindings(send, archived, failures);
    const alerts = await alertOnCall(alerting, imported.delivered, { leaseMs: context.getRemainingTimeInMillis?.() ?? DEFAULT_LEASE_MS, ownAccount }, failures);
    const counts = {
      transitionsArchived: deps.evidence === undefined ? 0 : archived.length,
      findingsSuperseded: imported.result.superseded.length,
      findingsStale: imported.result.stale.length,
    };
    logger.info('batch processed', { ...summarize(event, parsed, imported, alerts), ...counts });
    for (const [messageId, reason] of failures.entries()) logger.error('record failed; SQS will retry it', { messageId, reason });
    return failures.response(event.Records);
  }
  return processBatch;
}

function summarize(event: SQSEvent, parsed: ParsedBatch, imported: ImportedFindings, alerts: AlertOutcome): BatchSummary {
  return {
    records: event.Records.length,
    malformed: parsed.malformed,
    ignored: parsed.ignored,
    transitions: parsed.transitions.length,
    findingsImported: imported.result.imported.length,
    findingsFailed: imported.result.failed.length,
    alertsSent: alerts.sent,
    alertsFailed: alerts.failed,
    alertsDuplicate: alerts.duplicate,
    alertsStale: alerts.stale,
    digest: alerts.digest,
  };
}
