/**
 * `npm run scan -- --live` end to end: real SDK clients (credential chain, endpoint from
 * AWS_ENDPOINT_URL, retries, protocols) against a local server that speaks each service's wire
 * protocol and serves the example clinic. The live scan must give the offline scan's evaluations of
 * the same data; what only a live read can know is listed here, exactly.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LIVE_SCAN_CALLS } from '../../../cli/live/calls.js';
import { main, type RunContext } from '../../../cli/scan.js';
import type { Evaluation } from '../../../rules/types.js';
import { exampleClinicAccount, scanExampleClinic } from '../../helpers/example-clinic.js';
import { CALLER_KEY, FakeAws, fakeAwsEnv, type FakeAccount, type FakeCall, type FakeFault, type FakeWorld } from '../../helpers/fake-aws.js';
import { NOW } from '../../helpers/rules.js';

const CALLER = { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/assessor' };
const ROOT = join(import.meta.dirname, '..', '..', '..');
const CONTEXT: RunContext = { live: { retryDelay: () => 5, sleep: async () => undefined }, stderrIsTTY: false };

let clinic: FakeAccount;
const saved = { ...process.env };

beforeAll(async () => {
  clinic = await exampleClinicAccount();
});

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

/** Starts a fake AWS for the world and points this process's SDK at it; stops it after `work`. */
async function withAws<T>(world: Partial<FakeWorld>, work: (fake: FakeAws, endpoint: string) => Promise<T>): Promise<T> {
  const fake = new FakeAws({ caller: CALLER, accounts: [clinic], ...world });
  const endpoint = await fake.start();
  Object.assign(process.env, fakeAwsEnv(endpoint));
  try {
    return await work(fake, endpoint);
  } finally {
    await fake.stop();
  }
}

async function scan(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, NOW, CONTEXT);
  return { code, stdout, stderr };
}

const key = (e: Pick<Evaluation, 'ruleId' | 'resourceType' | 'resourceId'>): string => `${e.ruleId} ${e.resourceType} ${e.resourceId}`;

describe('--live over the example clinic', () => {
  test("gives the offline scan's evaluations; only EBS encryption by default, the patch scan ages, trail logging and GuardDuty's status and features are new", async () => {
    const { code, stdout, stderr } = await withAws({}, () => scan('--live', '--region', 'us-east-1', '--format', 'json'));
    expect(stderr).not.toMatch(/^error/m);
    const live = JSON.parse(stdout) as {
      evaluations: Evaluation[];
      summary: { rulesSkipped: unknown[]; credentialReports: unknown[]; live: { complete: boolean } };
    };
    const offline = await scanExampleClinic();
    const offlineByKey = new Map(offline.evaluations.map((e) => [key(e), e]));
    const liveByKey = new Map(live.evaluations.map((e) => [key(e), e]));
    const differences: string[] = [];
    for (const [k, e] of liveByKey) {
      const o = offlineByKey.get(k);
      if (o === undefined) differences.push(`live only: ${k} ${e.compliance}: ${e.annotation}`);
      else
        for (const field of ['accountId', 'region', 'compliance', 'annotation', 'severity'] as const)
          if (o[field] !== e[field]) differences.push(`${k} ${field}: ${String(o[field])} → ${String(e[field])}`);
    }
    for (const k of offlineByKey.keys()) if (!liveByKey.has(k)) differences.push(`offline only: ${k}`);
    expect(differences).toEqual([
      // No export records EBS encryption by default: offline the rule is skipped, live it is read.
      'live only: ebs-encryption-by-default AWS::::Account 111122223333 NON_COMPLIANT: EBS encryption by default is disabled in us-east-1 (GetEbsEncryptionByDefault = false).',
      // No Config item records when a node was last scanned: live, Systems Manager says, and the age is checked.
      'instance-patch-compliant AWS::SSM::PatchCompliance AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8001 annotation: No NON_COMPLIANT patch; the last scan time is not in Config data, so maxScanAgeDays was not checked. → No NON_COMPLIANT patch; last patch scan 2026-11-27T03:40:05.000Z (Systems Manager ExecutionTime).',
      'instance-patch-compliant AWS::SSM::PatchCompliance AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8004 annotation: 1 patch is NON_COMPLIANT (KB5046617 InstalledPendingReboot, awaiting a reboot). → 1 patch is NON_COMPLIANT (KB5046617 InstalledPendingReboot, awaiting a reboot); the last patch scan 2026-11-16T04:05:19.000Z (Systems Manager ExecutionTime) is 12 days old; maxScanAgeDays is 7.',
      // Offline the detector item's Enable decides; live, GetDetector's Status.
      'guardduty-enabled AWS::::Account 111122223333 annotation: GuardDuty detector 4cc6f1a2b3d4e5f60718293a4b5c6d7e is enabled in us-east-1 (Enable = true in its configuration item). → GuardDuty detector 4cc6f1a2b3d4e5f60718293a4b5c6d7e is enabled in us-east-1 (Status = ENABLED).',
      // No Config item records GuardDuty's features or whether a trail is logging: offline could not be evaluated, live decided.
      'guardduty-malware-protection AWS::::Account 111122223333 compliance: INSUFFICIENT_DATA → COMPLIANT',
      'guardduty-malware-protection AWS::::Account 111122223333 annotation: Could not be evaluated from the exported files: the detector item of us-east-1 does not record malware protection; the deployed monitor reads GetDetector Features. → GuardDuty malware protection for EC2 is on in us-east-1 (detector 4cc6f1a2b3d4e5f60718293a4b5c6d7e, Features EBS_MALWARE_PROTECTION = ENABLED).',
      'cloudtrail-multi-region-logging AWS::::Account 111122223333 compliance: INSUFFICIENT_DATA → COMPLIANT',
      'cloudtrail-multi-region-logging AWS::::Account 111122223333 annotation: Could not be evaluated from the exported files: Config does not record whether a trail is logging; clinic-audit-trail is multi-Region with log file validation and KMS encryption. → Multi-Region trail clinic-audit-trail is logging, with log file validation and KMS encryption (arn:aws:kms:us-east-1:111122223333:key/7c1e2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b).',
    ]);
    expect(live.evaluations).toHaveLength(offline.evaluations.length + 1);
    // Live nothing is skipped, and the credential report says when IAM generated it.
    expect(live.summary.rulesSkipped).toEqual([]);
    expect(live.summary.credentialReports).toEqual([
      { source: 'IAM GetCredentialReport', accountId: '111122223333', generatedAt: '2026-11-28T06:00:00.000Z', ageHours: 6, stale: false },
    ]);
    expect(live.summary.live.complete).toBe(true);
    expect(code).toBe(1);
  });

  test('makes each call the data needs, once: the lower bound, and only calls the assessor policy declares', async () => {
    const counts = await withAws({}, async (fake) => {
      await scan('--live', '--region', 'us-east-1', '--format', 'json');
      return fake.counts();
    });
    expect(counts).toEqual({
      'sts:GetCallerIdentity': 1,
      'config:DescribeConfigurationRecorderStatus': 1,
      // 57 items the rules read: one page of 100.
      'config:SelectResourceConfig': 1,
      'iam:GenerateCredentialReport': 1,
      'iam:GetCredentialReport': 1,
      // 3 plans, one selection each.
      'backup:ListBackupPlans': 1,
      'backup:ListBackupSelections': 3,
      'backup:GetBackupSelection': 3,
      'ec2:GetEbsEncryptionByDefault': 1,
      'ssm:ListResourceComplianceSummaries': 1,
      // One multi-Region trail, read once for the account.
      'cloudtrail:DescribeTrails': 1,
      'cloudtrail:GetTrailStatus': 1,
      // One detector in the Region.
      'guardduty:ListDetectors': 1,
      'guardduty:GetDetector': 1,
    });
    const declared = new Set(LIVE_SCAN_CALLS.map((call) => call.action));
    expect(Object.keys(counts).filter((action) => !declared.has(action))).toEqual([]);
  });

  test.each([
    [
      'table',
      (out: string) =>
        expect(out.split('\n')[0]).toMatch(
          /^Live read of 1 account \(111122223333\) in 1 Region \(us-east-1\), \S+ to \S+, as arn:aws:iam::111122223333:user\/assessor\.$/,
        ),
    ],
    [
      'json',
      (out: string) =>
        expect((JSON.parse(out) as { summary: { live: { accounts: unknown[] } } }).summary.live.accounts).toEqual([
          { accountId: '111122223333', status: 'read', regions: [{ region: 'us-east-1', status: 'read', items: 57, denied: [] }], denied: [] },
        ]),
    ],
    [
      'html',
      (out: string) => {
        expect(out).toMatch(
          /<p>Evaluated as of 2026-11-28T12:00:00.000Z by Clinic Compliance Monitor [^<]*Live read of 1 account \(111122223333\) in 1 Region \(us-east-1\)/,
        );
        expect(out).toMatch(
          /<table id="live-read">.*<th scope="row"><span class="id nw">111122223333<\/span><\/th><td>us-east-1<\/td><td>read<\/td><td class="num">57<\/td>/s,
        );
        expect(out).not.toContain('<table id="inputs">');
      },
    ],
    [
      'csv',
      (out: string) =>
        expect(out.split('\r\n').filter((line) => line.includes('"ebs-encryption-by-default"'))).toEqual([
          expect.stringContaining('"111122223333","us-east-1","NON_COMPLIANT"'),
        ]),
    ],
    [
      'asff',
      (out: string) =>
        expect(
          (JSON.parse(out) as { GeneratorId: string; Resources: { Region: string }[] }[])
            .filter((f) => f.GeneratorId === 'ebs-encryption-by-default')
            .map((f) => f.Resources[0]?.Region),
        ).toEqual(['us-east-1']),
    ],
  ])('--format %s works live and names what was read', async (format, check) => {
    const { stdout } = await withAws({}, () => scan('--live', '--region', 'us-east-1', '--format', format));
    check(stdout);
  });

  test("throttling is retried within the SDK's retry policy: same result, one more attempt per throttled call", async () => {
    const throttle = (call: FakeCall, attempt: number): FakeFault | undefined =>
      attempt === 1 && ['SelectResourceConfig', 'GetCredentialReport', 'ListBackupPlans'].includes(call.operation)
        ? { code: call.service === 'iam' ? 'Throttling' : 'ThrottlingException', status: 400, message: 'Rate exceeded' }
        : undefined;
    const plain = await withAws({}, async () => (await scan('--live', '--region', 'us-east-1', '--format', 'json')).stdout);
    const { stdout, counts } = await withAws({ fault: throttle }, async (fake) => ({
      stdout: (await scan('--live', '--region', 'us-east-1', '--format', 'json')).stdout,
      counts: fake.counts(),
    }));
    const evaluations = (out: string) => (JSON.parse(out) as { evaluations: unknown[] }).evaluations;
    expect(evaluations(stdout)).toEqual(evaluations(plain));
    expect([counts['config:SelectResourceConfig'], counts['iam:GetCredentialReport'], counts['backup:ListBackupPlans']]).toEqual([2, 2, 2]);
  });

  test('AccessDenied whose message names no action: the failed call names it (the SDK command), and only its rule could not be evaluated', async () => {
    const refuse = (call: FakeCall): FakeFault | undefined =>
      call.operation === 'ListBackupSelections' ? { code: 'AccessDeniedException', status: 403, message: 'Access denied' } : undefined;
    const { stdout, stderr, code } = await withAws({ fault: refuse }, () => scan('--live', '--region', 'us-east-1', '--format', 'json'));
    const evaluations = (JSON.parse(stdout) as { evaluations: Evaluation[] }).evaluations;
    expect(evaluations.filter((e) => e.ruleId === 'resource-protected-by-backup')).toEqual([
      expect.objectContaining({
        resourceType: 'AWS::::Account',
        compliance: 'INSUFFICIENT_DATA',
        annotation: 'Could not evaluate: AWS refused backup:ListBackupSelections (AccessDenied); add it to the assessor policy (README, "Scan live").',
      }),
    ]);
    expect(evaluations.filter((e) => e.ruleId === 'resource-recent-recovery-point')).toHaveLength(19);
    expect(stderr).toContain(
      'warning: In us-east-1 of account 111122223333, AWS refused backup:ListBackupSelections: resource-protected-by-backup could not be evaluated there',
    );
    expect(code).toBe(1);
  });
});

describe('--live over a practice', () => {
  /** A second clinic account: the example's volumes, recorded there. */
  const member = (): FakeAccount => ({
    accountId: '444455556666',
    regions: {
      'us-east-1': {
        items:
          clinic.regions['us-east-1']?.items
            .filter((item) => item.resourceType === 'AWS::EC2::Volume')
            .map((item) => ({ ...item, awsAccountId: '444455556666' })) ?? [],
        ebsEncryptionByDefault: true,
      },
    },
    enabledRegions: ['us-east-1', 'eu-west-1'],
    credentialReportCsv: clinic.credentialReportCsv?.replaceAll('111122223333', '444455556666') ?? '',
    credentialReportGeneratedAt: new Date('2026-11-28T10:00:00Z'),
  });

  test('--organization --all-regions: each account through the role, each enabled Region; a Region without Config skipped, an account refusing the role reported; exit 1', async () => {
    const world: Partial<FakeWorld> = {
      accounts: [{ ...clinic, enabledRegions: ['us-east-1'] }, member()],
      organization: ['111122223333', '444455556666', '777788889999'],
    };
    const { stdout, stderr, code, counts } = await withAws(world, async (fake) => ({
      ...(await scan('--live', '--organization', '--role-name', 'clinic-assessor', '--all-regions', '--format', 'json')),
      counts: fake.counts(),
    }));
    const { summary, evaluations } = JSON.parse(stdout) as {
      evaluations: Evaluation[];
      summary: {
        live: { accounts: { accountId: string; status: string; regions: { region: string; status: string }[] }[]; complete: boolean };
        rulesSkipped: { ruleId: string; region?: string; accountId?: string }[];
      };
    };
    expect(summary.live.accounts.map((a) => [a.accountId, a.status, a.regions.map((r) => `${r.region} ${r.status}`)])).toEqual([
      ['111122223333', 'read', ['us-east-1 read']],
      ['444455556666', 'read', ['eu-west-1 not-recording', 'us-east-1 read']],
      ['777788889999', 'failed', []],
    ]);
    expect(counts['sts:AssumeRole']).toBe(2);
    expect(counts['organizations:ListAccounts']).toBe(1);
    expect(counts['ec2:DescribeRegions']).toBe(2);
    expect(new Set(summary.rulesSkipped.map((s) => `${s.accountId ?? ''} ${s.region ?? ''}`))).toEqual(new Set(['444455556666 eu-west-1']));
    expect(evaluations.filter((e) => e.ruleId === 'ebs-volume-encrypted' && e.accountId === '444455556666')).toHaveLength(6);
    expect(evaluations.filter((e) => e.ruleId === 'root-account-mfa').map((e) => e.accountId)).toEqual(['111122223333', '444455556666']);
    expect(stderr).toContain('warning: Account 777788889999 could not be read: cannot assume arn:aws:iam::777788889999:role/clinic-assessor (AccessDenied:');
    expect(stderr).toContain('warning: AWS Config is not recording in eu-west-1 of 444455556666 (AWS Config has no configuration recorder in eu-west-1');
    expect(code).toBe(1);
  });
});

describe('--live usage and credentials', () => {
  test.each([
    [['--live', '--snapshot', 'snapshot.json'], /option '--live' cannot be used with option '--snapshot <file>'/],
    [['--live', '--credential-report', 'x.csv'], /option '--live' cannot be used with option '--credential-report <file>'/],
    [['--region', 'us-east-1', '--snapshot', 'snapshot.json'], /^error: --region needs --live$/m],
    [['--format', 'json'], /^error: give --snapshot FILE \(files exported from AWS\) or --live \(read AWS now\)$/m],
    [['--live', '--accounts', '111122223333'], /^error: --accounts needs --role-name NAME/m],
    [['--live', '--accounts', '1111,2222', '--role-name', 'r'], /^error: --accounts: "1111" is not a 12-digit account id/m],
    [['--live', '--organization', '--accounts', '111122223333', '--role-name', 'r'], /option '--accounts <ids>' cannot be used with option '--organization'/],
    [['--live', '--role-name', 'r'], /^error: --role-name needs --accounts or --organization/m],
    [['--live', '--region', 'useast1'], /^error: --region "useast1" is not a Region code/m],
    [['--live', '--region', 'us-east-1', '--all-regions'], /option '--region <region>' cannot be used with option '--all-regions'/],
  ])('%j: exit 2, saying what is wrong, reading nothing', async (argv, message) => {
    const { code, stderr, calls } = await withAws({}, async (fake) => ({ ...(await scan(...argv)), calls: fake.calls.length }));
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
    expect(calls).toBe(0);
  });

  test('no credentials anywhere: exit 2, saying how to sign in', async () => {
    const { code, stderr } = await withAws({}, async () => {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      return scan('--live', '--region', 'us-east-1');
    });
    expect(stderr).toMatch(
      /^error: cannot read AWS: no AWS credentials found \(.*\); sign in first \(aws configure, or aws sso login\) and pass --profile NAME or set AWS_PROFILE$/m,
    );
    expect(code).toBe(2);
  });

  test('--profile: the credentials and the default Region come from that profile of the AWS config files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccm-profile-'));
    try {
      await writeFile(join(dir, 'config'), '[profile other]\nregion = us-west-2\n\n[profile clinic-audit]\nregion = eu-west-1\n');
      await writeFile(
        join(dir, 'credentials'),
        `[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\n\n[clinic-audit]\naws_access_key_id = ${CALLER_KEY}\naws_secret_access_key = fake-secret\n`,
      );
      const { stdout, counts } = await withAws({}, async (fake) => {
        for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) delete process.env[key];
        Object.assign(process.env, { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') });
        return {
          ...(await scan('--live', '--profile', 'clinic-audit', '--format', 'json')),
          counts: fake.calls.map((call) => `${call.accountId} ${call.region} ${call.service}:${call.operation}`),
        };
      });
      expect((JSON.parse(stdout) as { summary: { live: { accounts: unknown[] } } }).summary.live.accounts).toEqual([
        {
          accountId: '111122223333',
          status: 'read',
          denied: [],
          regions: [
            {
              region: 'eu-west-1',
              status: 'not-recording',
              items: 0,
              problem: expect.stringContaining('AWS Config has no configuration recorder in eu-west-1'),
              denied: [],
            },
          ],
        },
      ]);
      expect(counts).toContain('111122223333 eu-west-1 config:DescribeConfigurationRecorderStatus');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('no Region given and none configured: exit 2, saying how to give one', async () => {
    const { code, stderr } = await withAws({}, async () => {
      delete process.env.AWS_REGION;
      return scan('--live');
    });
    expect(stderr).toMatch(/^error: no Region to read: pass --region R \(repeatable\) or --all-regions, or set a default Region/m);
    expect(code).toBe(2);
  });

  test('as npm runs it, in a child process: plain progress lines on stderr (not a terminal), the report on stdout or in --out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccm-live-'));
    try {
      const { stderr, code } = await withAws({}, async (_fake, endpoint) => {
        const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
        return promisify(execFile)(
          process.execPath,
          [tsx, 'cli/scan.ts', '--live', '--region', 'us-east-1', '--as-of', NOW.toISOString(), '--format', 'csv', '--out', join(dir, 'live.csv')],
          {
            cwd: ROOT,
            env: { ...process.env, ...fakeAwsEnv(endpoint) },
          },
        ).then(
          (done) => ({ ...done, code: 0 }),
          (failed: { stderr: string; code: number }) => failed,
        );
      });
      expect(stderr).toContain('live 111122223333 us-east-1 Config query: done, 57 read\n');
      expect(stderr).toContain('live 111122223333 IAM credential report: done\n');
      expect(stderr).toMatch(/^live Read 1 account in 1 place \(account × Region\), 57 items, in [\d.]+ s\.$/m);
      expect((await readFile(join(dir, 'live.csv'), 'utf8')).split('\r\n').filter((line) => line !== '')).toHaveLength(
        1 + (await scanExampleClinic()).evaluations.length + 1,
      ); // header, the offline rows, EBS encryption by default
      expect(code).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
