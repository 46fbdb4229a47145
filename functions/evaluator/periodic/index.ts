/**
 * The periodic evaluator's Lambda entry point (`index.handler`), invoked by AWS Config on its
 * schedule: the live readers and settings built once, at cold start; the work is ../periodic.ts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { DEFAULT_EXEMPTION_TAG_KEY } from '../../../rules/exemptions.js';
import { createLiveReaders } from '../../inventory/live.js';
import { clientSettings } from '../../shared/clients.js';
import { LAMBDAS, METRICS_NAMESPACE } from '../../shared/services.js';
import { loadEvaluatorOrg } from '../org.js';
import { createPeriodicEvaluatorHandler, type PeriodicAdapters } from '../periodic.js';
import { restateDaysFrom } from '../shared.js';

const logger = new Logger({ serviceName: LAMBDAS.periodic.service });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: LAMBDAS.periodic.service });
const region = process.env.AWS_REGION ?? 'unknown';
const own = createLiveReaders(clientSettings);
// Single-account stacks build with CCM_BUNDLE defined as "single-account": esbuild drops the org code.
const org =
  process.env.CCM_BUNDLE === 'single-account'
    ? undefined
    : loadEvaluatorOrg<PeriodicAdapters>('periodic', process.env, { own, build: (settings) => createLiveReaders(settings), logger });

export const handler = middy(
  createPeriodicEvaluatorHandler({
    ...own,
    ...(org !== undefined && { org }),
    logger,
    metrics,
    exemptionTagKey: process.env.EXEMPTION_TAG_KEY || DEFAULT_EXEMPTION_TAG_KEY,
    region,
    homeRegion: process.env.HOME_REGION || region,
    restateDays: restateDaysFrom(process.env),
  }),
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
