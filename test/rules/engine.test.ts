import { getRule } from '../../rules/catalog.js';
import { clampAnnotation, evaluateItem, parseAllParameters, runRule, runRules } from '../../rules/engine.js';
import { parseExemption } from '../../rules/exemptions.js';
import { CATALOG } from '../../rules/catalog.js';
import { buildInventory, defineItemRule } from '../../rules/types.js';
import type { CatalogEntry } from '../../rules/catalog.js';
import { itemFrom, SAMPLE } from '../helpers/samples.js';
import { NOW, evaluate } from '../helpers/rules.js';

const unencrypted = (tags: Record<string, string> = {}) => itemFrom(SAMPLE.volume, { configuration: { encrypted: false }, top: { tags } });

describe('engine', () => {
  test('a rule that throws yields an error evaluation for that item only, never COMPLIANT', () => {
    const throwing = {
      ...getRule('ebs-volume-encrypted'),
      ...defineItemRule({
        ...getRule('ebs-volume-encrypted'),
        evaluate: () => {
          throw new TypeError('boom');
        },
      }),
    } as CatalogEntry;
    const inventory = buildInventory([itemFrom(SAMPLE.volume), itemFrom(SAMPLE.table)]);
    const results = runRule(throwing, inventory, {}, { now: NOW });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ compliance: 'INSUFFICIENT_DATA', error: true, annotation: 'Could not evaluate: boom.' });
  });

  test('evaluations carry rule metadata and the capture time as ordering timestamp', () => {
    const item = itemFrom(SAMPLE.volume);
    expect(evaluate('ebs-volume-encrypted', item)).toEqual({
      ruleId: 'ebs-volume-encrypted',
      resourceType: 'AWS::EC2::Volume',
      resourceId: 'vol-a416b170',
      accountId: '264683526309',
      region: 'us-east-1',
      compliance: 'COMPLIANT',
      annotation: 'EBS volume is encrypted with KMS key arn:aws:kms:ap-southeast-1:055409840355:key/bd41e26b-d347-4c59-ab0b-32aee30fcf8d.',
      severity: 'HIGH',
      hipaa: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
      orderingTimestamp: '2016-10-28T00:41:34.826Z',
    });
  });

  test.each([
    ['ResourceDeleted', /deleted \(ResourceDeleted\)/],
    ['ResourceDeletedNotRecorded', /deleted \(ResourceDeletedNotRecorded\)/],
    ['ResourceNotRecorded', /no longer recorded \(ResourceNotRecorded\)/],
  ])('configurationItemStatus %s, with configuration null as Config records it, is NOT_APPLICABLE', (status, annotation) => {
    const item = itemFrom(SAMPLE.volume, { top: { configurationItemStatus: status, configuration: null } });
    expect(evaluate('ebs-volume-encrypted', item)).toMatchObject({ compliance: 'NOT_APPLICABLE', annotation: expect.stringMatching(annotation) });
  });

  test('a resource no longer recorded is NOT_APPLICABLE', () => {
    const item = itemFrom(SAMPLE.volume, { top: { configurationItemStatus: 'ResourceNotRecorded' } });
    expect(evaluate('ebs-volume-encrypted', item)).toMatchObject({ compliance: 'NOT_APPLICABLE', annotation: expect.stringMatching(/no longer recorded/) });
  });

  // Config records a configuration for every resource that exists: its absence is unreadable data (issue 11).
  test.each([
    ['null', null],
    ['the string "null"', 'null'],
    ['an empty string', ''],
    ['absent', undefined],
  ])('an existing resource whose configuration is %s (status OK) could not be evaluated: never NOT_APPLICABLE or COMPLIANT', (_name, configuration) => {
    for (const status of ['OK', 'ResourceDiscovered']) {
      const item = itemFrom(SAMPLE.volume, { top: { configuration, configurationItemStatus: status } });
      expect(evaluate('ebs-volume-encrypted', item)).toMatchObject({
        compliance: 'INSUFFICIENT_DATA',
        error: true,
        annotation: `Could not evaluate: the configuration item records no configuration although the resource exists (configurationItemStatus ${status}).`,
      });
    }
  });

  test('an existing resource without configuration is an error in inventory rules too (judge), the other resources still judged', () => {
    const bare = itemFrom(SAMPLE.instance, { top: { configuration: null, configurationItemStatus: 'OK' } });
    const other = itemFrom(SAMPLE.instance, { top: { resourceId: 'i-0000000000000aaaa' } });
    const results = runRule(getRule('instance-managed-by-ssm'), buildInventory([bare, other]), {}, { now: NOW });
    expect(results.map((r) => [r.resourceId, r.compliance, r.error ?? false])).toEqual([
      [bare.resourceId, 'INSUFFICIENT_DATA', true],
      ['i-0000000000000aaaa', 'NON_COMPLIANT', false],
    ]);
  });

  test.each([
    ['short text', 'short text'],
    ['line\nbreaks\tand  spaces', 'line breaks and spaces'],
  ])('clampAnnotation(%j) = %j', (input, output) => expect(clampAnnotation(input)).toBe(output));

  test('clampAnnotation cuts at 256 characters with a visible marker', () => {
    const clamped = clampAnnotation('x'.repeat(300));
    expect(clamped).toHaveLength(256);
    expect(clamped.endsWith(' [truncated]')).toBe(true);
  });

  test('parseAllParameters fills defaults for every rule', () => {
    const params = parseAllParameters(CATALOG, {});
    expect(params.get('s3-bucket-encrypted')).toEqual({ requireKms: false, kmsKeyArns: [] });
  });

  test('runRules evaluates item rules only over their resource types', () => {
    const inventory = buildInventory([itemFrom(SAMPLE.volume), itemFrom(SAMPLE.table), itemFrom(SAMPLE.bucket)]);
    const results = runRules(
      CATALOG.filter((r) => r.kind === 'item'),
      inventory,
      parseAllParameters(CATALOG, {}),
      { now: NOW },
    );
    expect(results.map((r) => `${r.ruleId}:${r.resourceType}:${r.compliance}`).sort()).toEqual([
      'dynamodb-table-encrypted:AWS::DynamoDB::Table:COMPLIANT',
      'ebs-volume-encrypted:AWS::EC2::Volume:COMPLIANT',
      's3-bucket-encrypted:AWS::S3::Bucket:COMPLIANT',
      's3-bucket-tls-only:AWS::S3::Bucket:NON_COMPLIANT',
    ]);
  });

  test('an inventory-wide verdict marked as an error becomes INSUFFICIENT_DATA, and no exemption hides it', () => {
    const rule = getRule('resource-protected-by-backup');
    const noArn = itemFrom(SAMPLE.table, { configuration: { tableArn: null }, top: { arn: null, tags: { 'compliance:exempt': 'test table' } } });
    expect(runRule(rule, buildInventory([noArn]), parseAllParameters(CATALOG, {}).get(rule.id) ?? {}, { now: NOW })).toEqual([
      expect.objectContaining({
        compliance: 'INSUFFICIENT_DATA',
        error: true,
        annotation: expect.stringMatching(/^Could not evaluate/),
        orderingTimestamp: NOW.toISOString(),
      }),
    ]);
  });
});

describe('exemptions', () => {
  test('an exempted resource is NOT_APPLICABLE with the reason', () => {
    const result = evaluate('ebs-volume-encrypted', unencrypted({ 'compliance:exempt': 'vendor imaging appliance, replacement ordered until=2026-12-31' }));
    expect(result).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Exempt (compliance:exempt until 2026-12-31): vendor imaging appliance, replacement ordered',
    });
  });

  test('an exemption without expiry holds', () => {
    expect(evaluate('ebs-volume-encrypted', unencrypted({ 'compliance:exempt': 'scratch disk, no patient data' })).compliance).toBe('NOT_APPLICABLE');
  });

  test('an expired exemption is ignored and the annotation says so', () => {
    const result = evaluate('ebs-volume-encrypted', unencrypted({ 'compliance:exempt': 'migration until=2026-11-27' }));
    expect(result.compliance).toBe('NON_COMPLIANT');
    expect(result.annotation).toMatch(/^Exemption expired on 2026-11-27, ignored\. EBS volume is not encrypted/);
  });

  test('an exemption is valid through the whole expiry day (UTC)', () => {
    expect(parseExemption('x until=2026-11-28', NOW)).toEqual({ state: 'active', reason: 'x', until: '2026-11-28' });
  });

  test.each([
    ['until=2026-12-31', /gives no reason/],
    ['migration until=31/12/2026', /until=31\/12\/2026 is not a date/],
    ['migration until=2026-02-30', /until=2026-02-30 is not a date/],
  ])('a malformed exemption %j is ignored, naming the problem', (value, problem) => {
    const result = evaluate('ebs-volume-encrypted', unencrypted({ 'compliance:exempt': value }));
    expect(result.compliance).toBe('NON_COMPLIANT');
    expect(result.annotation).toMatch(problem);
  });

  test('the evaluation carries the exemption as read, in force or ignored, for the evidence register', () => {
    expect(evaluate('ebs-volume-encrypted', unencrypted({ 'compliance:exempt': 'imaging appliance until=2026-12-31' })).exemption).toEqual({
      state: 'active',
      reason: 'imaging appliance',
      until: '2026-12-31',
    });
    expect(evaluate('ebs-volume-encrypted', unencrypted({ 'compliance:exempt': 'migration until=2026-11-27' })).exemption).toEqual({
      state: 'expired',
      reason: 'migration',
      until: '2026-11-27',
    });
    expect(evaluate('ebs-volume-encrypted', unencrypted({ 'compliance:exempt': 'migration until=31/12/2026' })).exemption).toEqual({
      state: 'malformed',
      problem: 'until=31/12/2026 is not a date (YYYY-MM-DD)',
      reason: 'migration',
    });
    expect(evaluate('ebs-volume-encrypted', unencrypted({ 'compliance:exempt': 'until=2026-12-31' })).exemption).toEqual({
      state: 'malformed',
      problem: 'the tag gives no reason',
    });
    expect(evaluate('ebs-volume-encrypted', unencrypted())).not.toHaveProperty('exemption');
  });

  test('inventory-wide rules carry the exemption too', () => {
    const volume = unencrypted({ 'compliance:exempt': 'scratch disk' });
    const [evaluation] = runRule(
      getRule('resource-protected-by-backup'),
      buildInventory([volume]),
      parseAllParameters(CATALOG, undefined).get('resource-protected-by-backup') ?? {},
      { now: NOW },
    );
    expect(evaluation).toMatchObject({ compliance: 'NOT_APPLICABLE', exemption: { state: 'active', reason: 'scratch disk' } });
    const [plain] = runRule(
      getRule('resource-protected-by-backup'),
      buildInventory([unencrypted()]),
      parseAllParameters(CATALOG, undefined).get('resource-protected-by-backup') ?? {},
      { now: NOW },
    );
    expect(plain).not.toHaveProperty('exemption');
  });

  test('the exemption tag key is a setting', () => {
    const rule = getRule('ebs-volume-encrypted');
    const item = unencrypted({ 'hipaa:waiver': 'lab machine' });
    expect(evaluateItem(rule, item, { kmsKeyArns: [] }, { now: NOW }).compliance).toBe('NON_COMPLIANT');
    expect(evaluateItem(rule, item, { kmsKeyArns: [] }, { now: NOW, exemptionTagKey: 'hipaa:waiver' }).compliance).toBe('NOT_APPLICABLE');
  });
});
