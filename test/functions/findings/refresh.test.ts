import 'aws-sdk-client-mock-jest';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
  type BatchImportFindingsCommandInput,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { getRule } from '../../../rules/catalog.js';
import { refreshDueFindings, refreshedFinding } from '../../../functions/findings/refresh.js';
import { FindingsSender } from '../../../functions/findings/sender.js';
import { toFinding } from '../../../functions/findings/to-finding.js';
import type { Compliance } from '../../../rules/types.js';
import { evaluate } from '../../helpers/rules.js';
import { itemFrom, SAMPLE } from '../../helpers/samples.js';
import { REFRESHER_CALLS } from '../../../functions/refresher/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';

const hub = mockClient(SecurityHubClient);
const sentCommands = recordSentCommands(hub);
afterAll(() => expectDeclaredCalls(sentCommands, REFRESHER_CALLS));
const client = new SecurityHubClient({ region: 'us-east-1' });
const entry = getRule('ebs-volume-encrypted');
const NOW = new Date('2026-11-28T00:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

/** A finding as GetFindings returns it: ours, plus what Security Hub and a customer added. */
function stored(resourceId: string, compliance: Compliance, ageDays: number): AwsSecurityFinding {
  const evaluation = { ...evaluate('ebs-volume-encrypted', itemFrom(SAMPLE.volume, { configuration: { encrypted: false } })), resourceId, compliance };
  const ours = toFinding(evaluation, entry, { now: daysAgo(ageDays) });
  return {
    ...ours,
    Region: 'us-east-1',
    ProcessedAt: daysAgo(ageDays).toISOString(),
    Workflow: { Status: 'NOTIFIED' },
    WorkflowState: 'NEW',
    Note: { Text: 'ticket 42', UpdatedBy: 'auditor', UpdatedAt: daysAgo(1).toISOString() },
    Severity: { Label: 'LOW', Original: 'HIGH' },
    ProductFields: {
      ...ours.ProductFields,
      'aws/securityhub/FindingId': `arn:aws:securityhub:us-east-1::product/x/${ours.Id}`,
      'aws/securityhub/ProductName': 'Default',
    },
  };
}

const sleeps: number[] = [];
const sender = () => new FindingsSender(client, { clock: () => 0, sleep: async () => undefined });

beforeEach(() => {
  hub.reset();
  sleeps.length = 0;
  hub
    .on(BatchImportFindingsCommand)
    .callsFake((input: BatchImportFindingsCommandInput) => ({ FailedCount: 0, SuccessCount: input.Findings?.length ?? 0, FailedFindings: [] }));
});

describe('refreshDueFindings', () => {
  test('reads our active findings page by page and re-imports those due, before the 90-day expiry', async () => {
    hub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [stored('vol-failing-40d', 'NON_COMPLIANT', 40), stored('vol-passing-40d', 'COMPLIANT', 40)], NextToken: 'page-2' })
      .resolvesOnce({ Findings: [stored('vol-passing-70d', 'COMPLIANT', 70), stored('vol-failing-5d', 'NON_COMPLIANT', 5)] });
    const result = await refreshDueFindings(client, sender(), { now: NOW, sleep: async (ms) => void sleeps.push(ms) });
    expect(hub).toHaveReceivedCommandTimes(GetFindingsCommand, 2);
    const pages = hub.commandCalls(GetFindingsCommand).map((call) => call.args[0].input);
    expect(pages[0]).toEqual({
      Filters: {
        ProductName: [{ Value: 'Clinic Compliance Monitor', Comparison: 'EQUALS' }],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        UpdatedAt: [{ End: '2026-10-29T00:00:00.000Z' }],
      },
      MaxResults: 100,
    });
    expect(pages[1]).toMatchObject({ NextToken: 'page-2' });
    expect(sleeps).toEqual([400]);
    expect(result.examined).toBe(4);
    expect(result.sent.imported.map((id) => id.split('/').pop())).toEqual(['vol-failing-40d', 'vol-passing-70d']);
  });

  test('the re-import is our finding unchanged, with a new UpdatedAt and nothing Security Hub or the customer owns', () => {
    const finding = stored('vol-1', 'NON_COMPLIANT', 40);
    const copy = refreshedFinding(finding, NOW);
    expect(copy.UpdatedAt).toBe(NOW.toISOString());
    for (const key of ['Region', 'ProcessedAt', 'Workflow', 'WorkflowState', 'Note']) expect(copy).not.toHaveProperty(key);
    expect(copy.Severity).toEqual({ Label: 'HIGH', Original: 'HIGH' });
    expect(Object.keys(copy.ProductFields ?? {}).some((key) => key.startsWith('aws/'))).toBe(false);
    const ours = toFinding(
      { ...evaluate('ebs-volume-encrypted', itemFrom(SAMPLE.volume, { configuration: { encrypted: false } })), resourceId: 'vol-1' },
      entry,
      { now: daysAgo(40) },
    );
    expect(copy).toEqual({ ...ours, UpdatedAt: NOW.toISOString() });
  });

  test('a stored UpdatedAt in the future (clock skew) is still passed', () => {
    const finding = { ...stored('vol-1', 'NON_COMPLIANT', 40), UpdatedAt: '2026-11-28T00:00:05.000Z' };
    expect(refreshedFinding(finding, NOW).UpdatedAt).toBe('2026-11-28T00:00:05.001Z');
  });
});
