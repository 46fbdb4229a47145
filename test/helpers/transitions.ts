/** Archived compliance transitions, as the notifier writes them to the evidence archive (one JSON line each). */
import type { TransitionRecord } from '../../functions/evidence/transitions.js';

type Decisive = Pick<TransitionRecord, 'eventId' | 'resourceId' | 'oldCompliance' | 'newCompliance' | 'recordedAt'>;

/** An EBS volume's encryption verdict changing in us-east-1 of 111122223333, ordered by its recording time; any field overridable. */
export function volumeTransition(fields: Decisive & Partial<TransitionRecord>): TransitionRecord {
  return {
    schemaVersion: 1,
    ruleId: 'ebs-volume-encrypted',
    configRuleName: 'ccm-ebs-volume-encrypted',
    severity: 'HIGH',
    resourceType: 'AWS::EC2::Volume',
    accountId: '111122223333',
    region: 'us-east-1',
    orderingTimestamp: fields.recordedAt,
    ...fields,
  };
}
