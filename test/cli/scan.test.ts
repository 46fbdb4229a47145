import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../cli/scan.js';
import { FIXTURES, rawSampleItem, SAMPLE } from '../helpers/samples.js';
import { NOW } from '../helpers/rules.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'clinic', 'config-snapshot.json');

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, NOW);
  return { code, stdout, stderr };
}

function temp(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccm-scan-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

const snapshotOf = (...items: unknown[]) => JSON.stringify({ fileVersion: '1.0', configSnapshotId: 'test', configurationItems: items });

describe('npm run scan', () => {
  test('the example clinic: pinned result per rule, exit 1 because some resources fail', async () => {
    const { code, stdout } = await run('--snapshot', EXAMPLE, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { evaluations: { ruleId: string; resourceId: string; compliance: string }[]; summary: Record<string, unknown> };
    const failing = report.evaluations.filter((e) => e.compliance === 'NON_COMPLIANT').map((e) => `${e.ruleId} ${e.resourceId}`).sort();
    expect(failing).toEqual([
      'backup-recovery-point-encrypted arn:aws:backup:us-east-1:111122223333:recovery-point:4A0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C03',
      'ebs-volume-encrypted vol-0a11e4c5d6e7f8103',
      'ebs-volume-encrypted vol-0a11e4c5d6e7f8106',
      'efs-filesystem-encrypted fs-0c1a2b3c4d5e6f702',
      'rds-storage-encrypted db-BILLINGLEGACY1A2B3C4D5E6F7G',
      's3-bucket-encrypted riverside-ehr-exports-legacy',
    ]);
    expect(report.summary).toMatchObject({
      resourcesEvaluated: 20,
      evaluations: 20,
      compliance: { COMPLIANT: 13, NON_COMPLIANT: 6, NOT_APPLICABLE: 1, INSUFFICIENT_DATA: 0 },
      rulesSkipped: [{ ruleId: 'ebs-encryption-by-default', reason: expect.any(String) }],
      skippedItems: [],
    });
    const exempt = report.evaluations.find((e) => e.resourceId === 'vol-0a11e4c5d6e7f8105');
    expect(exempt).toMatchObject({ compliance: 'NOT_APPLICABLE', annotation: expect.stringMatching(/^Exempt \(compliance:exempt until 2027-01-31\)/) });
  });

  test('--format json follows the DESIGN.md contract field for field', async () => {
    const { stdout } = await run('--snapshot', EXAMPLE, '--format', 'json');
    const report = JSON.parse(stdout) as { evaluations: Record<string, unknown>[] };
    expect(Object.keys(report)).toEqual(['evaluations', 'summary']);
    for (const evaluation of report.evaluations) {
      expect(Object.keys(evaluation)).toEqual(['ruleId', 'resourceType', 'resourceId', 'accountId', 'region', 'compliance', 'annotation', 'severity', 'hipaa']);
    }
  });

  test('the table groups by rule, with counts and each failing resource with its annotation', async () => {
    const { code, stdout } = await run('--snapshot', EXAMPLE);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL  rds-storage-encrypted  [HIGH]');
    expect(stdout).toContain('      2 compliant, 1 non-compliant, 0 not applicable');
    expect(stdout).toContain('✗ AWS::RDS::DBInstance db-BILLINGLEGACY1A2B3C4D5E6F7G (billing-legacy) 111122223333/us-east-1: RDS instance storage is not encrypted (storageEncrypted = false).');
    expect(stdout).toContain('PASS  dynamodb-table-encrypted');
    expect(stdout).toMatch(/20 resources, 20 evaluations: 13 compliant, 6 non-compliant, 1 not applicable\.\n$/);
  });

  test('exit 0 when everything is compliant', async () => {
    const file = temp('ok.json', snapshotOf(rawSampleItem(SAMPLE.volume), rawSampleItem(SAMPLE.dbInstance)));
    expect((await run('--snapshot', file)).code).toBe(0);
  });

  test('a gzipped snapshot reads like a plain one, and --snapshot repeats', async () => {
    const gz = temp('a.json.gz', gzipSync(snapshotOf(rawSampleItem(SAMPLE.volume))));
    const plain = temp('b.json', snapshotOf(rawSampleItem(SAMPLE.bucket)));
    const { stdout } = await run('--snapshot', gz, '--snapshot', plain, '--format', 'json');
    const report = JSON.parse(stdout) as { evaluations: { resourceType: string }[] };
    expect(report.evaluations.map((e) => e.resourceType).sort()).toEqual(['AWS::EC2::Volume', 'AWS::S3::Bucket']);
  });

  test('a truncated snapshot is exit 2, naming the file and the position, with nothing on stdout', async () => {
    const text = snapshotOf(rawSampleItem(SAMPLE.volume));
    const file = temp('cut.json', text.slice(0, 500));
    const { code, stdout, stderr } = await run('--snapshot', file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: unexpected end of input \\(truncated file\\?\\) at line 1, column 501`));
  });

  test('a corrupt gzip file is exit 2', async () => {
    const file = temp('bad.json.gz', gzipSync('{"configurationItems": []}').subarray(0, 15));
    const { code, stderr } = await run('--snapshot', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.json\.gz: gzip data is corrupt or truncated/);
  });

  test.each([
    ['missing.json', null, /missing\.json: file not found/],
    ['empty.json', '', /empty\.json: file is empty/],
    ['other.json', '{"Users": []}', /other\.json: not a Config snapshot/],
  ])('%s is exit 2 with a message naming it', async (name, content, message) => {
    const file = content === null ? join(tmpdir(), 'definitely-not-here', name) : temp(name, content);
    const { code, stderr } = await run('--snapshot', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  test('one malformed item is reported on stderr and in the JSON summary; every other item is evaluated', async () => {
    const file = temp('one-bad.json', snapshotOf(rawSampleItem(SAMPLE.volume), { resourceType: 'AWS::EC2::Volume', resourceId: 'vol-broken' }, rawSampleItem(SAMPLE.dbInstance)));
    const { code, stdout, stderr } = await run('--snapshot', file, '--format', 'json');
    expect(code).toBe(1);
    expect(stderr).toMatch(/warning: skipped .*one-bad\.json configurationItems\[1\] \(AWS::EC2::Volume vol-broken\): missing configurationItemCaptureTime/);
    const report = JSON.parse(stdout) as { evaluations: unknown[]; summary: { skippedItems: unknown[] } };
    expect(report.evaluations).toHaveLength(2);
    expect(report.summary.skippedItems).toEqual([expect.objectContaining({ location: 'configurationItems[1]', resourceId: 'vol-broken' })]);
  });

  test('--params applies rule parameters', async () => {
    const params = temp('params.json', JSON.stringify({ 's3-bucket-encrypted': { requireKms: true } }));
    const { stdout } = await run('--snapshot', EXAMPLE, '--params', params, '--format', 'json');
    const failing = (JSON.parse(stdout) as { evaluations: { ruleId: string; compliance: string }[] }).evaluations.filter((e) => e.ruleId === 's3-bucket-encrypted' && e.compliance === 'NON_COMPLIANT');
    expect(failing).toHaveLength(3);
  });

  test.each([
    [{ 's3-bucket-encrypted': { requireKms: 'sometimes' } }, /params\.json: s3-bucket-encrypted: parameter requireKms = "sometimes" is invalid: expected true or false/],
    [{ 's3-encrypted': {} }, /params\.json: unknown rule id "s3-encrypted"/],
    [{ 'ebs-volume-encrypted': 'x' }, /parameters of ebs-volume-encrypted must be an object/],
  ])('a bad --params file is exit 2 naming the problem', async (content, message) => {
    const params = temp('params.json', JSON.stringify(content));
    const { code, stdout, stderr } = await run('--snapshot', EXAMPLE, '--params', params);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  test('--out writes the report and nothing to stdout; a failed run leaves no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccm-out-'));
    const out = join(dir, 'report.json');
    const ok = await run('--snapshot', EXAMPLE, '--format', 'json', '--out', out);
    expect(ok.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveProperty('summary');
    const failedOut = join(dir, 'failed.json');
    const failed = await run('--snapshot', join(dir, 'nope.json'), '--out', failedOut);
    expect(failed.code).toBe(2);
    expect(existsSync(failedOut)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['report.json']);
  });

  test('usage errors are exit 2', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('--snapshot', EXAMPLE, '--format', 'pdf')).code).toBe(2);
  });

  test('the SSM sample with a raw control character scans without error', async () => {
    const { code, stderr } = await run('--snapshot', join(FIXTURES, 'aws-samples/config-ci/rdk/AWS_SSM_ManagedInstanceInventory_Linux.json'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
