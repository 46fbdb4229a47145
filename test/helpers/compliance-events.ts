/**
 * Compliance-change events and SQS batches for the findings, alerts and notifier tests: AWS's
 * documented example (fixtures/events), and events built from our own evaluations in the same shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Compliance, Evaluation } from '../../rules/types.js';
import { FIXTURES } from './samples.js';

type Json = Record<string, unknown>;

/** AWS's example "Config Rules Compliance Change" event (see fixtures/events/README.md). */
export function documentedComplianceChange(): Json {
  return JSON.parse(readFileSync(join(FIXTURES, 'events', 'config-rules-compliance-change.json'), 'utf8')) as Json;
}

export interface ChangeSpec {
  readonly configRuleName: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId?: string;
  readonly region?: string;
  readonly oldCompliance?: Compliance | undefined;
  readonly newCompliance: Compliance;
  readonly annotation?: string | null;
  readonly orderingTimestamp?: string;
  readonly recordedAt?: string;
  readonly eventId?: string;
}

function result(spec: ChangeSpec, compliance: Compliance, recordedAt: string, annotation: string | null | undefined): Json {
  return {
    evaluationResultIdentifier: {
      evaluationResultQualifier: {
        configRuleName: spec.configRuleName,
        resourceType: spec.resourceType,
        resourceId: spec.resourceId,
        evaluationMode: 'DETECTIVE',
      },
      orderingTimestamp: spec.orderingTimestamp ?? recordedAt,
    },
    complianceType: compliance,
    resultRecordedTime: recordedAt,
    configRuleInvokedTime: recordedAt,
    ...(annotation !== undefined && { annotation }),
  };
}

/** The documented example with its rule, resource and results replaced: the shape Config sends for our rules. */
export function complianceChange(spec: ChangeSpec): Json {
  const event = documentedComplianceChange();
  const detail = event.detail as Json;
  const account = spec.accountId ?? '111122223333';
  const region = spec.region ?? 'us-east-1';
  const recordedAt = spec.recordedAt ?? '2026-11-28T12:00:00.000Z';
  Object.assign(event, { id: spec.eventId ?? `evt-${spec.resourceId}`, account, region, time: recordedAt.replace(/\.\d+Z$/, 'Z') });
  Object.assign(detail, {
    awsAccountId: account,
    awsRegion: region,
    configRuleName: spec.configRuleName,
    configRuleARN: `arn:aws:config:${region}:${account}:config-rule/config-rule-abc123`,
    resourceType: spec.resourceType,
    resourceId: spec.resourceId,
    newEvaluationResult: result(spec, spec.newCompliance, recordedAt, spec.annotation),
    notificationCreationTime: recordedAt,
  });
  if (spec.oldCompliance === undefined) delete detail.oldEvaluationResult;
  else detail.oldEvaluationResult = result(spec, spec.oldCompliance, '2026-11-27T12:00:00.000Z', null);
  return event;
}

/** The event Config would send after one of our evaluations changed (rule named `ccm-<ruleId>`). */
export function changeFromEvaluation(evaluation: Evaluation, oldCompliance: Compliance | undefined, recordedAt = '2026-11-28T12:00:00.000Z'): Json {
  return complianceChange({
    configRuleName: `ccm-${evaluation.ruleId}`,
    resourceType: evaluation.resourceType,
    resourceId: evaluation.resourceId,
    accountId: evaluation.accountId,
    region: evaluation.region,
    oldCompliance,
    newCompliance: evaluation.compliance,
    annotation: evaluation.annotation,
    orderingTimestamp: evaluation.orderingTimestamp,
    recordedAt,
  });
}

export function sqsRecord(body: unknown, messageId: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1764331200000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1764331200000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:ccm-compliance-changes',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(bodies: readonly unknown[]): SQSEvent {
  return { Records: bodies.map((body, i) => sqsRecord(body, `msg-${i}`)) };
}

export function lambdaContext(account = '111122223333'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'ccm-notifier',
    functionVersion: '1',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${account}:function:ccm-notifier`,
    memoryLimitInMB: '256',
    awsRequestId: 'req-1',
    logGroupName: '/aws/lambda/ccm-notifier',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
