import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { exitCodeFor } from '../../cli/report.js';
import { scan } from '../../cli/run.js';
import { main } from '../../cli/scan.js';
import { CATALOG } from '../../rules/catalog.js';
import { offlineItemTypes } from '../../rules/inputs.js';
import type { Compliance } from '../../rules/types.js';
import { EXAMPLE_REPORT, EXAMPLE_SELECTIONS, EXAMPLE_SNAPSHOT } from '../helpers/example-clinic.js';
import { FIXTURES, rawSampleItem, SAMPLE, SHAPED, sampleJson } from '../helpers/samples.js';
import { NOW } from '../helpers/rules.js';

const EXAMPLE = EXAMPLE_SNAPSHOT;
const REPORT = EXAMPLE_REPORT;
const SELECTIONS = EXAMPLE_SELECTIONS;
/** The full offline scan of the example clinic, as the README shows it. */
const FULL = ['--snapshot', EXAMPLE, '--credential-report', REPORT, '--backup-selections', SELECTIONS] as const;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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

interface Report {
  evaluations: {
    ruleId: string;
    resourceType: string;
    resourceId: string;
    accountId: string;
    region: string;
    compliance: Compliance;
    annotation: string;
    severity: string;
  }[];
  summary: { rules: Record<string, Record<Compliance, number>> } & Record<string, unknown>;
}

function countBy(evaluations: readonly { compliance: Compliance }[]): Record<Compliance, number> {
  const counts: Record<Compliance, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 };
  for (const e of evaluations) counts[e.compliance]++;
  return counts;
}

const snapshotOf = (...items: unknown[]) => JSON.stringify({ fileVersion: '1.0', configSnapshotId: 'test', configurationItems: items });

/**
 * Rules whose live API an export cannot replace (a trail's logging status, GuardDuty's features): offline
 * they report what the items show, and "could not be evaluated" where that cannot decide.
 */
const LIVE_INPUT_RULES: readonly string[] = CATALOG.filter((entry) => offlineItemTypes(entry).length > 0).map((entry) => entry.id);

describe('npm run scan', () => {
  test('the example clinic, every input: the summary counts what the evaluations say; exit 1 because some resources fail', async () => {
    const { code, stdout, stderr } = await run(...FULL, '--format', 'json');
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as Report;
    const counted = countBy(report.evaluations);
    expect(counted.NON_COMPLIANT).toBeGreaterThan(0);
    expect(code).toBe(1);
    const resources = new Set(report.evaluations.map((e) => `${e.accountId}/${e.region}/${e.resourceType}/${e.resourceId}`));
    expect(report.summary).toMatchObject({
      resourcesEvaluated: resources.size,
      evaluations: report.evaluations.length,
      compliance: counted,
      rulesSkipped: CATALOG.filter((entry) => entry.liveOnly).map((entry) => ({
        ruleId: entry.id,
        reason: 'needs a live AWS API; runs in the deployed monitor and with --live',
      })),
      skippedItems: [],
      nothingEvaluated: false,
      warnings: [],
      credentialReports: [{ source: REPORT, accountId: '111122223333', stale: false }],
      inputs: [EXAMPLE, REPORT, SELECTIONS],
    });
    // Every rule that can run offline has something to judge in the example clinic.
    const offline = CATALOG.filter((entry) => !entry.liveOnly).map((entry) => entry.id);
    expect(Object.keys(report.summary.rules)).toEqual(offline);
    for (const id of offline) {
      const own = report.evaluations.filter((e) => e.ruleId === id);
      expect(own.length).toBeGreaterThan(0);
      expect(report.summary.rules[id]).toEqual(countBy(own));
    }
  });

  test('the example clinic: every evaluation of an exempt-tagged resource is NOT_APPLICABLE, naming the exemption', async () => {
    const snapshot = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { configurationItems: { resourceId: string; tags?: Record<string, string> }[] };
    const exemptIds = snapshot.configurationItems.filter((item) => item.tags?.['compliance:exempt'] !== undefined).map((item) => item.resourceId);
    expect(exemptIds.length).toBeGreaterThan(0);
    const report = JSON.parse((await run(...FULL, '--format', 'json')).stdout) as Report;
    // Patch compliance items carry no tags: they are exempt through their instance (…/<instance id>).
    const exempt = report.evaluations.filter((e) => exemptIds.some((id) => e.resourceId === id || e.resourceId.endsWith(`/${id}`)));
    expect(exempt.length).toBeGreaterThan(exemptIds.length);
    for (const e of exempt)
      expect(e).toMatchObject({
        compliance: 'NOT_APPLICABLE',
        annotation: expect.stringMatching(/^Exempt \(compliance:exempt( until \d{4}-\d{2}-\d{2})?\): /),
      });
  });

  test('the snapshot alone: the MFA rules are skipped, saying what they need, in the summary, its warnings and on stderr', async () => {
    const { code, stdout, stderr } = await run('--snapshot', EXAMPLE, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { evaluations: { ruleId: string }[]; summary: { rulesSkipped: unknown[]; warnings: string[] } };
    const needsReport = CATALOG.filter((entry) => !entry.liveOnly && entry.needs?.includes('credentialReport'));
    expect(needsReport.map((entry) => entry.id).sort()).toEqual(['iam-user-console-mfa', 'root-account-mfa']);
    expect(report.summary.rulesSkipped).toEqual(
      CATALOG.filter((entry) => entry.liveOnly || needsReport.includes(entry)).map((entry) => ({
        ruleId: entry.id,
        reason: entry.liveOnly
          ? 'needs a live AWS API; runs in the deployed monitor and with --live'
          : 'needs the IAM credential report (--credential-report FILE)',
      })),
    );
    const warnings = needsReport.map((entry) => `Rule ${entry.id} was not run: it needs the IAM credential report (--credential-report FILE).`);
    expect(report.summary.warnings).toEqual(warnings);
    expect(stderr).toBe(warnings.map((w) => `warning: ${w}\n`).join(''));
    expect(report.evaluations.some((e) => e.ruleId.includes('mfa'))).toBe(false);
  });
  test('the skipped rules lead the table, before any rule block (issue 10, case 8)', async () => {
    const { stdout } = await run('--snapshot', EXAMPLE);
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      '!!!   Rule root-account-mfa was not run: it needs the IAM credential report (--credential-report FILE).',
      '!!!   Rule iam-user-console-mfa was not run: it needs the IAM credential report (--credential-report FILE).',
      '',
    ]);
  });

  test('--format asff: a rule not run for lack of input is one NOT_AVAILABLE finding per account, never just absent', async () => {
    const { stdout } = await run('--snapshot', EXAMPLE, '--format', 'asff');
    const findings = JSON.parse(stdout) as {
      GeneratorId: string;
      Compliance: { Status: string };
      RecordState: string;
      Description: string;
      AwsAccountId: string;
    }[];
    const mfa = findings.filter((f) => f.GeneratorId.includes('mfa'));
    expect(mfa.map((f) => [f.GeneratorId, f.AwsAccountId, f.Compliance.Status, f.RecordState])).toEqual([
      ['root-account-mfa', '111122223333', 'NOT_AVAILABLE', 'ACTIVE'],
      ['iam-user-console-mfa', '111122223333', 'NOT_AVAILABLE', 'ACTIVE'],
    ]);
    expect(mfa[0]?.Description).toMatch(/^Not evaluated: rule root-account-mfa needs the IAM credential report \(--credential-report FILE\)\./);
    expect(findings.some((f) => f.GeneratorId === 'ebs-encryption-by-default')).toBe(false);
  });

  test('without --backup-selections a selection known only from its Config item cannot prove coverage: could not be evaluated, saying what to pass (issue 10, case 6)', async () => {
    const { stdout } = await run('--snapshot', EXAMPLE, '--format', 'json');
    const evaluations = (JSON.parse(stdout) as { evaluations: { ruleId: string; resourceId: string; compliance: string; annotation: string }[] }).evaluations;
    const protection = evaluations.filter((e) => e.ruleId === 'resource-protected-by-backup');
    // ehr-primary is named in clinical-data's Resources, but the Conditions Config does not record could still exclude it
    expect(protection.find((e) => e.resourceId === 'db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9')).toMatchObject({
      compliance: 'INSUFFICIENT_DATA',
      annotation: expect.stringMatching(/known only from Config, which does not record tag conditions; pass --backup-selections/),
    });
    expect(protection.filter((e) => e.compliance === 'COMPLIANT')).toEqual([]);
    // portal-sessions is in clinical-data's NotResources, which Config does record; the others might still select it
    expect(protection.find((e) => e.resourceId === 'portal-sessions')?.compliance).toBe('INSUFFICIENT_DATA');
  });

  test.each([
    ['an empty snapshot', snapshotOf(), /\nNothing was evaluated \(0 resources\): not a pass\.\n$/],
    // Its account and Region are still owed the account-level verdicts, which an export cannot decide.
    [
      'a snapshot of resources no rule checks',
      snapshotOf(rawSampleItem('config-ci/rdk/AWS_SNS_Topic.json')),
      /\n2 resources, 3 evaluations: 0 compliant, 0 non-compliant, 0 not applicable, 3 could not be evaluated\.\n$/,
    ],
  ])('%s evaluates nothing: exit 1, never 0, and every format says so (issue 10, case 8)', async (_name, content, last) => {
    const file = temp('nothing.json', content);
    const json = await run('--snapshot', file, '--format', 'json', '--credential-report', REPORT);
    expect(json.code).toBe(1);
    // The credential report's rows are evaluated; the snapshot gave nothing, and that is what a CI gate must not pass.
    expect(JSON.parse(json.stdout)).toMatchObject({
      summary: { nothingEvaluated: true, warnings: [expect.stringMatching(/^Nothing in the snapshots was evaluated: .* This is not a pass\.$/)] },
    });
    expect(json.stderr).toMatch(/^warning: Nothing in the snapshots was evaluated/);
    const table = await run('--snapshot', file, '--credential-report', REPORT);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^!!! {3}Nothing in the snapshots was evaluated/);
    const asff = await run('--snapshot', file, '--format', 'asff', '--credential-report', REPORT);
    expect(asff.code).toBe(1);
    expect(asff.stderr).toMatch(/^warning: Nothing in the snapshots was evaluated/);
    const bare = await run('--snapshot', file);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toMatch(/^!!! {3}Nothing in the snapshots was evaluated/);
    expect(bare.stdout).toMatch(last);
  });

  test('a credential report much older than --as-of is flagged in the summary, its warnings and the MFA verdicts (issue 10, case 9)', async () => {
    const json = temp(
      'report.json',
      JSON.stringify({ Content: readFileSync(REPORT).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-11-18T06:00:00Z' }),
    );
    const { stdout, stderr } = await run('--snapshot', EXAMPLE, '--credential-report', json, '--format', 'json');
    const report = JSON.parse(stdout) as {
      evaluations: { ruleId: string; annotation: string }[];
      summary: { credentialReports: unknown[]; warnings: string[] };
    };
    expect(report.summary.credentialReports).toEqual([
      { source: json, accountId: '111122223333', generatedAt: '2026-11-18T06:00:00.000Z', ageHours: 246, stale: true },
    ]);
    expect(report.summary.warnings).toEqual([
      `The credential report ${json} was generated 2026-11-18T06:00:00.000Z, 10 days before the evaluation time; MFA verdicts show that old state.`,
    ]);
    expect(stderr).toContain('warning: The credential report');
    for (const e of report.evaluations.filter((x) => x.ruleId.includes('mfa')))
      expect(e.annotation).toMatch(/The credential report is 10 days old \(GeneratedTime 2026-11-18T06:00:00\.000Z\)\.$/);
  });

  test('--format json follows the DESIGN.md contract field for field', async () => {
    const { stdout } = await run('--snapshot', EXAMPLE, '--format', 'json');
    const report = JSON.parse(stdout) as { evaluations: Record<string, unknown>[] };
    expect(Object.keys(report)).toEqual(['evaluations', 'summary']);
    for (const evaluation of report.evaluations) {
      expect(Object.keys(evaluation)).toEqual(['ruleId', 'resourceType', 'resourceId', 'accountId', 'region', 'compliance', 'annotation', 'severity', 'hipaa']);
    }
  });

  test('--format json puts one evaluation per line and stays valid JSON, also when there is nothing to report', async () => {
    const { stdout } = await run(...FULL, '--format', 'json');
    const lines = stdout.split('\n').filter((line) => line.startsWith('    {"ruleId":'));
    expect(lines.map((line) => JSON.parse(line.replace(/,$/, '')) as unknown)).toEqual((JSON.parse(stdout) as Report).evaluations);
    const empty = await run('--snapshot', temp('empty.json', snapshotOf()), '--format', 'json');
    expect(JSON.parse(empty.stdout)).toMatchObject({ evaluations: [], summary: { evaluations: 0 } });
  });

  test('the table groups by rule, with counts and each failing resource with its annotation', async () => {
    const { code, stdout } = await run(...FULL);
    expect(code).toBe(1);
    const report = JSON.parse((await run(...FULL, '--format', 'json')).stdout) as Report;
    const lines = stdout.trimEnd().split('\n');
    for (const entry of CATALOG.filter((e) => report.summary.rules[e.id] !== undefined)) {
      const counts = report.summary.rules[entry.id] as Record<Compliance, number>;
      const head = lines.indexOf(
        `${counts.NON_COMPLIANT + counts.INSUFFICIENT_DATA > 0 ? 'FAIL' : 'PASS'}  ${entry.id}  [${entry.severity}]  ${entry.title}  (HIPAA ${entry.hipaa.join(', ')})`,
      );
      expect(head).toBeGreaterThanOrEqual(0);
      const open = counts.INSUFFICIENT_DATA > 0 ? `, ${counts.INSUFFICIENT_DATA} could not be evaluated` : '';
      expect(lines[head + 1]).toBe(
        `      ${counts.COMPLIANT} compliant, ${counts.NON_COMPLIANT} non-compliant, ${counts.NOT_APPLICABLE} not applicable${open}`,
      );
      const failing = report.evaluations.filter((e) => e.ruleId === entry.id && (e.compliance === 'NON_COMPLIANT' || e.compliance === 'INSUFFICIENT_DATA'));
      const shown = lines.slice(head + 2, head + 2 + failing.length);
      expect(shown).toHaveLength(failing.length);
      failing.forEach((e, i) => {
        expect(shown[i]?.startsWith(`      ✗ ${e.resourceType} ${e.resourceId} `)).toBe(true);
        expect(shown[i]?.endsWith(` ${e.accountId}/${e.region}: ${e.annotation}`)).toBe(true);
      });
    }
    const c = report.summary.compliance as Record<Compliance, number>;
    expect(lines.at(-1)).toBe(
      `${String(report.summary.resourcesEvaluated)} resources, ${report.evaluations.length} evaluations: ${c.COMPLIANT} compliant, ${c.NON_COMPLIANT} non-compliant, ${c.NOT_APPLICABLE} not applicable${c.INSUFFICIENT_DATA > 0 ? `, ${c.INSUFFICIENT_DATA} could not be evaluated` : ''}.`,
    );
  });

  test('exit 0 only when everything evaluated is compliant: a clean account still has its audit trail and malware protection open offline', async () => {
    const account = (item: Record<string, unknown>): Record<string, unknown> => ({
      ...item,
      accountId: '264683526309',
      awsAccountId: '264683526309',
      ARN: undefined,
      arn: undefined,
    });
    const plan = {
      ...account(rawSampleItem(SHAPED.backupPlan)),
      arn: 'arn:aws:backup:us-east-1:264683526309:backup-plan:8a5f3c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b',
    };
    const volumeArn = 'arn:aws:ec2:us-east-1:264683526309:volume/vol-a416b170';
    const dbArn = 'arn:aws:rds:us-east-1:264683526309:db:myrdstest';
    const selection = account(rawSampleItem(SHAPED.backupSelection));
    (selection.configuration as { BackupSelection: { Resources: string[] } }).BackupSelection.Resources = [volumeArn, dbArn];
    const point = (resourceArn: string, id: string) => {
      const rp = account(rawSampleItem(SHAPED.recoveryPoint));
      Object.assign(rp.configuration as object, {
        ResourceArn: resourceArn,
        CreationDate: '2026-11-28T05:00:00.000Z',
        EncryptionKeyArn: 'arn:aws:kms:us-east-1:264683526309:key/0e6c91d5-e23b-4ed3-bd36-1561fbbc0a2d',
      });
      return { ...rp, resourceId: id };
    };
    const detector = { ...account(rawSampleItem(SAMPLE.detector)), awsRegion: 'us-east-1' };
    const file = temp(
      'ok.json',
      snapshotOf(
        rawSampleItem(SAMPLE.volume),
        rawSampleItem(SAMPLE.dbInstance),
        plan,
        selection,
        point(volumeArn, 'rp-volume'),
        point(dbArn, 'rp-db'),
        detector,
      ),
    );
    // The selection's get-backup-selection output: without its tag conditions coverage cannot be proven.
    const [output] = sampleJson(SHAPED.getBackupSelection) as { BackupSelection: Record<string, unknown> }[];
    const selections = temp(
      'selections.json',
      JSON.stringify([
        {
          ...output,
          BackupSelection: { ...output?.BackupSelection, IamRoleArn: 'arn:aws:iam::264683526309:role/backup', Resources: [volumeArn, dbArn], ListOfTags: [] },
        },
      ]),
    );
    const { code, stdout } = await run('--snapshot', file, '--backup-selections', selections, '--format', 'json');
    const open = (JSON.parse(stdout) as { evaluations: { ruleId: string; compliance: string; annotation: string }[] }).evaluations.filter(
      (e) => e.compliance !== 'COMPLIANT',
    );
    // The export cannot show whether the trail is logging or which GuardDuty features run: never a pass.
    expect(open.map((e) => [e.ruleId, e.compliance])).toEqual([
      ['guardduty-malware-protection', 'INSUFFICIENT_DATA'],
      ['cloudtrail-multi-region-logging', 'INSUFFICIENT_DATA'],
    ]);
    for (const e of open) expect(e.annotation).toMatch(/^Could not be evaluated from the exported files: /);
    expect(code).toBe(1);
    // Without them, the same scan is a clean pass.
    const result = await scan({ snapshots: [file], backupSelections: [selections], now: NOW });
    expect(exitCodeFor({ ...result, summary: { ...result.summary, compliance: { ...result.summary.compliance, INSUFFICIENT_DATA: 0 } } })).toBe(0);
  });

  test('a gzipped snapshot reads like a plain one, and --snapshot repeats', async () => {
    const gz = temp('a.json.gz', gzipSync(snapshotOf(rawSampleItem(SAMPLE.volume))));
    const plain = temp('b.json', snapshotOf(rawSampleItem(SAMPLE.bucket)));
    const { stdout } = await run('--snapshot', gz, '--snapshot', plain, '--format', 'json');
    const report = JSON.parse(stdout) as { evaluations: { resourceType: string }[] };
    expect([...new Set(report.evaluations.map((e) => e.resourceType))].sort()).toEqual(['AWS::::Account', 'AWS::EC2::Volume', 'AWS::S3::Bucket']);
  });

  test('a truncated snapshot is exit 2, naming the file and the position, with nothing on stdout', async () => {
    const text = snapshotOf(rawSampleItem(SAMPLE.volume));
    const file = temp('cut.json', text.slice(0, 500));
    const { code, stdout, stderr } = await run('--snapshot', file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(
        `error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON: unexpected end of input \\(truncated file\\?\\) at line 1, column 501`,
      ),
    );
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
    const file = temp(
      'one-bad.json',
      snapshotOf(rawSampleItem(SAMPLE.volume), { resourceType: 'AWS::EC2::Volume', resourceId: 'vol-broken' }, rawSampleItem(SAMPLE.dbInstance)),
    );
    const { code, stdout, stderr } = await run('--snapshot', file, '--format', 'json');
    expect(code).toBe(1);
    expect(stderr).toMatch(/warning: skipped .*one-bad\.json configurationItems\[1\] \(AWS::EC2::Volume vol-broken\): missing configurationItemCaptureTime/);
    const report = JSON.parse(stdout) as { evaluations: { ruleId: string; resourceId: string }[]; summary: { skippedItems: unknown[] } };
    expect([...new Set(report.evaluations.filter((e) => !LIVE_INPUT_RULES.includes(e.ruleId)).map((e) => e.resourceId))].sort()).toEqual([
      'db-HHTTSRD6HXUIKXPFPI6WFVZ4PA',
      'vol-a416b170',
    ]);
    expect(report.summary.skippedItems).toEqual([expect.objectContaining({ location: 'configurationItems[1]', resourceId: 'vol-broken' })]);
  });

  test('--params applies rule parameters', async () => {
    const params = temp('params.json', JSON.stringify({ 's3-bucket-encrypted': { requireKms: true } }));
    const failing = async (...extra: string[]) =>
      (JSON.parse((await run('--snapshot', EXAMPLE, ...extra, '--format', 'json')).stdout) as Report).evaluations.filter(
        (e) => e.ruleId === 's3-bucket-encrypted' && e.compliance === 'NON_COMPLIANT',
      );
    const byDefault = await failing();
    const withKms = await failing('--params', params);
    // SSE-S3 buckets pass by default and fail once KMS is required.
    expect(withKms.length).toBeGreaterThan(byDefault.length);
    expect(withKms).toEqual(expect.arrayContaining(byDefault));
    for (const e of withKms.filter((w) => !byDefault.some((d) => d.resourceId === w.resourceId))) expect(e.annotation).toMatch(/KMS/);
  });

  test.each([
    [
      { 's3-bucket-encrypted': { requireKms: 'sometimes' } },
      /params\.json: s3-bucket-encrypted: parameter requireKms = "sometimes" is invalid: expected true or false/,
    ],
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

  test('a credential report with a short row is exit 2, naming the file and the line, with nothing on stdout', async () => {
    const [header, root, user] = readFileSync(REPORT, 'utf8').split('\n');
    const file = temp('report.csv', [header, root, user?.replace(/,N\/A$/, '')].join('\n'));
    const { code, stdout, stderr } = await run('--snapshot', EXAMPLE, '--credential-report', file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`error: ${file}: not a readable IAM credential report: line 3: Invalid Record Length: expect 22, got 21\n`);
  });

  test.each([
    [
      'other.csv',
      'name,email\nfront desk,desk@example.org\n',
      /other\.csv: not a readable IAM credential report: line 1: the header lacks 22 of the 22 columns of an IAM credential report: user, arn, user_creation_time, password_enabled, /,
    ],
    ['empty.csv', '', /empty\.csv: file is empty/],
  ])('a credential report %s that is not one is exit 2', async (name, content, message) => {
    const { code, stderr } = await run('--snapshot', EXAMPLE, '--credential-report', temp(name, content));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  test('the JSON of aws iam get-credential-report is read like the CSV', async () => {
    const json = temp(
      'report.json',
      JSON.stringify({ Content: readFileSync(REPORT).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2026-11-28T06:00:00Z' }),
    );
    const csv = await run('--snapshot', EXAMPLE, '--credential-report', REPORT, '--format', 'json');
    const fromJson = await run('--snapshot', EXAMPLE, '--credential-report', json, '--format', 'json');
    const mfa = (text: string) => (JSON.parse(text) as { evaluations: { ruleId: string }[] }).evaluations.filter((e) => e.ruleId.includes('mfa'));
    expect(mfa(fromJson.stdout)).toEqual(mfa(csv.stdout));
    // One evaluation per row: the root account and each user.
    expect(mfa(csv.stdout)).toHaveLength(readFileSync(REPORT, 'utf8').trim().split('\n').length - 1);
  });

  test.each([
    [
      'selections.json',
      '{"BackupSelection": {"SelectionName": "x", "IamRoleArn": "arn:aws:iam::111122223333:role/b", "Resources": "arn:aws:ec2:*"}}',
      /selections\.json: not get-backup-selection output: BackupSelection\.Resources must be a list of strings/,
    ],
    [
      'name-only.json',
      '[{"BackupSelection": {"SelectionName": "x"}}]',
      /name-only\.json: not get-backup-selection output: \[0\]\.BackupSelection\.IamRoleArn is missing; AWS Backup requires it in every selection/,
    ],
    ['plans.json', '{"BackupPlansList": []}', /plans\.json: not get-backup-selection output: the document must be get-backup-selection output/],
    ['cut.json', '[{"BackupSelection": {', /cut\.json: not valid JSON: unexpected end of input \(truncated file\?\) at line 1/],
  ])('a bad --backup-selections file %s is exit 2 naming the problem', async (name, content, message) => {
    const { code, stdout, stderr } = await run('--snapshot', EXAMPLE, '--backup-selections', temp(name, content));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  test('--as-of sets the evaluation time; a bad time is exit 2', async () => {
    const recent = async (asOf: string) =>
      (JSON.parse((await run(...FULL, '--as-of', asOf, '--format', 'json')).stdout) as Report).evaluations.filter(
        (e) => e.ruleId === 'resource-recent-recovery-point' && e.compliance === 'COMPLIANT',
      );
    expect((await recent(NOW.toISOString())).length).toBeGreaterThan(0);
    // Three weeks later every snapshot recovery point of the example is older than maxAgeHours.
    expect(await recent('2026-12-20T12:00:00Z')).toEqual([]);
    const bad = await run(...FULL, '--as-of', 'next tuesday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(new RegExp(escape('error: --as-of "next tuesday" is not an ISO-8601 time')));
  });

  test('the SSM sample with a raw control character is read without error; no rule judges a lone inventory item, so exit 1 saying nothing was evaluated', async () => {
    const { code, stderr } = await run('--snapshot', join(FIXTURES, 'aws-samples/config-ci/rdk/AWS_SSM_ManagedInstanceInventory_Linux.json'));
    expect(stderr).toMatch(/^warning: Nothing in the snapshots was evaluated: they hold no resource any rule checks/);
    expect(stderr).not.toMatch(/error|skipped/);
    expect(code).toBe(1);
  });
});
