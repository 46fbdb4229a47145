/**
 * Compliance transitions → SNS messages, as pure functions. One readable message per transition that
 * needs a person, a digest when a batch holds many, and message attributes on-call can filter on.
 *
 * When a transition alerts (see {@link transitionKind}):
 *  - becomes NON_COMPLIANT (from anything, first evaluation included) → "problem";
 *  - becomes INSUFFICIENT_DATA (could not be evaluated) → "unknown";
 *  - NON_COMPLIANT or INSUFFICIENT_DATA → COMPLIANT → "resolved";
 *  - NON_COMPLIANT or INSUFFICIENT_DATA → NOT_APPLICABLE (deleted, out of scope, exempt) → "closed";
 *  - nothing else: no change (old = new), a first COMPLIANT result, a compliant resource deleted or
 *    exempted. Those are not actionable; Security Hub still records them for auditors.
 *
 * No patient data and no tag values: a message names the resource, the rule, the setting that
 * decided (the annotation our rules write), the HIPAA citation and the fix.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import type { CatalogEntry, RuleId } from '../../rules/catalog.js';
import { HIPAA_CITATIONS, type HipaaCitation } from '../../rules/mapping.js';
import { AREAS, SEVERITIES, type Compliance, type Severity } from '../../rules/types.js';
import { configConsoleUrl, displayName, GLOBAL_REGION, resourceLabel, serviceConsoleUrl } from '../shared/resources.js';
import type { RuleTransition } from './compliance-change.js';

/** SNS: "less than 100 characters". */
export const MAX_SUBJECT_CHARS = 99;
/** SNS: 256 KB = 262,144 bytes, attributes included. */
export const MAX_MESSAGE_BYTES = 262_144;
export const DEFAULT_DIGEST_THRESHOLD = 10;

export type TransitionKind = 'problem' | 'unknown' | 'resolved' | 'closed';

export interface Alert {
  readonly subject: string;
  readonly message: string;
  readonly attributes: Record<string, MessageAttributeValue>;
}

export interface AlertOptions {
  /** The account's display name (its AWS Organizations name), shown before the account id. */
  readonly accountName?: string;
  /** The resource's name when the caller knows it (events carry only the id). */
  readonly resourceName?: string;
  /** Region for console links of global resources (IAM). @default us-east-1 */
  readonly globalRegion?: string;
}

const OPEN: ReadonlySet<Compliance | undefined> = new Set<Compliance | undefined>(['NON_COMPLIANT', 'INSUFFICIENT_DATA']);

export function transitionKind(oldCompliance: Compliance | undefined, newCompliance: Compliance): TransitionKind | undefined {
  if (oldCompliance === newCompliance) return undefined;
  switch (newCompliance) {
    case 'NON_COMPLIANT':
      return 'problem';
    case 'INSUFFICIENT_DATA':
      return 'unknown';
    case 'COMPLIANT':
      return OPEN.has(oldCompliance) ? 'resolved' : undefined;
    case 'NOT_APPLICABLE':
      return OPEN.has(oldCompliance) ? 'closed' : undefined;
  }
}

/** Short wording of the problem for subjects; rules not listed use their area's. */
const PROBLEM: Readonly<Partial<Record<RuleId, string>>> = {
  'ebs-encryption-by-default': 'EBS encryption by default off',
  'root-account-mfa': 'root user without MFA',
  'iam-user-console-mfa': 'console login without MFA',
  'instance-patch-compliant': 'missing patches',
  'instance-managed-by-ssm': 'not managed by Systems Manager',
  'backup-plan-frequency-retention': 'backup plan too infrequent or short',
  'backup-plan-offsite-copy': 'no offsite backup copy',
  'resource-protected-by-backup': 'not in any backup plan',
  'resource-recent-recovery-point': 'no recent backup',
  'rds-backup-retention': 'backup retention too short',
  'security-group-admin-ports-restricted': 'admin port open to internet',
  's3-bucket-tls-only': 'allows unencrypted HTTP',
  'load-balancer-https-only': 'accepts plain HTTP or old TLS',
  'cloudtrail-multi-region-logging': 'no complete audit trail',
  'guardduty-enabled': 'GuardDuty off',
  'guardduty-malware-protection': 'malware scanning off',
};

export function problemPhrase(entry: Pick<CatalogEntry, 'id' | 'area'>): string {
  return PROBLEM[entry.id] ?? AREAS[entry.area].alertProblem;
}

/** One line of plain text: control characters and line breaks (SNS rejects them in subjects) become spaces. */
export function oneLine(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * The annotation as alerts show it. An exemption's reason is the value of the exemption tag: alerts
 * carry no tag values, so only the fact and the expiry are kept (Security Hub keeps the reason for auditors).
 */
export function alertAnnotation(annotation: string | undefined): string {
  if (annotation === undefined || oneLine(annotation) === '') return 'AWS Config gave no annotation for this result.';
  const text = oneLine(annotation);
  const exempt = /^Exempt \(([^)]*)\):/.exec(text);
  return exempt ? `Exempt (${exempt[1]}); the reason is in the resource's exemption tag.` : text;
}

function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const head = Math.ceil((max - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}

function accountLabel(accountId: string, accountName: string | undefined): string {
  const name = accountName === undefined ? '' : oneLine(accountName);
  return name === '' ? accountId : `${name} (${accountId})`;
}

/**
 * `[HIGH] EBS volume vol-0abc unencrypted — prod (111122223333)`: under 100 characters, one line. The
 * resource name, then the account name, give way (cut in the middle) when space runs out.
 */
export function buildSubject(parts: { tag: string; label: string; name: string; phrase: string; accountId: string; accountName?: string }): string {
  const tag = oneLine(parts.tag);
  const head = `${tag} ${oneLine(parts.label)}`;
  const phrase = oneLine(parts.phrase);
  let accountName = parts.accountName === undefined ? '' : oneLine(parts.accountName);
  const fit = (name: string, account: string): string => `${head} ${name} ${phrase} — ${account}`.replace(/\s+/g, ' ');
  const name = oneLine(parts.name);
  for (let attempt = 0; attempt < 3; attempt++) {
    const account = accountLabel(parts.accountId, accountName);
    const room = MAX_SUBJECT_CHARS - fit('', account).length - 1;
    if (room >= Math.min(name.length, 12)) return fit(clipMiddle(name, room), account);
    accountName = attempt === 0 ? clipMiddle(accountName, 16) : '';
  }
  return clipMiddle(fit(name, parts.accountId), MAX_SUBJECT_CHARS);
}

function stringAttribute(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}

function arrayAttribute(values: readonly string[]): MessageAttributeValue {
  return { DataType: 'String.Array', StringValue: JSON.stringify([...new Set(values)].sort()) };
}

function citationLines(entry: CatalogEntry): string[] {
  return entry.hipaa.map((citation) =>
    `  ${citation}  ${Object.hasOwn(HIPAA_CITATIONS, citation) ? HIPAA_CITATIONS[citation as HipaaCitation] : ''}`.trimEnd(),
  );
}

const TAG: Readonly<Record<TransitionKind, (severity: Severity) => string>> = {
  problem: (severity) => `[${severity}]`,
  unknown: (severity) => `[${severity}]`,
  resolved: () => '[RESOLVED]',
  closed: () => '[CLOSED]',
};

function phraseFor(kind: TransitionKind, entry: CatalogEntry): string {
  const problem = problemPhrase(entry);
  switch (kind) {
    case 'problem':
      return problem;
    case 'unknown':
      return `could not be checked (${entry.id})`;
    case 'resolved':
      return `fixed: no longer ${problem}`;
    case 'closed':
      return 'no longer evaluated';
  }
}

function whatLine(kind: TransitionKind, transition: RuleTransition, entry: CatalogEntry, subject: string): string {
  const was = transition.oldCompliance ?? 'not evaluated before';
  switch (kind) {
    case 'problem':
      return `${subject} is NON_COMPLIANT with rule ${entry.id} ("${entry.title}"), severity ${entry.severity}. It was ${was}.`;
    case 'unknown':
      return `${subject} could not be evaluated by rule ${entry.id} ("${entry.title}"). It was ${was}. Until it is, nobody knows whether it complies.`;
    case 'resolved':
      return `${subject} is COMPLIANT again with rule ${entry.id} ("${entry.title}"). It was ${was}. Nothing to do.`;
    case 'closed':
      return `${subject} is no longer evaluated by rule ${entry.id} ("${entry.title}"): deleted, out of scope or exempt (see why). It was ${was}; its finding is archived.`;
  }
}

/**
 * The alert for one transition, or undefined when the transition needs nobody (see the module note).
 * `attributes`: severity (the rule's), ruleId, accountId, compliance (the new value), transition.
 */
export function toAlert(transition: RuleTransition, entry: CatalogEntry, options: AlertOptions = {}): Alert | undefined {
  if (transition.ruleId !== entry.id) throw new Error(`transition of rule ${transition.ruleId} given with catalog entry ${entry.id}`);
  const kind = transitionKind(transition.oldCompliance, transition.newCompliance);
  if (kind === undefined) return undefined;
  const ref = {
    resourceType: transition.resourceType,
    resourceId: transition.resourceId,
    ...(options.resourceName !== undefined && { resourceName: options.resourceName }),
    accountId: transition.accountId,
    region: transition.region,
  };
  const label = resourceLabel(transition.resourceType);
  const name = displayName(ref);
  const subject = buildSubject({
    tag: TAG[kind](entry.severity),
    label,
    name,
    phrase: phraseFor(kind, entry),
    accountId: transition.accountId,
    ...(options.accountName !== undefined && { accountName: options.accountName }),
  });
  const linkRegion = transition.region === GLOBAL_REGION ? (options.globalRegion ?? 'us-east-1') : transition.region;
  const service = serviceConsoleUrl(ref, linkRegion);
  const why = alertAnnotation(transition.annotation);
  const lines = [
    'WHAT',
    whatLine(kind, transition, entry, `${label} ${oneLine(name)}`),
    '',
    'WHERE',
    `Account:   ${accountLabel(transition.accountId, options.accountName)}`,
    `Region:    ${transition.region}`,
    `Resource:  ${transition.resourceType} ${oneLine(transition.resourceId)}`,
    ...(service ? [`Console:   ${service}`] : []),
    `Config:    ${configConsoleUrl(ref, linkRegion)}`,
    '',
    'WHY',
    why,
    '',
    'HIPAA SECURITY RULE',
    ...citationLines(entry),
  ];
  if (kind === 'problem' || kind === 'unknown') {
    lines.push(
      '',
      'HOW TO FIX',
      entry.remediation.summary,
      ...entry.remediation.steps.map((step, i) => `  ${i + 1}. ${step}`),
      `More: ${entry.remediation.url}`,
    );
  }
  lines.push('', `Config recorded this result at ${transition.recordedAt} (Config rule ${transition.configRuleName}).`);
  return {
    subject,
    message: lines.join('\n'),
    attributes: {
      severity: stringAttribute(entry.severity),
      ruleId: stringAttribute(entry.id),
      accountId: stringAttribute(transition.accountId),
      compliance: stringAttribute(transition.newCompliance),
      transition: stringAttribute(kind),
    },
  };
}

export interface DigestItem {
  readonly transition: RuleTransition;
  readonly entry: CatalogEntry;
}

export interface DigestOptions {
  readonly accountName?: string;
  /** Names of the accounts in the digest (org-wide: their AWS Organizations names). */
  readonly accountNames?: Readonly<Record<string, string>>;
  /** @default MAX_MESSAGE_BYTES */
  readonly maxBytes?: number;
}

const SEVERITY_ORDER: readonly Severity[] = SEVERITIES;
const KIND_ORDER: readonly TransitionKind[] = ['problem', 'unknown', 'resolved', 'closed'];

function attributesBytes(attributes: Record<string, MessageAttributeValue>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

/**
 * One summary for many transitions (a burst: a new account onboarded, a policy change): counts by
 * kind, severity and rule, then one line per transition, worst first, cut so the message with its
 * attributes stays within SNS's 256 KB. Attributes are String.Array, so a filter policy on severity,
 * ruleId or accountId matches when any transition in the digest matches.
 */
export function buildDigest(items: readonly DigestItem[], options: DigestOptions = {}): Alert {
  const classified = items.flatMap((item) => {
    const kind = transitionKind(item.transition.oldCompliance, item.transition.newCompliance);
    return kind === undefined ? [] : [{ ...item, kind }];
  });
  classified.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      SEVERITY_ORDER.indexOf(a.entry.severity) - SEVERITY_ORDER.indexOf(b.entry.severity) ||
      a.entry.id.localeCompare(b.entry.id) ||
      a.transition.resourceId.localeCompare(b.transition.resourceId),
  );
  const byKind = new Map<TransitionKind, number>();
  const bySeverity = new Map<Severity, number>();
  const byRule = new Map<string, { problem: number; other: number }>();
  for (const item of classified) {
    byKind.set(item.kind, (byKind.get(item.kind) ?? 0) + 1);
    if (item.kind === 'problem' || item.kind === 'unknown') bySeverity.set(item.entry.severity, (bySeverity.get(item.entry.severity) ?? 0) + 1);
    const rule = byRule.get(item.entry.id) ?? { problem: 0, other: 0 };
    if (item.kind === 'problem' || item.kind === 'unknown') rule.problem++;
    else rule.other++;
    byRule.set(item.entry.id, rule);
  }
  const accounts = [...new Set(classified.map((item) => item.transition.accountId))].sort();
  const problems = (byKind.get('problem') ?? 0) + (byKind.get('unknown') ?? 0);
  const fixed = (byKind.get('resolved') ?? 0) + (byKind.get('closed') ?? 0);
  const worst = SEVERITY_ORDER.find((severity) => bySeverity.has(severity));
  const nameOf = (account: string): string | undefined => options.accountNames?.[account] ?? (accounts.length === 1 ? options.accountName : undefined);
  const where = accounts.length === 1 && accounts[0] !== undefined ? accountLabel(accounts[0], nameOf(accounts[0])) : `${accounts.length} accounts`;
  const subject = clipMiddle(
    oneLine(`[DIGEST${worst ? ` ${worst}` : ''}] ${classified.length} compliance changes: ${problems} new problems, ${fixed} fixed — ${where}`),
    MAX_SUBJECT_CHARS,
  );

  const attributes: Record<string, MessageAttributeValue> = {
    severity: arrayAttribute(classified.map((item) => item.entry.severity)),
    ruleId: arrayAttribute(classified.map((item) => item.entry.id)),
    accountId: arrayAttribute(accounts),
    compliance: arrayAttribute(classified.map((item) => item.transition.newCompliance)),
    transition: stringAttribute('digest'),
  };

  const header = [
    `${classified.length} compliance changes arrived together; this one message replaces ${classified.length} alerts.`,
    '',
    'BY CHANGE',
    ...KIND_ORDER.filter((kind) => byKind.has(kind)).map((kind) => `  ${kind.padEnd(9)} ${byKind.get(kind)}`),
    '',
    'NEW PROBLEMS BY SEVERITY',
    ...(bySeverity.size === 0 ? ['  none'] : SEVERITY_ORDER.filter((s) => bySeverity.has(s)).map((s) => `  ${s.padEnd(13)} ${bySeverity.get(s)}`)),
    '',
    'BY RULE (new problems / fixed or closed)',
    ...[...byRule.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([rule, c]) => `  ${rule}: ${c.problem} / ${c.other}`),
    '',
    'ACCOUNTS',
    ...accounts.map((account) => `  ${accountLabel(account, nameOf(account))}`),
    '',
    'CHANGES (worst first)',
  ];
  const budget = (options.maxBytes ?? MAX_MESSAGE_BYTES) - attributesBytes(attributes) - Buffer.byteLength(subject) - 512;
  const out = [...header];
  let bytes = Buffer.byteLength(out.join('\n'));
  let listed = 0;
  for (const item of classified) {
    const t = item.transition;
    const line = `  [${item.kind === 'problem' || item.kind === 'unknown' ? item.entry.severity : item.kind.toUpperCase()}] ${t.newCompliance} ${item.entry.id} ${t.resourceType} ${oneLine(t.resourceId)} ${t.accountId}/${t.region}${t.annotation ? `: ${alertAnnotation(t.annotation)}` : ''}`;
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > budget - 200) break;
    out.push(line);
    bytes += size;
    listed++;
  }
  if (listed < classified.length) out.push(`  … and ${classified.length - listed} more: see Security Hub, findings of product "Clinic Compliance Monitor".`);
  out.push('', 'Each change is also a Security Hub finding with its HIPAA citations and remediation steps.');
  return { subject, message: out.join('\n'), attributes };
}
