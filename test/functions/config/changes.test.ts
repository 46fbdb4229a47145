import type { PreviousResult } from '../../../functions/config/adapter.js';
import { changedOnly, DEFAULT_RESTATE_DAYS } from '../../../functions/config/changes.js';
import { clampAnnotation } from '../../../rules/engine.js';
import type { Evaluation } from '../../../rules/types.js';
import { stableReason } from '../../../rules/verdicts.js';

const NOW = new Date('2026-12-20T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

function evaluation(resourceId: string, compliance: Evaluation['compliance'], annotation: string, extra: Partial<Evaluation> = {}): Evaluation {
  return {
    ruleId: 'resource-recent-recovery-point',
    resourceType: 'AWS::EC2::Volume',
    resourceId,
    accountId: '111122223333',
    region: 'us-east-1',
    compliance,
    annotation,
    severity: 'HIGH',
    hipaa: [],
    orderingTimestamp: NOW.toISOString(),
    ...extra,
  };
}

/** A result Config holds; recordedAt null: Config gave no time. */
function held(resourceId: string, compliance: string, annotation: string | undefined, recordedAt: Date | null = daysAgo(1)): PreviousResult {
  return {
    resourceType: 'AWS::EC2::Volume',
    resourceId,
    compliance,
    ...(annotation !== undefined && { annotation }),
    ...(recordedAt !== null && { recordedAt }),
  };
}

const YESTERDAY = 'Newest COMPLETED recovery point was created 7 hours ago (2026-12-19T05:00:00.000Z).';
const TODAY = 'Newest COMPLETED recovery point was created 7 hours ago (2026-12-20T05:00:00.000Z).';
const options = { now: NOW, restateDays: DEFAULT_RESTATE_DAYS };

describe('stableReason: the reason without its figures', () => {
  test.each([
    ['User was created 5 hours ago, within gracePeriodHours (24).', 'User was created 30 hours ago, within gracePeriodHours (48).'],
    [YESTERDAY, TODAY],
    [
      'The last patch scan 2026-11-16T04:02:19.000Z (ExecutionTime) is 12 days old; maxScanAgeDays is 7',
      'The last patch scan 2026-11-16T04:02:19.000Z (ExecutionTime) is 13 days old; maxScanAgeDays is 7',
    ],
    ['1.5 hours', '12 hours'],
  ])('%j and %j give the same reason', (a, b) => {
    expect(stableReason(a)).toBe(stableReason(b));
  });

  test.each([
    ['No COMPLETED recovery point (AWS::Backup::RecoveryPoint) of this resource was found.', YESTERDAY],
    ['Selected by backup selection daily of plan clinic.', 'Selected through its attached instance i-1 by backup selection daily of plan clinic.'],
    ['User has a console password and no active MFA device (mfa_active = false).', 'User signs in to the console with MFA (mfa_active = true).'],
  ])('%j and %j give different reasons', (a, b) => {
    expect(stableReason(a)).not.toBe(stableReason(b));
  });
});

describe('changedOnly: what a periodic run puts', () => {
  test('the same compliance and reason is not put, however its figures moved', () => {
    const changes = changedOnly([evaluation('vol-1', 'COMPLIANT', TODAY)], [held('vol-1', 'COMPLIANT', YESTERDAY)], options);
    expect(changes).toEqual({ put: [], unchanged: 1, restated: 0 });
  });

  test.each([
    ['a changed compliance', held('vol-1', 'COMPLIANT', TODAY), evaluation('vol-1', 'NON_COMPLIANT', TODAY)],
    [
      'a changed reason',
      held('vol-1', 'NON_COMPLIANT', 'No COMPLETED recovery point (AWS::Backup::RecoveryPoint) of this resource was found.'),
      evaluation('vol-1', 'NON_COMPLIANT', `${TODAY.slice(0, -1)}; maxAgeHours is 6.`),
    ],
    ['a result held without annotation', held('vol-1', 'COMPLIANT', undefined), evaluation('vol-1', 'COMPLIANT', TODAY)],
    ['a NOT_APPLICABLE replacing a held result', held('vol-1', 'COMPLIANT', TODAY), evaluation('vol-1', 'NOT_APPLICABLE', 'Exempt: lab volume.')],
    [
      'a NOT_APPLICABLE with another reason than the one held',
      held('vol-1', 'NOT_APPLICABLE', 'EC2 instance is stopped (state.name); only running instances are checked.'),
      evaluation('vol-1', 'NOT_APPLICABLE', 'Exempt: lab volume.'),
    ],
  ])('%s is put', (_why, before, after) => {
    expect(changedOnly([after], [before], options)).toEqual({ put: [after], unchanged: 0, restated: 0 });
  });

  test('a resource Config holds nothing for is put when COMPLIANT or NON_COMPLIANT', () => {
    const fresh = [
      evaluation('vol-new-1', 'COMPLIANT', TODAY),
      evaluation('vol-new-2', 'NON_COMPLIANT', 'No COMPLETED recovery point (AWS::Backup::RecoveryPoint) of this resource was found.'),
    ];
    expect(changedOnly(fresh, [], options).put).toEqual(fresh);
  });

  test('a NOT_APPLICABLE with nothing held to replace is not put: Config keeps no NOT_APPLICABLE result', () => {
    expect(changedOnly([evaluation('vol-1', 'NOT_APPLICABLE', 'Exempt: lab volume.')], [], options)).toEqual({ put: [], unchanged: 1, restated: 0 });
  });

  test('an evaluation that could not be made compares as the NON_COMPLIANT it is sent as', () => {
    const error = evaluation('vol-1', 'INSUFFICIENT_DATA', 'Could not evaluate: the item has no ARN to match recovery points against.', { error: true });
    expect(changedOnly([error], [held('vol-1', 'NON_COMPLIANT', error.annotation)], options).put).toEqual([]);
    expect(changedOnly([error], [held('vol-1', 'COMPLIANT', error.annotation)], options).put).toEqual([error]);
  });

  test('an annotation compares as sent: clamped to Config’s 256 characters', () => {
    const long = `${'Selected by backup selection clinical-data of plan clinic-daily. '.repeat(6)}`;
    expect(clampAnnotation(long)).not.toBe(long);
    expect(changedOnly([evaluation('vol-1', 'COMPLIANT', long)], [held('vol-1', 'COMPLIANT', clampAnnotation(long))], options).put).toEqual([]);
  });

  test('only the resources that changed are put, in their order', () => {
    const now = [evaluation('vol-1', 'COMPLIANT', TODAY), evaluation('vol-2', 'NON_COMPLIANT', TODAY), evaluation('vol-3', 'COMPLIANT', TODAY)];
    const before = [held('vol-1', 'COMPLIANT', YESTERDAY), held('vol-2', 'COMPLIANT', YESTERDAY), held('vol-3', 'COMPLIANT', YESTERDAY)];
    expect(changedOnly(now, before, options)).toEqual({ put: [now[1]], unchanged: 2, restated: 0 });
  });
});

describe('changedOnly: re-statement of unchanged results', () => {
  const unchanged = evaluation('vol-1', 'COMPLIANT', TODAY);

  test.each([
    [30, 29, false],
    [30, 30, true],
    // Config's schedule drifts: a result recorded a little less than 30 days ago is due on this run.
    [30, 30 - 0.5 / 24, true],
    [30, 30 - 2 / 24, false],
    [7, 7, true],
    [7, 6, false],
    [0, 365, false],
  ])('restateDays %d, result recorded %d days ago: re-stated %s', (restateDays, age, due) => {
    const changes = changedOnly([unchanged], [held('vol-1', 'COMPLIANT', YESTERDAY, daysAgo(age))], { now: NOW, restateDays });
    expect(changes).toEqual(due ? { put: [unchanged], unchanged: 0, restated: 1 } : { put: [], unchanged: 1, restated: 0 });
  });

  test('a result without any time Config recorded is re-stated', () => {
    expect(changedOnly([unchanged], [held('vol-1', 'COMPLIANT', YESTERDAY, null)], options).restated).toBe(1);
  });

  test('a NOT_APPLICABLE Config still holds is never re-stated: it is marked for deletion anyway', () => {
    const exempt = evaluation('vol-1', 'NOT_APPLICABLE', 'Exempt: lab volume.');
    expect(changedOnly([exempt], [held('vol-1', 'NOT_APPLICABLE', exempt.annotation, daysAgo(80))], options)).toEqual({ put: [], unchanged: 1, restated: 0 });
  });

  test('a run where every result is due re-states them all', () => {
    const now = ['vol-1', 'vol-2', 'vol-3'].map((id) => evaluation(id, 'COMPLIANT', TODAY));
    const before = ['vol-1', 'vol-2', 'vol-3'].map((id) => held(id, 'COMPLIANT', YESTERDAY, daysAgo(31)));
    expect(changedOnly(now, before, options)).toEqual({ put: now, unchanged: 0, restated: 3 });
  });
});
