/** The notifier's mocked clients for a test file, held to its declared calls (functions/notifier/permissions.ts). */
import { afterAll } from '@jest/globals';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { NotifierConfig } from '../../functions/notifier/handler.js';
import { NOTIFIER_CALLS } from '../../functions/notifier/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from './declared-calls.js';
import { fakeTable } from './fake-dynamodb.js';

export const TOPIC = 'arn:aws:sns:us-east-1:111122223333:ccm-alerts';
export const LEDGER = 'arn:aws:dynamodb:us-east-1:111122223333:table/ccm-alert-ledger';
export const NOTIFIER_CONFIG: NotifierConfig = { alertTopicArn: TOPIC, alertLedgerTableArn: LEDGER, digestThreshold: 10, configRulePrefix: 'ccm-', accountName: 'prod', region: 'us-east-1' };

/** Security Hub and SNS mocks and the alert ledger's in-memory table; every command they receive must be declared. */
export function notifierMocks() {
  const hub = mockClient(SecurityHubClient);
  const sns = mockClient(SNSClient);
  const table = fakeTable();
  const sent = recordSentCommands(hub, sns, table.mock);
  afterAll(() => expectDeclaredCalls(sent, NOTIFIER_CALLS));
  return { hub, sns, table };
}
