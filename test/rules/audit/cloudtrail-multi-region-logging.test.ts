import type { Evaluation, TrailReading } from '../../../rules/types.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';
import { expectBadParameter, expectValidAnnotations, runInventoryRule } from '../../helpers/rules.js';
import { apiSample, deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';

type Json = Record<string, unknown>;

const RULE = 'cloudtrail-multi-region-logging';
const ACCOUNT = '644160558196';

const trails = (file: string): Json[] => apiSample(`cloudtrail/${file}`).trailList as Json[];
const status = (file: string): Json => apiSample(`cloudtrail/${file}`);
const LOGGING = status('GetTrailStatus.custodian-test_cloudtrail_status_2.logging.json');
const NOT_LOGGING = status('GetTrailStatus.custodian-test_cloudtrail_status_1.not-logging.json');
const CONTROL_TOWER = 'DescribeTrails.custodian-test_cloudtrail_fail_log_metric_filter_no_alarm.json';
const ORG = 'DescribeTrails.custodian-test_s3_data_events.json';

/** DescribeTrails entries with the status GetTrailStatus gave each: the live input, as the adapter builds it. */
function live(readings: TrailReading[], region = 'us-east-1', accountId = ACCOUNT) {
  return { accountId, region, cloudTrailTrails: readings };
}

function run(items: Parameters<typeof runInventoryRule>[1], settings: ReturnType<typeof live>[] = []): Evaluation[] {
  const evaluations = runInventoryRule(RULE, items, { extras: { accountSettings: settings } });
  expectValidAnnotations(evaluations);
  return evaluations;
}

const only = (evaluations: Evaluation[]): Evaluation => {
  expect(evaluations).toHaveLength(1);
  return evaluations[0] as Evaluation;
};

describe(`${RULE}, live (DescribeTrails and GetTrailStatus)`, () => {
  test('the Control Tower trail, multi-Region, validated, KMS-encrypted and logging, is COMPLIANT, on the account', () => {
    const [tower, other] = trails(CONTROL_TOWER);
    expect(
      only(
        run(
          [],
          [
            live([
              { trail: tower as Json, status: LOGGING },
              { trail: other as Json, status: NOT_LOGGING },
            ]),
          ],
        ),
      ),
    ).toMatchObject({
      resourceType: 'AWS::::Account',
      resourceId: ACCOUNT,
      accountId: ACCOUNT,
      region: 'global',
      compliance: 'COMPLIANT',
      annotation:
        'Multi-Region trail aws-controltower-BaselineCloudTrail is logging, with log file validation and KMS encryption (arn:aws:kms:us-east-1:644160558196:key/c1b14bc1-16aa-4311-a49b-8c94c2614427).',
    });
  });

  test('IsLogging false and the other trail without validation or KMS: NON_COMPLIANT, naming each', () => {
    const readings = trails(CONTROL_TOWER).map((trail) => ({ trail, status: NOT_LOGGING }));
    expect(only(run([], [live(readings)]))).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation:
        'No multi-Region trail is logging with log file validation and KMS encryption: aws-controltower-BaselineCloudTrail: IsLogging = false; fail-tf-trail-3bf19dec-127e-11ed-861d-0242ac12000: IsLogging = false, LogFileValidationEnabled = false, no KmsKeyId.',
    });
  });

  test('the AWS CLI status sample (mixed epoch and ISO times) reads IsLogging true', () => {
    const [tower] = trails(CONTROL_TOWER);
    expect(only(run([], [live([{ trail: tower as Json, status: status('GetTrailStatus.awscli.json') }])])).compliance).toBe('COMPLIANT');
    expect(
      only(run([], [live([{ trail: tower as Json, status: status('GetTrailStatus.custodian-test_cloudtrail_success_regex_log_metric_filter.json') }])]))
        .compliance,
    ).toBe('COMPLIANT');
  });

  test('an organization trail seen from a member account counts, said so; without a KMS key it does not', () => {
    const readings = trails(ORG).map((trail) => ({ trail, status: LOGGING }));
    expect(only(run([], [live(readings)]))).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringMatching(/org-trail: no KmsKeyId\.$/) });
    const withKey = readings.map((r) =>
      r.trail.Name === 'org-trail'
        ? { ...r, trail: { ...r.trail, KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/5a1b2c3d-0000-4000-8000-000000000001' } }
        : r,
    );
    expect(only(run([], [live(withKey)])).annotation).toMatch(/^Multi-Region organization trail org-trail is logging/);
  });

  test('a shadow trail (a multi-Region trail homed in another Region) is judged like the others', () => {
    const [, shadow] = trails('DescribeTrails.custodian-test_cloudtrail_is_shadow_or_not.json');
    expect(shadow).toMatchObject({ HomeRegion: 'us-east-2', IsMultiRegionTrail: true });
    const reading = {
      trail: { ...(shadow as Json), KmsKeyId: 'arn:aws:kms:us-east-2:123456789012:key/5a1b2c3d-0000-4000-8000-000000000002' },
      status: LOGGING,
    };
    expect(only(run([], [live([reading])])).annotation).toMatch(/^Multi-Region trail MultiRegion2CloudTrail is logging/);
  });

  test('only single-Region trails: NON_COMPLIANT (the CLI sample, IsMultiRegionTrail false)', () => {
    expect(only(run([], [live(trails('DescribeTrails.awscli.json').map((trail) => ({ trail, status: LOGGING })))]))).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'No multi-Region trail covers the account: Trail1, Trail2 are single-Region (IsMultiRegionTrail = false).',
    });
  });

  test('no trail at all: NON_COMPLIANT', () => {
    expect(only(run([], [live([])]))).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'No CloudTrail trail covers the account (DescribeTrails returned none).',
    });
  });

  test('GetTrailStatus refused for the one trail that could qualify: could not be evaluated, never COMPLIANT', () => {
    const [tower, other] = trails(CONTROL_TOWER);
    const result = only(
      run(
        [],
        [
          live([
            { trail: tower as Json, statusError: 'OperationNotPermittedException: not permitted' },
            { trail: other as Json, status: LOGGING },
          ]),
        ],
      ),
    );
    expect(result).toMatchObject({
      compliance: 'INSUFFICIENT_DATA',
      error: true,
      annotation: 'Could not evaluate: aws-controltower-BaselineCloudTrail: GetTrailStatus failed (OperationNotPermittedException: not permitted).',
    });
  });

  test('a status that cannot be read does not matter when the trail fails on its recorded settings anyway', () => {
    const [, other] = trails(CONTROL_TOWER);
    expect(only(run([], [live([{ trail: other as Json, statusError: 'OperationNotPermittedException: not permitted' }])])).compliance).toBe('NON_COMPLIANT');
  });

  test.each([
    ['IsLogging absent from the status', (t: Json) => ({ trail: t, status: {} }), /IsLogging not returned/],
    [
      'LogFileValidationEnabled absent',
      (t: Json) => ({ trail: { ...t, LogFileValidationEnabled: undefined }, status: LOGGING }),
      /LogFileValidationEnabled not given/,
    ],
    ['IsMultiRegionTrail absent', (t: Json) => ({ trail: { ...t, IsMultiRegionTrail: undefined }, status: LOGGING }), /IsMultiRegionTrail not given/],
  ])('%s: could not be evaluated', (_name, build, message) => {
    const [tower] = trails(CONTROL_TOWER);
    expect(only(run([], [live([build(tower as Json)])]))).toMatchObject({ compliance: 'INSUFFICIENT_DATA', annotation: expect.stringMatching(message) });
  });

  test('the same trail read in two Regions is judged once per account', () => {
    const [tower] = trails(CONTROL_TOWER);
    const reading = { trail: tower as Json, status: LOGGING };
    expect(run([], [live([reading], 'us-east-1'), live([reading], 'us-west-2')]).map((e) => [e.resourceId, e.region, e.compliance])).toEqual([
      [ACCOUNT, 'global', 'COMPLIANT'],
    ]);
  });
});

describe(`${RULE}, offline (Config's trail items record no logging status)`, () => {
  test('the RDK trail (multi-Region, validated, no kmsKeyId): could not be evaluated, saying it lacks KMS', () => {
    expect(only(run([itemFrom(SAMPLE.trail)]))).toMatchObject({
      resourceId: '212591712841',
      region: 'global',
      compliance: 'INSUFFICIENT_DATA',
      error: true,
      annotation:
        'Could not be evaluated from the exported files: no recorded trail is multi-Region with log file validation and KMS (APJCCloudTrail: no KmsKeyId); an organization trail would not show here.',
    });
  });

  test('with a KMS key the files still cannot say it is logging: could not be evaluated, never COMPLIANT', () => {
    const item = itemFrom(SAMPLE.trail, { configuration: { kmsKeyId: 'arn:aws:kms:ap-southeast-1:212591712841:key/5a1b2c3d-0000-4000-8000-000000000003' } });
    expect(only(run([item]))).toMatchObject({
      compliance: 'INSUFFICIENT_DATA',
      annotation:
        'Could not be evaluated from the exported files: Config does not record whether a trail is logging; APJCCloudTrail is multi-Region with log file validation and KMS encryption.',
    });
  });

  test.each([
    ['isMultiRegionTrail false', { isMultiRegionTrail: false }, /APJCCloudTrail: single-Region, no KmsKeyId/],
    ['logFileValidationEnabled false', { logFileValidationEnabled: false }, /APJCCloudTrail: LogFileValidationEnabled = false, no KmsKeyId/],
  ])('%s is named', (_name, configuration, message) => {
    expect(only(run([itemFrom(SAMPLE.trail, { configuration })])).annotation).toMatch(message);
  });

  test('an account whose items hold no trail: could not be evaluated (the recorder may not record trails)', () => {
    expect(only(run([itemFrom(SAMPLE.volume)]))).toMatchObject({
      resourceId: '264683526309',
      compliance: 'INSUFFICIENT_DATA',
      annotation: expect.stringMatching(/^Could not be evaluated from the exported files: no AWS::CloudTrail::Trail item of this account/),
    });
  });

  test('a deleted trail item is not counted', () => {
    expect(only(run([deletedFrom(SAMPLE.trail)])).annotation).toMatch(/no AWS::CloudTrail::Trail item of this account/);
  });

  test('live readings win for their account; other accounts of the items are judged from their items', () => {
    const [tower] = trails(CONTROL_TOWER);
    const evaluations = run(
      [itemFrom(SAMPLE.trail), itemFrom(SAMPLE.volume)],
      [live([{ trail: tower as Json, status: LOGGING }], 'us-east-1', '212591712841')],
    );
    expect(evaluations.map((e) => [e.resourceId, e.compliance])).toEqual([
      ['212591712841', 'COMPLIANT'],
      ['264683526309', 'INSUFFICIENT_DATA'],
    ]);
  });

  test('nothing to judge without items or readings', () => {
    expect(run([])).toEqual([]);
  });
});

test(`${RULE} takes no parameters`, () => {
  expectBadParameter(RULE, { requireKms: false }, /cloudtrail-multi-region-logging: unknown parameter "requireKms"; this rule takes no parameters/);
});

testOnExampleClinic(RULE, 'the clinic trail is multi-Region, validated and encrypted, but the export cannot say it is logging', {
  INSUFFICIENT_DATA: ['111122223333'],
});
