import { getRule } from '../../../rules/catalog.js';
import {
  asRuleTransition,
  ComplianceChangeEventError,
  evaluationFromTransition,
  parseComplianceChange,
  ruleIdFromConfigRuleName,
} from '../../../functions/alerts/compliance-change.js';
import { changeFromEvaluation, complianceChange, documentedComplianceChange } from '../../helpers/compliance-events.js';
import { evaluate } from '../../helpers/rules.js';
import { itemFrom, SAMPLE } from '../../helpers/samples.js';

type Json = Record<string, unknown>;

function errorOf(event: unknown): ComplianceChangeEventError {
  try {
    parseComplianceChange(event);
  } catch (error) {
    if (error instanceof ComplianceChangeEventError) return error;
    throw error;
  }
  throw new Error('expected a ComplianceChangeEventError');
}

describe('parseComplianceChange', () => {
  test("AWS's documented example becomes a transition NON_COMPLIANT → COMPLIANT", () => {
    expect(parseComplianceChange(documentedComplianceChange())).toEqual({
      eventId: '11fd05dd-47e1-5523-bc01-55b988bb9478',
      configRuleName: 'cloudtrail-enabled',
      configRuleArn: 'arn:aws:config:us-east-2:123456789012:config-rule/config-rule-9rpvxc',
      resourceType: 'AWS::::Account',
      resourceId: '123456789012',
      accountId: '123456789012',
      region: 'us-east-2',
      oldCompliance: 'NON_COMPLIANT',
      newCompliance: 'COMPLIANT',
      orderingTimestamp: '2016-09-27T19:48:40.619Z',
      recordedAt: '2016-09-27T19:48:41.405Z',
      eventTime: '2016-09-27T19:48:42Z',
    });
  });

  test('it is not one of our rules, so it is not a rule transition', () => {
    expect(asRuleTransition(parseComplianceChange(documentedComplianceChange()))).toBeUndefined();
  });

  test('an event built from one of our evaluations maps back to it', () => {
    const evaluation = evaluate('ebs-volume-encrypted', itemFrom(SAMPLE.volume, { configuration: { encrypted: false } }));
    const transition = asRuleTransition(parseComplianceChange(changeFromEvaluation(evaluation, 'COMPLIANT')));
    expect(transition).toMatchObject({
      ruleId: 'ebs-volume-encrypted',
      oldCompliance: 'COMPLIANT',
      newCompliance: 'NON_COMPLIANT',
      annotation: evaluation.annotation,
    });
    if (transition === undefined) throw new Error('not ours');
    expect(evaluationFromTransition(transition, getRule('ebs-volume-encrypted'))).toEqual(evaluation);
  });

  test('older events without detail.resourceType take it from the result qualifier', () => {
    const event = documentedComplianceChange();
    delete (event.detail as Json).resourceType;
    expect(parseComplianceChange(event).resourceType).toBe('AWS::::Account');
  });

  test('a first evaluation has no oldEvaluationResult: no old compliance', () => {
    const event = complianceChange({
      configRuleName: 'ccm-ebs-volume-encrypted',
      resourceType: 'AWS::EC2::Volume',
      resourceId: 'vol-1',
      newCompliance: 'NON_COMPLIANT',
    });
    expect(parseComplianceChange(event)).not.toHaveProperty('oldCompliance');
  });

  test('an annotation starting with a line break is kept on one line; an empty one is dropped', () => {
    const spec = { configRuleName: 'ccm-ebs-volume-encrypted', resourceType: 'AWS::EC2::Volume', resourceId: 'vol-1', newCompliance: 'NON_COMPLIANT' } as const;
    expect(parseComplianceChange(complianceChange({ ...spec, annotation: '\nEBS volume is not encrypted.' })).annotation).toBe('EBS volume is not encrypted.');
    expect(parseComplianceChange(complianceChange({ ...spec, annotation: ' ' }))).not.toHaveProperty('annotation');
  });

  test.each([
    ['the wrong detail-type', (e: Json) => void (e['detail-type'] = 'Config Configuration Item Change'), 'detail-type'],
    ['no new result', (e: Json) => void delete (e.detail as Json).newEvaluationResult, 'detail.newEvaluationResult'],
    [
      'an unknown compliance type',
      (e: Json) => void (((e.detail as Json).newEvaluationResult as Json).complianceType = 'MAYBE'),
      'detail.newEvaluationResult.complianceType',
    ],
    ['a bad account id', (e: Json) => void ((e.detail as Json).awsAccountId = '12345'), 'detail.awsAccountId'],
    [
      'a bad timestamp',
      (e: Json) => void (((e.detail as Json).newEvaluationResult as Json).resultRecordedTime = 'yesterday'),
      'detail.newEvaluationResult.resultRecordedTime',
    ],
    ['another message type', (e: Json) => void ((e.detail as Json).messageType = 'ConfigurationItemChangeNotification'), 'detail.messageType'],
  ])('a malformed event (%s) is rejected naming the field', (_name, mutate, field) => {
    const event = documentedComplianceChange();
    mutate(event);
    const error = errorOf(event);
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  test('something that is not an event at all names the whole event', () => {
    expect(errorOf('just text').field).toBe('(event)');
    expect(errorOf(null).message).toMatch(/^not a Config Rules Compliance Change event: \(event\): /);
  });

  test('errors never repeat field values (an annotation could name a resource)', () => {
    const event = documentedComplianceChange();
    ((event.detail as Json).newEvaluationResult as Json).annotation = 42;
    ((event.detail as Json).newEvaluationResult as Json).complianceType = 'SECRET-VALUE';
    expect(errorOf(event).message).not.toMatch(/SECRET-VALUE|42/);
  });

  test("a result for another resource than the event's is rejected", () => {
    const event = documentedComplianceChange();
    (event.detail as Json).resourceId = '999999999999';
    expect(errorOf(event).field).toMatch(/evaluationResultQualifier\.resourceId$/);
  });
});

describe('ruleIdFromConfigRuleName', () => {
  test.each([
    ['ccm-ebs-volume-encrypted', 'ccm-', 'ebs-volume-encrypted'],
    ['ccm-s3-bucket-encrypted', undefined, 's3-bucket-encrypted'],
    ['ebs-volume-encrypted', '', 'ebs-volume-encrypted'],
    ['clinic-rds-storage-encrypted', 'clinic-', 'rds-storage-encrypted'],
    ['OrgConfigRule-ccm-ebs-volume-encrypted-a1b2c3d4', 'ccm-', 'ebs-volume-encrypted'],
    ['ccm-not-a-rule', 'ccm-', undefined],
    ['cloudtrail-enabled', 'ccm-', undefined],
    ['ebs-volume-encrypted', 'ccm-', undefined],
  ])('%s (prefix %j) → %s', (name, prefix, id) => {
    expect(prefix === undefined ? ruleIdFromConfigRuleName(name) : ruleIdFromConfigRuleName(name, prefix)).toBe(id);
  });
});
