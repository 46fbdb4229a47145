import type { BackupSelection } from './backup/selection.js';
import type { CredentialReport } from './credential-report.js';
import type { Exemption } from './exemptions.js';
import type { ExtraInput } from './inputs.js';
import type { ConfigurationItem } from './inventory.js';
import type { RuleMapping } from './mapping.js';
import type { ParamSpecs, ParamValues } from './params.js';
import type { ResourceType } from './resource-types.js';

/** AWS Config's compliance values. INSUFFICIENT_DATA exists only in the CLI: PutEvaluations rejects it. */
export type Compliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';
/** Worst first. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export type Severity = (typeof SEVERITIES)[number];
/**
 * The areas, declared once, in the order the catalog, the reports and the README list them; a rule
 * lives in rules/<area>/. `name` heads the area in the evidence reports; `alertProblem` is the
 * short problem of an alert subject for rules that give none of their own.
 */
export const AREAS = {
  encryption: { name: 'Encryption at rest', alertProblem: 'unencrypted' },
  mfa: { name: 'Multi-factor authentication', alertProblem: 'without MFA' },
  patching: { name: 'Patching', alertProblem: 'not patched' },
  backup: { name: 'Backups', alertProblem: 'backup gap' },
  transit: { name: 'Encryption in transit', alertProblem: 'accepts unencrypted connections' },
  firewall: { name: 'Firewalls', alertProblem: 'open to the internet' },
  malware: { name: 'Malware protection', alertProblem: 'without malware protection' },
  audit: { name: 'Audit trail', alertProblem: 'without an audit trail' },
} as const satisfies Readonly<Record<string, { readonly name: string; readonly alertProblem: string }>>;
export type Area = keyof typeof AREAS;
/** `change`: Config invokes on each configuration change of the rule's resource types. `periodic`: on a schedule. */
export type Trigger = 'change' | 'periodic';

/** A rule's decision on one resource, with the reason in one sentence naming the setting. */
export interface Verdict {
  readonly compliance: Exclude<Compliance, 'INSUFFICIENT_DATA'>;
  readonly annotation: string;
}

/** A verdict on a resource that an inventory-wide rule found itself (credential report rows, plans, coverage). */
export interface ResourceVerdict extends Verdict {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId: string;
  readonly region: string;
  /** The configuration item behind the verdict, when there is one: exemptions and names come from it. */
  readonly item?: ConfigurationItem;
  readonly orderingTimestamp?: string;
  /** The rule could not judge this resource (a field it needs is missing): reported, never counted as compliant. */
  readonly error?: boolean;
}

export interface RuleContext {
  /** The evaluation time: rules never read the clock themselves. */
  readonly now: Date;
}

export interface Remediation {
  readonly summary: string;
  readonly steps: readonly string[];
  readonly url: string;
}

/** A rule's definition, HIPAA mapping included (RuleMapping): the catalog, findings, alerts and README read it all from here. */
interface RuleBase<S extends ParamSpecs> extends RuleMapping {
  /** Kebab-case, equal to the file name: Config rule names, finding ids and alerts derive from it. */
  readonly id: string;
  readonly title: string;
  readonly area: Area;
  /** One sentence an auditor reads: what COMPLIANT means. */
  readonly description: string;
  /** What it reports on; each declared in rules/resource-types.ts, so findings and alerts can name it. */
  readonly resourceTypes: readonly ResourceType[];
  readonly trigger: Trigger;
  readonly severity: Severity;
  readonly parameters: S;
  readonly remediation: Remediation;
  /** Needs data only a live AWS API gives (no Config item, no export): the offline scanner skips it. */
  readonly liveOnly?: boolean;
  /**
   * Inputs besides configuration items, which the periodic evaluator loads. Offline, a rule that needs
   * the credential report is not run without one; the others run on what the files give and say what
   * they could not check (patch scan times exist only live).
   */
  readonly needs?: readonly ExtraInput[];
  /** Resource types the rule reads besides those it reports on (the periodic evaluator loads them too). */
  readonly reads?: readonly ResourceType[];
}

export type { ExtraInput } from './inputs.js';

/** A rule that judges one configuration item on its own: what a change-triggered Config rule does. */
export interface ItemRule<S extends ParamSpecs = ParamSpecs> extends RuleBase<S> {
  readonly kind: 'item';
  evaluate(item: ActiveItem, params: ParamValues<S>, context: RuleContext): Verdict;
}

/** A rule that needs the whole inventory (several resource types, the credential report, account settings). */
export interface InventoryRule<S extends ParamSpecs = ParamSpecs> extends RuleBase<S> {
  readonly kind: 'inventory';
  evaluate(inventory: Inventory, params: ParamValues<S>, context: RuleContext): ResourceVerdict[];
}

export type Rule<S extends ParamSpecs = ParamSpecs> = ItemRule<S> | InventoryRule<S>;

/** An item that exists and has a configuration: what an item rule is given. */
export type ActiveItem = ConfigurationItem & { readonly configuration: Readonly<Record<string, unknown>> };

/* The id stays a literal type, so the catalog's RuleId is the union of every rule's id. */

export function defineItemRule<const Id extends string, const S extends ParamSpecs>(
  rule: Omit<ItemRule<S>, 'kind' | 'id'> & { readonly id: Id },
): ItemRule<S> & { readonly id: Id } {
  return { kind: 'item', ...rule };
}

export function defineInventoryRule<const Id extends string, const S extends ParamSpecs>(
  rule: Omit<InventoryRule<S>, 'kind' | 'id'> & { readonly id: Id },
): InventoryRule<S> & { readonly id: Id } {
  return { kind: 'inventory', ...rule };
}

/** A trail as DescribeTrails lists it, with what GetTrailStatus said of it (or why it could not be read). */
export interface TrailReading {
  /** The DescribeTrails `trailList` entry (Name, TrailARN, IsMultiRegionTrail, LogFileValidationEnabled, KmsKeyId, …). */
  readonly trail: object;
  /** The GetTrailStatus response (IsLogging, …). */
  readonly status?: object;
  /** Why GetTrailStatus failed for this trail: the rule then cannot count it as logging. */
  readonly statusError?: string;
}

/**
 * Account-level data only a live API returns, per account and Region: EBS encryption by default, the
 * trails DescribeTrails shows from this Region (shadow and organization trails included), the GuardDuty
 * detectors (GetDetector responses). A field is absent when it was not read: rules then never guess.
 */
export interface AccountSettings {
  readonly accountId: string;
  readonly region: string;
  readonly ebsEncryptionByDefault?: boolean;
  readonly cloudTrailTrails?: readonly TrailReading[];
  /** One GetDetector response per detector ListDetectors returned, with its `DetectorId` added. */
  readonly guardDutyDetectors?: readonly object[];
}

/** A credential report with its account settled (see buildInventory). */
export interface AccountCredentialReport extends CredentialReport {
  readonly accountId: string;
}

/** When Systems Manager last scanned a managed node for patches (ListResourceComplianceSummaries, ComplianceType Patch). */
export interface PatchScan {
  readonly accountId: string;
  readonly region: string;
  /** The managed node id (`i-…`, `mi-…`). */
  readonly resourceId: string;
  /** ExecutionSummary.ExecutionTime, epoch ms; absent when Systems Manager returned none. */
  readonly executionTime?: number;
}

export interface Inventory {
  readonly items: readonly ConfigurationItem[];
  readonly accountSettings: readonly AccountSettings[];
  /** IAM credential reports, one per account. */
  readonly credentialReports: readonly AccountCredentialReport[];
  /** Backup selections with their tag conditions (GetBackupSelection, --backup-selections); Config items of selections are in `items`. */
  readonly backupSelections: readonly BackupSelection[];
  /**
   * True when `backupSelections` are every selection of the account and Region (the periodic evaluator
   * lists them all); then the Config items of selections add nothing and are not used.
   */
  readonly backupSelectionsComplete: boolean;
  /** Last patch scans, when known (live only); `undefined`: not known, so scan age cannot be checked. */
  readonly patchScans?: readonly PatchScan[];
  /** Items by resource type, built once. */
  ofType(resourceType: string): readonly ConfigurationItem[];
}

export interface InventoryExtras {
  readonly accountSettings?: readonly AccountSettings[];
  readonly credentialReports?: readonly CredentialReport[];
  readonly backupSelections?: readonly BackupSelection[];
  readonly backupSelectionsComplete?: boolean;
  readonly patchScans?: readonly PatchScan[];
}

const UNKNOWN_ACCOUNT = 'unknown';

/** Reports without GeneratedTime (the CSV) rank below those with one; among equals the one given later wins. */
function isNewerReport(report: AccountCredentialReport, than: AccountCredentialReport): boolean {
  const [a, b] = [
    report.generatedAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(report.generatedAt),
    than.generatedAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(than.generatedAt),
  ];
  return !(a < b);
}

/**
 * One report per account, the newest: a report given twice (or an older and a newer one) must not
 * judge each user twice. Reports of an `unknown` account are all kept: masked ARNs cannot tell two
 * accounts' reports apart.
 */
function newestReportPerAccount(reports: readonly AccountCredentialReport[]): AccountCredentialReport[] {
  const newest = new Map<string, AccountCredentialReport>();
  for (const report of reports) {
    if (report.accountId === UNKNOWN_ACCOUNT) continue;
    const seen = newest.get(report.accountId);
    if (seen === undefined || isNewerReport(report, seen)) newest.set(report.accountId, report);
  }
  return reports.filter((report) => report.accountId === UNKNOWN_ACCOUNT || newest.get(report.accountId) === report);
}

/**
 * Indexes the items by type. A credential report whose ARNs do not name the account (masked exports
 * write `fakearn`) is attributed to the one account the items come from, or to `unknown` when they
 * come from several or none.
 */
export function buildInventory(items: readonly ConfigurationItem[], extras: InventoryExtras = {}): Inventory {
  const byType = new Map<string, ConfigurationItem[]>();
  const accounts = new Set<string>();
  for (const item of items) {
    let list = byType.get(item.resourceType);
    if (list === undefined) byType.set(item.resourceType, (list = []));
    list.push(item);
    accounts.add(item.accountId);
  }
  const [onlyAccount] = accounts.size === 1 ? accounts : [];
  return {
    items,
    accountSettings: extras.accountSettings ?? [],
    credentialReports: newestReportPerAccount(
      (extras.credentialReports ?? []).map((report) => ({ ...report, accountId: report.accountId ?? onlyAccount ?? UNKNOWN_ACCOUNT })),
    ),
    backupSelections: extras.backupSelections ?? [],
    backupSelectionsComplete: extras.backupSelectionsComplete ?? false,
    ...(extras.patchScans !== undefined && { patchScans: extras.patchScans }),
    ofType: (resourceType) => byType.get(resourceType) ?? [],
  };
}

/** One evaluation, in the shape the CLI prints (`--format json`) and every sink maps from. */
export interface Evaluation {
  readonly ruleId: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly accountId: string;
  readonly region: string;
  readonly compliance: Compliance;
  readonly annotation: string;
  readonly severity: Severity;
  readonly hipaa: readonly string[];
  /** Capture time of the item (change) or evaluation time (periodic): PutEvaluations' OrderingTimestamp. */
  readonly orderingTimestamp: string;
  /** The rule failed on this resource: reported, never counted as compliant. */
  readonly error?: boolean;
  /** The resource's exemption tag as read: in force (NOT_APPLICABLE), or expired or malformed and ignored. */
  readonly exemption?: Exemption;
}
