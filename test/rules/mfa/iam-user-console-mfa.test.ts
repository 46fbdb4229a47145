import { parseCredentialReport } from '../../../rules/credential-report.js';
import { evaluationOf, expectBadParameter, expectValidAnnotations, NOW, runInventoryRule } from '../../helpers/rules.js';
import { deletedFrom, itemFrom, SAMPLE, sampleText, type ConfigurationItem } from '../../helpers/samples.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

const CSV = sampleText(SAMPLE.credentialReport);
const [HEADER = '', ROOT = '', EXAMPLE_USER = ''] = CSV.split('\n');
const USER_ID = 'AIDAILEDWOGIPJFAKOJKW';

/** A report line for a user, from the sample's example.user line (3 password_enabled, 7 mfa_active, 2 user_creation_time). */
function userLine(name: string, changes: Record<number, string> = {}): string {
  const cells = EXAMPLE_USER.replaceAll('example.user', name).split(',');
  for (const [index, value] of Object.entries(changes)) cells[Number(index)] = value;
  return cells.join(',');
}

function report(...lines: string[]) {
  return parseCredentialReport([HEADER, ROOT, ...lines].join('\n'));
}

/** The RDK IAM user sample (johndoe) renamed to a user of the report. */
function iamUser(name: string, top: Record<string, unknown> = {}): ConfigurationItem {
  return itemFrom(SAMPLE.iamUser, {
    configuration: { userName: name, arn: `arn:aws:iam::112233445566:user/${name}` },
    top: { resourceName: name, ARN: `arn:aws:iam::112233445566:user/${name}`, ...top },
  });
}

function run(csv: ReturnType<typeof report>, items: ConfigurationItem[] = [], params: Record<string, unknown> = {}) {
  const evaluations = runInventoryRule('iam-user-console-mfa', items, { params, extras: { credentialReports: [csv] } });
  expectValidAnnotations(evaluations);
  return evaluations;
}

describe('iam-user-console-mfa', () => {
  test('the real-format sample: users with a password and no MFA fail, the one with MFA passes', () => {
    const evaluations = run(parseCredentialReport(CSV));
    expect(evaluations.map((e) => [e.resourceType, e.resourceId, e.region, e.compliance])).toEqual([
      ['AWS::IAM::User', 'example.user', 'global', 'NON_COMPLIANT'],
      ['AWS::IAM::User', 'fakeuser', 'global', 'COMPLIANT'],
      ['AWS::IAM::User', 'final.user', 'global', 'NON_COMPLIANT'],
    ]);
    const unrecorded = ' No AWS::IAM::User item of this user is in the input, so it is reported under its name.';
    expect(evaluationOf(evaluations, 'example.user').annotation).toBe(
      `User example.user has a console password and no active MFA device (mfa_active = false).${unrecorded}`,
    );
    expect(evaluationOf(evaluations, 'fakeuser').annotation).toBe(`User fakeuser signs in to the console with MFA (mfa_active = true).${unrecorded}`);
  });

  test('a user matched to its AWS::IAM::User item (by name) is reported under the IAM user id, with its name', () => {
    // Config records the user under its id (AIDA…, RDK sample) and IAM_USER_MFA_ENABLED reports by it (issue 10, case 10).
    const evaluation = evaluationOf(run(report(userLine('example.user')), [iamUser('example.user')]), USER_ID);
    expect(evaluation).toMatchObject({
      resourceType: 'AWS::IAM::User',
      resourceName: 'example.user',
      accountId: '112233445566',
      region: 'global',
      compliance: 'NON_COMPLIANT',
      annotation: 'User example.user has a console password and no active MFA device (mfa_active = false).',
    });
  });

  test('a user is matched by ARN when the report names the account', () => {
    const csv = report(userLine('dr-office', { 1: 'arn:aws:iam::112233445566:user/clinic/dr-office' }));
    const item = iamUser('renamed-in-config', { ARN: 'arn:aws:iam::112233445566:user/clinic/dr-office' });
    expect(run(csv, [item]).map((e) => e.resourceId)).toEqual([USER_ID]);
  });

  test('a user without a console password is NOT_APPLICABLE', () => {
    expect(run(report(userLine('pacs-integration', { 3: 'false' })))[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: expect.stringMatching(/password_enabled = false/),
    });
  });

  test('FALSE/TRUE in upper case read the same', () => {
    expect(run(report(userLine('a', { 3: 'TRUE', 7: 'FALSE' })))[0]?.compliance).toBe('NON_COMPLIANT');
    expect(run(report(userLine('a', { 3: 'TRUE', 7: 'TRUE' })))[0]?.compliance).toBe('COMPLIANT');
  });

  describe('a flag outside what IAM documents (true/false) could not be evaluated, naming column and value (issue 11)', () => {
    test.each([
      ['password_enabled', { 3: 'no_information', 7: 'false' }, /password_enabled is "no_information", not one of the values IAM documents \(true, false\)/],
      ['mfa_active', { 3: 'true', 7: 'N/A' }, /mfa_active is "N\/A", not one of the values IAM documents/],
      ['mfa_active empty', { 3: 'true', 7: '' }, /mfa_active is ""/],
    ])('%s', (_name, changes, message) => {
      expect(run(report(userLine('a', changes)))[0]).toMatchObject({
        compliance: 'INSUFFICIENT_DATA',
        error: true,
        annotation: expect.stringMatching(message),
      });
      expect(runInventoryRule('iam-user-console-mfa', [iamUser('a')], { extras: { credentialReports: [report(userLine('a', changes))] } })[0]).toMatchObject({
        compliance: 'INSUFFICIENT_DATA',
        error: true,
      });
    });

    test('a value that does not decide does not matter: no password, whatever mfa_active says; MFA on, whatever password_enabled says', () => {
      expect(run(report(userLine('a', { 3: 'false', 7: 'N/A' })))[0]?.compliance).toBe('NOT_APPLICABLE');
      expect(run(report(userLine('a', { 3: 'no_information', 7: 'true' })))[0]?.compliance).toBe('COMPLIANT');
    });
  });

  test('gracePeriodHours spares a user created within the window, and only then', () => {
    const created = new Date(NOW.getTime() - 5 * 3_600_000).toISOString().replace('.000Z', '+00:00');
    const csv = report(userLine('new-hire', { 2: created }));
    expect(run(csv, [], { gracePeriodHours: 24 })[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: expect.stringMatching(/created 5 hours ago, within gracePeriodHours \(24\)/),
    });
    expect(run(csv, [], { gracePeriodHours: 4 })[0]?.compliance).toBe('NON_COMPLIANT');
    expect(run(csv)[0]?.compliance).toBe('NON_COMPLIANT');
  });

  test('the grace period is measured at the time the report saw the user (GeneratedTime), not at the evaluation time (issue 10, case 9)', () => {
    // Created 30 hours before the evaluation, 2 hours before the report: IAM saw a 2-hour-old user without MFA.
    const created = new Date(NOW.getTime() - 30 * 3_600_000).toISOString();
    const generated = new Date(NOW.getTime() - 28 * 3_600_000).toISOString();
    const csv = parseCredentialReport(
      JSON.stringify({ Content: Buffer.from([HEADER, ROOT, userLine('new-hire', { 2: created })].join('\n')).toString('base64'), GeneratedTime: generated }),
    );
    expect(run(csv, [], { gracePeriodHours: 24 })[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: expect.stringMatching(/created 2 hours before the credential report was generated, within gracePeriodHours \(24\)/),
    });
  });

  test('a report generated long before the evaluation is flagged in every verdict it decides (issue 10, case 9)', () => {
    const generated = new Date(NOW.getTime() - 9 * 86_400_000).toISOString();
    const csv = parseCredentialReport(
      JSON.stringify({ Content: Buffer.from([HEADER, ROOT, userLine('example.user')].join('\n')).toString('base64'), GeneratedTime: generated }),
    );
    expect(evaluationOf(run(csv, [iamUser('example.user')]), USER_ID).annotation).toBe(
      `User example.user has a console password and no active MFA device (mfa_active = false). The credential report is 9 days old (GeneratedTime ${generated}).`,
    );
  });

  test('with gracePeriodHours, a user_creation_time that is not a time could not be evaluated', () => {
    expect(run(report(userLine('new-hire', { 2: 'N/A' })), [], { gracePeriodHours: 24 })[0]).toMatchObject({
      error: true,
      annotation: expect.stringMatching(/user_creation_time is "N\/A", not a time/),
    });
  });

  test('a deleted IAM user still listed in an older report is NOT_APPLICABLE', () => {
    const deleted = deletedFrom(SAMPLE.iamUser);
    const evaluations = run(report(userLine('johndoe')), [deleted]);
    expect(evaluations).toEqual([
      expect.objectContaining({ resourceId: USER_ID, compliance: 'NOT_APPLICABLE', annotation: 'Resource is deleted (ResourceDeleted).' }),
    ]);
  });

  test('a deleted IAM user missing from the report is reported NOT_APPLICABLE, not dropped', () => {
    expect(run(report(), [deletedFrom(SAMPLE.iamUser)])).toEqual([
      expect.objectContaining({ resourceId: USER_ID, compliance: 'NOT_APPLICABLE', annotation: expect.stringMatching(/deleted/) }),
    ]);
  });

  test('an IAM user newer than the report is NOT_APPLICABLE, asking for a new report', () => {
    expect(run(report(), [iamUser('front-desk')])[0]).toMatchObject({
      resourceId: USER_ID,
      compliance: 'NOT_APPLICABLE',
      annotation: expect.stringMatching(/not in the credential report/),
    });
  });

  test('users of an account without a report are not judged', () => {
    const elsewhere = parseCredentialReport([HEADER, ROOT.replace('fakearn', '999999999999')].join('\n'));
    expect(runInventoryRule('iam-user-console-mfa', [iamUser('front-desk')], { extras: { credentialReports: [elsewhere] } })).toEqual([]);
  });

  test('the exemption tag on the IAM user item applies (inventory-wide rules honour exemptions)', () => {
    const item = iamUser('vendor-support', { tags: { 'compliance:exempt': 'vendor account, console disabled by SCP until=2026-12-31' } });
    expect(run(report(userLine('vendor-support')), [item])[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Exempt (compliance:exempt until 2026-12-31): vendor account, console disabled by SCP',
    });
  });

  test('an expired exemption is ignored and the annotation says so', () => {
    const item = iamUser('vendor-support', { tags: { 'compliance:exempt': 'onboarding until=2026-11-01' } });
    expect(run(report(userLine('vendor-support')), [item])[0]).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: expect.stringMatching(/^Exemption expired on 2026-11-01, ignored\. User vendor-support has a console password/),
    });
  });

  test.each([
    [{ gracePeriodHours: -1 }, /gracePeriodHours = -1 is invalid: must be at least 0/],
    [{ gracePeriodHours: 'a day' }, /gracePeriodHours = "a day" is invalid: expected a whole number/],
    [{ gracePeriodHours: 1000 }, /must be at most 720/],
  ])('a bad parameter %j is rejected naming it', (params, message) => {
    expectBadParameter('iam-user-console-mfa', params, message);
  });

  test('gracePeriodHours as a Config input-parameter string is accepted', () => {
    const created = new Date(NOW.getTime() - 3_600_000).toISOString();
    expect(run(report(userLine('new-hire', { 2: created })), [], { gracePeriodHours: '2' })[0]?.compliance).toBe('NOT_APPLICABLE');
  });
});

testOnExampleClinic('iam-user-console-mfa', 'billing-clerk and vendor-support sign in without MFA; pacs-integration has no console password', {
  COMPLIANT: ['AIDA2ITADMINR7Q4K8XW3 (it-admin)', 'AIDA2RADIOLOGYTECH9P4 (radiology-tech)'],
  NON_COMPLIANT: ['AIDA2BILLINGCLERK5T7Y (billing-clerk)', 'AIDA2VENDORSUPPORT3M6 (vendor-support)'],
  NOT_APPLICABLE: ['AIDA2PACSINTEGRATN8J2 (pacs-integration)'],
});
