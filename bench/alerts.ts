/**
 * A burst of 5,000 compliance changes (a policy change, a new account onboarded) through the notifier
 * exactly as deployed, with Security Hub, SNS and the alert ledger's DynamoDB mocked: how many
 * BatchImportFindings calls against the lower bound ceil(changes/100), how many SNS messages against
 * the SQS batches received, and how many ledger writes the alerts cost.
 * Figures are printed, never asserted. Time is simulated: the pacer's waits advance a virtual clock.
 */
import { pathToFileURL } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchImportFindingsCommand, SecurityHubClient, type BatchImportFindingsCommandInput } from '@aws-sdk/client-securityhub';
import { PublishBatchCommand, PublishCommand, SNSClient, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createNotifierHandler } from '../functions/notifier/handler.js';
import { CATALOG } from '../rules/catalog.js';
import type { Compliance } from '../rules/types.js';
import { lambdaContext } from '../test/helpers/compliance-events.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:ccm-alerts`;

export interface AlertsBenchOptions {
  readonly changes?: number;
  /** SQS batch sizes to compare (the event source mapping's BatchSize). */
  readonly batchSizes?: readonly number[];
  readonly digestThreshold?: number;
}

const ID_PREFIX: Readonly<Record<string, string>> = {
  'AWS::EC2::Volume': 'vol-',
  'AWS::RDS::DBInstance': 'db-',
  'AWS::RDS::DBCluster': 'cluster-',
  'AWS::S3::Bucket': 'clinic-bucket-',
  'AWS::DynamoDB::Table': 'table-',
  'AWS::EFS::FileSystem': 'fs-',
};

/** 70% become non-compliant, 20% are fixed, 10% are first compliant results (no alert, still a finding). */
function change(i: number): Record<string, unknown> {
  const rules = CATALOG.filter((entry) => entry.kind === 'item' && entry.resourceTypes.some((type) => type in ID_PREFIX));
  const entry = rules[i % rules.length];
  if (entry === undefined) throw new Error('no item rule in the catalog');
  const resourceType = entry.resourceTypes.find((type) => type in ID_PREFIX) ?? '';
  const resourceId = `${ID_PREFIX[resourceType] ?? 'r-'}${i.toString(16).padStart(12, '0')}`;
  const bucket = i % 10;
  const [oldCompliance, newCompliance]: [Compliance | undefined, Compliance] =
    bucket < 7 ? ['COMPLIANT', 'NON_COMPLIANT'] : bucket < 9 ? ['NON_COMPLIANT', 'COMPLIANT'] : [undefined, 'COMPLIANT'];
  const recordedAt = new Date(Date.UTC(2026, 10, 28, 12, 0, 0) + i).toISOString();
  const result = (compliance: Compliance, at: string) => ({
    evaluationResultIdentifier: {
      evaluationResultQualifier: { configRuleName: `ccm-${entry.id}`, resourceType, resourceId, evaluationMode: 'DETECTIVE' },
      orderingTimestamp: at,
    },
    complianceType: compliance,
    resultRecordedTime: at,
    configRuleInvokedTime: at,
    annotation: newCompliance === 'NON_COMPLIANT' && compliance === newCompliance ? 'Storage is not encrypted (encrypted = false).' : null,
  });
  return {
    version: '0',
    id: `burst-${i}`,
    'detail-type': 'Config Rules Compliance Change',
    source: 'aws.config',
    account: ACCOUNT,
    time: recordedAt.replace(/\.\d+Z$/, 'Z'),
    region: REGION,
    resources: [],
    detail: {
      resourceId,
      resourceType,
      awsRegion: REGION,
      awsAccountId: ACCOUNT,
      configRuleName: `ccm-${entry.id}`,
      recordVersion: '1.0',
      configRuleARN: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-burst`,
      messageType: 'ComplianceChangeNotification',
      newEvaluationResult: result(newCompliance, recordedAt),
      ...(oldCompliance !== undefined && { oldEvaluationResult: result(oldCompliance, '2026-11-27T00:00:00.000Z') }),
      notificationCreationTime: recordedAt,
    },
  };
}

function sqsBatches(changes: number, size: number): SQSEvent[] {
  const batches: SQSEvent[] = [];
  for (let start = 0; start < changes; start += size) {
    const records = [];
    for (let i = start; i < Math.min(changes, start + size); i++) {
      records.push({
        messageId: `m-${i}`,
        receiptHandle: `r-${i}`,
        body: JSON.stringify(change(i)),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'events', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:ccm-compliance-changes`,
        awsRegion: REGION,
      });
    }
    batches.push({ Records: records });
  }
  return batches;
}

const context = lambdaContext(ACCOUNT);

interface Run {
  readonly batches: number;
  readonly findingsCalls: number;
  readonly findingsImported: number;
  readonly snsMessages: number;
  readonly snsCalls: number;
  readonly digests: number;
  readonly ledgerWrites: number;
  readonly failedRecords: number;
  readonly simulatedMs: number;
  readonly wallMs: number;
}

async function runBurst(changes: number, batchSize: number, digestThreshold: number): Promise<Run> {
  const hub = mockClient(SecurityHubClient);
  const sns = mockClient(SNSClient);
  const dynamoDb = mockClient(DynamoDBClient);
  try {
    dynamoDb.on(PutItemCommand).resolves({}).on(DeleteItemCommand).resolves({});
    let findingsImported = 0;
    hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsCommandInput) => {
      findingsImported += input.Findings?.length ?? 0;
      return { FailedCount: 0, SuccessCount: input.Findings?.length ?? 0, FailedFindings: [] };
    });
    let snsMessages = 0;
    let digests = 0;
    sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => {
      const entries = input.PublishBatchRequestEntries ?? [];
      snsMessages += entries.length;
      digests += entries.filter((e) => e.MessageAttributes?.transition?.StringValue === 'digest').length;
      return { Successful: entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })), Failed: [] };
    });
    sns.on(PublishCommand).callsFake(() => (snsMessages++, { MessageId: 'm' }));

    let virtual = 0;
    const handler = createNotifierHandler({
      config: {
        alertTopicArn: TOPIC,
        alertLedgerTableArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/ccm-alert-ledger',
        digestThreshold,
        configRulePrefix: 'ccm-',
        accountName: 'prod',
        region: REGION,
      },
      securityHub: new SecurityHubClient({ region: REGION }),
      sns: new SNSClient({ region: REGION }),
      dynamoDb: new DynamoDBClient({ region: REGION }),
      logger: new Logger({ serviceName: 'ccm-notifier-bench', logLevel: 'SILENT' }),
      findings: { clock: () => virtual, sleep: async (ms) => void (virtual += ms) },
      alerts: { sleep: async (ms) => void (virtual += ms) },
    });
    const batches = sqsBatches(changes, batchSize);
    let failedRecords = 0;
    const started = performance.now();
    for (const batch of batches) failedRecords += (await handler(batch, context)).batchItemFailures.length;
    return {
      batches: batches.length,
      findingsCalls: hub.commandCalls(BatchImportFindingsCommand).length,
      findingsImported,
      snsMessages,
      snsCalls: sns.commandCalls(PublishBatchCommand).length + sns.commandCalls(PublishCommand).length,
      digests,
      ledgerWrites: dynamoDb.commandCalls(PutItemCommand).length + dynamoDb.commandCalls(DeleteItemCommand).length,
      failedRecords,
      simulatedMs: virtual,
      wallMs: performance.now() - started,
    };
  } finally {
    hub.restore();
    sns.restore();
    dynamoDb.restore();
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Lines to print: one block per SQS batch size. */
export async function benchAlerts(options: AlertsBenchOptions = {}): Promise<string[]> {
  const changes = options.changes ?? 5000;
  const digestThreshold = options.digestThreshold ?? 10;
  const lowerBound = Math.ceil(changes / 100);
  const lines = [
    `Findings and alerts: a burst of ${fmt(changes)} compliance changes through the notifier (mocked Security Hub and SNS, digest over ${digestThreshold} per batch)`,
  ];
  for (const size of options.batchSizes ?? [100, 10]) {
    const run = await runBurst(changes, size, digestThreshold);
    lines.push(
      `  SQS batches of ${size} (${fmt(run.batches)} batches, ${fmt(run.failedRecords)} records failed)`,
      `    Security Hub BatchImportFindings: ${fmt(run.findingsCalls)} calls for ${fmt(run.findingsImported)} findings vs lower bound ceil(${changes}/100) = ${fmt(lowerBound)}: ratio ${fmt(run.findingsCalls / lowerBound, 2)}   target 1.0`,
      `    SNS messages: ${fmt(run.snsMessages)} (${fmt(run.digests)} digests) for ${fmt(run.batches)} batches received: ratio ${fmt(run.snsMessages / run.batches, 2)}   target 1.0   (${fmt(run.snsCalls)} SNS API calls)`,
      `    alert ledger: ${fmt(run.ledgerWrites)} DynamoDB writes (a claim and a confirm per alerting change: ${fmt(run.ledgerWrites / changes, 2)} per change)`,
      `    paced Security Hub calls: ${fmt(run.simulatedMs / 1000, 1)} s simulated; ${fmt(run.wallMs)} ms wall`,
    );
  }
  lines.push('  → the notifier reaches both targets when its SQS event source delivers up to 100 records per batch (BatchSize 100 with a batching window).');
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await benchAlerts()) console.log(line);
}
