/**
 * Keeps our findings alive: Security Hub deletes a finding 90 days after its last update, and a
 * resource that stays non-compliant sends no compliance-change event, so nothing else would touch
 * it. The refresher reads our own active findings back (GetFindings, our product only), picks those
 * due under the refresh policy, and re-imports each unchanged but with a later UpdatedAt. It needs no
 * state of its own; the periodic evaluator (or any scheduled function) calls it once a day.
 */
import { GetFindingsCommand, type AwsSecurityFinding, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { defaultSleep } from '../shared/retry.js';
import { findingsDueForRefresh, type FindingsSender, type RefreshPolicy, type SendFindingsResult } from './sender.js';
import { PRODUCT_NAME } from './to-finding.js';

const DAY_MS = 86_400_000;
/** GetFindings allows 3 requests per second: stay under it. */
const PAGE_INTERVAL_MS = 400;

/**
 * The finding as its provider sends it: fields Security Hub or customers own (Workflow, Note,
 * ProcessedAt, Region, `aws/…` product fields) are left out, Severity and Types come from
 * FindingProviderFields (ours, whatever a customer changed at the top level), UpdatedAt moves past
 * the stored one.
 */
export function refreshedFinding(stored: AwsSecurityFinding, now: Date): AwsSecurityFinding {
  const previousMs = stored.UpdatedAt === undefined ? Number.NaN : Date.parse(stored.UpdatedAt);
  const updatedAt = new Date(Number.isNaN(previousMs) ? now.getTime() : Math.max(now.getTime(), previousMs + 1)).toISOString();
  const provider = stored.FindingProviderFields;
  const productFields = Object.fromEntries(Object.entries(stored.ProductFields ?? {}).filter(([key]) => !key.startsWith('aws/')));
  const copy: AwsSecurityFinding = {
    SchemaVersion: stored.SchemaVersion,
    Id: stored.Id,
    ProductArn: stored.ProductArn,
    ProductName: stored.ProductName,
    CompanyName: stored.CompanyName,
    GeneratorId: stored.GeneratorId,
    AwsAccountId: stored.AwsAccountId,
    Types: provider?.Types ?? stored.Types,
    FirstObservedAt: stored.FirstObservedAt,
    LastObservedAt: stored.LastObservedAt,
    CreatedAt: stored.CreatedAt,
    UpdatedAt: updatedAt,
    Severity: provider?.Severity ? { ...provider.Severity } : stored.Severity,
    Title: stored.Title,
    Description: stored.Description,
    Remediation: stored.Remediation,
    SourceUrl: stored.SourceUrl,
    ProductFields: productFields,
    Resources: stored.Resources,
    Compliance: stored.Compliance && {
      ...(stored.Compliance.Status !== undefined && { Status: stored.Compliance.Status }),
      ...(stored.Compliance.RelatedRequirements !== undefined && { RelatedRequirements: stored.Compliance.RelatedRequirements }),
    },
    RecordState: stored.RecordState,
    FindingProviderFields: provider,
  };
  return Object.fromEntries(Object.entries(copy).filter(([, value]) => value !== undefined)) as AwsSecurityFinding;
}

export interface RefreshOptions {
  readonly now: Date;
  readonly policy?: RefreshPolicy;
  /** @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Only this account's findings generated in this Region. Org mode: a Security Hub administrator
   * reads its members' findings too, and an aggregation Region those of linked Regions; BatchImportFindings
   * takes a finding only from its own account, into the Region it came from.
   */
  readonly scope?: { readonly accountId: string; readonly region: string };
}

export interface RefreshResult {
  /** Active findings of our product old enough to be candidates. */
  readonly examined: number;
  readonly sent: SendFindingsResult;
}

/** Re-imports our active findings that are due (see {@link findingsDueForRefresh}). */
export async function refreshDueFindings(client: SecurityHubClient, sender: FindingsSender, options: RefreshOptions): Promise<RefreshResult> {
  const policy = options.policy ?? {};
  // Validates the policy before any call.
  findingsDueForRefresh([], options.now, policy);
  const youngestDays = Math.min(policy.failingEveryDays ?? 30, policy.passingEveryDays ?? 60);
  const sleep = options.sleep ?? defaultSleep;
  const candidates: AwsSecurityFinding[] = [];
  let nextToken: string | undefined;
  let page = 0;
  do {
    if (page++ > 0) await sleep(PAGE_INTERVAL_MS);
    const response = await client.send(
      new GetFindingsCommand({
        Filters: {
          ProductName: [{ Value: PRODUCT_NAME, Comparison: 'EQUALS' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
          UpdatedAt: [{ End: new Date(options.now.getTime() - youngestDays * DAY_MS).toISOString() }],
          ...(options.scope !== undefined && {
            AwsAccountId: [{ Value: options.scope.accountId, Comparison: 'EQUALS' }],
            Region: [{ Value: options.scope.region, Comparison: 'EQUALS' }],
          }),
        },
        MaxResults: 100,
        ...(nextToken !== undefined && { NextToken: nextToken }),
      }),
    );
    candidates.push(...(response.Findings ?? []));
    nextToken = response.NextToken || undefined;
  } while (nextToken !== undefined);
  const due = findingsDueForRefresh(candidates, options.now, policy);
  const sent = await sender.send(due.map((finding) => refreshedFinding(finding, options.now)));
  return { examined: candidates.length, sent };
}
