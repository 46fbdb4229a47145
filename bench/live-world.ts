/**
 * The bench's simulated practice: accounts × Regions of synthetic resources (AWS's sample items with
 * new ids, bench/generate.ts), each Region with backup plans and a patch scan per instance, and the
 * fewest calls that can read it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestFor } from '../functions/inventory/live.js';
import { CATALOG } from '../rules/catalog.js';
import type { FakeRegion, FakeWorld } from '../test/helpers/fake-aws.js';
import { syntheticItem } from './generate.js';

export const CALLER = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/assessor' };
export const PLANS = 20;
export const SELECTIONS_PER_PLAN = 2;
const REPORT = readFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', 'aws-samples', 'iam', 'credential-report.coolfriends-oil.csv'), 'utf8');
const READ_TYPES = new Set<string>(requestFor(CATALOG).types);

export interface WorldShape {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly resourcesPerRegion: number;
  readonly latencyMs: number;
}

/** A Region of `resources` resources, PLANS backup plans, a recent patch scan per instance. */
function region(accountId: string, name: string, resources: number, offset: number): FakeRegion {
  const items: Record<string, unknown>[] = Array.from({ length: resources }, (_, n) => ({
    ...syntheticItem(offset + n),
    awsAccountId: accountId,
    awsRegion: name,
  }));
  const instances = items.filter((item) => item.resourceType === 'AWS::EC2::Instance');
  return {
    items,
    ebsEncryptionByDefault: true,
    patchSummaries: instances.map((item) => ({
      resourceId: String(item.resourceId),
      status: 'COMPLIANT' as const,
      executionTime: new Date(Date.now() - 86_400_000),
    })),
    backupPlans: Array.from({ length: PLANS }, (_, p) => ({
      planId: `plan-${p}`,
      planName: `plan-${p}`,
      selections: Array.from({ length: SELECTIONS_PER_PLAN }, (__, s) => ({
        BackupPlanId: `plan-${p}`,
        SelectionId: `selection-${p}-${s}`,
        BackupSelection: {
          SelectionName: `selection-${p}-${s}`,
          IamRoleArn: `arn:aws:iam::${accountId}:role/backup`,
          Resources: [`arn:aws:ec2:${name}:${accountId}:volume/*`],
        },
        CreationDate: '2025-03-02T14:30:00.000Z',
      })),
    })),
  };
}

export function benchWorld(shape: WorldShape): FakeWorld {
  return {
    caller: CALLER,
    latencyMs: shape.latencyMs,
    accounts: shape.accounts.map((accountId, a) => ({
      accountId,
      credentialReportCsv: REPORT,
      regions: Object.fromEntries(
        shape.regions.map((name, r) => [name, region(accountId, name, shape.resourcesPerRegion, (a * shape.regions.length + r) * shape.resourcesPerRegion)]),
      ),
    })),
  };
}

const pages = (n: number, size: number): number => Math.max(1, Math.ceil(n / size));

export interface Bound {
  /** The fewest calls that read the world. */
  readonly calls: number;
  /** The longest chain of calls that must follow one another in one account and Region (each page needs the last one's token). */
  readonly chain: number;
}

export function lowerBound(world: FakeWorld, options: { organization: boolean; allRegions: boolean }): Bound {
  let calls = 1; // GetCallerIdentity
  if (options.organization) calls += pages(world.accounts.length, 20);
  let chain = 0;
  for (const account of world.accounts) {
    if (account.accountId !== world.caller.accountId) calls += 1; // AssumeRole
    if (options.allRegions) calls += 1; // DescribeRegions
    calls += 2; // GenerateCredentialReport, GetCredentialReport
    // DescribeTrails once per account (shadow trails show every multi-Region trail), then GetTrailStatus of each trail it lists.
    const home = Object.values(account.regions)[0];
    calls += 1 + (home?.trails?.length ?? 0);
    for (const place of Object.values(account.regions)) {
      calls += 1 + (place.detectors?.length ?? 0); // ListDetectors (one page), GetDetector of each
      const rows = place.items.filter((item) => READ_TYPES.has(String(item.resourceType))).length;
      const plans = place.backupPlans ?? [];
      const backup = pages(plans.length, 1000) + plans.reduce((sum, p) => sum + pages(p.selections.length, 1000) + p.selections.length, 0);
      calls += 1 + pages(rows, 100) + 1 + pages(place.patchSummaries?.length ?? 0, 50) + backup; // recorder, query, EBS default, SSM, backup
      // The backup reads that must wait for each other: the plan pages, then one selection page, then one selection.
      chain = Math.max(chain, 1 + Math.max(pages(rows, 100), pages(plans.length, 1000) + 2));
    }
  }
  return { calls, chain };
}
