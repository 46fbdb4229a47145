import { createHash } from 'node:crypto';
import { toHtml } from '../../../functions/reports/html.js';
import { escapeHtml, html, SafeHtml } from '../../../functions/reports/safe-html.js';
import type { LiveReadSummary } from '../../../functions/reports/model.js';
import type { Evaluation } from '../../../rules/types.js';
import { HOSTILE, hostileReport, META, mixedEvaluations, reportOf } from '../../helpers/reports.js';

/** The text of the element with this id, up to its closing tag of the same name (no nesting of that tag inside). */
function element(page: string, tag: string, id: string): string {
  const start = page.indexOf(`<${tag} id="${id}"`);
  if (start === -1) throw new Error(`no <${tag} id="${id}">`);
  return page.slice(start, page.indexOf(`</${tag}>`, start));
}

const textOf = (fragment: string) =>
  fragment
    .replace(/<wbr>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('html tagged template', () => {
  test('escapes every interpolated value, in text and in quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(html`<td title="${'" onmouseover="x'}">${'<b>'}</td>`.value).toBe('<td title="&quot; onmouseover=&quot;x">&lt;b&gt;</td>');
  });

  test('keeps SafeHtml, flattens lists and drops false, null and undefined', () => {
    expect(html`${[html`<i>${'a&b'}</i>`, 'c<', 1, false, null, undefined, [new SafeHtml('<br>')]]}`.value).toBe('<i>a&amp;b</i>c&lt;1<br>');
  });
});

describe('toHtml', () => {
  const page = toHtml(reportOf(mixedEvaluations()));

  test('self-contained: no script, no external reference, a CSP admitting only its own stylesheet by hash', () => {
    expect(page).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|@import|url\(/i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    const digest = createHash('sha256').update(style).digest('base64');
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${digest}'; base-uri 'none'; form-action 'none'">`,
    );
    expect(page.match(/<style>/g)).toHaveLength(1);
    expect(page).not.toMatch(/ style="/);
    // The only URLs: the SVG namespace and the AWS remediation links, which a reader follows by choice.
    for (const url of page.match(/https?:\/\/[^"'<\s)]+/g) ?? []) expect(url).toMatch(/^(http:\/\/www\.w3\.org\/2000\/svg|https:\/\/docs\.aws\.amazon\.com\/)/);
  });

  test('header: generated at, evaluated as of, inputs with SHA-256, accounts and Regions, version', () => {
    const scope = textOf(element(page, 'section', 'scope'));
    expect(scope).toContain(`Generated at ${META.generatedAt}`);
    expect(scope).toContain(`Evaluated as of ${META.evaluatedAsOf}`);
    expect(scope).toContain(`snapshot.json 1234 ${'ab'.repeat(32)}`);
    expect(scope).toContain('Clinic Compliance Monitor 9.9.9');
    expect(textOf(element(page, 'table', 'coverage'))).toBe('Account Regions 264683526309 us-east-1');
    expect(scope).toContain('Every rule runs with its default parameters');
  });

  test('parameters that differ from their defaults are listed in the header, and every parameter with its rule', () => {
    const changed = toHtml(reportOf(mixedEvaluations(), { meta: { parameters: { 'ebs-volume-encrypted': { kmsKeyArns: ['alias/clinic-data'] } } } }));
    expect(textOf(element(changed, 'table', 'parameters'))).toContain('ebs-volume-encrypted kmsKeyArns alias/clinic-data (none)');
    expect(textOf(element(changed, 'section', 'rule-ebs-volume-encrypted'))).toContain('kmsKeyArns alias/clinic-data (none) KMS keys allowed');
  });

  test('each rule: status in words, counts, failing resources with annotation, remediation steps and link', () => {
    const rule = element(page, 'section', 'rule-ebs-volume-encrypted');
    expect(textOf(rule)).toMatch(/^FAIL EBS volumes are encrypted at rest \(ebs-volume-encrypted\)/);
    expect(rule).toContain(
      '<td class="num" data-key="COMPLIANT">1</td><td class="num" data-key="NON_COMPLIANT">3</td><td class="num" data-key="NOT_APPLICABLE">1</td><td class="num" data-key="INSUFFICIENT_DATA">1</td>',
    );
    const failing = /<table class="failing">[\s\S]*?<\/table>/.exec(rule)?.[0] ?? '';
    expect(failing.match(/<tr>/g)).toHaveLength(4);
    for (const id of ['vol-0000000000000bbbb', 'vol-0000000000000dddd', 'vol-0000000000000eeee']) expect(failing).toContain(id);
    expect(failing).not.toContain('vol-0000000000000ffff');
    expect(textOf(failing)).toContain('Exemption expired on 2026-11-01, ignored. EBS volume is not encrypted (encrypted = false).');
    expect(textOf(rule)).toContain('Remediation An existing volume cannot be encrypted in place');
    expect(rule).toContain('<li>Create a snapshot of the unencrypted volume.</li>');
    expect(rule).toContain('<a href="https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html" rel="noopener noreferrer">');
  });

  test('exemptions register: in force with reason and until; expired and malformed as ignored, saying why', () => {
    expect(textOf(element(page, 'table', 'exemptions-active'))).toContain(
      'AWS::EC2::Volume vol-0000000000000cccc 264683526309 us-east-1 lab scratch disk 2026-12-31 ebs-volume-encrypted',
    );
    const ignored = textOf(element(page, 'table', 'exemptions-ignored'));
    expect(ignored).toContain('vol-0000000000000dddd 264683526309 us-east-1 expired on 2026-11-01 migration 2026-11-01');
    expect(ignored).toContain('vol-0000000000000eeee 264683526309 us-east-1 malformed: the tag gives no reason — no end date');
  });

  test('what was not evaluated: skipped rules, unreadable items and could-not-evaluate verdicts', () => {
    const report = reportOf(mixedEvaluations(), {
      rulesSkipped: [{ ruleId: 'root-account-mfa', reason: 'needs the IAM credential report (--credential-report FILE)' }],
      skippedItems: [
        { source: 'snapshot.json', location: 'configurationItems[7]', resourceType: 'AWS::EC2::Volume', reason: 'configuration is not valid JSON' },
      ],
    });
    const section = textOf(element(toHtml(report), 'section', 'not-evaluated'));
    expect(section).toContain('Rules skipped (1) Rule Title Why root-account-mfa The root user signs in with MFA needs the IAM credential report');
    expect(section).toContain('snapshot.json configurationItems[7] AWS::EC2::Volume — configuration is not valid JSON');
    expect(section).toContain('Resources that could not be evaluated (1)');
    expect(section).toContain(
      'ebs-volume-encrypted AWS::EC2::Volume vol-0000000000000ffff — 264683526309 us-east-1 Could not evaluate: configuration.encrypted is missing.',
    );
  });

  test('summary: counts by compliance, per area, and per HIPAA citation with its rules, skipped ones included', () => {
    const report = reportOf(mixedEvaluations(), { rulesSkipped: [{ ruleId: 'ebs-encryption-by-default', reason: 'needs a live AWS API' }] });
    const out = toHtml(report);
    expect(textOf(element(out, 'table', 'counts'))).toContain(
      'Compliant 1 Non-compliant 3 Not applicable 1 Could not be evaluated 1 All evaluations 6 Resources evaluated 6',
    );
    expect(textOf(element(out, 'table', 'areas'))).toContain('Encryption at rest 2 1 3 1 1');
    expect(element(out, 'table', 'areas')).toContain('<svg class="bar" aria-hidden="true"');
    const citations = textOf(element(out, 'table', 'citations'));
    expect(citations).toContain(
      '45 CFR 164.312(a)(2)(iv) Encryption and decryption ebs-volume-encrypted FAIL 1 3 1 1 ebs-encryption-by-default SKIPPED needs a live AWS API',
    );
    expect(citations).toContain('45 CFR 164.312(e)(2)(ii) Encryption');
  });

  test('the scan warnings (nothing evaluated, rules not run, old credential reports) lead the summary, before any figure', () => {
    const out = toHtml(
      reportOf(mixedEvaluations(), {
        rulesSkipped: [{ ruleId: 'root-account-mfa', reason: 'needs the IAM credential report (--credential-report FILE)' }],
        summaryExtra: { warnings: ['Rule root-account-mfa was not run: it needs the IAM credential report (--credential-report FILE).'] },
      }),
    );
    const summary = element(out, 'section', 'summary');
    expect(textOf(element(out, 'div', 'warnings'))).toBe(
      'Read first: what this report does not show Rule root-account-mfa was not run: it needs the IAM credential report (--credential-report FILE).',
    );
    expect(summary.indexOf('id="warnings"')).toBeLessThan(summary.indexOf('id="counts"'));
    expect(toHtml(reportOf(mixedEvaluations()))).not.toContain('id="warnings"');
  });

  test('the credential reports read are listed with their age; an old one says so', () => {
    const reports = [{ source: 'report.json', accountId: '111122223333', generatedAt: '2026-11-18T06:00:00.000Z', ageHours: 246, stale: true }];
    expect(textOf(element(toHtml(reportOf(mixedEvaluations(), { summaryExtra: { credentialReports: reports } })), 'table', 'credential-reports'))).toContain(
      'report.json 111122223333 2026-11-18T06:00:00.000Z 246 yes',
    );
    expect(toHtml(reportOf(mixedEvaluations()))).not.toContain('credential-reports');
  });

  test('summary fields it does not know yet are shown too, by name', () => {
    const out = toHtml(
      reportOf(mixedEvaluations(), {
        summaryExtra: { futureFlag: false, staleThingsSeen: [{ accountId: '111122223333', generatedAt: '2026-10-01T00:00:00Z' }] },
      }),
    );
    const other = textOf(element(out, 'table', 'summary-other'));
    expect(other).toContain('Future flag (futureFlag) false');
    expect(other).toContain('Stale things seen (staleThingsSeen) Account id Generated at 111122223333 2026-10-01T00:00:00Z');
    expect(page).not.toContain('summary-other');
  });

  test('customer data is escaped everywhere it appears: no markup of it survives', () => {
    const out = toHtml(hostileReport());
    for (const value of Object.values(HOSTILE)) expect(out).not.toContain(value);
    expect(out).not.toMatch(/<script|<img|<iframe|<svg onload|<a href="javascript|<style>body/i);
    expect(out).toContain(escapeHtml(HOSTILE.resourceId));
    expect(out).toContain(escapeHtml(HOSTILE.annotation));
  });

  test('a live scan: the accounts and Regions read, when and by whom, what was refused or not recording, in place of input files; its values escaped', () => {
    const live: LiveReadSummary = {
      caller: 'arn:aws:iam::111122223333:user/assessor',
      startedAt: '2026-11-28T12:00:00.000Z',
      finishedAt: '2026-11-28T12:00:07.000Z',
      complete: false,
      accounts: [
        {
          accountId: '111122223333',
          status: 'read',
          denied: [],
          regions: [
            { region: 'us-east-1', status: 'read', items: 51, denied: ['backup:ListBackupPlans'] },
            { region: 'eu-west-1', status: 'not-recording', items: 0, problem: HOSTILE.annotation, denied: [] },
          ],
        },
        {
          accountId: '444455556666',
          status: 'failed',
          problem: 'cannot assume arn:aws:iam::444455556666:role/clinic-assessor (AccessDenied)',
          regions: [],
          denied: [],
        },
      ],
    };
    const out = toHtml(reportOf(mixedEvaluations(), { meta: { inputs: [] }, summaryExtra: { live } }));
    const scope = element(out, 'section', 'scope');
    expect(textOf(scope)).toContain(
      'Live read of 2 accounts (111122223333, 444455556666) in 2 Regions (eu-west-1, us-east-1), 2026-11-28T12:00:00.000Z to 2026-11-28T12:00:07.000Z, as arn:aws:iam::111122223333:user/assessor; 1 could not be read.',
    );
    const table = textOf(element(out, 'table', 'live-read'));
    expect(table).toMatch(/^Account Region Status Items read Permissions refused Note 111122223333/);
    expect(table).toContain('111122223333 us-east-1 read 51 backup:ListBackupPlans —');
    expect(table).toContain(`111122223333 eu-west-1 AWS Config not recording: its Config-based rules skipped 0 none ${textOf(escapeHtml(HOSTILE.annotation))}`);
    expect(table).toMatch(/444455556666 — could not be read 0 — cannot assume arn:aws:iam::444455556666:role\/clinic-assessor \(AccessDenied\)$/);
    expect(scope).not.toContain('<h3>Input files</h3>');
    expect(out).not.toContain(HOSTILE.annotation);
    expect(out).not.toContain('summary-other');
  });

  test('a report with nothing in it still renders every section', () => {
    const out = toHtml(reportOf([] as Evaluation[], { meta: { inputs: [] } }));
    for (const id of ['scope', 'summary', 'rules', 'exemptions', 'not-evaluated']) expect(out).toContain(`<section id="${id}"`);
    expect(out).toContain('No resource was evaluated.');
  });
});
