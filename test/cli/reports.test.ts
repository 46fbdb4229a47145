import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { FORMATS } from '../../cli/render.js';
import { runScan as run } from '../helpers/cli.js';
import { NOW } from '../helpers/rules.js';

const EXAMPLE_DIR = join(import.meta.dirname, '..', '..', 'examples', 'clinic');
const FILES = ['config-snapshot.json', 'credential-report.csv', 'backup-selections.json'].map((name) => join(EXAMPLE_DIR, name));
const FULL = ['--snapshot', FILES[0] ?? '', '--credential-report', FILES[1] ?? '', '--backup-selections', FILES[2] ?? ''];
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('npm run scan -- --format csv', () => {
  test('the example clinic: one row per evaluation of the JSON report, exemptions in their own columns', async () => {
    const json = JSON.parse((await run(...FULL, '--format', 'json')).stdout) as {
      evaluations: { ruleId: string; resourceId: string; compliance: string; annotation: string }[];
    };
    const { code, stdout, stderr } = await run(...FULL, '--format', 'csv');
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const rows = parse(stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row['rule id'], row['resource id'], row.compliance, row.annotation])).toEqual(
      json.evaluations.map((e) => [e.ruleId, e.resourceId, e.compliance, e.annotation]),
    );
    const exempt = rows.filter((row) => row.exemption !== '');
    expect(exempt).toHaveLength(7);
    for (const row of exempt)
      expect(row).toMatchObject({
        compliance: 'NOT_APPLICABLE',
        exemption: 'in force',
        'exemption reason': 'decommissioning, wiped by vendor',
        'exemption until': '2027-01-31',
      });
    expect(rows.find((row) => row['resource id'] === 'db-BILLINGLEGACY1A2B3C4D5E6F7G')).toMatchObject({
      'resource name': 'billing-legacy',
      account: '111122223333',
      Region: 'us-east-1',
    });
  });
});

describe('npm run scan -- --format html', () => {
  test('lists each input file with its size and the SHA-256 of its bytes as stored (a gzip file: of the compressed bytes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccm-html-'));
    const gz = join(dir, 'snapshot.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(FILES[0] ?? '')));
    const params = join(dir, 'params.json');
    writeFileSync(params, '{"instance-patch-compliant": {"maxScanAgeDays": 14}}');
    const out = join(dir, 'report.html');
    const { code } = await run('--snapshot', gz, '--credential-report', FILES[1] ?? '', '--params', params, '--format', 'html', '--out', out);
    expect(code).toBe(1);
    const page = readFileSync(out, 'utf8');
    for (const file of [gz, FILES[1] ?? '', params]) {
      const bytes = readFileSync(file);
      expect(page).toContain(`<span class="id">${file}</span></th><td class="num">${bytes.length}</td><td><span class="id">${sha256(bytes)}</span>`);
    }
    expect(page).toMatch(/instance-patch-compliant<\/span><\/th><td><span class="code">maxScanAgeDays<\/span><\/td><td>14<\/td><td>7<\/td>/);
    expect(page).toContain(`<tr><th scope="row">Evaluated as of</th><td>${NOW.toISOString()}</td></tr>`);
    const version = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    expect(page).toContain(`<td>Clinic Compliance Monitor ${version}</td>`);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the exemption tag in force is named in the report', async () => {
    const { stdout } = await run(...FULL, '--format', 'html', '--exemption-tag', 'hipaa:waiver');
    expect(stdout).toContain('<tr><th scope="row">Exemption tag</th><td><span class="id">hipaa:waiver</span></td></tr>');
    expect(stdout).toContain('<h3>Exemptions in force (0)</h3>');
  });
});

test('the README documents every --format in its full syntax and its evidence-report section', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  expect(readme).toContain(`[--format ${FORMATS.join('|')}]`);
  expect(readme).toContain('### Evidence reports for auditors (HTML, CSV)');
  expect(readme).toContain('--as-of 2026-11-28T12:00:00Z --format html --out clinic-evidence.html');
});
