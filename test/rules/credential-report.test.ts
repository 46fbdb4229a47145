import fc from 'fast-check';
import { CredentialReportError, parseCredentialReport, REPORT_COLUMNS, ROOT_USER } from '../../rules/credential-report.js';
import { SAMPLE, sampleText } from '../helpers/samples.js';

const SAMPLE_CSV = sampleText(SAMPLE.credentialReport);
const [HEADER = '', ROOT_LINE = '', ...USER_LINES] = SAMPLE_CSV.split('\n');

describe('parseCredentialReport', () => {
  test('reads the real-format sample: 22 columns, a root row and three users, lowercase flags', () => {
    const report = parseCredentialReport(SAMPLE_CSV, 'sample.csv');
    expect(HEADER.split(',')).toEqual([...REPORT_COLUMNS]);
    expect(report.root).toMatchObject({ user: ROOT_USER, mfaActive: true, line: 2, raw: { passwordEnabled: 'not_supported', mfaActive: 'true' } });
    expect(report.root?.passwordEnabled).toBeUndefined();
    expect(report.users.map((u) => [u.user, u.passwordEnabled, u.mfaActive, u.activeAccessKeys, u.line])).toEqual([
      ['example.user', true, false, 1, 3],
      ['fakeuser', true, true, 1, 4],
      ['final.user', true, false, 1, 5],
    ]);
    expect(report.users[0]?.createdAt).toBe(Date.parse('2017-06-10T02:43:37+00:00'));
  });

  test('the sample masks the account (fakearn): no account id is made up', () => {
    expect(parseCredentialReport(SAMPLE_CSV).accountId).toBeUndefined();
  });

  test('the account comes from the arn column when it is real', () => {
    expect(parseCredentialReport(SAMPLE_CSV.replaceAll('fakearn', '111122223333')).accountId).toBe('111122223333');
  });

  test('TRUE/FALSE as the IAM docs spell them read like true/false', () => {
    const upper = parseCredentialReport(SAMPLE_CSV.replace(/,true,/g, ',TRUE,').replace(/,false,/g, ',FALSE,'));
    expect(upper.users.map((u) => [u.passwordEnabled, u.mfaActive])).toEqual([
      [true, false],
      [true, true],
      [true, false],
    ]);
  });

  test('N/A, no_information and not_supported are "not reported", never false', () => {
    const line = (USER_LINES[0] ?? '').split(',');
    line[3] = 'no_information';
    line[7] = 'N/A';
    const report = parseCredentialReport([HEADER, line.join(',')].join('\n'));
    expect(report.users[0]).toMatchObject({ raw: { passwordEnabled: 'no_information', mfaActive: 'N/A' } });
    expect(report.users[0]?.passwordEnabled).toBeUndefined();
    expect(report.users[0]?.mfaActive).toBeUndefined();
  });

  test('quoted fields, CRLF line ends and a byte-order mark are read by the CSV parser', () => {
    const quoted = ['\uFEFF' + HEADER, ROOT_LINE, `"example.user",${(USER_LINES[0] ?? '').split(',').slice(1).join(',')}`].join('\r\n');
    expect(parseCredentialReport(quoted).users[0]?.user).toBe('example.user');
  });

  test('the JSON of aws iam get-credential-report (base64 Content) is decoded', () => {
    const json = JSON.stringify({ Content: Buffer.from(SAMPLE_CSV).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-11-28T06:00:00Z' });
    const report = parseCredentialReport(json);
    expect(report.generatedAt).toBe('2026-11-28T06:00:00.000Z');
    expect(report.users).toHaveLength(3);
  });

  test.each([
    [
      'a row with a missing column',
      [HEADER, ROOT_LINE, (USER_LINES[0] ?? '').replace(/,N\/A$/, '')].join('\n'),
      /^line 3: Invalid Record Length: expect 22, got 21$/,
    ],
    [
      'a header without the MFA columns',
      ['user,arn,user_creation_time', 'bob,arn:aws:iam::111122223333:user/bob,2026-01-01T00:00:00+00:00'].join('\n'),
      /^line 1: the header lacks 19 of the 22 columns of an IAM credential report: password_enabled, password_last_used, .*, mfa_active, .*cert_2_last_rotated$/,
    ],
    [
      'a header without the key and certificate columns (only some of the 22)',
      [HEADER.split(',').slice(0, 8).join(','), (ROOT_LINE ?? '').split(',').slice(0, 8).join(',')].join('\n'),
      /^line 1: the header lacks 14 of the 22 columns of an IAM credential report: access_key_1_active, .*cert_1_active, cert_1_last_rotated, cert_2_active, cert_2_last_rotated$/,
    ],
    ['a header and no rows', HEADER, /^line 1: the report has a header but no rows; IAM always writes a <root_account> row$/],
    [
      'a GeneratedTime that is not a time',
      JSON.stringify({ Content: Buffer.from(SAMPLE_CSV).toString('base64'), GeneratedTime: 'yesterday' }),
      /^line 1: GeneratedTime "yesterday" is not a time$/,
    ],
    ['an empty report', '\n\n', /^line 1: the report is empty$/],
    ['an unclosed quote', [HEADER, ROOT_LINE, `"example.user,${(USER_LINES[0] ?? '').split(',').slice(1).join(',')}`].join('\n'), /^line 3: Quote Not Closed/],
    ['the same user twice', [HEADER, ROOT_LINE, USER_LINES[0], USER_LINES[0]].join('\n'), /^line 4: user "example.user" appears twice \(lines 3 and 4\)$/],
    ['an empty user name', [HEADER, `,${(USER_LINES[0] ?? '').split(',').slice(1).join(',')}`].join('\n'), /^line 2: the user column is empty$/],
    [
      'rows of two accounts',
      [HEADER, (USER_LINES[0] ?? '').replace('fakearn', '111122223333'), (USER_LINES[1] ?? '').replace('fakearn', '444455556666')].join('\n'),
      /several accounts \(111122223333, 444455556666\)/,
    ],
    ['JSON without Content', '{"ReportFormat": "text/csv"}', /^line 1: JSON input must be the output of aws iam get-credential-report/],
    ['broken JSON', '{"Content": ', /not valid JSON/],
  ])('%s is an error naming the line', (_name, text, message) => {
    expect(() => parseCredentialReport(text)).toThrow(CredentialReportError);
    expect(() => parseCredentialReport(text)).toThrow(message);
  });

  test('any set of users survives the CSV round trip, flags in any case', () => {
    const flagText = fc.constantFrom('true', 'TRUE', 'True', 'false', 'FALSE', 'N/A', 'no_information', 'not_supported');
    const user = fc.record({ name: fc.stringMatching(/^[\w+=,.@-]{1,20}$/), password: flagText, mfa: flagText });
    fc.assert(
      fc.property(fc.uniqueArray(user, { selector: (u) => u.name, minLength: 1, maxLength: 8 }), (users) => {
        const rows = users.map((u) => {
          const cells = (USER_LINES[0] ?? '').split(',');
          cells[0] = `"${u.name}"`;
          cells[1] = `"arn:aws:iam::111122223333:user/${u.name}"`;
          cells[3] = u.password;
          cells[7] = u.mfa;
          return cells.join(',');
        });
        const report = parseCredentialReport([HEADER, ...rows].join('\n'));
        const asFlag = (text: string) => (/^true$/i.test(text) ? true : /^false$/i.test(text) ? false : undefined);
        expect(report.users.map((u) => [u.user, u.passwordEnabled, u.mfaActive])).toEqual(users.map((u) => [u.name, asFlag(u.password), asFlag(u.mfa)]));
      }),
    );
  });
});
