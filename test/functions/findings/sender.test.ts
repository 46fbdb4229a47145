import 'aws-sdk-client-mock-jest';
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding, type BatchImportFindingsCommandInput } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { getRule } from '../../../rules/catalog.js';
import { findingsDueForRefresh, FindingsSender, MAX_FINDING_BYTES } from '../../../functions/findings/sender.js';
import { toFinding } from '../../../functions/findings/to-finding.js';
import { evaluate } from '../../helpers/rules.js';
import { itemFrom, SAMPLE } from '../../helpers/samples.js';

const hub = mockClient(SecurityHubClient);
const client = new SecurityHubClient({ region: 'us-east-1' });
const entry = getRule('ebs-volume-encrypted');
const base = evaluate('ebs-volume-encrypted', itemFrom(SAMPLE.volume, { configuration: { encrypted: false } }));
const AT = new Date('2026-11-29T08:30:00.000Z');

function findings(count: number, at = AT): AwsSecurityFinding[] {
  return Array.from({ length: count }, (_, i) => toFinding({ ...base, resourceId: `vol-${String(i).padStart(6, '0')}` }, entry, { now: at }));
}

/** A clock that only moves when the code sleeps: no real waiting, and every wait is recorded. */
function virtualTime() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return { clock: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)), sleeps, now: () => now };
}

function sentIds(call: number): string[] {
  const input = hub.commandCalls(BatchImportFindingsCommand)[call]?.args[0].input as BatchImportFindingsCommandInput;
  return (input.Findings ?? []).map((f) => f.Id ?? '');
}

function ok(input: BatchImportFindingsCommandInput) {
  return { FailedCount: 0, SuccessCount: input.Findings?.length ?? 0, FailedFindings: [] };
}

beforeEach(() => {
  hub.reset();
  hub.on(BatchImportFindingsCommand).callsFake(ok);
});

describe('FindingsSender', () => {
  test('sends at most 100 findings per call: 250 findings → 100, 100, 50', async () => {
    const time = virtualTime();
    const result = await new FindingsSender(client, time).send(findings(250));
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 3);
    expect([0, 1, 2].map((i) => sentIds(i).length)).toEqual([100, 100, 50]);
    expect(result).toMatchObject({ failed: [], superseded: [], stale: [], requests: 3 });
    expect(result.imported).toHaveLength(250);
  });

  test('paces calls under 10 per second on the injected clock (default 5/s), without real waiting', async () => {
    const time = virtualTime();
    const starts: number[] = [];
    hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsCommandInput) => (starts.push(time.now()), ok(input)));
    await new FindingsSender(client, time).send(findings(2000));
    expect(starts).toHaveLength(20);
    for (let i = 1; i < starts.length; i++) expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(200);
    for (const start of starts) expect(starts.filter((s) => s >= start && s < start + 1000).length).toBeLessThan(10);
  });

  test("a rate of 10 per second or more is refused: that is Security Hub's limit", () => {
    expect(() => new FindingsSender(client, { requestsPerSecond: 10 })).toThrow(/below 10/);
    expect(() => new FindingsSender(client, { requestsPerSecond: 9.5 })).not.toThrow();
  });

  test('FailedFindings are retried alone: the successes of the batch are not sent again', async () => {
    const batch = findings(5);
    const failing = [batch[1]?.Id ?? '', batch[3]?.Id ?? ''];
    hub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({ FailedCount: 2, SuccessCount: 3, FailedFindings: failing.map((Id) => ({ Id, ErrorCode: 'InternalFailure', ErrorMessage: 'try again' })) })
      .callsFake(ok);
    const time = virtualTime();
    const result = await new FindingsSender(client, time).send(batch);
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 2);
    expect(sentIds(1)).toEqual(failing);
    expect(result.imported.sort()).toEqual(batch.map((f) => f.Id).sort());
    expect(result.failed).toEqual([]);
    expect(time.sleeps.length).toBeGreaterThan(0);
  });

  test("a permanent error code (InvalidInput) is not retried and is reported with Security Hub's reason", async () => {
    const batch = findings(3);
    const bad = batch[0]?.Id ?? '';
    hub
      .on(BatchImportFindingsCommand)
      .resolves({ FailedCount: 1, SuccessCount: 2, FailedFindings: [{ Id: bad, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' }] });
    const result = await new FindingsSender(client, virtualTime()).send(batch);
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
    expect(result.failed).toEqual([{ id: bad, errorCode: 'InvalidInput', errorMessage: 'Finding does not adhere to ASFF' }]);
    expect(result.imported).toHaveLength(2);
  });

  test('an entry that keeps failing is surfaced after maxAttempts, never dropped', async () => {
    const batch = findings(2);
    const stuck = batch[1]?.Id ?? '';
    hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsCommandInput) => ({
      FailedCount: 1,
      SuccessCount: (input.Findings?.length ?? 1) - 1,
      FailedFindings: [{ Id: stuck, ErrorCode: 'InternalFailure', ErrorMessage: 'still failing' }],
    }));
    const result = await new FindingsSender(client, { ...virtualTime(), maxAttempts: 3 }).send(batch);
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 3);
    expect(result.failed).toEqual([{ id: stuck, errorCode: 'InternalFailure', errorMessage: 'still failing' }]);
    expect(result.imported).toEqual([batch[0]?.Id]);
  });

  test('throttling (LimitExceededException) is retried with backoff, then succeeds', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'LimitExceededException', $metadata: { httpStatusCode: 429 } });
    hub.on(BatchImportFindingsCommand).rejectsOnce(throttled).rejectsOnce(throttled).callsFake(ok);
    const time = virtualTime();
    const result = await new FindingsSender(client, { ...time, random: () => 0.5 }).send(findings(10));
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 3);
    expect(result.imported).toHaveLength(10);
    expect(time.sleeps.filter((ms) => ms >= 150)).toEqual([150, 300]);
  });

  test('throttling that does not stop is surfaced for every finding of the batch after maxAttempts', async () => {
    hub.on(BatchImportFindingsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'LimitExceededException' }));
    const result = await new FindingsSender(client, { ...virtualTime(), maxAttempts: 4 }).send(findings(3));
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 4);
    expect(result.failed.map((f) => f.errorCode)).toEqual(['LimitExceededException', 'LimitExceededException', 'LimitExceededException']);
    expect(result.imported).toEqual([]);
  });

  test('an access error is not retried', async () => {
    hub
      .on(BatchImportFindingsCommand)
      .rejects(Object.assign(new Error('not subscribed'), { name: 'InvalidAccessException', $metadata: { httpStatusCode: 401 } }));
    const result = await new FindingsSender(client, virtualTime()).send(findings(2));
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
    expect(result.failed).toHaveLength(2);
  });

  test('a finding of another Region or account goes in a call of its own: its refusal fails it alone', async () => {
    const ours = findings(3);
    const west = findings(2).map((f, i) => ({ ...f, Id: `west-${i}`, ProductArn: (f.ProductArn ?? '').replace('us-east-1', 'us-west-2') }));
    const otherAccount = { ...findings(1)[0], Id: 'other-account', AwsAccountId: '444455556666' } as AwsSecurityFinding;
    expect(ours[0]?.AwsAccountId).not.toBe('444455556666');
    // Security Hub refuses the whole call when any finding's product is not the caller's to import into.
    hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsCommandInput) => {
      const foreign = (input.Findings ?? []).some((f) => !(f.ProductArn ?? '').includes(':us-east-1:') || f.AwsAccountId !== ours[0]?.AwsAccountId);
      if (foreign)
        throw Object.assign(new Error('not authorized to import findings into this product'), {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 403 },
        });
      return ok(input);
    });
    const result = await new FindingsSender(client, virtualTime()).send([ours[0], west[0], ours[1], otherAccount, west[1], ours[2]] as AwsSecurityFinding[]);
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 3);
    expect(sentIds(0)).toEqual(ours.map((f) => f.Id));
    expect(sentIds(1)).toEqual(['west-0', 'west-1']);
    expect(sentIds(2)).toEqual(['other-account']);
    expect(result.imported).toEqual(ours.map((f) => f.Id));
    expect(result.failed.map((f) => [f.id, f.errorCode])).toEqual([
      ['west-0', 'AccessDeniedException'],
      ['west-1', 'AccessDeniedException'],
      ['other-account', 'AccessDeniedException'],
    ]);
  });

  test('UpdatedAt always advances: a re-import at the same instant is moved 1 ms later, an older one is reported stale', async () => {
    const sender = new FindingsSender(client, virtualTime());
    const [finding] = findings(1);
    if (finding === undefined) throw new Error('no finding');
    await sender.send([finding]);
    const again = await sender.send([finding]);
    expect(again.imported).toEqual([finding.Id]);
    const second = hub.commandCalls(BatchImportFindingsCommand)[1]?.args[0].input as BatchImportFindingsCommandInput;
    expect(second.Findings?.[0]?.UpdatedAt).toBe('2026-11-29T08:30:00.001Z');
    const older = await sender.send([{ ...finding, UpdatedAt: '2026-11-28T00:00:00.000Z' }]);
    expect(older).toMatchObject({ imported: [], stale: [finding.Id], requests: 0 });
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 2);
  });

  test('the same finding twice in one call: only the newest is sent, the other is reported superseded', async () => {
    const [old] = findings(1, new Date('2026-11-29T08:00:00Z'));
    const [newer] = findings(1, new Date('2026-11-29T09:00:00Z'));
    if (old === undefined || newer === undefined) throw new Error('no finding');
    const result = await new FindingsSender(client, virtualTime()).send([newer, old]);
    expect(result).toMatchObject({ imported: [newer.Id], superseded: [newer.Id] });
    expect(hub).toHaveReceivedCommandWith(BatchImportFindingsCommand, { Findings: [expect.objectContaining({ UpdatedAt: '2026-11-29T09:00:00.000Z' })] });
  });

  test('a finding over 240 KB fails locally; batches are also cut to stay under 6 MB', async () => {
    const [template] = findings(1);
    if (template === undefined) throw new Error('no finding');
    const big = (i: number): AwsSecurityFinding => ({
      ...template,
      Id: `big-${i}`,
      ProductFields: { pad: 'p'.repeat(2000), ...Object.fromEntries(Array.from({ length: 45 }, (_, k) => [`k${k}`, 'v'.repeat(2000)])) },
    });
    const large = Array.from({ length: 70 }, (_, i) => big(i));
    const huge: AwsSecurityFinding = { ...big(99), Description: 'd'.repeat(MAX_FINDING_BYTES) };
    const result = await new FindingsSender(client, virtualTime()).send([...large, huge]);
    expect(result.failed).toEqual([{ id: 'big-99', errorCode: 'FindingTooLarge', errorMessage: expect.stringMatching(/at most 245760/) }]);
    const calls = hub.commandCalls(BatchImportFindingsCommand);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) expect(Buffer.byteLength(JSON.stringify(call.args[0].input))).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(result.imported).toHaveLength(70);
  });

  test('every finding given ends in exactly one of imported, failed, superseded, stale', async () => {
    const batch = findings(120);
    const bad = batch[7]?.Id ?? '';
    hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsCommandInput) => {
      const failed = (input.Findings ?? []).filter((f) => f.Id === bad);
      return {
        FailedCount: failed.length,
        SuccessCount: (input.Findings?.length ?? 0) - failed.length,
        FailedFindings: failed.map((f) => ({ Id: f.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'x' })),
      };
    });
    const duplicate = { ...batch[3], UpdatedAt: '2026-11-29T07:00:00.000Z' } as AwsSecurityFinding;
    const result = await new FindingsSender(client, virtualTime()).send([...batch, duplicate, { ...duplicate, Id: '' }]);
    const outcomes = [...result.imported, ...result.failed.map((f) => f.id), ...result.superseded, ...result.stale];
    expect(outcomes).toHaveLength(122);
    expect(new Set(result.imported).size).toBe(119);
    expect(result.failed.map((f) => f.id)).toEqual(['', bad]);
    expect(result.superseded).toEqual([batch[3]?.Id]);
  });
});

describe('findingsDueForRefresh', () => {
  const now = new Date('2026-11-28T00:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const state = (id: string, status: string, days: number, record = 'ACTIVE') => ({
    Id: id,
    UpdatedAt: daysAgo(days),
    RecordState: record as 'ACTIVE' | 'ARCHIVED',
    Compliance: { Status: status },
  });

  test('failing findings every 30 days, passing every 60, archived never: all well before the 90-day expiry', () => {
    const due = findingsDueForRefresh(
      [
        state('failing-29d', 'FAILED', 29),
        state('failing-30d', 'FAILED', 30),
        state('unknown-45d', 'NOT_AVAILABLE', 45),
        state('passing-45d', 'PASSED', 45),
        state('passing-61d', 'PASSED', 61),
        state('archived-89d', 'NOT_AVAILABLE', 89, 'ARCHIVED'),
        { Id: 'no-date', UpdatedAt: undefined, RecordState: 'ACTIVE' as const },
      ],
      now,
    );
    expect(due.map((f) => f.Id)).toEqual(['failing-30d', 'unknown-45d', 'passing-61d', 'no-date']);
  });

  test('a policy at or beyond the expiry is refused', () => {
    expect(() => findingsDueForRefresh([], now, { failingEveryDays: 90 })).toThrow(/failingEveryDays must be above 0 and below 90/);
    expect(findingsDueForRefresh([state('f', 'FAILED', 2)], now, { failingEveryDays: 1 })).toHaveLength(1);
  });
});
