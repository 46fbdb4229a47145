/** Issue 13, "the first run, as a new user meets it": paths, stdin, --out, pipes, --version/--help, the forgotten `--`, exports, LICENSE. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { InputFileError } from '../../cli/load.js';
import { writeAtomically } from '../../cli/scan.js';
import { EXAMPLE, report, runScan, runScanWith, tempDir } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** Under `npm run scan`: npm runs the script in the package root and says where the user was. */
const npmScan = (initCwd: string) => ({ env: { npm_lifecycle_event: 'scan', INIT_CWD: initCwd }, cwd: ROOT });

function oneLine(stderr: string): string {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return stderr;
}

describe('paths start where the user stands', () => {
  test('under npm run scan, a relative --snapshot and --out resolve from INIT_CWD, not the package root', async () => {
    const dir = tempDir();
    copyFileSync(EXAMPLE, join(dir, 'export.json'));
    const result = await runScanWith(['--snapshot', './export.json', '--format', 'json', '--out', 'report.json'], npmScan(dir));
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).not.toMatch(/^error/m);
    expect(report(readFileSync(join(dir, 'report.json'), 'utf8')).summary.inputs).toEqual(['./export.json']);
  });

  test('"file not found" says where it looked', async () => {
    const dir = tempDir();
    const result = await runScanWith(['--snapshot', 'exports/snapshot.json'], npmScan(dir));
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(`error: exports/snapshot.json: file not found (looked for ${join(dir, 'exports', 'snapshot.json')})\n`);
  });

  test('outside npm run scan (npm run demo, npx tsx) paths resolve from the working directory', async () => {
    const dir = tempDir();
    const inRoot = relative(ROOT, EXAMPLE);
    expect((await runScanWith(['--snapshot', inRoot], { env: { npm_lifecycle_event: 'demo', INIT_CWD: dir }, cwd: ROOT })).code).toBe(1);
    expect((await runScanWith(['--snapshot', inRoot], { env: {}, cwd: ROOT })).code).toBe(1);
  });

  test('a directory given as a file is exit 2 with one line', async () => {
    const dir = tempDir();
    const result = await runScan('--snapshot', dir);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(`error: ${dir}: is a directory (${dir}), not a file\n`);
  });
});

describe('- reads standard input', () => {
  test('a snapshot piped in, plain or gzip, scans like the file', async () => {
    const text = readFileSync(EXAMPLE);
    const fromFile = report((await runScan('--snapshot', EXAMPLE, '--format', 'json')).stdout);
    for (const bytes of [text, gzipSync(text)]) {
      const piped = await runScanWith(['--snapshot', '-', '--format', 'json'], { stdin: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]) });
      expect(piped.code).toBe(1);
      const result = report(piped.stdout);
      expect(result.evaluations).toEqual(fromFile.evaluations);
      expect(result.summary.inputs).toEqual(['-']);
    }
  });

  test('standard input given twice is exit 2', async () => {
    const result = await runScanWith(['--snapshot', '-', '--params', '-'], { stdin: Readable.from(['{}']) });
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(/^error: -: /);
  });
});

describe('--out', () => {
  test('into a missing directory: exit 2, one line, before any scanning, and no file left behind', async () => {
    const dir = tempDir();
    const out = join(dir, 'missing', 'report.json');
    const result = await runScan('--snapshot', EXAMPLE, '--out', out);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(
      `error: --out ${out}: directory ${join(dir, 'missing')} does not exist; create it first (mkdir -p "${join(dir, 'missing')}")\n`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  test('onto a directory: exit 2, one line, the directory untouched', async () => {
    const dir = tempDir();
    const result = await runScan('--snapshot', EXAMPLE, '--out', dir);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(`error: --out ${dir}: ${dir} is a directory; give a file name, e.g. ${join(dir, 'report.json')}\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a write that fails at the end (the target became a directory meanwhile) leaves no temporary file', async () => {
    const dir = tempDir();
    const out = join(dir, 'report.json');
    mkdirSync(out);
    writeFileSync(join(out, 'keep'), '');
    const failure = writeAtomically('report.json', out, '{}');
    await expect(failure).rejects.toBeInstanceOf(InputFileError);
    await expect(failure).rejects.toThrow(/^--out report\.json: cannot write .*report\.json \((EISDIR|ENOTEMPTY|EEXIST)\)$/);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});

describe('--version and --help', () => {
  test('--version prints the package version', async () => {
    expect(await runScan('--version')).toEqual({ code: 0, stdout: `${PACKAGE.version}\n`, stderr: '' });
  });

  test('--help lists the options, the exit codes and an example', async () => {
    const { code, stdout } = await runScan('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--snapshot <file>');
    expect(stdout).toMatch(/Exit codes:\n {2}0 {2}everything evaluated is compliant\n {2}1 {2}[^]*?\n {2}2 {2}bad input/);
    expect(stdout).toContain('npm run scan -- --snapshot exports/snapshot.json.gz');
  });
});

describe('npm run scan without --', () => {
  test('npm took --snapshot for itself (npm_config_snapshot): exit 2 with a hint', async () => {
    const result = await runScanWith(['./export.json'], { env: { npm_lifecycle_event: 'scan', INIT_CWD: ROOT, npm_config_snapshot: 'true' } });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: npm took --snapshot as its own option: put -- between "npm run scan" and the scan\'s options, e.g. npm run scan -- --snapshot ./export.json\n',
    });
  });

  test('options npm does not report (--format json) still leave a stray argument: the same hint', async () => {
    const result = await runScanWith(['json'], { env: { npm_lifecycle_event: 'scan', INIT_CWD: ROOT } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/npm passed only json without an option: put -- between "npm run scan" and the scan's options/);
  });

  test('the real npm: `npm run scan --snapshot FILE` gets the hint; with -- it scans, from the directory the user is in', () => {
    const dir = tempDir();
    copyFileSync(EXAMPLE, join(dir, 'export.json'));
    const npm = (...args: string[]) =>
      spawnSync('npm', ['--prefix', ROOT, 'run', '--silent', 'scan', ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, npm_config_update_notifier: 'false' },
      });
    const forgot = npm('--snapshot', './export.json');
    expect(forgot.status).toBe(2);
    expect(forgot.stderr).toContain('npm took --snapshot as its own option: put -- between "npm run scan" and the scan\'s options');
    const right = npm('--', '--snapshot', './export.json', '--format', 'json');
    expect(right.status).toBe(1);
    expect(report(right.stdout).summary.inputs).toEqual(['./export.json']);
  });
});

test("piping into head ends quietly: no EPIPE trace, the scan's exit code kept", () => {
  const script = `set -o pipefail; node --import tsx cli/scan.ts --snapshot ${JSON.stringify(EXAMPLE)} --format json | head -c 10 > /dev/null`;
  const result = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' });
  // Only the scan's own warnings (rules it could not run without a credential report): no EPIPE, no trace.
  for (const line of result.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^warning: /);
  expect(result.stderr).not.toMatch(/EPIPE|Error|^\s+at /m);
  expect(result.status).toBe(1);
});

describe('the repository around the scan', () => {
  test("the README's export commands write into exports/, which git ignores", () => {
    // Every sh block from the section's start to its syntax reference (a generated block sits in between).
    const from = README.indexOf('## Scan your own account offline');
    const section = [...README.slice(from, README.indexOf('Full syntax:', from)).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
    const targets = [...section.matchAll(/> (\S+)$/gm), ...section.matchAll(/--out (\S+)/g), ...section.matchAll(/^aws s3 cp \S+ (\S+)$/gm)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThanOrEqual(5);
    for (const target of targets) expect(target).toMatch(/^exports\//);
    for (const snapshot of section.matchAll(/--snapshot (\S+)/g)) expect(snapshot[1]).toMatch(/^exports\//);
    const ignored = spawnSync('git', ['check-ignore', '--quiet', 'exports/query.json'], { cwd: ROOT });
    expect(ignored.status).toBe(0);
  });

  test('LICENSE is the Apache License 2.0 that package.json names, word for word', () => {
    expect(PACKAGE.license).toBe('Apache-2.0');
    const license = readFileSync(join(ROOT, 'LICENSE'));
    // The MD5 of the canonical https://www.apache.org/licenses/LICENSE-2.0.txt.
    expect(createHash('md5').update(license).digest('hex')).toBe('3b83ef96387f14655fc854ddc3c6bd57');
  });
});
