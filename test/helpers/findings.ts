/** Findings as our notifier stored them in Security Hub, for the refresher tests. */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { toFinding } from '../../functions/findings/to-finding.js';
import { getRule } from '../../rules/catalog.js';

/** An unencrypted-volume finding of `accountId`, last updated at `updatedAt` and still failing. */
export function failingVolumeFinding(accountId: string, updatedAt: Date, resourceId = 'vol-0a11e4c5d6e7f8103'): AwsSecurityFinding {
  return toFinding(
    {
      ruleId: 'ebs-volume-encrypted',
      resourceType: 'AWS::EC2::Volume',
      resourceId,
      accountId,
      region: 'us-east-1',
      compliance: 'NON_COMPLIANT',
      annotation: 'EBS volume is not encrypted (encrypted = false).',
      severity: 'HIGH',
      hipaa: ['164.312(a)(2)(iv)'],
      orderingTimestamp: updatedAt.toISOString(),
    },
    getRule('ebs-volume-encrypted'),
    { now: updatedAt },
  );
}
