/**
 * Reading an AWS::SSM::PatchCompliance item. AWS publishes no sample; the layout public Config queries
 * read is `configuration."AWS:ComplianceItem".Content.Patch`: a map of patch id to
 * {Id, Title, Status, Severity, PatchSeverity, Classification, PatchState, InstalledTime, …} with a
 * `ComplianceSummary` entry among the patches (docs/aws-semantics.md, "Patch compliance"). Empty
 * strings stand for null. A value outside what Systems Manager documents for a deciding field
 * (Status, PatchState, Severity, the summary's Status and counts) is a RuleInputError naming the patch,
 * the field and the value: the instance could not be evaluated, it is never read as patched.
 *
 * The item holds no scan time: Config updates it only when the patch state changes, so its capture
 * time is not the last scan either. The scan time comes from Systems Manager (PatchScan).
 */
import { field, quote, RuleInputError } from '../fields.js';
import { isRecord } from '../inventory.js';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNSPECIFIED'] as const;
export type PatchSeverity = (typeof SEVERITIES)[number];

/**
 * Every PatchState Systems Manager documents (PatchComplianceData.State, written as the compliance
 * item's Details spell it). The API spells them INSTALLED_PENDING_REBOOT etc.; both spellings are read.
 */
export const PATCH_STATES = [
  'Installed',
  'InstalledOther',
  'InstalledPendingReboot',
  'InstalledRejected',
  'Missing',
  'Failed',
  'NotApplicable',
  'AvailableSecurityUpdate',
] as const;
export type PatchState = (typeof PATCH_STATES)[number];

/** Compliance statuses of a patch (ComplianceItem.Status); an empty Status is documented for a patch that does not apply. */
export const PATCH_STATUSES = ['COMPLIANT', 'NON_COMPLIANT'] as const;
export type PatchStatus = (typeof PATCH_STATUSES)[number];

/** The summary's Status: ComplianceStatus plus UNSPECIFIED_DATA, which Security Hub's mirror of the summary documents. */
export const SUMMARY_STATUSES = ['COMPLIANT', 'NON_COMPLIANT', 'UNSPECIFIED_DATA'] as const;
export type SummaryStatus = (typeof SUMMARY_STATUSES)[number];

export interface Patch {
  readonly id: string;
  readonly state?: PatchState;
  readonly status?: PatchStatus;
  readonly severity: PatchSeverity;
}

export interface PatchSummary {
  readonly status?: SummaryStatus;
  readonly nonCompliantCounts: Readonly<Partial<Record<PatchSeverity, number>>>;
}

export interface PatchData {
  readonly patches: readonly Patch[];
  readonly summary?: PatchSummary;
}

const PREFIX = 'configuration."AWS:ComplianceItem".Content.Patch';

function text(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new RuleInputError(`${where} is not a string (${quote(value)})`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function oneOf<const T extends string>(value: string | undefined, values: readonly T[], where: string): T | undefined {
  if (value === undefined) return undefined;
  const squashed = value.replaceAll('_', '').toLowerCase();
  const found = values.find((known) => known.replaceAll('_', '').toLowerCase() === squashed);
  if (found === undefined) throw new RuleInputError(`${where} is ${quote(value)}, not one of the values Systems Manager documents (${values.join(', ')})`);
  return found;
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

function severity(entry: Record<string, unknown>, where: string): PatchSeverity {
  const own = oneOf(text(field(entry, 'Severity'), `${where}.Severity`), SEVERITIES, `${where}.Severity`);
  if (own !== undefined) return own;
  // PatchSeverity is the vendor's free text: an unknown word is the vendor's, not unreadable data.
  const vendor = text(field(entry, 'PatchSeverity'), `${where}.PatchSeverity`)?.toUpperCase();
  return (vendor !== undefined && VENDOR_SEVERITY[vendor]) || 'UNSPECIFIED';
}

function count(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  throw new RuleInputError(`${where} is not a count (${quote(value)})`);
}

function readSummary(entry: unknown, where: string): PatchSummary {
  if (!isRecord(entry)) throw new RuleInputError(`${where} is not an object (${quote(entry)})`);
  const nonCompliantCounts: Partial<Record<PatchSeverity, number>> = {};
  for (const s of SEVERITIES) {
    const name = `NonCompliant${s[0]}${s.slice(1).toLowerCase()}Count`;
    const n = count(field(entry, name), `${where}.${name}`);
    if (n !== undefined) nonCompliantCounts[s] = n;
  }
  const status = oneOf(text(field(entry, 'Status'), `${where}.Status`), SUMMARY_STATUSES, `${where}.Status`);
  return { ...(status !== undefined && { status }), nonCompliantCounts };
}

function readPatch(key: string, entry: unknown): Patch {
  const where = `${PREFIX}.${key}`;
  if (!isRecord(entry)) throw new RuleInputError(`${where} is not an object (${quote(entry)})`);
  const state = oneOf(text(field(entry, 'PatchState'), `${where}.PatchState`), PATCH_STATES, `${where}.PatchState`);
  const status = oneOf(text(field(entry, 'Status'), `${where}.Status`), PATCH_STATUSES, `${where}.Status`);
  return {
    id: text(field(entry, 'Id'), `${where}.Id`) ?? key,
    ...(state !== undefined && { state }),
    ...(status !== undefined && { status }),
    severity: severity(entry, where),
  };
}

export function readPatchData(configuration: unknown): PatchData {
  const complianceItem = field(configuration, 'AWS:ComplianceItem');
  const content = field(complianceItem, 'Content');
  const patchMap = field(content, 'Patch') ?? content;
  let entries: [string, unknown][];
  if (Array.isArray(patchMap))
    entries = patchMap.map((entry, i) => [typeof field(entry, 'Id') === 'string' ? (field(entry, 'Id') as string) : `[${i}]`, entry]);
  else if (isRecord(patchMap)) entries = Object.entries(patchMap);
  else if (patchMap === undefined || patchMap === null) entries = [];
  else throw new RuleInputError(`${PREFIX} is not a map of patches (${quote(patchMap)})`);
  let summary: PatchSummary | undefined;
  const patches: Patch[] = [];
  for (const [key, entry] of entries) {
    if (key.toLowerCase() === 'compliancesummary') summary = readSummary(entry, `${PREFIX}.ComplianceSummary`);
    else patches.push(readPatch(key, entry));
  }
  const outer = field(content, 'ComplianceSummary');
  if (summary === undefined && outer !== undefined && outer !== null)
    summary = readSummary(outer, 'configuration."AWS:ComplianceItem".Content.ComplianceSummary');
  return { patches, ...(summary !== undefined && { summary }) };
}

/**
 * What Systems Manager counts as non-compliant when a patch carries no Status: missing, failed,
 * rejected, or installed and awaiting a reboot (DescribePatchGroupState). AvailableSecurityUpdate is
 * non-compliant or not as the patch baseline says, so without a Status it cannot be judged.
 */
const NON_COMPLIANT_STATES: ReadonlySet<PatchState> = new Set(['Missing', 'Failed', 'InstalledRejected', 'InstalledPendingReboot']);
const COMPLIANT_STATES: ReadonlySet<PatchState> = new Set(['Installed', 'InstalledOther', 'NotApplicable']);

/**
 * Whether the patch counts against the instance. The per-patch Status is the verdict (it is what the
 * managed rule and the console read); PatchState only explains it, and decides only when the Status
 * is empty.
 */
export function counts(patch: Patch): boolean {
  if (patch.status !== undefined) return patch.status === 'NON_COMPLIANT';
  if (patch.state === undefined) throw new RuleInputError(`patch ${patch.id} has neither Status nor PatchState`);
  if (NON_COMPLIANT_STATES.has(patch.state)) return true;
  if (COMPLIANT_STATES.has(patch.state)) return false;
  throw new RuleInputError(`patch ${patch.id} is ${patch.state} with an empty Status: whether that is non-compliant depends on the patch baseline`);
}

/** Why a counted patch counts, in the words of PatchState. */
export function explain(patch: Patch): string {
  switch (patch.state) {
    case 'InstalledPendingReboot':
      return 'InstalledPendingReboot, awaiting a reboot';
    case 'InstalledRejected':
      return 'InstalledRejected, on the rejected list';
    case undefined:
      return patch.status ?? 'no PatchState';
    default:
      return patch.state;
  }
}

/** Severities at or above `min` (UNSPECIFIED: all). */
export function severitiesFrom(min: PatchSeverity): readonly PatchSeverity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(min) + 1);
}
