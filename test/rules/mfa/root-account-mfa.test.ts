import { parseCredentialReport } from '../../../rules/credential-report.js';
import { expectBadParameter, expectValidAnnotations, runInventoryRule } from '../../helpers/rules.js';
import { itemFrom, SAMPLE, sampleText } from '../../helpers/samples.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

const CSV = sampleText(SAMPLE.credentialReport);
const [HEADER = '', ROOT = ''] = CSV.split('\n');

/** The sample's root row with some columns replaced (3 password_enabled, 7 mfa_active, 8/13 access keys, 18/20 certificates). */
function withRoot(changes: Record<number, string>, account = 'fakearn'): string {
  const cells = ROOT.split(',');
  for (const [index, value] of Object.entries(changes)) cells[Number(index)] = value;
  return [HEADER, cells.join(',').replace('fakearn', account)].join('\n');
}

function run(csv: string, items = [itemFrom(SAMPLE.iamUser)]) {
  const evaluations = runInventoryRule('root-account-mfa', items, { extras: { credentialReports: [parseCredentialReport(csv)] } });
  expectValidAnnotations(evaluations);
  return evaluations;
}

describe('root-account-mfa', () => {
  test('root with MFA (the real-format sample) is COMPLIANT, reported on the account', () => {
    expect(run(CSV)).toEqual([
      expect.objectContaining({
        ruleId: 'root-account-mfa',
        resourceType: 'AWS::::Account',
        resourceId: '112233445566',
        accountId: '112233445566',
        region: 'global',
        compliance: 'COMPLIANT',
        annotation: 'Root user has MFA enabled (mfa_active = true in the credential report).',
      }),
    ]);
  });

  test('the masked sample takes the one account of the inventory; with none it says unknown', () => {
    expect(run(CSV)[0]?.resourceId).toBe('112233445566');
    expect(run(CSV, [])[0]?.resourceId).toBe('unknown');
  });

  test('an account named in the report ARNs wins over the inventory', () => {
    expect(run(withRoot({}, '111122223333'))[0]?.resourceId).toBe('111122223333');
  });

  test('root without MFA is NON_COMPLIANT, naming mfa_active', () => {
    expect(run(withRoot({ 7: 'false' }))[0]).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Root user has no MFA device (mfa_active = false in the credential report).',
    });
  });

  test('uppercase TRUE counts as MFA', () => {
    expect(run(withRoot({ 7: 'TRUE' }))[0]?.compliance).toBe('COMPLIANT');
  });

  test('an MFA state outside what IAM documents (no_information) could not be evaluated, never a pass', () => {
    expect(run(withRoot({ 7: 'no_information' }))[0]).toMatchObject({
      compliance: 'INSUFFICIENT_DATA',
      error: true,
      annotation: expect.stringMatching(/mfa_active is "no_information", not one of the values IAM documents/),
    });
  });

  test('an access key flag outside true/false could not be evaluated when it decides NOT_APPLICABLE', () => {
    expect(run(withRoot({ 3: 'false', 7: 'false', 8: 'maybe' }))[0]).toMatchObject({
      compliance: 'INSUFFICIENT_DATA',
      annotation: expect.stringMatching(/access_key_1_active is "maybe"/),
    });
  });

  test('a report generated long before the evaluation is flagged', () => {
    const json = JSON.stringify({ Content: Buffer.from(CSV).toString('base64'), GeneratedTime: '2026-11-01T00:00:00Z' });
    const evaluations = runInventoryRule('root-account-mfa', [itemFrom(SAMPLE.iamUser)], { extras: { credentialReports: [parseCredentialReport(json)] } });
    expect(evaluations[0]?.annotation).toBe(
      'Root user has MFA enabled (mfa_active = true in the credential report). The credential report is 27 days old (GeneratedTime 2026-11-01T00:00:00.000Z).',
    );
  });

  test('root without any credential (password_enabled false, no keys, no certificates) is NOT_APPLICABLE', () => {
    expect(run(withRoot({ 3: 'false', 7: 'false', 8: 'false', 13: 'false', 18: 'false', 20: 'false' }))[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: expect.stringMatching(/no password, access keys or certificates/),
    });
  });

  test('root without MFA but with an active access key is still NON_COMPLIANT', () => {
    expect(run(withRoot({ 3: 'false', 7: 'false', 8: 'true' }))[0]?.compliance).toBe('NON_COMPLIANT');
  });

  test('a report without a root row (an account that is gone from it) is not judged', () => {
    expect(run([HEADER, ...CSV.split('\n').slice(2)].join('\n'))).toEqual([]);
  });

  test('one evaluation per account report', () => {
    const reports = [parseCredentialReport(withRoot({}, '111122223333')), parseCredentialReport(withRoot({ 7: 'false' }, '444455556666'))];
    const evaluations = runInventoryRule('root-account-mfa', [], { extras: { credentialReports: reports } });
    expect(evaluations.map((e) => [e.resourceId, e.compliance])).toEqual([
      ['111122223333', 'COMPLIANT'],
      ['444455556666', 'NON_COMPLIANT'],
    ]);
  });

  test('without a credential report nothing is judged', () => {
    expect(runInventoryRule('root-account-mfa', [itemFrom(SAMPLE.iamUser)])).toEqual([]);
  });

  test('the rule takes no parameters: any is rejected', () => {
    expectBadParameter('root-account-mfa', { hardwareOnly: true }, /root-account-mfa: unknown parameter "hardwareOnly"; this rule takes no parameters/);
  });
});

testOnExampleClinic('root-account-mfa', 'the root user has MFA', {
  COMPLIANT: ['111122223333'],
});
