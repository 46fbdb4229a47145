import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { runScan as run } from '../helpers/cli.js';
import { NOW } from '../helpers/rules.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'clinic', 'config-snapshot.json');
const REPORT = join(import.meta.dirname, '..', '..', 'examples', 'clinic', 'credential-report.csv');

describe('npm run scan -- --format asff', () => {
  test('writes one finding per evaluation, the same the deployed monitor imports, as a batch-import-findings array', async () => {
    const asff = await run('--snapshot', EXAMPLE, '--credential-report', REPORT, '--format', 'asff');
    const json = await run('--snapshot', EXAMPLE, '--credential-report', REPORT, '--format', 'json');
    expect(asff.code).toBe(json.code);
    const findings = JSON.parse(asff.stdout) as AwsSecurityFinding[];
    const evaluations = (JSON.parse(json.stdout) as { evaluations: { ruleId: string; resourceId: string; compliance: string }[] }).evaluations;
    expect(Array.isArray(findings)).toBe(true);
    expect(findings).toHaveLength(evaluations.length);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    for (const finding of findings) {
      expect(finding).toMatchObject({
        SchemaVersion: '2018-10-08',
        ProductName: 'Clinic Compliance Monitor',
        UpdatedAt: NOW.toISOString(),
        CreatedAt: NOW.toISOString(),
      });
      expect(finding.ProductArn).toBe(`arn:aws:securityhub:${finding.Resources?.[0]?.Region}:${finding.AwsAccountId}:product/${finding.AwsAccountId}/default`);
    }
    const failed = findings.filter((f) => f.Compliance?.Status === 'FAILED').map((f) => `${f.GeneratorId} ${f.ProductFields?.['ccm/ResourceId']}`);
    const nonCompliant = evaluations.filter((e) => e.compliance === 'NON_COMPLIANT').map((e) => `${e.ruleId} ${e.resourceId}`);
    expect(failed.sort()).toEqual(nonCompliant.sort());
    const archived = findings.filter((f) => f.RecordState === 'ARCHIVED');
    expect(archived).toHaveLength(evaluations.filter((e) => e.compliance === 'NOT_APPLICABLE').length);
  });

  test('--out writes the same array to a file, ready for file:// import', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ccm-asff-')), 'findings.json');
    const { stdout } = await run('--snapshot', EXAMPLE, '--format', 'asff', '--out', file);
    expect(stdout).toBe('');
    const findings = JSON.parse(readFileSync(file, 'utf8')) as AwsSecurityFinding[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings).toEqual(JSON.parse((await run('--snapshot', EXAMPLE, '--format', 'asff')).stdout));
  });
});
