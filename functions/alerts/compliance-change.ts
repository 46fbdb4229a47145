/**
 * The EventBridge "Config Rules Compliance Change" event, validated into a typed transition (old and
 * new compliance of one resource under one rule). Shape: AWS's documented example
 * (test/fixtures/events/config-rules-compliance-change.json) and the variations real events show:
 * `detail.resourceType` only in newer events, `oldEvaluationResult` absent on a first evaluation,
 * `annotation` absent, null or text, `evaluationMode` in newer qualifiers.
 */
import * as z from 'zod/mini';
import { CATALOG, type CatalogEntry, type RuleId } from '../../rules/catalog.js';
import { clampAnnotation } from '../../rules/engine.js';
import type { Compliance, Evaluation } from '../../rules/types.js';

export const DETAIL_TYPE = 'Config Rules Compliance Change';
export const DEFAULT_RULE_PREFIX = 'ccm-';

const timestamp = z
  .string({ error: 'expected an ISO-8601 timestamp' })
  .check(z.refine((text) => !Number.isNaN(Date.parse(text)), { message: 'expected an ISO-8601 timestamp' }));
const nonEmpty = z.string({ error: 'expected a non-empty string' }).check(z.minLength(1, 'expected a non-empty string'));
const accountId = z.string({ error: 'expected a 12-digit account id' }).check(z.regex(/^\d{12}$/, 'expected a 12-digit account id'));
const complianceType = z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'], {
  error: 'expected COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE or INSUFFICIENT_DATA',
});
const asObject = { error: 'expected an object' };

const evaluationResult = z.object(
  {
    evaluationResultIdentifier: z.object(
      {
        evaluationResultQualifier: z.object(
          {
            configRuleName: nonEmpty,
            resourceType: nonEmpty,
            resourceId: nonEmpty,
            evaluationMode: z.optional(z.string()),
          },
          asObject,
        ),
        orderingTimestamp: timestamp,
      },
      asObject,
    ),
    complianceType,
    resultRecordedTime: timestamp,
    configRuleInvokedTime: z.optional(timestamp),
    annotation: z.nullish(z.string({ error: 'expected text or null' })),
  },
  asObject,
);

const complianceChangeEvent = z.object(
  {
    id: nonEmpty,
    'detail-type': z.literal(DETAIL_TYPE, { error: `expected "${DETAIL_TYPE}"` }),
    source: z.literal('aws.config', { error: 'expected "aws.config"' }),
    account: accountId,
    time: timestamp,
    region: nonEmpty,
    detail: z.object(
      {
        messageType: z.literal('ComplianceChangeNotification', { error: 'expected "ComplianceChangeNotification"' }),
        configRuleName: nonEmpty,
        configRuleARN: z.optional(z.string()),
        resourceId: nonEmpty,
        resourceType: z.optional(z.string()),
        awsAccountId: accountId,
        awsRegion: nonEmpty,
        newEvaluationResult: evaluationResult,
        oldEvaluationResult: z.nullish(evaluationResult),
        notificationCreationTime: z.optional(timestamp),
      },
      asObject,
    ),
  },
  asObject,
);

export type ComplianceChangeEvent = z.infer<typeof complianceChangeEvent>;

/** One resource's move from one compliance to another under one Config rule. */
export interface ComplianceTransition {
  /** The EventBridge event id. */
  readonly eventId: string;
  readonly configRuleName: string;
  readonly configRuleArn?: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly accountId: string;
  readonly region: string;
  /** Absent on the resource's first evaluation under the rule. */
  readonly oldCompliance?: Compliance;
  readonly newCompliance: Compliance;
  readonly annotation?: string;
  /** The new result's ordering timestamp: the configuration capture time or the periodic run. */
  readonly orderingTimestamp: string;
  /** When Config recorded the new result: increases with every result for this resource and rule. */
  readonly recordedAt: string;
  readonly eventTime: string;
}

/** A transition of one of our rules. */
export interface RuleTransition extends ComplianceTransition {
  readonly ruleId: RuleId;
}

export class ComplianceChangeEventError extends Error {
  constructor(
    /** Dotted path of the first offending field, `(event)` for the whole event. */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ComplianceChangeEventError';
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(event)' : path.map(String).join('.');
}

/**
 * Validates an EventBridge compliance-change event. Errors name the field and what was expected,
 * never the value (an annotation or a resource name is not repeated into logs).
 */
export function parseComplianceChange(event: unknown): ComplianceTransition {
  const parsed = complianceChangeEvent.safeParse(event);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues[0];
    const field = first === undefined ? '(event)' : pathOf(first.path);
    const text = issues
      .slice(0, 3)
      .map((issue) => `${pathOf(issue.path)}: ${issue.message}`)
      .join('; ');
    throw new ComplianceChangeEventError(
      field,
      `not a Config Rules Compliance Change event: ${text}${issues.length > 3 ? `; and ${issues.length - 3} more` : ''}`,
    );
  }
  const { detail } = parsed.data;
  const next = detail.newEvaluationResult;
  const qualifier = next.evaluationResultIdentifier.evaluationResultQualifier;
  if (qualifier.resourceId !== detail.resourceId) {
    throw new ComplianceChangeEventError(
      'detail.newEvaluationResult.evaluationResultIdentifier.evaluationResultQualifier.resourceId',
      'differs from detail.resourceId',
    );
  }
  if (detail.resourceType !== undefined && detail.resourceType !== qualifier.resourceType) {
    throw new ComplianceChangeEventError('detail.resourceType', 'differs from the evaluation result qualifier resourceType');
  }
  const annotation = next.annotation?.replace(/\s+/g, ' ').trim();
  return {
    eventId: parsed.data.id,
    configRuleName: detail.configRuleName,
    ...(detail.configRuleARN !== undefined && { configRuleArn: detail.configRuleARN }),
    resourceType: qualifier.resourceType,
    resourceId: detail.resourceId,
    accountId: detail.awsAccountId,
    region: detail.awsRegion,
    ...(detail.oldEvaluationResult && { oldCompliance: detail.oldEvaluationResult.complianceType }),
    newCompliance: next.complianceType,
    ...(annotation && { annotation }),
    orderingTimestamp: next.evaluationResultIdentifier.orderingTimestamp,
    recordedAt: next.resultRecordedTime,
    eventTime: parsed.data.time,
  };
}

const KNOWN = new Set<string>(CATALOG.map((entry) => entry.id));

/** Organization rules appear in member accounts as `OrgConfigRule-<name>-<suffix>`. */
const ORG_COPY = /^OrgConfigRule-(.+)-[A-Za-z0-9]+$/;

/**
 * Our rule id from a Config rule name: `<prefix><ruleId>` as the stack names them, also inside an
 * organization rule's member copy. Undefined for any other rule (not ours: ignore the event).
 */
export function ruleIdFromConfigRuleName(name: string, prefix = DEFAULT_RULE_PREFIX): RuleId | undefined {
  const candidates = [name];
  const org = ORG_COPY.exec(name);
  if (org?.[1] !== undefined) candidates.push(org[1]);
  for (const candidate of candidates) {
    if (!candidate.startsWith(prefix)) continue;
    const id = candidate.slice(prefix.length);
    if (KNOWN.has(id)) return id as RuleId;
  }
  return undefined;
}

export function asRuleTransition(transition: ComplianceTransition, prefix = DEFAULT_RULE_PREFIX): RuleTransition | undefined {
  const ruleId = ruleIdFromConfigRuleName(transition.configRuleName, prefix);
  return ruleId === undefined ? undefined : { ...transition, ruleId };
}

/** The evaluation a transition reports, in the shape every sink maps from (the finding, mainly). */
export function evaluationFromTransition(transition: RuleTransition, entry: CatalogEntry): Evaluation {
  if (transition.ruleId !== entry.id) throw new Error(`transition of rule ${transition.ruleId} given with catalog entry ${entry.id}`);
  return {
    ruleId: entry.id,
    resourceType: transition.resourceType,
    resourceId: transition.resourceId,
    accountId: transition.accountId,
    region: transition.region,
    compliance: transition.newCompliance,
    annotation: clampAnnotation(transition.annotation ?? `AWS Config reported ${transition.newCompliance} without an annotation.`),
    severity: entry.severity,
    hipaa: entry.hipaa,
    orderingTimestamp: transition.orderingTimestamp,
  };
}
