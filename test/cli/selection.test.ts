/** `--rules` and `--skip-rules`: a scan runs the rules chosen, and its report lists every rule left out, saying why. */
import { CATALOG } from '../../rules/catalog.js';
import { EXAMPLE, REPORT, report, runScan, SELECTIONS } from '../helpers/cli.js';
import { scanExampleClinic } from '../helpers/example-clinic.js';

const INPUTS = ['--snapshot', EXAMPLE, '--credential-report', REPORT, '--backup-selections', SELECTIONS];
const OFFLINE_UNDECIDED = ['cloudtrail-multi-region-logging', 'guardduty-malware-protection'];

type Summary = { rulesSkipped: { ruleId: string; reason: string }[]; rulesRun: number; byCompliance: Record<string, number> };

describe('--skip-rules', () => {
  test('leaves the rules out, lists them as skipped, and keeps every other evaluation as it was', async () => {
    const { code, stdout, stderr } = await runScan(...INPUTS, '--format', 'json', '--skip-rules', OFFLINE_UNDECIDED.join(','));
    expect(stderr).not.toMatch(/^error/m);
    const { evaluations, summary } = report(stdout) as ReturnType<typeof report> & { summary: Summary };
    const full = await scanExampleClinic();
    expect(evaluations.map((e) => e.ruleId)).toEqual(full.evaluations.map((e) => e.ruleId).filter((id) => !OFFLINE_UNDECIDED.includes(id)));
    expect(summary.rulesSkipped).toEqual(expect.arrayContaining(OFFLINE_UNDECIDED.map((ruleId) => ({ ruleId, reason: 'left out with --skip-rules' }))));
    // The example still has non-compliant resources: exit 1, now without anything "could not be evaluated".
    expect(evaluations.some((e) => e.compliance === 'INSUFFICIENT_DATA')).toBe(false);
    expect(code).toBe(1);
  });

  test('is repeatable, and the table names each rule left out', async () => {
    const { stdout } = await runScan(...INPUTS, '--skip-rules', 'cloudtrail-multi-region-logging', '--skip-rules', 'guardduty-malware-protection');
    for (const id of OFFLINE_UNDECIDED) expect(stdout).toContain(`skip  ${id}: left out with --skip-rules`);
  });
});

describe('--rules', () => {
  test('runs only the rules named; every other rule is listed as left out', async () => {
    const { stdout } = await runScan(...INPUTS, '--format', 'json', '--rules', 's3-bucket-encrypted, s3-bucket-tls-only');
    const { evaluations, summary } = report(stdout) as ReturnType<typeof report> & { summary: Summary };
    expect(new Set(evaluations.map((e) => e.ruleId))).toEqual(new Set(['s3-bucket-encrypted', 's3-bucket-tls-only']));
    expect(summary.rulesSkipped.filter((skip) => skip.reason === 'left out: not named in --rules')).toHaveLength(CATALOG.length - 2);
  });
});

describe('bad selections: exit 2, one line naming the option, nothing scanned', () => {
  test.each([
    [['--rules', 'nope'], /^error: --rules: no rule "nope"; the rule ids are: .*s3-bucket-encrypted/],
    [['--skip-rules', 's3-bucket-encrypted,not-a-rule'], /^error: --skip-rules: no rule "not-a-rule"/],
    [['--rules', 's3-bucket-encrypted', '--skip-rules', 's3-bucket-encrypted'], /^error: --skip-rules: leaves no rule to run$/],
    [['--skip-rules', CATALOG.map((entry) => entry.id).join(',')], /^error: --skip-rules: leaves no rule to run$/],
  ])('%j', async (options, message) => {
    const { code, stdout, stderr } = await runScan(...INPUTS, ...options);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  });
});
