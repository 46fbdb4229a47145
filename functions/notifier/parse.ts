/** The notifier's first stage: each SQS record to a transition of our rules and its Security Hub finding. */
import type { SQSRecord } from 'aws-lambda';
import { getRule } from '../../rules/catalog.js';
import {
  asRuleTransition,
  ComplianceChangeEventError,
  evaluationFromTransition,
  parseComplianceChange,
  type RuleTransition,
} from '../alerts/compliance-change.js';
import { toFinding } from '../findings/to-finding.js';
import type { BatchFailures, Parsed } from './batch.js';

export interface ParseOptions {
  /** Config rules are named `<prefix><ruleId>`: changes of other rules are ignored. */
  readonly configRulePrefix: string;
  /** The account whose default product imports the transition's finding. */
  readonly productAccountId: (transition: RuleTransition) => string | undefined;
  /** The Region whose Security Hub receives findings. */
  readonly productRegion?: string;
}

export interface ParsedBatch {
  readonly transitions: Parsed[];
  readonly malformed: number;
  /** Changes of rules that are not ours. */
  readonly ignored: number;
}

/** A malformed record fails alone, naming the field; the others go on. */
export function parseRecords(records: readonly SQSRecord[], options: ParseOptions, failures: BatchFailures): ParsedBatch {
  const transitions: Parsed[] = [];
  let malformed = 0;
  let ignored = 0;
  for (const record of records) {
    const outcome = parseRecord(record, options);
    if (outcome === undefined) ignored++;
    else if ('malformed' in outcome) {
      malformed++;
      failures.fail(record, outcome.malformed);
    } else transitions.push(outcome);
  }
  return { transitions, malformed, ignored };
}

/** One record: a transition of our rules, undefined for another rule's change, or why it is malformed. */
export function parseRecord(record: SQSRecord, options: ParseOptions): Parsed | undefined | { readonly malformed: string } {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    return { malformed: 'record body is not JSON' };
  }
  try {
    const transition = asRuleTransition(parseComplianceChange(body), options.configRulePrefix);
    if (transition === undefined) return undefined;
    const entry = getRule(transition.ruleId);
    const productAccountId = options.productAccountId(transition);
    const finding = toFinding(evaluationFromTransition(transition, entry), entry, {
      now: new Date(transition.recordedAt),
      ...(productAccountId !== undefined && { productAccountId }),
      ...(options.productRegion !== undefined && { productRegion: options.productRegion }),
    });
    return { record, transition, entry, finding };
  } catch (error) {
    return {
      malformed:
        error instanceof ComplianceChangeEventError ? error.message : `cannot map the event: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
