/**
 * One evaluation → one ASFF finding, as a pure function: the Lambdas, the notifier and the offline
 * `--format asff` all call it, so a finding looks the same wherever it was made.
 *
 * Field names, enums and limits follow the SDK's `AwsSecurityFinding` and docs/aws-semantics.md ("Security Hub findings"); the tests
 * compare them with AWS's own sample findings.
 */
import { createHash } from 'node:crypto';
import type { AwsSecurityFinding, ComplianceStatus, RecordState, SeverityLabel } from '@aws-sdk/client-securityhub';
import type { CatalogEntry } from '../../rules/catalog.js';
import { HIPAA_CITATIONS, type HipaaCitation } from '../../rules/mapping.js';
import type { Compliance, Evaluation } from '../../rules/types.js';
import {
  asffResourceType,
  configConsoleUrl,
  displayName,
  GLOBAL_REGION,
  partitionOf,
  resourceArn,
  resourceLabel,
  type Partition,
} from '../shared/resources.js';

export const SCHEMA_VERSION = '2018-10-08';
export const PRODUCT_NAME = 'Clinic Compliance Monitor';
export const FINDING_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls';
const PATCH_TYPE = 'Software and Configuration Checks/Patch Management';
/** Where findings about IAM users (Region `global`) go unless told otherwise. */
export const DEFAULT_GLOBAL_REGION = 'us-east-1';

export const LIMITS = {
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  productFieldKey: 128,
  productFieldValue: 2048,
  productFields: 50,
  types: 50,
  resources: 32,
  relatedRequirements: 32,
  resourceType: 256,
} as const;

export interface ToFindingOptions {
  /**
   * When this result was recorded: becomes `UpdatedAt`. Use the evaluation or import time, never a
   * configuration item's capture time, which does not move when a periodic run re-confirms a result.
   */
  readonly now: Date;
  /**
   * The account that imports the finding (its default product). With the default product ARN it must
   * be the calling account (docs/aws-semantics.md, "Security Hub findings"), so it is also `AwsAccountId`.
   * @default the evaluation's account
   */
  readonly productAccountId?: string;
  /** @default derived from the Region (cn-… → aws-cn, us-gov-… → aws-us-gov, else aws) */
  readonly partition?: Partition;
  /**
   * The Region whose Security Hub receives the finding (the ProductArn's Region).
   * @default the evaluation's Region; for Region `global` (IAM) {@link DEFAULT_GLOBAL_REGION}
   */
  readonly productRegion?: string;
  /** The resource's ARN when the caller knows it (a configuration item's `ARN`). */
  readonly resourceArn?: string;
  /**
   * The finding as last imported, when the caller knows it: keeps CreatedAt and FirstObservedAt, and
   * UpdatedAt is made later than its UpdatedAt (Security Hub ignores an update that is not newer).
   */
  readonly previous?: Pick<AwsSecurityFinding, 'CreatedAt' | 'UpdatedAt' | 'FirstObservedAt'>;
}

interface StatusMapping {
  readonly status: ComplianceStatus;
  readonly record: RecordState;
}

/** NOT_APPLICABLE means deleted, out of scope or exempt: the finding is archived, not deleted. */
const STATUS: Readonly<Record<Compliance, StatusMapping>> = {
  COMPLIANT: { status: 'PASSED', record: 'ACTIVE' },
  NON_COMPLIANT: { status: 'FAILED', record: 'ACTIVE' },
  INSUFFICIENT_DATA: { status: 'NOT_AVAILABLE', record: 'ACTIVE' },
  NOT_APPLICABLE: { status: 'NOT_AVAILABLE', record: 'ARCHIVED' },
};

export function complianceStatus(evaluation: Pick<Evaluation, 'compliance' | 'error'>): StatusMapping {
  return evaluation.error ? STATUS.INSUFFICIENT_DATA : STATUS[evaluation.compliance];
}

/** Cuts to `max` characters, marking the cut; collapses whitespace so titles stay on one line. */
export function clip(text: string, max: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length <= max ? single : `${single.slice(0, max - 1)}…`;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * `ccm/<account>/<region>/<ruleId>/<resourceType>/<resourceId>`: the same evaluation always updates the
 * same finding. Over 512 characters the tail becomes a SHA-256 of the whole id, still deterministic.
 */
export function findingId(evaluation: Pick<Evaluation, 'accountId' | 'region' | 'ruleId' | 'resourceType' | 'resourceId'>): string {
  const id = `ccm/${evaluation.accountId}/${evaluation.region}/${evaluation.ruleId}/${evaluation.resourceType}/${evaluation.resourceId}`;
  if (id.length <= LIMITS.id) return id;
  const digest = sha256(id);
  return `${id.slice(0, LIMITS.id - digest.length - 1)}~${digest}`;
}

export function productArn(partition: Partition, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

export function hipaaRequirement(citation: string): string {
  return `HIPAA Security Rule ${citation}`;
}

function citationTitle(citation: string): string {
  return Object.hasOwn(HIPAA_CITATIONS, citation) ? HIPAA_CITATIONS[citation as HipaaCitation] : citation;
}

/** A later instant than both `now` and the previous UpdatedAt: Security Hub drops updates that are not newer. */
function advancingTimestamp(now: Date, previous: string | undefined): string {
  const previousMs = previous === undefined ? Number.NaN : Date.parse(previous);
  const ms = Number.isNaN(previousMs) ? now.getTime() : Math.max(now.getTime(), previousMs + 1);
  return new Date(ms).toISOString();
}

function validIso(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function earlier(a: string, b: string): string {
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

function statusPhrase(status: ComplianceStatus, record: RecordState): string {
  if (record === 'ARCHIVED') return 'no longer evaluated';
  return { PASSED: 'passes', FAILED: 'fails', NOT_AVAILABLE: 'could not be evaluated', WARNING: 'warning' }[status];
}

function productFields(evaluation: Evaluation, entry: CatalogEntry, awsAccountId: string): Record<string, string> {
  const fields: Record<string, string> = {
    ProviderName: PRODUCT_NAME,
    'ccm/RuleId': entry.id,
    'ccm/RuleTitle': entry.title,
    'ccm/ResourceType': evaluation.resourceType,
    'ccm/ResourceId': evaluation.resourceId,
    'ccm/ConfigCompliance': evaluation.error ? 'INSUFFICIENT_DATA' : evaluation.compliance,
    'ccm/Area': entry.area,
    'ccm/HipaaCitations': entry.hipaa.join(', '),
  };
  if (evaluation.resourceName !== undefined && evaluation.resourceName !== evaluation.resourceId) fields['ccm/ResourceName'] = evaluation.resourceName;
  if (evaluation.accountId !== awsAccountId) fields['ccm/ResourceAccountId'] = evaluation.accountId;
  if (evaluation.region !== GLOBAL_REGION) fields['ccm/ResourceRegion'] = evaluation.region;
  if (entry.awsManagedRule) fields['ccm/AwsManagedRule'] = entry.awsManagedRule;
  if (entry.securityHubControls.length > 0) fields['ccm/SecurityHubControls'] = entry.securityHubControls.join(', ');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields).slice(0, LIMITS.productFields)) {
    if (value !== '') out[key.slice(0, LIMITS.productFieldKey)] = clip(value, LIMITS.productFieldValue);
  }
  return out;
}

function recommendation(entry: CatalogEntry): string {
  const steps = entry.remediation.steps.map((step, i) => `${i + 1}. ${step}`).join(' ');
  return clip(`${entry.remediation.summary} ${steps}`, LIMITS.recommendationText);
}

export function toFinding(evaluation: Evaluation, entry: CatalogEntry, options: ToFindingOptions): AwsSecurityFinding {
  if (evaluation.ruleId !== entry.id) throw new Error(`evaluation of rule ${evaluation.ruleId} given with catalog entry ${entry.id}`);
  if (!/^\d{12}$/.test(evaluation.accountId))
    throw new Error(`evaluation.accountId must be a 12-digit account id, got ${JSON.stringify(evaluation.accountId)}`);
  const account = options.productAccountId ?? evaluation.accountId;
  if (!/^\d{12}$/.test(account)) throw new Error(`productAccountId must be a 12-digit account id, got ${JSON.stringify(account)}`);
  const region = options.productRegion ?? (evaluation.region === GLOBAL_REGION ? DEFAULT_GLOBAL_REGION : evaluation.region);
  const partition = options.partition ?? partitionOf(region);
  const { status, record } = complianceStatus(evaluation);
  const active = record === 'ACTIVE' && status !== 'PASSED';
  // Passed and archived findings are informational, as Security Hub does for its own controls; Original keeps the rule's severity.
  const severity: { Label: SeverityLabel; Original: string } = { Label: active ? entry.severity : 'INFORMATIONAL', Original: entry.severity };
  const types = entry.area === 'patching' ? [FINDING_TYPE, PATCH_TYPE] : [FINDING_TYPE];

  const updatedAt = advancingTimestamp(options.now, options.previous?.UpdatedAt);
  const observedAt = earlier(validIso(evaluation.orderingTimestamp) ?? updatedAt, updatedAt);
  const createdAt = earlier(validIso(options.previous?.CreatedAt) ?? updatedAt, updatedAt);
  const firstObservedAt = earlier(validIso(options.previous?.FirstObservedAt) ?? observedAt, observedAt);

  const ref = evaluation;
  const label = resourceLabel(evaluation.resourceType);
  const name = displayName(ref);
  const asffType = asffResourceType(evaluation.resourceType);
  const resourceId =
    options.resourceArn ?? resourceArn(ref, { partition, region: evaluation.region === GLOBAL_REGION ? region : evaluation.region }) ?? evaluation.resourceId;
  const resourceRegion = evaluation.region === GLOBAL_REGION ? region : evaluation.region;

  const hipaa = entry.hipaa.map((citation) => `${citation} (${citationTitle(citation)})`).join(', ');
  return {
    SchemaVersion: SCHEMA_VERSION,
    Id: findingId(evaluation),
    ProductArn: productArn(partition, region, account),
    ProductName: PRODUCT_NAME,
    CompanyName: PRODUCT_NAME,
    GeneratorId: entry.id,
    AwsAccountId: account,
    Types: types,
    FirstObservedAt: firstObservedAt,
    LastObservedAt: observedAt,
    CreatedAt: createdAt,
    UpdatedAt: updatedAt,
    Severity: severity,
    Title: clip(`${entry.title}: ${label} ${name} ${statusPhrase(status, record)}`, LIMITS.title),
    Description: clip(`${evaluation.annotation} Rule ${entry.id}: ${entry.description} HIPAA: ${hipaa}.`, LIMITS.description),
    Remediation: { Recommendation: { Text: recommendation(entry), Url: entry.remediation.url } },
    SourceUrl: configConsoleUrl(ref, resourceRegion),
    ProductFields: productFields(evaluation, entry, account),
    Resources: [
      {
        Type: asffType,
        Id: resourceId,
        Partition: partition,
        Region: resourceRegion,
        ...(asffType === 'Other' && {
          Details: { Other: { ConfigResourceType: evaluation.resourceType, ConfigResourceId: clip(evaluation.resourceId, 1024) } },
        }),
      },
    ],
    Compliance: { Status: status, RelatedRequirements: entry.hipaa.slice(0, LIMITS.relatedRequirements).map(hipaaRequirement) },
    RecordState: record,
    FindingProviderFields: { Severity: { ...severity }, Types: [...types] },
  };
}
