/**
 * The monthly evidence report, run by its schedule (or by hand for a given month):
 *  1. reads the current results of our rules in every account (the function's own; org-wide, every
 *     monitored account through its member role, a few at a time), one account failing never
 *     stopping the others;
 *  2. reads the month's archived compliance transitions, and the months before it to time fixes;
 *  3. writes the HTML, CSV and JSON reports to `reports/YYYY-MM/` in the evidence archive;
 *  4. announces them with one message on the alert topic (`transition` = `report`).
 * Whatever could not be read is named in the report and the message, and the invocation then fails, so
 * the function's error alarm fires: the report is written with what could be read, never silently short.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import * as z from 'zod/mini';
import { AlertPublisher, type AlertPublisherOptions } from '../alerts/publisher.js';
import { DEFAULT_RULE_PREFIX } from '../alerts/compliance-change.js';
import type { AccountRouter } from '../org/account-router.js';
import { MemberRoleError } from '../org/member-access.js';
import { inPool } from '../shared/pool.js';
import { errorParts } from '../shared/retry.js';
import { reportAnnouncement } from './announcement.js';
import { readArchivedTransitions } from './archive-reader.js';
import { readAccountResults } from './config-results.js';
import { monthsUpTo, previousMonth, requestedPeriod } from './period.js';
import { buildMonthlyReport, reportKeys, type AccountOutcome, type ReportKeys } from './report.js';
import { LOOKBACK_MONTHS } from './time-to-fix.js';

export interface MonthlyReportConfig {
  readonly bucket: string;
  readonly alertTopicArn: string;
  readonly region: string;
  /** The function's own account: the archive's, and the one read in single-account mode. */
  readonly accountId: string;
  /** The enabled rules. */
  readonly ruleIds: readonly string[];
  readonly configRulePrefix: string;
  readonly exemptionTagKey: string;
  readonly version: string;
  readonly accountName?: string;
}

const ruleIdList = z.string({ error: 'is required' }).check(z.regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, 'must be comma-separated rule ids'));
const envSchema = z.object({
  EVIDENCE_BUCKET: z.string({ error: 'is required' }).check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')),
  ALERT_TOPIC_ARN: z.string({ error: 'is required' }).check(z.regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN')),
  AWS_REGION: z.string({ error: 'is required' }).check(z.minLength(1, 'must not be empty')),
  ACCOUNT_ID: z.string({ error: 'is required' }).check(z.regex(/^\d{12}$/, 'must be a 12-digit account id')),
  RULE_IDS: ruleIdList,
  CONFIG_RULE_PREFIX: z._default(z.string(), DEFAULT_RULE_PREFIX),
  EXEMPTION_TAG_KEY: z.string({ error: 'is required' }).check(z.minLength(1, 'must not be empty')),
  PROJECT_VERSION: z._default(z.string(), 'unknown'),
  ACCOUNT_NAME: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
});

/** Validates the environment once, at cold start; the error names each bad variable. */
export function loadMonthlyReportConfig(env: Readonly<Record<string, string | undefined>>): MonthlyReportConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success)
    throw new Error(`monthly report configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  const data = parsed.data;
  return {
    bucket: data.EVIDENCE_BUCKET,
    alertTopicArn: data.ALERT_TOPIC_ARN,
    region: data.AWS_REGION,
    accountId: data.ACCOUNT_ID,
    ruleIds: data.RULE_IDS.split(','),
    configRulePrefix: data.CONFIG_RULE_PREFIX,
    exemptionTagKey: data.EXEMPTION_TAG_KEY,
    version: data.PROJECT_VERSION,
    ...(data.ACCOUNT_NAME !== undefined && { accountName: data.ACCOUNT_NAME }),
  };
}

/** Where the rules' results are read: the function's own account, or org-wide every monitored one. */
export interface ConfigAccess {
  readonly accounts: () => Promise<readonly string[]>;
  /** Runs `work` with a Config client of the account (org-wide, members through their role). */
  readonly run: <T>(accountId: string, work: (config: ConfigServiceClient) => Promise<T>) => Promise<T>;
  /** Read when the list of accounts cannot be had. */
  readonly fallbackAccount: string;
}

/** Single-account: the function's own account with its own client. */
export function ownAccountAccess(accountId: string, config: ConfigServiceClient): ConfigAccess {
  return { accounts: async () => [accountId], run: (_accountId, work) => work(config), fallbackAccount: accountId };
}

/** Org-wide: the monitored accounts, members read through their member role, the central account with the function's own client. */
export function organizationAccess(
  router: Pick<AccountRouter<{ readonly config: ConfigServiceClient }>, 'run' | 'centralAccountId'>,
  accounts: () => Promise<readonly string[]>,
): ConfigAccess {
  return { accounts, run: (accountId, work) => router.run(accountId, (adapters) => work(adapters.config)), fallbackAccount: router.centralAccountId };
}

export interface MonthlyReportDeps {
  readonly config: MonthlyReportConfig;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly access: ConfigAccess;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now?: () => Date;
  /** Accounts read at once (each has its own Config quotas). @default 4 */
  readonly accountConcurrency?: number;
  readonly publisher?: AlertPublisherOptions;
}

export interface MonthlyReportResult {
  readonly month: string;
  readonly keys: ReportKeys;
  readonly evaluations: number;
  readonly transitions: number;
  readonly complete: boolean;
}

/** The report was written and announced, but something could not be read: named here, so the invocation fails loudly. */
export class MonthlyReportIncompleteError extends Error {
  constructor(
    month: string,
    readonly gaps: readonly string[],
  ) {
    super(
      `the evidence report for ${month} was written without ${gaps.length} part(s) that could not be read: ${gaps.slice(0, 5).join('; ')}${gaps.length > 5 ? '; …' : ''}`,
    );
    this.name = 'MonthlyReportIncompleteError';
  }
}

const CONTENT_TYPES = { html: 'text/html; charset=utf-8', csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

export function createMonthlyReportHandler(deps: MonthlyReportDeps): (event: unknown) => Promise<MonthlyReportResult> {
  const { config, logger } = deps;
  const publisher = new AlertPublisher(deps.sns, config.alertTopicArn, { mode: 'single', ...deps.publisher });
  const enabled = new Set(config.ruleIds);

  async function readAccount(accountId: string): Promise<AccountOutcome> {
    try {
      const results = await deps.access.run(accountId, (client) =>
        readAccountResults(client, { accountId, region: config.region, ruleIds: enabled, configRulePrefix: config.configRulePrefix }),
      );
      logger.info('read rule results', { accountId, rules: results.rules.size, evaluations: results.evaluations.length });
      return { accountId, results };
    } catch (error) {
      const { code, message } = errorParts(error);
      logger.error("could not read the account's rule results", { accountId, code, message });
      // A MemberRoleError's message names the role, the AWS error and what to check.
      return { accountId, error: error instanceof MemberRoleError ? message : `${code}: ${message}` };
    }
  }

  return async (event) => {
    const now = deps.now?.() ?? new Date();
    const period = requestedPeriod(event, now);
    let accountIds: readonly string[];
    let accountListError: string | undefined;
    try {
      accountIds = await deps.access.accounts();
    } catch (error) {
      const { code, message } = errorParts(error);
      accountListError = `cannot list the organization's accounts (${code}: ${message}); only the central account was read`;
      logger.error("could not list the organization's accounts", { code, message });
      accountIds = [deps.access.fallbackAccount];
    }
    const accounts = await inPool([...new Set(accountIds)], deps.accountConcurrency ?? 4, readAccount);
    const month = await readArchivedTransitions(deps.s3, config.bucket, [period.month]);
    const lookback = await readArchivedTransitions(deps.s3, config.bucket, monthsUpTo(previousMonth(period.from), LOOKBACK_MONTHS));

    const documents = buildMonthlyReport({
      period,
      generatedAt: now,
      region: config.region,
      bucket: config.bucket,
      configRulePrefix: config.configRulePrefix,
      enabledRuleIds: config.ruleIds,
      accounts,
      ...(accountListError !== undefined && { accountListError }),
      month,
      lookback,
      exemptionTagKey: config.exemptionTagKey,
      version: config.version,
    });
    const keys = reportKeys(period.month, config.region);
    for (const format of ['html', 'csv', 'json'] as const) {
      // A checksum is required on writes to a bucket with Object Lock (docs/aws-semantics.md, "Evidence archive"); SHA-256 lets an auditor check the file too.
      await deps.s3.send(
        new PutObjectCommand({
          Bucket: config.bucket,
          Key: keys[format],
          Body: documents[format],
          ContentType: CONTENT_TYPES[format],
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    }
    const announcement = reportAnnouncement(documents, {
      bucket: config.bucket,
      keys,
      region: config.region,
      accountId: config.accountId,
      ...(config.accountName !== undefined && { accountName: config.accountName }),
    });
    const published = await publisher.publish([announcement]);
    const failed = published.failed[0];
    if (failed !== undefined)
      throw new Error(
        `the evidence report for ${period.month} was written to s3://${config.bucket}/${keys.html} but could not be announced (${failed.errorCode}: ${failed.errorMessage})`,
      );

    const figures = documents.summary.month;
    logger.info('monthly report written', {
      month: period.month,
      keys,
      accounts: accounts.length,
      accountsNotRead: figures.accountsNotRead.length,
      evaluations: documents.evaluations.length,
      transitions: figures.transitions,
      gaps: documents.gaps.length,
    });
    if (!documents.complete) throw new MonthlyReportIncompleteError(period.month, documents.gaps);
    return { month: period.month, keys, evaluations: documents.evaluations.length, transitions: figures.transitions, complete: documents.complete };
  };
}
