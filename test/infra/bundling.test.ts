import { build } from 'esbuild';
import { join } from 'node:path';
import { LogLevel } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LAMBDA_BUNDLING, SINGLE_ACCOUNT_DEFINE } from '../../infra/bundling.js';
import { monitorBundling } from '../../infra/constructs/monitor-function.js';
import { LAMBDAS } from '../../functions/shared/services.js';
import { CATALOG } from '../../rules/catalog.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function bundleText(define: Record<string, string> | undefined, entry: string = LAMBDAS.change.entry): Promise<string> {
  const result = await build({
    ...LAMBDA_BUNDLING,
    ...(define && { define }),
    minify: false,
    entryPoints: [join(ROOT, entry)],
    write: false,
    outfile: 'index.mjs',
    logLevel: 'error',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('Lambda bundling', () => {
  test('single-account stacks build with the define that drops org-wide code; org-wide stacks keep it', () => {
    expect(monitorBundling().define).toEqual(SINGLE_ACCOUNT_DEFINE);
    expect(monitorBundling({ orgWide: true }).define).toBeUndefined();
  });

  test('esbuild says warnings and errors on synth, not its summary of every output file', () => {
    for (const orgWide of [false, true]) expect(monitorBundling({ orgWide }).logLevel).toBe(LogLevel.WARNING);
  });

  test('the single-account change evaluator bundle holds no member-role code or SNS client; the org-wide one does', async () => {
    const single = await bundleText(SINGLE_ACCOUNT_DEFINE);
    const org = await bundleText(undefined);
    // Our org code and the SNS client (STS is in every bundle: the SDK's default credential chain uses it).
    for (const marker of ['MemberRoleAlarm', 'MemberAccess', 'PublishCommand']) {
      expect(org).toContain(marker);
      expect(single).not.toContain(marker);
    }
    expect(single).toContain('PutEvaluationsCommand');
  });

  test('the single-account periodic evaluator bundle holds no member-role code or SNS client; the org-wide one does', async () => {
    const single = await bundleText(SINGLE_ACCOUNT_DEFINE, LAMBDAS.periodic.entry);
    const org = await bundleText(undefined, LAMBDAS.periodic.entry);
    for (const marker of ['MemberRoleAlarm', 'MemberAccess', 'PublishCommand']) {
      expect(org).toContain(marker);
      expect(single).not.toContain(marker);
    }
    for (const command of ['SelectResourceConfigCommand', 'GetCredentialReportCommand', 'ListBackupPlansCommand', 'PutEvaluationsCommand'])
      expect(single).toContain(command);
  });

  test('the single-account notifier bundle holds no Organizations or member-role code; the org-wide one does', async () => {
    const single = await bundleText(SINGLE_ACCOUNT_DEFINE, LAMBDAS.notifier.entry);
    const org = await bundleText(undefined, LAMBDAS.notifier.entry);
    for (const marker of ['MemberRoleAlarm', 'MemberAccess', 'AccountNames', 'DescribeAccountCommand']) {
      expect(org).toContain(marker);
      expect(single).not.toContain(marker);
    }
    for (const command of ['BatchImportFindingsCommand', 'PublishBatchCommand', 'PutItemCommand', 'PutObjectCommand']) expect(single).toContain(command);
  });

  test('the single-account findings refresher bundle holds no Organizations, member-role, SNS or org settings code; the org-wide one does', async () => {
    const entry = LAMBDAS.refresher.entry;
    const single = await bundleText(SINGLE_ACCOUNT_DEFINE, entry);
    const org = await bundleText(undefined, entry);
    for (const marker of [
      'MemberRoleAlarm',
      'MemberAccess',
      'ListAccountsCommand',
      'PublishCommand',
      'createOrgRefresherHandler',
      'ACCOUNT_OVERRIDES',
      'EXCLUDED_ACCOUNTS',
    ]) {
      expect(org).toContain(marker);
      expect(single).not.toContain(marker);
    }
    // The Security Hub client's commands stay tree-shaken: no aggregated client.
    expect(single).not.toContain('AcceptAdministratorInvitationCommand');
    expect(single).toContain('GetFindingsCommand');
  });

  test('every rule of the catalog is in the evaluator bundles (rules/index.generated.ts imports them statically)', async () => {
    for (const entry of [LAMBDAS.change.entry, LAMBDAS.periodic.entry]) {
      const text = await bundleText(SINGLE_ACCOUNT_DEFINE, entry);
      for (const rule of CATALOG) expect(text).toContain(`"${rule.id}"`);
    }
  });

  test('the single-account recorder health bundle holds no Organizations or member-role code; the org-wide one does', async () => {
    const entry = LAMBDAS.recorderHealth.entry;
    const single = await bundleText(SINGLE_ACCOUNT_DEFINE, entry);
    const org = await bundleText(undefined, entry);
    for (const marker of ['MemberRoleAlarm', 'MemberAccess', 'ListAccountsCommand', 'EXCLUDED_ACCOUNTS']) {
      expect(org).toContain(marker);
      expect(single).not.toContain(marker);
    }
    expect(single).toContain('DescribeConfigurationRecorderStatusCommand');
  });

  test('the single-account monthly report bundle holds no Organizations, member-role or account-filter code; the org-wide one does', async () => {
    const entry = LAMBDAS.report.entry;
    const single = await bundleText(SINGLE_ACCOUNT_DEFINE, entry);
    const org = await bundleText(undefined, entry);
    for (const marker of ['MemberRoleAlarm', 'MemberAccess', 'ListAccountsCommand', 'EXCLUDED_ACCOUNTS']) {
      expect(org).toContain(marker);
      expect(single).not.toContain(marker);
    }
    for (const command of ['GetComplianceDetailsByConfigRuleCommand', 'ListObjectsV2Command', 'PutObjectCommand', 'PublishCommand'])
      expect(single).toContain(command);
  });
});
