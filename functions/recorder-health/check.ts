/**
 * The scheduled Config recorder health check: in every monitored account (one, or org-wide each
 * account of the organization through its member role), in this Region, is AWS Config recording and
 * delivering? Each run records the count of unhealthy recorders as a metric (the health alarm
 * `config-recorder-unhealthy` fires on it and clears when it is back to 0) and, when any is unhealthy,
 * publishes one message on the health topic naming each account, what is wrong and what to do.
 * An account that cannot be checked (member role missing, Config refusing) does not stop the others;
 * the invocation then fails at the end, naming them, so the function's error alarm fires too.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import type { AccountRouter } from '../org/account-router.js';
import { MemberRoleError } from '../org/member-access.js';
import { inPool } from '../shared/pool.js';
import { accountOfFunctionArn } from '../shared/resources.js';
import { errorParts } from '../shared/retry.js';
import { UNHEALTHY_RECORDERS_METRIC } from '../shared/services.js';
import { readRecorderState, recorderProblems, type RecorderProblem } from './status.js';

const MAX_SUBJECT = 99;

/** What the check uses in one account. */
export interface RecorderAdapters {
  readonly config: ConfigServiceClient;
}

export interface AccountHealth {
  readonly accountId: string;
  readonly problems: readonly RecorderProblem[];
}

export interface RecorderHealthResult {
  readonly checked: number;
  readonly unhealthy: AccountHealth[];
}

export class RecorderCheckError extends Error {
  constructor(
    message: string,
    readonly result: RecorderHealthResult,
  ) {
    super(message);
    this.name = 'RecorderCheckError';
  }
}

export interface RecorderHealthDeps {
  /** The accounts to check; single-account, the function's own. */
  readonly accounts: () => Promise<readonly string[]>;
  /** Runs work with the account's Config client (org-wide: the member role's, reported when refused). */
  readonly router: Pick<AccountRouter<RecorderAdapters>, 'run'>;
  readonly sns: SNSClient;
  readonly healthTopicArn: string;
  readonly region: string;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly metrics?: { addMetric(...args: Parameters<Metrics['addMetric']>): unknown };
  /** Accounts checked at once. @default 4 */
  readonly concurrency?: number;
  readonly now?: () => Date;
}

export function healthMessage(unhealthy: readonly AccountHealth[], region: string): { subject: string; message: string } {
  const only = unhealthy.length === 1 ? unhealthy[0] : undefined;
  let subject =
    only === undefined
      ? `[MONITOR] AWS Config is not recording or delivering in ${unhealthy.length} accounts (${region})`
      : `[MONITOR] AWS Config is not recording or delivering in ${only.accountId} (${region})`;
  if (subject.length > MAX_SUBJECT) subject = `[MONITOR] AWS Config unhealthy in ${unhealthy.length} account(s) (${region})`;
  const lines = [
    `The Clinic Compliance Monitor's rules depend on AWS Config recording. Until this is fixed, the rules below get no new evaluations and keep their last results, however the resources change.`,
    '',
  ];
  for (const { accountId, problems } of unhealthy) {
    lines.push(`Account ${accountId}, ${region}:`);
    for (const problem of problems) lines.push(`  - ${problem.detail}.`, `    What to do: ${problem.fix}`);
    lines.push('');
  }
  lines.push(
    'This check runs every 6 hours and repeats this message while the problem lasts; the alarm config-recorder-unhealthy clears at the first run that finds every recorder healthy.',
  );
  return { subject, message: lines.join('\n') };
}

export function createRecorderHealthCheck(deps: RecorderHealthDeps): () => Promise<RecorderHealthResult> {
  const concurrency = deps.concurrency ?? 4;
  const { logger } = deps;

  async function checkAccount(accountId: string, now: Date): Promise<AccountHealth | { accountId: string; error: string }> {
    try {
      const state = await deps.router.run(accountId, ({ config }) => readRecorderState(config));
      const problems = recorderProblems(state, deps.region, now);
      if (problems.length > 0) logger.warn('AWS Config is not healthy', { accountId, problems: problems.map((p) => p.kind) });
      return { accountId, problems };
    } catch (error) {
      const { code, message } = errorParts(error);
      logger.error('could not check the AWS Config recorder', { accountId, code, message });
      return { accountId, error: error instanceof MemberRoleError ? message : `${code}: ${message}` };
    }
  }

  return async () => {
    const now = deps.now?.() ?? new Date();
    const accountIds = [...new Set(await deps.accounts())];
    const results = await inPool(accountIds, concurrency, (accountId) => checkAccount(accountId, now));
    const unhealthy = results.filter((r): r is AccountHealth => 'problems' in r && r.problems.length > 0);
    const failed = results.filter((r): r is { accountId: string; error: string } => 'error' in r);
    deps.metrics?.addMetric(UNHEALTHY_RECORDERS_METRIC, MetricUnit.Count, unhealthy.length);
    logger.info('checked AWS Config recorders', {
      accounts: accountIds.length,
      unhealthy: unhealthy.map((a) => a.accountId),
      failed: failed.map((a) => a.accountId),
    });
    if (unhealthy.length > 0) {
      const { subject, message } = healthMessage(unhealthy, deps.region);
      await deps.sns.send(
        new PublishCommand({
          TopicArn: deps.healthTopicArn,
          Subject: subject,
          Message: message,
          MessageAttributes: {
            transition: { DataType: 'String', StringValue: 'config-recorder' },
            accountId: { DataType: 'String.Array', StringValue: JSON.stringify(unhealthy.map((a) => a.accountId)) },
          },
        }),
      );
    }
    const result = { checked: accountIds.length - failed.length, unhealthy };
    if (failed.length > 0) {
      throw new RecorderCheckError(
        `the AWS Config recorder of ${failed.length} of ${accountIds.length} account(s) could not be checked: ${failed.map((f) => `${f.accountId} (${f.error})`).join('; ')}`,
        result,
      );
    }
    return result;
  };
}

export interface RecorderHealthHandlerDeps extends Omit<RecorderHealthDeps, 'accounts' | 'router'> {
  /** The function's own account's clients. */
  readonly own: RecorderAdapters;
  /** Org mode: the organization's monitored accounts, members through their member role. */
  readonly org?: Pick<RecorderHealthDeps, 'accounts' | 'router'>;
}

/** The scheduled invocation: org mode checks the monitored accounts, otherwise the function's own (from its ARN). */
export function createRecorderHealthHandler(
  deps: RecorderHealthHandlerDeps,
): (event: unknown, context: Pick<Context, 'invokedFunctionArn'>) => Promise<RecorderHealthResult> {
  const { own, org, ...rest } = deps;
  const orgCheck = org === undefined ? undefined : createRecorderHealthCheck({ ...rest, ...org });
  return (_event, context) =>
    (
      orgCheck ??
      createRecorderHealthCheck({
        ...rest,
        accounts: async () => [accountOfFunctionArn(context.invokedFunctionArn)],
        router: { run: (_accountId, work) => work(own) },
      })
    )();
}
