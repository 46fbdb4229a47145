import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand, type GetDetectorCommandOutput } from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { GuardDutyAdapter } from '../../../functions/guardduty/adapter.js';
import { PERIODIC_EVALUATOR_CALLS } from '../../../functions/evaluator/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';
import { apiSample } from '../../helpers/samples.js';

const guardduty = mockClient(GuardDutyClient);
const sentCommands = recordSentCommands(guardduty);
afterAll(() => expectDeclaredCalls(sentCommands, PERIODIC_EVALUATOR_CALLS));
const DETECTOR = apiSample('guardduty/GetDetector.mrredhu-2025.json') as unknown as GetDetectorCommandOutput;

const adapter = () => new GuardDutyAdapter(new GuardDutyClient({}));

beforeEach(() => guardduty.reset());

describe('GuardDutyAdapter', () => {
  test('ListDetectors across pages, then GetDetector for each, keeping what the rules read and the id', async () => {
    guardduty
      .on(ListDetectorsCommand)
      .resolvesOnce({ DetectorIds: ['d-1'], NextToken: 'n' })
      .resolvesOnce({ DetectorIds: ['d-2'] });
    guardduty.on(GetDetectorCommand).resolves({ ...DETECTOR, $metadata: {} });
    const detectors = await adapter().detectors();
    expect(guardduty.commandCalls(GetDetectorCommand).map((call) => call.args[0].input)).toEqual([{ DetectorId: 'd-1' }, { DetectorId: 'd-2' }]);
    expect(guardduty.commandCalls(ListDetectorsCommand)).toHaveLength(2);
    expect(detectors).toEqual([
      { DetectorId: 'd-1', Status: 'ENABLED', DataSources: DETECTOR.DataSources, Features: DETECTOR.Features },
      { DetectorId: 'd-2', Status: 'ENABLED', DataSources: DETECTOR.DataSources, Features: DETECTOR.Features },
    ]);
    // Tags and the service role stay out: no rule reads them.
    expect(Object.keys(detectors[0] ?? {})).not.toContain('Tags');
  });

  test('no detector in the Region: no GetDetector call', async () => {
    guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    await expect(adapter().detectors()).resolves.toEqual([]);
    expect(guardduty.commandCalls(GetDetectorCommand)).toHaveLength(0);
  });

  test('a failed GetDetector fails the read, never a silent "no detector"', async () => {
    guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: ['d-1'] });
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $fault: 'client' });
    guardduty.on(GetDetectorCommand).rejects(denied);
    await expect(adapter().detectors()).rejects.toBe(denied);
  });
});
