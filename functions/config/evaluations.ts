/** Our evaluations in the shape of Config's PutEvaluations (docs/aws-semantics.md, "Config rule events"). */
import type { Evaluation as ConfigEvaluation } from '@aws-sdk/client-config-service';
import { clampAnnotation } from '../../rules/engine.js';
import type { Evaluation } from '../../rules/types.js';

/**
 * PutEvaluations rejects INSUFFICIENT_DATA. A resource the rule could not evaluate is reported
 * NON_COMPLIANT with the reason: failing closed shows the gap, where NOT_APPLICABLE would hide it.
 */
export function toConfigEvaluation(evaluation: Evaluation): ConfigEvaluation {
  const compliance = evaluation.compliance === 'INSUFFICIENT_DATA' ? 'NON_COMPLIANT' : evaluation.compliance;
  const annotation = clampAnnotation(evaluation.annotation);
  return {
    ComplianceResourceType: evaluation.resourceType,
    ComplianceResourceId: evaluation.resourceId,
    ComplianceType: compliance,
    OrderingTimestamp: new Date(evaluation.orderingTimestamp),
    ...(annotation !== '' && { Annotation: annotation }),
  };
}
