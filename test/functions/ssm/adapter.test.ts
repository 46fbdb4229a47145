import { ListResourceComplianceSummariesCommand, SSMClient, type ResourceComplianceSummaryItem } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { MAX_RESULTS, SsmAdapter } from '../../../functions/ssm/adapter.js';
import { sampleJson } from '../../helpers/samples.js';

const ssm = mockClient(SSMClient);

/** The AWS CLI example output as the SDK returns it: ExecutionTime (epoch seconds on the wire) as a Date. */
function sampleItems(): ResourceComplianceSummaryItem[] {
  const doc = sampleJson('api/ssm/ListResourceComplianceSummaries.awscli.json') as {
    ResourceComplianceSummaryItems: (ResourceComplianceSummaryItem & { ExecutionSummary: { ExecutionTime: number } })[];
  };
  return doc.ResourceComplianceSummaryItems.map((item) => ({
    ...item,
    ExecutionSummary: { ...item.ExecutionSummary, ExecutionTime: new Date(item.ExecutionSummary.ExecutionTime * 1000) },
  }));
}

beforeEach(() => ssm.reset());

describe('SsmAdapter.patchScanTimes', () => {
  test('asks only for Patch summaries, 50 per page (the API maximum), and keeps each node with its ExecutionTime', async () => {
    ssm.on(ListResourceComplianceSummariesCommand).resolves({ ResourceComplianceSummaryItems: sampleItems() });
    const scans = await new SsmAdapter(new SSMClient({})).patchScanTimes();
    expect(ssm.commandCalls(ListResourceComplianceSummariesCommand).map((call) => call.args[0].input)).toEqual([
      { Filters: [{ Key: 'ComplianceType', Values: ['Patch'], Type: 'EQUAL' }], MaxResults: MAX_RESULTS },
    ]);
    expect(MAX_RESULTS).toBe(50);
    // The sample's Association summary is left out even if a filter let it through.
    expect(scans).toEqual([{ resourceId: 'i-9876543210abcdef0', executionTime: new Date('2019-02-15T16:35:50.000Z') }]);
  });

  test('follows NextToken across pages', async () => {
    const [, patch] = sampleItems();
    ssm
      .on(ListResourceComplianceSummariesCommand)
      .resolvesOnce({ ResourceComplianceSummaryItems: [{ ...patch, ResourceId: 'i-0000000000000000a' }], NextToken: 'page-2' })
      .resolvesOnce({ ResourceComplianceSummaryItems: [{ ...patch, ResourceId: 'i-0000000000000000b' }] });
    const scans = await new SsmAdapter(new SSMClient({})).patchScanTimes();
    expect(scans.map((scan) => scan.resourceId)).toEqual(['i-0000000000000000a', 'i-0000000000000000b']);
    expect(ssm.commandCalls(ListResourceComplianceSummariesCommand)[1]?.args[0].input.NextToken).toBe('page-2');
  });

  test('a summary without ExecutionTime keeps the node with an unknown scan time, never "now"', async () => {
    const [, patch] = sampleItems();
    ssm.on(ListResourceComplianceSummariesCommand).resolves({ ResourceComplianceSummaryItems: [{ ...patch, ExecutionSummary: undefined }] });
    expect(await new SsmAdapter(new SSMClient({})).patchScanTimes()).toEqual([{ resourceId: 'i-9876543210abcdef0' }]);
  });

  test('an API error is not swallowed', async () => {
    ssm
      .on(ListResourceComplianceSummariesCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform: ssm:ListResourceComplianceSummaries'), { name: 'AccessDeniedException' }));
    await expect(new SsmAdapter(new SSMClient({})).patchScanTimes()).rejects.toThrow(/not authorized/);
  });
});
