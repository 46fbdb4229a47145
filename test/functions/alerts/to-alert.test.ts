import fc from 'fast-check';
import { CATALOG, getRule } from '../../../rules/catalog.js';
import type { Compliance, Evaluation } from '../../../rules/types.js';
import { asRuleTransition, parseComplianceChange, type RuleTransition } from '../../../functions/alerts/compliance-change.js';
import { buildDigest, buildSubject, MAX_MESSAGE_BYTES, toAlert, transitionKind } from '../../../functions/alerts/to-alert.js';
import { alertBytes, alertProblem } from '../../../functions/alerts/publisher.js';
import { changeFromEvaluation, complianceChange } from '../../helpers/compliance-events.js';
import { evaluate, NOW } from '../../helpers/rules.js';
import { deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';

const volumeRule = getRule('ebs-volume-encrypted');

function transitionFrom(evaluation: Evaluation, old: Compliance | undefined): RuleTransition {
  const transition = asRuleTransition(parseComplianceChange(changeFromEvaluation(evaluation, old)));
  if (transition === undefined) throw new Error('not one of our rules');
  return transition;
}

const failing = evaluate('ebs-volume-encrypted', itemFrom(SAMPLE.volume, { configuration: { encrypted: false } }));
const passing = evaluate('ebs-volume-encrypted', itemFrom(SAMPLE.volume));
const deleted = evaluate('ebs-volume-encrypted', deletedFrom(SAMPLE.volume));

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('transitionKind: which changes page someone', () => {
  test.each([
    [undefined, 'NON_COMPLIANT', 'problem'],
    ['COMPLIANT', 'NON_COMPLIANT', 'problem'],
    ['NOT_APPLICABLE', 'NON_COMPLIANT', 'problem'],
    ['COMPLIANT', 'INSUFFICIENT_DATA', 'unknown'],
    ['NON_COMPLIANT', 'COMPLIANT', 'resolved'],
    ['INSUFFICIENT_DATA', 'COMPLIANT', 'resolved'],
    ['NON_COMPLIANT', 'NOT_APPLICABLE', 'closed'],
    ['NON_COMPLIANT', 'NON_COMPLIANT', undefined],
    ['COMPLIANT', 'COMPLIANT', undefined],
    [undefined, 'COMPLIANT', undefined],
    ['NOT_APPLICABLE', 'COMPLIANT', undefined],
    ['COMPLIANT', 'NOT_APPLICABLE', undefined],
    [undefined, 'NOT_APPLICABLE', undefined],
  ] as const)('%s → %s: %s', (old, next, kind) => expect(transitionKind(old, next)).toBe(kind));
});

describe('toAlert', () => {
  test("a volume that became unencrypted: the issue's subject, and what/where/why/HIPAA/fix in the body", () => {
    const alert = toAlert(transitionFrom(failing, 'COMPLIANT'), volumeRule, { accountName: 'prod' });
    expect(alert?.subject).toBe('[HIGH] EBS volume vol-a416b170 unencrypted — prod (264683526309)');
    const message = alert?.message ?? '';
    expect(message.split('\n\n').map((section) => section.split('\n')[0])).toEqual([
      'WHAT',
      'WHERE',
      'WHY',
      'HIPAA SECURITY RULE',
      'HOW TO FIX',
      expect.stringMatching(/^Config recorded this result at 2026-11-28T12:00:00.000Z/),
    ]);
    expect(message).toContain(
      'EBS volume vol-a416b170 is NON_COMPLIANT with rule ebs-volume-encrypted ("EBS volumes are encrypted at rest"), severity HIGH. It was COMPLIANT.',
    );
    expect(message).toContain('Account:   prod (264683526309)');
    expect(message).toContain('Region:    us-east-1');
    expect(message).toContain('Console:   https://console.aws.amazon.com/ec2/home?region=us-east-1#VolumeDetails:volumeId=vol-a416b170');
    expect(message).toContain(
      'Config:    https://console.aws.amazon.com/config/home?region=us-east-1#/resources/details?resourceId=vol-a416b170&resourceType=AWS%3A%3AEC2%3A%3AVolume',
    );
    expect(message).toContain('\nEBS volume is not encrypted (encrypted = false).\n');
    expect(message).toContain('  164.312(a)(2)(iv)  Encryption and decryption');
    expect(message).toContain('  164.312(e)(2)(ii)  Encryption');
    expect(message).toContain('  1. Create a snapshot of the unencrypted volume.');
    expect(message).toContain('More: https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html');
    expect(alert?.attributes).toEqual({
      severity: { DataType: 'String', StringValue: 'HIGH' },
      ruleId: { DataType: 'String', StringValue: 'ebs-volume-encrypted' },
      accountId: { DataType: 'String', StringValue: '264683526309' },
      compliance: { DataType: 'String', StringValue: 'NON_COMPLIANT' },
      transition: { DataType: 'String', StringValue: 'problem' },
    });
  });

  test('fixed: [RESOLVED], same severity attribute (so the HIGH subscriber hears it closed), no fix section', () => {
    const alert = toAlert(transitionFrom(passing, 'NON_COMPLIANT'), volumeRule);
    expect(alert?.subject).toBe('[RESOLVED] EBS volume vol-a416b170 fixed: no longer unencrypted — 264683526309');
    expect(alert?.message).toContain('is COMPLIANT again with rule ebs-volume-encrypted');
    expect(alert?.message).not.toContain('HOW TO FIX');
    expect(alert?.attributes).toMatchObject({
      severity: { StringValue: 'HIGH' },
      compliance: { StringValue: 'COMPLIANT' },
      transition: { StringValue: 'resolved' },
    });
  });

  test('resource gone: a failing volume deleted closes the problem', () => {
    const alert = toAlert(transitionFrom(deleted, 'NON_COMPLIANT'), volumeRule);
    expect(alert?.subject).toBe('[CLOSED] EBS volume vol-a416b170 no longer evaluated — 264683526309');
    expect(alert?.message).toContain('Resource is deleted (ResourceDeleted).');
    expect(alert?.attributes.compliance).toEqual({ DataType: 'String', StringValue: 'NOT_APPLICABLE' });
  });

  test.each([
    ['no change', failing, 'NON_COMPLIANT'],
    ['a first COMPLIANT result', passing, undefined],
    ['a compliant volume deleted', deleted, 'COMPLIANT'],
  ] as const)('no alert for %s', (_name, evaluation, old) => {
    expect(toAlert(transitionFrom(evaluation, old), volumeRule)).toBeUndefined();
  });

  test("AWS's documented example, renamed to one of our account-level rules, alerts as resolved", () => {
    const event = complianceChange({
      configRuleName: 'ccm-ebs-encryption-by-default',
      resourceType: 'AWS::::Account',
      resourceId: '123456789012',
      accountId: '123456789012',
      region: 'us-east-2',
      oldCompliance: 'NON_COMPLIANT',
      newCompliance: 'COMPLIANT',
      annotation: null,
    });
    const transition = asRuleTransition(parseComplianceChange(event));
    if (transition === undefined) throw new Error('not ours');
    const alert = toAlert(transition, getRule('ebs-encryption-by-default'));
    expect(alert?.subject).toBe('[RESOLVED] AWS account 123456789012 fixed: no longer EBS encryption by default off — 123456789012');
    expect(alert?.message).toContain('AWS Config gave no annotation for this result.');
    expect(alert?.attributes.severity?.StringValue).toBe('MEDIUM');
  });

  test("an exemption's reason (a tag value) is not repeated in alerts", () => {
    const exempt = evaluate(
      'ebs-volume-encrypted',
      itemFrom(SAMPLE.volume, { configuration: { encrypted: false }, top: { tags: { 'compliance:exempt': 'Dr Smith research disk until=2027-01-31' } } }),
    );
    expect(exempt.annotation).toContain('Dr Smith');
    const alert = toAlert(transitionFrom(exempt, 'NON_COMPLIANT'), volumeRule);
    expect(alert?.message).toContain("Exempt (compliance:exempt until 2027-01-31); the reason is in the resource's exemption tag.");
    expect(alert?.message).not.toContain('Dr Smith');
  });

  test('the subject stays under 100 characters on one line whatever the names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.option(fc.string({ maxLength: 120 }), { nil: undefined }), (resourceId, accountName) => {
        const transition = { ...transitionFrom(failing, 'COMPLIANT'), resourceId: resourceId === '' ? 'x' : resourceId };
        const alert = toAlert(transition, volumeRule, accountName === undefined ? {} : { accountName });
        expect(alert?.subject.length).toBeLessThan(100);
        expect(alert?.subject).not.toMatch(CONTROL);
        expect(alert?.subject.startsWith('[HIGH] EBS volume ')).toBe(true);
        expect(alert?.subject).toContain('264683526309');
        expect(alertProblem(alert ?? { subject: '', message: '', attributes: {} })).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  test('every rule of the catalog, on each of its resource types, gives a valid alert naming its HIPAA citations', () => {
    for (const entry of CATALOG) {
      for (const resourceType of entry.resourceTypes) {
        const transition: RuleTransition = { ...transitionFrom(failing, 'COMPLIANT'), ruleId: entry.id, configRuleName: `ccm-${entry.id}`, resourceType };
        const alert = toAlert(transition, entry, { accountName: 'Riverside Family Practice — production' });
        if (alert === undefined) throw new Error(`no alert for ${entry.id}`);
        expect(alertProblem(alert)).toBeUndefined();
        expect(alert.subject.startsWith(`[${entry.severity}] `)).toBe(true);
        for (const citation of entry.hipaa) expect(alert.message).toContain(citation);
        expect(alert.message).toContain(entry.remediation.url);
      }
    }
  });

  test.each([
    [
      'security-group-admin-ports-restricted',
      'AWS::EC2::SecurityGroup',
      'sg-0a11e4c5d6e7f8203',
      '[HIGH] security group sg-0a11e4c5d6e7f8203 admin port open to internet — Riverside (264683526309)',
    ],
    [
      's3-bucket-tls-only',
      'AWS::S3::Bucket',
      'riverside-portal-uploads',
      '[HIGH] S3 bucket riverside-portal-uploads allows unencrypted HTTP — Riverside (264683526309)',
    ],
    ['guardduty-enabled', 'AWS::::Account', '264683526309', '[HIGH] AWS account 264683526309 GuardDuty off — Riverside (264683526309)'],
    ['cloudtrail-multi-region-logging', 'AWS::::Account', '264683526309', '[HIGH] AWS account 264683526309 no complete audit trail — Riverside (264683526309)'],
  ])('%s names the problem in words', (ruleId, resourceType, resourceId, subject) => {
    const entry = getRule(ruleId);
    const transition: RuleTransition = {
      ...transitionFrom(failing, 'COMPLIANT'),
      ruleId: entry.id,
      configRuleName: `ccm-${entry.id}`,
      resourceType,
      resourceId,
    };
    expect(toAlert(transition, entry, { accountName: 'Riverside' })?.subject).toBe(subject);
  });

  test('a long resource name is cut in the middle, keeping its distinctive end', () => {
    const subject = buildSubject({
      tag: '[HIGH]',
      label: 'S3 bucket',
      name: `clinic-${'archive-'.repeat(20)}2027`,
      phrase: 'unencrypted',
      accountId: '111122223333',
      accountName: 'Riverside Family Practice',
    });
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^\[HIGH\] S3 bucket clinic-arch.*….*-archive-2027 unencrypted — Riverside Family Practice \(111122223333\)$/);
  });
});

describe('buildDigest', () => {
  const many = (count: number, compliance: Compliance = 'NON_COMPLIANT') =>
    Array.from({ length: count }, (_, i) => ({
      transition: transitionFrom(
        { ...failing, resourceId: `vol-${String(i).padStart(17, '0')}`, compliance },
        compliance === 'NON_COMPLIANT' ? 'COMPLIANT' : 'NON_COMPLIANT',
      ),
      entry: volumeRule,
    }));

  test('one message for many changes: counts by change, severity and rule, worst first', () => {
    const items = [...many(12), ...many(3, 'COMPLIANT')];
    const digest = buildDigest(items, { accountName: 'prod' });
    expect(digest.subject).toBe('[DIGEST HIGH] 15 compliance changes: 12 new problems, 3 fixed — prod (264683526309)');
    expect(digest.message).toContain('  problem   12');
    expect(digest.message).toContain('  resolved  3');
    expect(digest.message).toContain('  HIGH          12');
    expect(digest.message).toContain('  ebs-volume-encrypted: 12 / 3');
    const lines = digest.message.split('\n').filter((line) => line.startsWith('  ['));
    expect(lines).toHaveLength(15);
    expect(lines[0]).toMatch(/^ {2}\[HIGH\] NON_COMPLIANT ebs-volume-encrypted AWS::EC2::Volume vol-0+ 264683526309\/us-east-1: EBS volume is not encrypted/);
    expect(lines[14]).toMatch(/^ {2}\[RESOLVED\] COMPLIANT /);
  });

  test('attributes are String.Array, so a HIGH-only or one-account filter still matches the digest', () => {
    const digest = buildDigest(many(11));
    expect(digest.attributes).toEqual({
      severity: { DataType: 'String.Array', StringValue: '["HIGH"]' },
      ruleId: { DataType: 'String.Array', StringValue: '["ebs-volume-encrypted"]' },
      accountId: { DataType: 'String.Array', StringValue: '["264683526309"]' },
      compliance: { DataType: 'String.Array', StringValue: '["NON_COMPLIANT"]' },
      transition: { DataType: 'String', StringValue: 'digest' },
    });
  });

  test('a huge burst is listed only as far as 256 KB allows, and says how many more there are', () => {
    const digest = buildDigest(many(5000));
    expect(alertBytes(digest)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(digest.message).toMatch(/… and \d+ more: see Security Hub/);
    expect(digest.subject.length).toBeLessThan(100);
    expect(alertProblem(digest)).toBeUndefined();
  });

  test('transitions that need nobody are left out of the digest', () => {
    const quiet = { transition: transitionFrom(passing, undefined), entry: volumeRule };
    const digest = buildDigest([...many(11), quiet]);
    expect(digest.subject).toMatch(/^\[DIGEST HIGH\] 11 compliance changes/);
  });

  test('NOW is a fixed test clock, unused by alerts: the same transition gives the same alert', () => {
    expect(NOW.toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(toAlert(transitionFrom(failing, 'COMPLIANT'), volumeRule)).toEqual(toAlert(transitionFrom(failing, 'COMPLIANT'), volumeRule));
  });
});
