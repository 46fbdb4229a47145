/**
 * Systems Manager, live: when each managed node was last scanned for patches. No configuration item
 * records it (docs/aws-semantics.md, "Patch compliance"), so the patch rule's scan-age check reads the
 * resource-level compliance summaries: ListResourceComplianceSummaries, ComplianceType Patch,
 * `ExecutionSummary.ExecutionTime`.
 */
import { paginateListResourceComplianceSummaries, type SSMClient } from '@aws-sdk/client-ssm';

/** The API's largest page (MaxResults 1–50, SSM API reference). */
export const MAX_RESULTS = 50;

export interface NodePatchScan {
  readonly resourceId: string;
  /** Absent when the summary carries no ExecutionTime: the scan time is then unknown, never "now". */
  readonly executionTime?: Date;
}

export class SsmAdapter {
  constructor(private readonly client: SSMClient) {}

  /** The last patch scan of every managed node in the Region. */
  async patchScanTimes(): Promise<NodePatchScan[]> {
    const out: NodePatchScan[] = [];
    const pages = paginateListResourceComplianceSummaries(
      { client: this.client, pageSize: MAX_RESULTS },
      { Filters: [{ Key: 'ComplianceType', Values: ['Patch'], Type: 'EQUAL' }] },
    );
    for await (const page of pages) {
      for (const summary of page.ResourceComplianceSummaryItems ?? []) {
        if (summary.ResourceId === undefined || summary.ComplianceType !== 'Patch') continue;
        const at = summary.ExecutionSummary?.ExecutionTime;
        out.push({ resourceId: summary.ResourceId, ...(at instanceof Date && !Number.isNaN(at.getTime()) && { executionTime: at }) });
      }
    }
    return out;
  }
}
