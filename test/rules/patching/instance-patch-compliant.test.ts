import { PATCH_STATES, readPatchData } from '../../../rules/patching/patches.js';
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
    else map[id] = typeof entry === 'object' ? { ...(map[id] as Json | undefined), ...entry } : entry;
  }
  return itemFrom(SHAPED.patchCompliance, { configuration: raw.configuration as Json, top });
}

const missingCritical = {
  KB5048667: {
    Id: 'KB5048667',
    Title: '2026-11 Cumulative Update',
    Status: 'NON_COMPLIANT',
    Severity: 'CRITICAL',
    PatchSeverity: 'Critical',
    PatchState: 'Missing',
    InstalledTime: '',
  },
};

/** The RDK EC2 instance sample as the instance behind the patch item. */
function instance(state: 'running' | 'stopped', tags: Record<string, string> = {}): ConfigurationItem {
  return itemFrom(SAMPLE.instance, {
    configuration: { instanceId: INSTANCE_ID, state: { code: state === 'running' ? 16 : 80, name: state } },
    top: { resourceId: INSTANCE_ID, accountId: '123456789012', arn: `arn:aws:ec2:us-east-1:123456789012:instance/${INSTANCE_ID}`, tags },
  });
}

/** Last patch scans as the periodic evaluator reads them from Systems Manager (ListResourceComplianceSummaries). */
const scannedAt = (executionTime?: string) => [
  { accountId: '123456789012', region: 'us-east-1', resourceId: INSTANCE_ID, ...(executionTime !== undefined && { executionTime: Date.parse(executionTime) }) },
];

function run(items: ConfigurationItem[], params: Record<string, unknown> = {}, patchScans?: ReturnType<typeof scannedAt>) {
  const evaluations = runInventoryRule('instance-patch-compliant', items, { params, ...(patchScans !== undefined && { extras: { patchScans } }) });
  expectValidAnnotations(evaluations);
  return evaluations;
}

describe('instance-patch-compliant', () => {
  test('installed patches are COMPLIANT; offline the scan age is not checked, and the annotation says so', () => {
    expect(run([patchItem(), instance('running')])).toEqual([
      expect.objectContaining({
        resourceType: 'AWS::SSM::PatchCompliance',
        resourceId: `AWS::SSM::ManagedInstanceInventory/${INSTANCE_ID}`,
        compliance: 'COMPLIANT',
        annotation: 'No NON_COMPLIANT patch; the last scan time is not in Config data, so maxScanAgeDays was not checked.',
      }),
    ]);
  });

  test('a well-patched server whose item has not changed for months is not stale: the capture time is not the scan time (issue 10, case 2)', () => {
    expect(run([patchItem({}, { configurationItemCaptureTime: '2026-06-01T00:00:00Z' })])[0]?.compliance).toBe('COMPLIANT');
  });

  test('the shaped item carries no ExecutionTime (no real item shows one); one added by hand is not taken as the scan time', () => {
    expect(JSON.stringify(rawSampleItem(SHAPED.patchCompliance))).not.toContain('ExecutionTime');
    const invented = patchItem({ ComplianceSummary: { ExecutionTime: '2020-01-01T00:00:00Z' } });
    expect(run([invented])[0]).toMatchObject({ compliance: 'COMPLIANT', annotation: expect.stringContaining('maxScanAgeDays was not checked') });
  });

  test('a missing critical patch is NON_COMPLIANT, naming the patch and its state', () => {
    expect(run([patchItem(missingCritical)])[0]).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: '1 patch is NON_COMPLIANT (KB5048667 Missing).' });
  });

  describe('the per-patch Status is the verdict; PatchState explains (issue 10, case 1)', () => {
    test.each([
      ['InstalledPendingReboot', /KB5044281 InstalledPendingReboot, awaiting a reboot/],
      ['InstalledRejected', /KB5044281 InstalledRejected, on the rejected list/],
      ['AvailableSecurityUpdate', /KB5044281 AvailableSecurityUpdate/],
      ['Failed', /KB5044281 Failed/],
      ['Missing', /KB5044281 Missing/],
      ['Installed', /KB5044281 Installed\)/],
      ['InstalledOther', /KB5044281 InstalledOther/],
      ['NotApplicable', /KB5044281 NotApplicable/],
    ])('Status NON_COMPLIANT with PatchState %s is NON_COMPLIANT', (state, message) => {
      expect(run([patchItem({ KB5044281: { Status: 'NON_COMPLIANT', PatchState: state } })])[0]).toMatchObject({
        compliance: 'NON_COMPLIANT',
        annotation: expect.stringMatching(message),
      });
    });

    test.each(PATCH_STATES.map((state) => [state]))('Status COMPLIANT with PatchState %s is COMPLIANT (the baseline accepts it)', (state) => {
      expect(run([patchItem({ KB5044281: { Status: 'COMPLIANT', PatchState: state } })])[0]?.compliance).toBe('COMPLIANT');
    });

    test.each([
      ['Installed', 'COMPLIANT'],
      ['InstalledOther', 'COMPLIANT'],
      ['NotApplicable', 'COMPLIANT'],
      ['InstalledPendingReboot', 'NON_COMPLIANT'],
      ['InstalledRejected', 'NON_COMPLIANT'],
      ['Missing', 'NON_COMPLIANT'],
      ['Failed', 'NON_COMPLIANT'],
      ['AvailableSecurityUpdate', 'INSUFFICIENT_DATA'],
    ])('with an empty Status, PatchState %s decides as Systems Manager counts it: %s', (state, compliance) => {
      expect(run([patchItem({ KB5044281: { Status: '', PatchState: state } })])[0]?.compliance).toBe(compliance);
    });

    test('the API spelling of PatchState (INSTALLED_PENDING_REBOOT) reads like the compliance item spelling', () => {
      expect(run([patchItem({ KB5044281: { Status: '', PatchState: 'INSTALLED_PENDING_REBOOT' } })])[0]?.annotation).toMatch(
        /InstalledPendingReboot, awaiting a reboot/,
      );
    });

    test.each([
      ['COMPLIANT', 'COMPLIANT'],
      ['NON_COMPLIANT', 'NON_COMPLIANT'],
      ['UNSPECIFIED_DATA', 'COMPLIANT'],
    ])('ComplianceSummary.Status %s beside listed patches that are all compliant: %s (the patches are the detail)', (status, compliance) => {
      expect(run([patchItem({ ComplianceSummary: { Status: status } })])[0]?.compliance).toBe(compliance);
    });

    test('ComplianceSummary.Status UNSPECIFIED_DATA with no listed patch could not be evaluated', () => {
      const summaryOnly = patchItem({ KB5044281: null, KB5043935: null, KB890830: null, ComplianceSummary: { Status: 'UNSPECIFIED_DATA' } });
      expect(run([summaryOnly])[0]).toMatchObject({
        compliance: 'INSUFFICIENT_DATA',
        annotation: expect.stringMatching(/UNSPECIFIED_DATA and no patches are listed/),
      });
    });

    test('ComplianceSummary.Status NON_COMPLIANT is not overruled by listed patches that all look compliant', () => {
      expect(run([patchItem({ ComplianceSummary: { Status: 'NON_COMPLIANT' } })])[0]).toMatchObject({
        compliance: 'NON_COMPLIANT',
        annotation: 'ComplianceSummary.Status is NON_COMPLIANT although no listed patch is.',
      });
    });
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

  describe('scan age, where Systems Manager gives the last scan time (the deployed monitor)', () => {
    test('a scan older than maxScanAgeDays is NON_COMPLIANT (the managed rule does not check this)', () => {
      const twelveDays = new Date(NOW.getTime() - 12 * DAY).toISOString();
      expect(run([patchItem()], {}, scannedAt(twelveDays))[0]).toMatchObject({
        compliance: 'NON_COMPLIANT',
        annotation: 'The last patch scan 2026-11-16T12:00:00.000Z (Systems Manager ExecutionTime) is 12 days old; maxScanAgeDays is 7.',
      });
      expect(run([patchItem()], { maxScanAgeDays: '30' }, scannedAt(twelveDays))[0]?.compliance).toBe('COMPLIANT');
    });

    test('a recent scan is COMPLIANT, naming its time', () => {
      expect(run([patchItem()], {}, scannedAt('2026-11-27T03:40:05Z'))[0]).toMatchObject({
        compliance: 'COMPLIANT',
        annotation: 'No NON_COMPLIANT patch; last patch scan 2026-11-27T03:40:05.000Z (Systems Manager ExecutionTime).',
      });
    });

    test('missing patches and a stale scan are both named', () => {
      expect(run([patchItem(missingCritical)], {}, scannedAt('2026-10-01T00:00:00Z'))[0]?.annotation).toMatch(
        /^1 patch is NON_COMPLIANT .*; the last patch scan .* is 58 days old/,
      );
    });

    test('an instance Systems Manager returned no scan time for could not be evaluated', () => {
      expect(run([patchItem()], {}, scannedAt())[0]).toMatchObject({
        compliance: 'INSUFFICIENT_DATA',
        error: true,
        annotation: expect.stringMatching(/returned no last patch scan time for i-0a1b2c3d4e5f60001/),
      });
      expect(run([patchItem()], {}, [])[0]?.compliance).toBe('INSUFFICIENT_DATA');
    });
  });

  test('without a summary the listed patches decide', () => {
    expect(run([patchItem({ ComplianceSummary: null })])[0]?.compliance).toBe('COMPLIANT');
    expect(run([patchItem({ ...missingCritical, ComplianceSummary: null })])[0]?.compliance).toBe('NON_COMPLIANT');
  });

  test('with only a ComplianceSummary the non-compliant counts decide', () => {
    const summaryOnly = patchItem({
      KB5044281: null,
      KB5043935: null,
      KB890830: null,
      ComplianceSummary: { Status: 'NON_COMPLIANT', NonCompliantHighCount: '2' },
    });
    expect(run([summaryOnly])[0]).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: expect.stringMatching(/^2 patches are NON_COMPLIANT \(ComplianceSummary NonCompliant counts\)/),
    });
    expect(run([summaryOnly], { minSeverity: 'CRITICAL' })[0]?.compliance).toBe('COMPLIANT');
  });

  test('with only a ComplianceSummary whose Status is NON_COMPLIANT and no counts, the Status decides', () => {
    const statusOnly = patchItem({
      KB5044281: null,
      KB5043935: null,
      KB890830: null,
      ComplianceSummary: {
        Status: 'NON_COMPLIANT',
        NonCompliantCriticalCount: null,
        NonCompliantHighCount: null,
        NonCompliantMediumCount: null,
        NonCompliantLowCount: null,
        NonCompliantInformationalCount: null,
        NonCompliantUnspecifiedCount: null,
      },
    });
    expect(run([statusOnly])[0]).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: 'ComplianceSummary.Status is NON_COMPLIANT.' });
  });

  test('an item with no patch data at all cannot be evaluated: an error, never COMPLIANT', () => {
    const empty = patchItem({ KB5044281: null, KB5043935: null, KB890830: null, ComplianceSummary: null });
    expect(run([empty])[0]).toMatchObject({
      compliance: 'INSUFFICIENT_DATA',
      error: true,
      annotation: expect.stringMatching(/holds no patches and no ComplianceSummary/),
    });
  });

  describe('a value outside what Systems Manager documents is "could not be evaluated", naming patch, field and value (issue 11)', () => {
    test.each([
      [
        'PatchState "Pending"',
        { KB5044281: { PatchState: 'Pending' } },
        /Patch\.KB5044281\.PatchState is "Pending", not one of the values Systems Manager documents/,
      ],
      ['Status "FAILED"', { KB5044281: { Status: 'FAILED' } }, /Patch\.KB5044281\.Status is "FAILED"/],
      ['Status 1', { KB5044281: { Status: 1 } }, /Patch\.KB5044281\.Status is not a string \(1\)/],
      ['Severity "SEVERE"', { KB5044281: { Severity: 'SEVERE' } }, /Patch\.KB5044281\.Severity is "SEVERE"/],
      ['a patch entry that is a string', { KB5044281: 'Installed' as unknown as Json }, /Patch\.KB5044281 is not an object \("Installed"\)/],
      ['ComplianceSummary.Status "OK"', { ComplianceSummary: { Status: 'OK' } }, /ComplianceSummary\.Status is "OK"/],
      ['a NonCompliant count "many"', { ComplianceSummary: { NonCompliantHighCount: 'many' } }, /NonCompliantHighCount is not a count \("many"\)/],
    ])('%s', (_name, patches, message) => {
      const patched = patchItem(patches as Record<string, Json | null>);
      expect(run([patched])[0]).toMatchObject({ compliance: 'INSUFFICIENT_DATA', error: true, annotation: expect.stringMatching(message) });
    });

    test('a patch with neither Status nor PatchState could not be evaluated', () => {
      expect(run([patchItem({ KB5044281: { Status: '', PatchState: '' } })])[0]).toMatchObject({
        compliance: 'INSUFFICIENT_DATA',
        annotation: expect.stringMatching(/patch KB5044281 has neither Status nor PatchState/),
      });
    });
  });

  test('a stopped instance is NOT_APPLICABLE (matched through the ManagedInstanceInventory/ resource id)', () => {
    expect(run([patchItem(missingCritical), instance('stopped')])[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: `Instance ${INSTANCE_ID} is stopped (state.name); its patch state is checked while it runs.`,
    });
  });

  test('a bare instance id as resource id matches the instance too', () => {
    expect(run([patchItem(missingCritical, { resourceId: INSTANCE_ID }), instance('stopped')])[0]?.compliance).toBe('NOT_APPLICABLE');
  });

  test('a deleted patch compliance item is NOT_APPLICABLE', () => {
    expect(run([deletedFrom(SHAPED.patchCompliance)])[0]).toMatchObject({ compliance: 'NOT_APPLICABLE', annotation: 'Resource is deleted (ResourceDeleted).' });
  });

  test("the instance's exemption tag governs its patch compliance", () => {
    const evaluation = run([patchItem(missingCritical), instance('running', { 'compliance:exempt': 'vendor-managed imaging appliance until=2027-03-31' })])[0];
    expect(evaluation).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Exempt (compliance:exempt until 2027-03-31): vendor-managed imaging appliance',
    });
  });

  test.each([
    [{ minSeverity: 'SEVERE' }, /minSeverity = "SEVERE" is invalid: expected one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED/],
    [{ maxScanAgeDays: 0 }, /maxScanAgeDays = 0 is invalid: must be at least 1/],
    [{ maxScanAge: 7 }, /unknown parameter "maxScanAge"; known parameters: minSeverity, maxScanAgeDays/],
  ])('a bad parameter %j is rejected naming it', (params, message) => {
    expectBadParameter('instance-patch-compliant', params, message);
  });
});

describe('readPatchData', () => {
  test('reads the shaped item: three patches and the summary, no scan time', () => {
    const data = readPatchData(itemFrom(SHAPED.patchCompliance).configuration);
    expect(data.patches.map((p) => [p.id, p.state, p.status, p.severity])).toEqual([
      ['KB5044281', 'Installed', 'COMPLIANT', 'CRITICAL'],
      ['KB5043935', 'InstalledOther', 'COMPLIANT', 'UNSPECIFIED'],
      ['KB890830', 'NotApplicable', undefined, 'UNSPECIFIED'],
    ]);
    expect(data.summary?.status).toBe('COMPLIANT');
    expect(data).not.toHaveProperty('scanTime');
  });

  test('a list of patches instead of a map is read', () => {
    const data = readPatchData({
      'AWS:ComplianceItem': { Content: { Patch: [{ Id: 'ALAS2-2026-2801', Status: 'NON_COMPLIANT', Severity: 'HIGH', PatchState: 'Missing' }] } },
    });
    expect(data).toEqual({ patches: [{ id: 'ALAS2-2026-2801', state: 'Missing', status: 'NON_COMPLIANT', severity: 'HIGH' }] });
  });

  test('no compliance item at all gives no patches and no summary', () => {
    expect(readPatchData({})).toEqual({ patches: [] });
  });
});

testOnExampleClinic(
  'instance-patch-compliant',
  'ehr-app-02 misses a patch and fileserver-win has one installed but awaiting a reboot (Status NON_COMPLIANT); old-reporting is exempt; offline no scan age is checked',
  {
    COMPLIANT: ['AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8001 (i-0a11e4c5d6e7f8001)'],
    NON_COMPLIANT: [
      'AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8002 (i-0a11e4c5d6e7f8002)',
      'AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8004 (i-0a11e4c5d6e7f8004)',
    ],
    NOT_APPLICABLE: ['AWS::SSM::ManagedInstanceInventory/i-0a11e4c5d6e7f8005 (i-0a11e4c5d6e7f8005)'],
  },
);
