/**
 * The change evaluator's Lambda entry point (`index.handler`), invoked by AWS Config: clients and
 * settings built once, at cold start; the work is ../change.ts. It builds only the Config client.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { DEFAULT_EXEMPTION_TAG_KEY } from '../../../rules/exemptions.js';
import { ConfigAdapter } from '../../config/adapter.js';
import { clientSettings } from '../../shared/clients.js';
import { LAMBDAS, METRICS_NAMESPACE } from '../../shared/services.js';
import { createChangeEvaluatorHandler, type ChangeAdapters } from '../change.js';
import { loadEvaluatorOrg } from '../org.js';
import { restateDaysFrom } from '../shared.js';

const logger = new Logger({ serviceName: LAMBDAS.change.service });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: LAMBDAS.change.service });
const config = new ConfigAdapter(new ConfigServiceClient(clientSettings()));
// Single-account stacks build with CCM_BUNDLE defined as "single-account": esbuild drops the org code.
const org =
  process.env.CCM_BUNDLE === 'single-account'
    ? undefined
    : loadEvaluatorOrg<ChangeAdapters>('change', process.env, {
        own: { config },
        build: (settings) => ({ config: new ConfigAdapter(new ConfigServiceClient(settings())) }),
        logger,
      });

export const handler = middy(
  createChangeEvaluatorHandler({
    config,
    ...(org !== undefined && { org }),
    logger,
    metrics,
    exemptionTagKey: process.env.EXEMPTION_TAG_KEY || DEFAULT_EXEMPTION_TAG_KEY,
    region: process.env.AWS_REGION ?? 'unknown',
    restateDays: restateDaysFrom(process.env),
  }),
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
