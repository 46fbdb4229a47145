import { readPatchData } from '../../../rules/patching/patches.js';
import { expectBadParameter, expectValidAnnotations, NOW, runInventoryRule } from '../../helpers/rules.js';
import { deletedFrom, itemFrom, rawSampleItem, SAMPLE, SHAPED, type ConfigurationItem } from '../../helpers/samples.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

type Json = Record<string, unknown>;
const INSTANCE_ID = 'i-0a1b2c3d4e5f60001';
const DAY = 86_400_000;

/** The shaped patch compliance item with its Patch map changed: entries merged by patch id, `null` removes one. */
function patchItem(patches: Record<string, Json | null> = {}, top: Json = {}): ConfigurationItem {
  const raw = rawSampleItem(SHAPED.patchCompliance);
  const content = ((raw.configuration as Json)['AWS:ComplianceItem'] as Json).Content as Json;
  const map = content.Patch as Json;
  for (const [id, entry] of Object.entries(patches)) {
    if (entry === null) delete map[id];
    else map[id] = { ...(map[id] as Json | undefined), ...entry };
  }
  return itemFrom(SHAPED.patchCompliance, { configuration: raw.configuration as Json, top });
}

const missingCritical = { KB5048667: { Id: 'KB5048667', Title: '2026-11 Cumulative Update', Status: 'NON_COMPLIANT', Severity: 'CRITICAL', PatchSeverity: 'Critical', PatchState: 'Missing', InstalledTime: '' } };

/** The RDK EC2 instance sample as the instance behind the patch item. */
function instance(state: 'running' | 'stopped', tags: Record<string, string> = {}): ConfigurationItem {
  return itemFrom(SAMPLE.instance, {
    configuration: { instanceId: INSTANCE_ID, state: { code: state === 'running' ? 16 : 80, name: state } },
    top: { resourceId: INSTANCE_ID, accountId: '123456789012', arn: `arn:aws:ec2:us-east-1:123456789012:instance/${INSTANCE_ID}`, tags },
  });
}

function run(items: ConfigurationItem[], params: Record<string, unknown> = {}) {
  const evaluations = runInventoryRule('instance-patch-compliant', items, { params });
  expectValidAnnotations(evaluations);
  return evaluations;
}

describe('instance-patch-compliant', () => {
  test('installed patches and a scan a day old are COMPLIANT; the NotApplicable patch does not count', () => {
    expect(run([patchItem(), instance('running')])).toEqual([
      expect.objectContaining({
        resourceType: 'AWS::SSM::PatchCompliance',
        resourceId: `AWS::SSM::ManagedInstanceInventory/${INSTANCE_ID}`,
        compliance: 'COMPLIANT',
        annotation: 'No missing or failed patches; last patch scan 2026-11-27T03:40:05.000Z (ExecutionTime).',
      }),
    ]);
  });

  test('a missing critical patch is NON_COMPLIANT, naming the patch and its state', () => {
    expect(run([patchItem(missingCritical)])[0]).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: '1 patch is missing or failed (PatchState: KB5048667 Missing).' });
  });

  test('a failed installation counts like a missing patch', () => {
    expect(run([patchItem({ KB5044281: { Status: 'NON_COMPLIANT', PatchState: 'Failed' } })])[0]).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringMatching(/KB5044281 Failed/) });
  });

  test('a NotApplicable patch never counts, even when a tool marks it NON_COMPLIANT', () => {
    expect(run([patchItem({ KB890830: { Status: 'NON_COMPLIANT', PatchState: 'NotApplicable' } })])[0]?.compliance).toBe('COMPLIANT');
  });

  test('minSeverity: a missing LOW patch passes at HIGH and fails at the default (all severities)', () => {
    const low = patchItem({ KB5046540: { Id: 'KB5046540', Status: 'NON_COMPLIANT', Severity: 'LOW', PatchState: 'Missing' } });
    expect(run([low], { minSeverity: 'HIGH' })[0]).toMatchObject({ compliance: 'COMPLIANT', annotation: expect.stringMatching(/at severity HIGH or above/) });
    expect(run([low])[0]?.compliance).toBe('NON_COMPLIANT');
    expect(run([patchItem(missingCritical)], { minSeverity: 'high' })[0]?.compliance).toBe('NON_COMPLIANT');
  });

  test('an empty Severity falls back on the vendor severity (Important = HIGH)', () => {
    const important = patchItem({ KB5046540: { Id: 'KB5046540', Status: 'NON_COMPLIANT', Severity: '', PatchSeverity: 'Important', PatchState: 'Missing' } });
    expect(run([important], { minSeverity: 'HIGH' })[0]?.compliance).toBe('NON_COMPLIANT');
    expect(run([important], { minSeverity: 'CRITICAL' })[0]?.compliance).toBe('COMPLIANT');
  });

  test('a patch scan older than maxScanAgeDays is NON_COMPLIANT (the managed rule does not check this)', () => {
    const stale = patchItem({ ComplianceSummary: { ExecutionTime: new Date(NOW.getTime() - 12 * DAY).toISOString() } });
    expect(run([stale])[0]).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: 'The last patch scan 2026-11-16T12:00:00.000Z (ExecutionTime) is 12 days old; maxScanAgeDays is 7.' });
    expect(run([stale], { maxScanAgeDays: '30' })[0]?.compliance).toBe('COMPLIANT');
  });

  test('missing patches and a stale scan are both named', () => {
    const both = patchItem({ ...missingCritical, ComplianceSummary: { ExecutionTime: '2026-10-01T00:00:00Z' } });
    expect(run([both])[0]?.annotation).toMatch(/^1 patch is missing or failed .*; the last patch scan .* is 58 days old/);
  });

  test('without a summary the item capture time dates the scan, and the annotation says so', () => {
    const item = patchItem({ ComplianceSummary: null });
    expect(run([item])[0]?.annotation).toBe('No missing or failed patches; last patch scan 2026-11-27T03:41:12.558Z (item captured).');
    expect(run([patchItem({ ComplianceSummary: null }, { configurationItemCaptureTime: '2026-11-01T00:00:00Z' })])[0]?.compliance).toBe('NON_COMPLIANT');
  });

  test('with only a ComplianceSummary the non-compliant counts decide', () => {
    const summaryOnly = patchItem({ KB5044281: null, KB5043935: null, KB890830: null, ComplianceSummary: { Status: 'NON_COMPLIANT', NonCompliantHighCount: '2' } });
    expect(run([summaryOnly])[0]).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringMatching(/^2 patches are non-compliant \(ComplianceSummary NonCompliant counts\)/) });
    expect(run([summaryOnly], { minSeverity: 'CRITICAL' })[0]?.compliance).toBe('COMPLIANT');
  });

  test('an item with no patch data at all cannot be evaluated: an error, never COMPLIANT', () => {
    const empty = patchItem({ KB5044281: null, KB5043935: null, KB890830: null, ComplianceSummary: null });
    expect(run([empty])[0]).toMatchObject({ compliance: 'INSUFFICIENT_DATA', error: true, annotation: expect.stringMatching(/holds no patches and no ComplianceSummary/) });
  });

  test('a stopped instance is NOT_APPLICABLE (matched through the ManagedInstanceInventory/ resource id)', () => {
    expect(run([patchItem(missingCritical), instance('stopped')])[0]).toMatchObject({ compliance: 'NOT_APPLICABLE', annotation: `Instance ${INSTANCE_ID} is stopped (state.name); its patch state is checked while it runs.` });
  });

  test('a bare instance id as resource id matches the instance too', () => {
    expect(run([patchItem(missingCritical, { resourceId: INSTANCE_ID }), instance('stopped')])[0]?.compliance).toBe('NOT_APPLICABLE');
  });

  test('a deleted patch compliance item is NOT_APPLICABLE', () => {
    expect(run([deletedFrom(SHAPED.patchCompliance)])[0]).toMatchObject({ compliance: 'NOT_APPLICABLE', annotation: 'Resource is deleted (ResourceDeleted).' });
  });

  test("the instance's exemption tag governs its patch compliance", () => {
    const evaluation = run([patchItem(missingCritical), instance('running', { 'compliance:exempt': 'vendor-managed imaging appliance until=2027-03-31' })])[0];
    expect(evaluation).toMatchObject({ compliance: 'NOT_APPLICABLE', annotation: 'Exempt (compliance:exempt until 2027-03-31): vendor-managed imaging appliance' });
  });

  test.each([
    [{ minSeverity: 'SEVERE' }, /minSeverity = "SEVERE" is invalid: expected one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED/],
    [{ maxScanAgeDays: 0 }, /maxScanAgeDays = 0 is invalid: must be at least 1/],
    [{ maxScanAge: 7 }, /unknown parameter "maxScanAge"; known parameters: minSeverity, maxScanAgeDays/],
  ])('a bad parameter %j is rejected naming it', (params, message) => {
    expectBadParameter('instance-patch-compliant', params, message);
  });
});

describe('readPatchData (tolerant reader)', () => {
  test('reads the shaped item: three patches, summary, scan time', () => {
    const data = readPatchData(itemFrom(SHAPED.patchCompliance).configuration);
    expect(data.patches.map((p) => [p.id, p.state, p.status, p.severity])).toEqual([
      ['KB5044281', 'Installed', 'COMPLIANT', 'CRITICAL'],
      ['KB5043935', 'InstalledOther', 'COMPLIANT', 'UNSPECIFIED'],
      ['KB890830', 'NotApplicable', undefined, 'UNSPECIFIED'],
    ]);
    expect(data.scanTime).toBe(Date.parse('2026-11-27T03:40:05Z'));
  });

  test('a list of patches instead of a map, and an ExecutionSummary instead of a summary, are read', () => {
    const data = readPatchData({
      'AWS:ComplianceItem': { ExecutionSummary: { ExecutionTime: '2026-11-20T00:00:00Z' }, Content: { Patch: [{ Id: 'ALAS2-2026-2801', Status: 'NON_COMPLIANT', Severity: 'HIGH', PatchState: 'Missing' }] } },
    });
    expect(data).toEqual({ patches: [{ id: 'ALAS2-2026-2801', state: 'Missing', status: 'NON_COMPLIANT', severity: 'HIGH' }], scanTime: Date.parse('2026-11-20T00:00:00Z') });
  });

  test('no compliance item at all gives no patches and no summary', () => {
    expect(readPatchData({})).toEqual({ patches: [] });
  });
});

testOnExampleClinic('instance-patch-compliant', 'ehr-app-02 misses a patch and fileserver-win was scanned 12 days ago; old-reporting is exempt', {
  COMPLIANT: ['AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8001 (i-0a11e4c5d6e7f8001)'],
  NON_COMPLIANT: [
    'AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8002 (i-0a11e4c5d6e7f8002)',
    'AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8004 (i-0a11e4c5d6e7f8004)',
  ],
  NOT_APPLICABLE: ['AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8005 (i-0a11e4c5d6e7f8005)'],
});
