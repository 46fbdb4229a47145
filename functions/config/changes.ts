/**
 * Put only what changed. Config keeps every result until a later evaluation of the same resource
 * replaces it (or the results or the rule are deleted), and bills every evaluation it records
 * (docs/aws-semantics.md, "Config rule results"): a periodic run that re-states a verdict Config
 * already holds pays for nothing. The same verdict is the same compliance (as sent: INSUFFICIENT_DATA
 * goes as NON_COMPLIANT) and the same reason, the annotation without its figures (stableReason).
 */
import { stableReason } from '../../rules/verdicts.js';
import type { Evaluation } from '../../rules/types.js';
import type { PreviousResult } from './adapter.js';
import { toConfigEvaluation } from './evaluations.js';

/** Days after which an unchanged result is put again anyway (settings `periodicRestateDays`). */
export const DEFAULT_RESTATE_DAYS = 30;
/** Security Hub deletes a finding 90 days after its last update, Config's copies of our results included. */
export const MAX_RESTATE_DAYS = 89;
const DAY_MS = 86_400_000;
/** Config's schedule drifts by minutes: a result recorded just under N days ago is due on the run nearest N days, not a run later. */
const RESTATE_MARGIN_MS = 3_600_000;

export interface ChangeOptions {
  readonly now: Date;
  /** Re-state an unchanged COMPLIANT or NON_COMPLIANT result older than this; 0: never. */
  readonly restateDays: number;
}

export interface Changes {
  /** What must go to Config: new resources, changed verdicts, retirements, and re-statements due. */
  readonly put: Evaluation[];
  /** Verdicts Config already holds (or a NOT_APPLICABLE with nothing to replace): not put. */
  readonly unchanged: number;
  /** Unchanged verdicts put again because their stored result was older than restateDays. */
  readonly restated: number;
}

const key = (resourceType: string, resourceId: string) => `${resourceType}\u0000${resourceId}`;

function restatementDue(stored: PreviousResult, options: ChangeOptions): boolean {
  if (options.restateDays === 0) return false;
  if (stored.recordedAt === undefined) return true;
  return options.now.getTime() - stored.recordedAt.getTime() >= options.restateDays * DAY_MS - RESTATE_MARGIN_MS;
}

/**
 * The evaluations to put, given what Config holds for the rule. A NOT_APPLICABLE verdict is put only
 * to replace a result Config holds: alone it records nothing lasting (Config marks NOT_APPLICABLE
 * results for deletion), so it is never re-stated either.
 */
export function changedOnly(evaluations: readonly Evaluation[], stored: readonly PreviousResult[], options: ChangeOptions): Changes {
  const held = new Map<string, PreviousResult>();
  for (const result of stored) held.set(key(result.resourceType, result.resourceId), result);
  const put: Evaluation[] = [];
  let unchanged = 0;
  let restated = 0;
  for (const evaluation of evaluations) {
    const previous = held.get(key(evaluation.resourceType, evaluation.resourceId));
    const sent = toConfigEvaluation(evaluation);
    if (previous === undefined) {
      if (sent.ComplianceType === 'NOT_APPLICABLE') unchanged++;
      else put.push(evaluation);
      continue;
    }
    const same = previous.compliance === sent.ComplianceType && stableReason(previous.annotation ?? '') === stableReason(sent.Annotation ?? '');
    if (!same) put.push(evaluation);
    else if (previous.compliance !== 'NOT_APPLICABLE' && restatementDue(previous, options)) {
      put.push(evaluation);
      restated++;
    } else unchanged++;
  }
  return { put, unchanged, restated };
}
