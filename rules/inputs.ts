/**
 * The inputs a rule may need besides configuration items (its `needs`), declared once as pure
 * metadata: what the README calls each, whether it is about the whole account (so it is read once per
 * account and the rule runs once per account, in the home Region), and which configuration items stand
 * in for it offline, where the live API is out of reach. How each is read live, and the AWS calls that
 * takes, is the shared live loader's (functions/inventory/live.ts, LIVE_INPUTS, keyed by these kinds);
 * the offline scan reads files or items.
 */
import type { ResourceType } from './resource-types.js';

export interface InputDeclaration {
  /** How the README's rule table names the input: "reads …". */
  readonly label: string;
  /**
   * The input covers the whole account from any one Region (IAM is global; DescribeTrails shows every
   * multi-Region trail, shadow copies included): a rule needing it runs in the home Region only, so
   * each account-wide problem is reported once.
   */
  readonly accountWide?: boolean;
  /**
   * Configuration items the rule falls back on offline, where the API is out of reach. They carry
   * less than the API (no logging status, no malware protection): the rule says what they cannot
   * decide. The README's export query includes them; the deployed monitor does not need them recorded.
   */
  readonly offlineItems?: readonly ResourceType[];
}

export const EXTRA_INPUTS = {
  credentialReport: { label: 'the IAM credential report', accountWide: true },
  backupSelections: { label: 'get-backup-selection output' },
  ebsEncryptionByDefault: { label: 'ec2:GetEbsEncryptionByDefault' },
  patchScanTimes: { label: 'ssm:ListResourceComplianceSummaries (deployed and --live only)' },
  cloudTrailTrails: { label: 'cloudtrail:DescribeTrails and GetTrailStatus', accountWide: true, offlineItems: ['AWS::CloudTrail::Trail'] },
  guardDutyDetectors: { label: 'guardduty:ListDetectors and GetDetector', offlineItems: ['AWS::GuardDuty::Detector'] },
} as const satisfies Readonly<Record<string, InputDeclaration>>;

/**
 * Inputs other than configuration items: the IAM credential report, backup selections with their tag
 * conditions (GetBackupSelection / --backup-selections), EBS encryption by default (live API only),
 * when each managed node was last scanned for patches (Systems Manager ListResourceComplianceSummaries;
 * live only, no Config item records it), the account's CloudTrail trails with their logging status, and
 * its GuardDuty detectors.
 */
export type ExtraInput = keyof typeof EXTRA_INPUTS;

const declared: Readonly<Record<ExtraInput, InputDeclaration>> = EXTRA_INPUTS;

/** Every kind, in declaration order. */
export const EXTRA_INPUT_KINDS = Object.keys(EXTRA_INPUTS) as ExtraInput[];

/** One read serves every Region of the account (IAM is global; DescribeTrails shows every multi-Region trail). */
export function isAccountWideInput(input: ExtraInput): boolean {
  return declared[input].accountWide === true;
}

/** A rule that needs account-wide data runs once per account, in the home Region. */
export function isAccountWide(rule: { readonly needs?: readonly ExtraInput[] }): boolean {
  return rule.needs?.some(isAccountWideInput) ?? false;
}

/** The configuration item types that stand in, offline, for the live inputs a rule needs. */
export function offlineItemTypes(rule: { readonly needs?: readonly ExtraInput[] }): ResourceType[] {
  return (rule.needs ?? []).flatMap((input) => declared[input].offlineItems ?? []);
}

export function inputLabel(input: ExtraInput): string {
  return declared[input].label;
}
