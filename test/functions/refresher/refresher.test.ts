import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { FindingsSender } from '../../../functions/findings/sender.js';
import { createRefresherHandler } from '../../../functions/refresher/handler.js';
import { lambdaContext } from '../../helpers/compliance-events.js';
import { failingVolumeFinding } from '../../helpers/findings.js';
import { REFRESHER_CALLS } from '../../../functions/refresher/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';

const securityHub = mockClient(SecurityHubClient);
const sentCommands = recordSentCommands(securityHub);
afterAll(() => expectDeclaredCalls(sentCommands, REFRESHER_CALLS));
const NOW = new Date('2026-11-28T12:00:00Z');
const FORTY_DAYS_AGO = new Date(NOW.getTime() - 40 * 86_400_000);
const ACCOUNT = '111122223333';

function refresher() {
  const client = new SecurityHubClient({});
  const sleep = async () => undefined;
  const run = createRefresherHandler({
    securityHub: client,
    sender: new FindingsSender(client, { sleep }),
    logger: new Logger({ logLevel: 'SILENT' }),
    region: 'us-east-1',
    now: () => NOW,
    sleep,
  });
  return () => run({}, lambdaContext(ACCOUNT));
}

beforeEach(() => securityHub.reset());

describe('findings refresher', () => {
  test('a finding still failing after 40 days is re-imported with a newer UpdatedAt, before the 90-day expiry', async () => {
    const stored = failingVolumeFinding('111122223333', FORTY_DAYS_AGO);
    securityHub.on(GetFindingsCommand).resolves({ Findings: [stored] });
    securityHub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    await expect(refresher()()).resolves.toEqual({ examined: 1, refreshed: 1 });
    const sent = securityHub.commandCalls(BatchImportFindingsCommand)[0]?.args[0].input.Findings ?? [];
    expect(sent).toHaveLength(1);
    expect(sent[0]?.Id).toBe(stored.Id);
    expect(Date.parse(sent[0]?.UpdatedAt ?? '')).toBeGreaterThan(Date.parse(stored.UpdatedAt ?? ''));
    expect(securityHub.commandCalls(GetFindingsCommand)[0]?.args[0].input.Filters?.ProductName).toEqual([
      { Value: 'Clinic Compliance Monitor', Comparison: 'EQUALS' },
    ]);
  });

  test('a finding that cannot be refreshed fails the invocation, so the error alarm fires', async () => {
    const stored = failingVolumeFinding('111122223333', FORTY_DAYS_AGO);
    securityHub.on(GetFindingsCommand).resolves({ Findings: [stored] });
    securityHub.on(BatchImportFindingsCommand).resolves({
      FailedCount: 1,
      SuccessCount: 0,
      FailedFindings: [{ Id: stored.Id, ErrorCode: 'InvalidAccess', ErrorMessage: 'Security Hub is not enabled' }],
    });
    await expect(refresher()()).rejects.toThrow(/1 finding\(s\) could not be refreshed, e\.g\. .*InvalidAccess Security Hub is not enabled/);
  });

  test("reads only what it can re-import: this account, this Region (an aggregation Region also holds linked Regions' findings)", async () => {
    securityHub.on(GetFindingsCommand).resolves({ Findings: [] });
    await refresher()();
    expect(securityHub.commandCalls(GetFindingsCommand)[0]?.args[0].input.Filters).toMatchObject({
      AwsAccountId: [{ Value: ACCOUNT, Comparison: 'EQUALS' }],
      Region: [{ Value: 'us-east-1', Comparison: 'EQUALS' }],
    });
  });

  test('an invoked ARN without an account is refused before any call', async () => {
    const client = new SecurityHubClient({});
    const run = createRefresherHandler({
      securityHub: client,
      sender: new FindingsSender(client),
      logger: new Logger({ logLevel: 'SILENT' }),
      region: 'us-east-1',
    });
    await expect(run({}, { invokedFunctionArn: 'not-an-arn' })).rejects.toThrow('cannot read the account from the invoked function ARN "not-an-arn"');
    expect(securityHub.calls()).toHaveLength(0);
  });

  test('nothing due, nothing sent', async () => {
    securityHub.on(GetFindingsCommand).resolves({ Findings: [] });
    await expect(refresher()()).resolves.toEqual({ examined: 0, refreshed: 0 });
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
  });
});
