/** An exemption read back from the annotation AWS Config keeps: the monthly report's exemptions register. */
import { exemptionFromAnnotation, REASON_NOT_RECORDED } from '../../rules/exemptions.js';
import { mixedEvaluations } from '../helpers/reports.js';

describe('exemptionFromAnnotation', () => {
  test('reads back what the engine wrote: in force (reason and until), expired (until), malformed (the problem)', () => {
    const read = mixedEvaluations().map((evaluation) => [evaluation.exemption, exemptionFromAnnotation(evaluation.annotation)]);
    expect(read.filter(([written]) => written !== undefined)).toEqual([
      [
        { state: 'active', reason: 'lab scratch disk', until: '2026-12-31' },
        { state: 'active', reason: 'lab scratch disk', until: '2026-12-31' },
      ],
      [
        { state: 'expired', reason: 'migration', until: '2026-11-01' },
        { state: 'expired', reason: REASON_NOT_RECORDED, until: '2026-11-01' },
      ],
      [
        { state: 'malformed', problem: 'the tag gives no reason' },
        { state: 'malformed', problem: 'the tag gives no reason' },
      ],
    ]);
    expect(read.filter(([written]) => written === undefined).map(([, back]) => back)).toEqual([undefined, undefined, undefined]);
  });

  test('an exemption without end date, and a tag key with spaces and colons', () => {
    expect(exemptionFromAnnotation('Exempt (clinic: waiver): imaging vendor appliance, see ticket 42')).toEqual({
      state: 'active',
      reason: 'imaging vendor appliance, see ticket 42',
    });
  });

  test('a malformed until date names the problem', () => {
    expect(
      exemptionFromAnnotation('Exemption tag compliance:exempt ignored: until=2026-13-01 is not a date (YYYY-MM-DD). EBS volume is not encrypted.'),
    ).toEqual({
      state: 'malformed',
      problem: 'until=2026-13-01 is not a date (YYYY-MM-DD)',
    });
  });
});
