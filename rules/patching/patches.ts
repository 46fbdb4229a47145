/**
 * Reading an AWS::SSM::PatchCompliance item (AWS-FACTS.md §6). AWS publishes no sample; the layout
 * public queries read is `configuration."AWS:ComplianceItem".Content.Patch`: a map of patch id to
 * {Id, Title, Status, Severity, PatchSeverity, Classification, PatchState, InstalledTime, …} with a
 * `ComplianceSummary` entry among the patches. Empty strings stand for null. The reader is tolerant:
 * a list instead of a map, a missing summary, numbers written as strings.
 */
import { field, toEpochMillis } from '../fields.js';
import { isRecord } from '../inventory.js';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNSPECIFIED'] as const;
export type PatchSeverity = (typeof SEVERITIES)[number];

export interface Patch {
  readonly id: string;
  /** PatchState: Installed, InstalledOther, InstalledPendingReboot, InstalledRejected, Missing, Failed, NotApplicable. */
  readonly state?: string;
  /** Compliance status: COMPLIANT, NON_COMPLIANT, or empty (a Windows patch that does not apply). */
  readonly status?: string;
  readonly severity: PatchSeverity;
}

export interface PatchSummary {
  readonly status?: string;
  readonly executionTime?: number;
  readonly nonCompliantCounts: Readonly<Partial<Record<PatchSeverity, number>>>;
}

export interface PatchData {
  readonly patches: readonly Patch[];
  readonly summary?: PatchSummary;
  /** When the patch scan behind this data ran (epoch ms), when recorded. */
  readonly scanTime?: number;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Vendor severities (PatchSeverity: Critical, Important, Moderate, …) mapped onto SSM's scale, for items without Severity. */
const VENDOR_SEVERITY: Readonly<Record<string, PatchSeverity>> = {
  CRITICAL: 'CRITICAL',
  IMPORTANT: 'HIGH',
  HIGH: 'HIGH',
  MODERATE: 'MEDIUM',
  MEDIUM: 'MEDIUM',
  LOW: 'LOW',
  INFORMATIONAL: 'INFORMATIONAL',
};

function severity(entry: unknown): PatchSeverity {
  const own = text(field(entry, 'Severity'))?.toUpperCase();
  const known = SEVERITIES.find((s) => s === own);
  if (known !== undefined) return known;
  const vendor = text(field(entry, 'PatchSeverity'))?.toUpperCase();
  return (vendor !== undefined && VENDOR_SEVERITY[vendor]) || 'UNSPECIFIED';
}

function count(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return 0;
}

function readSummary(entry: unknown): PatchSummary | undefined {
  if (!isRecord(entry)) return undefined;
  const nonCompliantCounts: Partial<Record<PatchSeverity, number>> = {};
  for (const s of SEVERITIES) {
    const n = count(field(entry, `NonCompliant${s[0]}${s.slice(1).toLowerCase()}Count`));
    if (n > 0) nonCompliantCounts[s] = n;
  }
  const status = text(field(entry, 'Status'));
  const executionTime = toEpochMillis(text(field(entry, 'ExecutionTime')));
  return { ...(status !== undefined && { status }), ...(executionTime !== undefined && { executionTime }), nonCompliantCounts };
}

export function readPatchData(configuration: unknown): PatchData {
  const complianceItem = field(configuration, 'AWS:ComplianceItem');
  const content = field(complianceItem, 'Content');
  const patchMap = field(content, 'Patch') ?? content;
  const entries: [string, unknown][] = Array.isArray(patchMap)
    ? patchMap.map((entry, i) => [text(field(entry, 'Id')) ?? `#${i + 1}`, entry])
    : isRecord(patchMap)
      ? Object.entries(patchMap)
      : [];
  let summary: PatchSummary | undefined;
  const patches: Patch[] = [];
  for (const [key, entry] of entries) {
    if (key.toLowerCase() === 'compliancesummary') {
      summary = readSummary(entry);
      continue;
    }
    if (!isRecord(entry)) continue;
    const state = text(field(entry, 'PatchState'));
    const status = text(field(entry, 'Status'));
    patches.push({ id: text(field(entry, 'Id')) ?? key, ...(state !== undefined && { state }), ...(status !== undefined && { status }), severity: severity(entry) });
  }
  summary ??= readSummary(field(content, 'ComplianceSummary'));
  const scanTime = summary?.executionTime ?? toEpochMillis(text(field(field(complianceItem, 'ExecutionSummary'), 'ExecutionTime')));
  return { patches, ...(summary !== undefined && { summary }), ...(scanTime !== undefined && { scanTime }) };
}

const COUNTED_STATES = new Set(['missing', 'failed']);

/**
 * A patch counts against the instance when it is Missing or Failed. NotApplicable never counts, even
 * when a tool also marks it NON_COMPLIANT (the source of thousands of false alarms elsewhere); a patch
 * without PatchState counts when its status is NON_COMPLIANT.
 */
export function counts(patch: Patch): boolean {
  const state = patch.state?.toLowerCase();
  if (state !== undefined) return COUNTED_STATES.has(state);
  return patch.status?.toUpperCase() === 'NON_COMPLIANT';
}

/** Severities at or above `min` (UNSPECIFIED: all). */
export function severitiesFrom(min: PatchSeverity): readonly PatchSeverity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(min) + 1);
}
