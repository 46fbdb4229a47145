/** The notifier's mocked clients for a test file, held to its declared calls (functions/notifier/permissions.ts). */
import { afterAll } from '@jest/globals';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { NotifierConfig } from '../../functions/notifier/handler.js';
import { NOTIFIER_CALLS } from '../../functions/notifier/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from './declared-calls.js';
import { fakeTable } from './fake-dynamodb.js';

export const TOPIC = 'arn:aws:sns:us-east-1:111122223333:ccm-alerts';
export const LEDGER = 'arn:aws:dynamodb:us-east-1:111122223333:table/ccm-alert-ledger';
export const NOTIFIER_CONFIG: NotifierConfig = {
  alertTopicArn: TOPIC,
  alertLedgerTableArn: LEDGER,
  digestThreshold: 10,
  configRulePrefix: 'ccm-',
  accountName: 'prod',
  region: 'us-east-1',
};

/** Security Hub, SNS and S3 (the evidence archive) mocks and the alert ledger's in-memory table; every command they receive must be declared. */
export function notifierMocks() {
  const hub = mockClient(SecurityHubClient);
  const sns = mockClient(SNSClient);
  const s3 = mockClient(S3Client);
  const table = fakeTable();
  const sent = recordSentCommands(hub, sns, s3, table.mock);
  afterAll(() => expectDeclaredCalls(sent, NOTIFIER_CALLS));
  return { hub, sns, s3, table };
}
