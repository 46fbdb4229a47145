import { toConfigEvaluation } from '../../../functions/config/evaluations.js';
import { selectExpression } from '../../../functions/config/adapter.js';
import type { Evaluation } from '../../../rules/types.js';

const base: Evaluation = {
  ruleId: 'ebs-volume-encrypted',
  resourceType: 'AWS::EC2::Volume',
  resourceId: 'vol-1',
  accountId: '111122223333',
  region: 'us-east-1',
  compliance: 'COMPLIANT',
  annotation: 'EBS volume is encrypted.',
  severity: 'HIGH',
  hipaa: ['164.312(a)(2)(iv)'],
  orderingTimestamp: '2026-11-28T10:00:00.000Z',
};

describe('toConfigEvaluation', () => {
  test('maps every field PutEvaluations requires', () => {
    expect(toConfigEvaluation(base)).toEqual({
      ComplianceResourceType: 'AWS::EC2::Volume',
      ComplianceResourceId: 'vol-1',
      ComplianceType: 'COMPLIANT',
      Annotation: 'EBS volume is encrypted.',
      OrderingTimestamp: new Date('2026-11-28T10:00:00.000Z'),
    });
  });

  test('INSUFFICIENT_DATA, which PutEvaluations rejects, is sent as NON_COMPLIANT', () => {
    expect(toConfigEvaluation({ ...base, compliance: 'INSUFFICIENT_DATA', error: true }).ComplianceType).toBe('NON_COMPLIANT');
  });

  test('an annotation over 256 characters is cut with a visible marker', () => {
    const annotation = toConfigEvaluation({ ...base, annotation: 'a'.repeat(400) }).Annotation ?? '';
    expect(annotation).toHaveLength(256);
    expect(annotation).toMatch(/ \[truncated\]$/);
  });

  test('an empty annotation is omitted, not sent empty (Config rejects length 0)', () => {
    expect(toConfigEvaluation({ ...base, annotation: '  ' })).not.toHaveProperty('Annotation');
  });
});

describe('selectExpression', () => {
  test('selects whole items of the given types', () => {
    expect(selectExpression(['AWS::EC2::Volume', 'AWS::S3::Bucket'])).toMatch(
      /^SELECT .*configuration, supplementaryConfiguration WHERE resourceType IN \('AWS::EC2::Volume', 'AWS::S3::Bucket'\)$/,
    );
  });

  test('refuses anything that is not a resource type (no query injection)', () => {
    expect(() => selectExpression(["AWS::EC2::Volume') OR ('1'='1"])).toThrow(/not a resource type/);
  });
});
