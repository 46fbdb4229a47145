/** Issue 11: a resource counts once, at its newest item, whatever the input; a report given twice judges each user once. */
import { readFileSync } from 'node:fs';
import { EXAMPLE, report, REPORT, runScan, temp } from '../helpers/cli.js';
import { rawSampleItem, SAMPLE } from '../helpers/samples.js';

/** The rdk volume sample (API style, as get-resource-config-history prints it) at one point of its history. */
function volumeVersion(time: string, stateId: string, encrypted: boolean): Record<string, unknown> {
  const item = rawSampleItem(SAMPLE.volume);
  return { ...item, configurationItemCaptureTime: time, configurationStateId: stateId, configuration: { ...(item.configuration as object), encrypted } };
}

describe('duplicates within one input', () => {
  test('get-resource-config-history output: an encrypted volume whose older version was unencrypted is judged once, COMPLIANT', async () => {
    const history = {
      configurationItems: [volumeVersion('2026-11-02T00:00:00.000Z', '1793577600000', true), volumeVersion('2026-10-01T00:00:00.000Z', '1790812800000', false)],
    };
    const { code, stdout } = await runScan('--snapshot', temp('history.json', JSON.stringify(history)), '--format', 'json');
    const volume = report(stdout).evaluations.filter((e) => e.ruleId === 'ebs-volume-encrypted');
    expect(volume).toEqual([expect.objectContaining({ resourceId: 'vol-a416b170', compliance: 'COMPLIANT' })]);
    expect(code).toBe(1); // the volume is in no backup plan: the backup rules still fail it
  });

  test('the same snapshot given twice, or one file repeating every item, counts like the snapshot once', async () => {
    const once = report((await runScan('--snapshot', EXAMPLE, '--format', 'json')).stdout);
    const twice = report((await runScan('--snapshot', EXAMPLE, '--snapshot', EXAMPLE, '--format', 'json')).stdout);
    const doc = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { configurationItems: unknown[] };
    const repeated = temp('repeated.json', JSON.stringify({ ...doc, configurationItems: [...doc.configurationItems, ...doc.configurationItems] }));
    const inside = report((await runScan('--snapshot', repeated, '--format', 'json')).stdout);
    for (const other of [twice, inside]) {
      expect(other.summary.compliance).toEqual(once.summary.compliance);
      expect(other.summary.resourcesEvaluated).toBe(once.summary.resourcesEvaluated);
      expect(other.evaluations.length).toBe(once.evaluations.length);
    }
  });

  test('a credential report given twice evaluates each user once', async () => {
    const mfa = (stdout: string) =>
      report(stdout)
        .evaluations.filter((e) => e.ruleId.includes('mfa'))
        .map((e) => `${e.ruleId} ${e.resourceId}`);
    const once = mfa((await runScan('--snapshot', EXAMPLE, '--credential-report', REPORT, '--format', 'json')).stdout);
    const twice = mfa((await runScan('--snapshot', EXAMPLE, '--credential-report', REPORT, '--credential-report', REPORT, '--format', 'json')).stdout);
    expect(twice).toEqual(once);
    expect(new Set(twice).size).toBe(twice.length);
  });
});
