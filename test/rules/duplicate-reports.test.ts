/** A credential report given twice, or an older and a newer one of the same account, judges each user once. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCredentialReport } from '../../rules/credential-report.js';
import { buildInventory } from '../../rules/types.js';
import { runInventoryRule } from '../helpers/rules.js';
import { SAMPLE, sampleText } from '../helpers/samples.js';

const CLINIC_CSV = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'clinic', 'credential-report.csv'), 'utf8');

/** `aws iam get-credential-report` JSON: the CSV base64-encoded in Content, with GeneratedTime. */
const asApiJson = (csv: string, generatedTime: string) =>
  JSON.stringify({ Content: Buffer.from(csv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: generatedTime });

/** The clinic's report with billing-clerk's MFA switched on (mfa_active is column 7). */
const withClerkMfa = CLINIC_CSV.split('\n')
  .map((line) =>
    line.startsWith('billing-clerk,')
      ? line
          .split(',')
          .map((cell, i) => (i === 7 ? 'true' : cell))
          .join(',')
      : line,
  )
  .join('\n');

const mfaOf = (reports: ReturnType<typeof parseCredentialReport>[]) =>
  runInventoryRule('iam-user-console-mfa', [], { extras: { credentialReports: reports } }).map((e) => `${e.resourceId} ${e.compliance}`);

describe('duplicate credential reports of one account', () => {
  test('the same report twice: each user is judged once', () => {
    const once = mfaOf([parseCredentialReport(CLINIC_CSV)]);
    expect(mfaOf([parseCredentialReport(CLINIC_CSV), parseCredentialReport(CLINIC_CSV)])).toEqual(once);
    expect(once.length).toBeGreaterThan(0);
  });

  test('the report with the newer GeneratedTime wins, in either order', () => {
    const older = parseCredentialReport(asApiJson(CLINIC_CSV, '2026-11-20T06:00:00Z'));
    const newer = parseCredentialReport(asApiJson(withClerkMfa, '2026-11-28T06:00:00Z'));
    for (const reports of [
      [older, newer],
      [newer, older],
    ]) {
      const results = mfaOf(reports);
      expect(results.filter((line) => line.startsWith('billing-clerk'))).toEqual(['billing-clerk COMPLIANT']);
      expect(new Set(results).size).toBe(results.length);
    }
  });

  test('a report with GeneratedTime beats a CSV without one; between two CSVs the one given later wins', () => {
    const dated = parseCredentialReport(asApiJson(withClerkMfa, '2026-11-28T06:00:00Z'));
    const csv = parseCredentialReport(CLINIC_CSV);
    expect(buildInventory([], { credentialReports: [dated, csv] }).credentialReports).toEqual([
      expect.objectContaining({ generatedAt: '2026-11-28T06:00:00.000Z' }),
    ]);
    const later = parseCredentialReport(withClerkMfa, 'later.csv');
    expect(buildInventory([], { credentialReports: [csv, later] }).credentialReports.map((r) => r.source)).toEqual(['later.csv']);
  });

  test('reports of different accounts are all kept; masked reports of an unknown account are never merged', () => {
    const other = parseCredentialReport(CLINIC_CSV.replaceAll('111122223333', '444455556666'));
    expect(buildInventory([], { credentialReports: [parseCredentialReport(CLINIC_CSV), other] }).credentialReports.map((r) => r.accountId)).toEqual([
      '111122223333',
      '444455556666',
    ]);
    const masked = sampleText(SAMPLE.credentialReport);
    expect(buildInventory([], { credentialReports: [parseCredentialReport(masked), parseCredentialReport(masked)] }).credentialReports).toHaveLength(2);
  });
});
