/**
 * The archive's record format and the writer: JSON Lines per batch and day, keys that a retried batch
 * reproduces, every record read back, and a failed write returned per record.
 */
import 'aws-sdk-client-mock-jest';
import { PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { asRuleTransition, parseComplianceChange, type RuleTransition } from '../../../functions/alerts/compliance-change.js';
import {
  monthPrefix,
  parseJsonLines,
  toJsonLines,
  toTransitionRecord,
  transitionsKey,
  type TransitionRecord,
} from '../../../functions/evidence/transitions.js';
import { EvidenceWriter, JSON_LINES_CONTENT_TYPE } from '../../../functions/evidence/writer.js';
import { NOTIFIER_CALLS } from '../../../functions/notifier/permissions.js';
import { getRule } from '../../../rules/catalog.js';
import { complianceChange } from '../../helpers/compliance-events.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';

const s3 = mockClient(S3Client);
const sentCommands = recordSentCommands(s3);
afterAll(() => expectDeclaredCalls(sentCommands, NOTIFIER_CALLS));
const BUCKET = 'ccm-evidence-111122223333';

/** `old` null: the resource's first evaluation; `annotation` null: Config gave none. */
function transition(
  resourceId: string,
  recordedAt: string,
  old: RuleTransition['oldCompliance'] | null = 'COMPLIANT',
  annotation: string | null = 'EBS volume is not encrypted (Encrypted = false).',
): RuleTransition {
  const event = complianceChange({
    configRuleName: 'ccm-ebs-volume-encrypted',
    resourceType: 'AWS::EC2::Volume',
    resourceId,
    oldCompliance: old ?? undefined,
    newCompliance: 'NON_COMPLIANT',
    recordedAt,
    eventId: `evt-${resourceId}-${recordedAt}`,
    annotation,
  });
  const parsed = asRuleTransition(parseComplianceChange(event));
  if (parsed === undefined) throw new Error('not our rule');
  return parsed;
}

const item = (t: RuleTransition) => ({ transition: t, entry: getRule(t.ruleId) });
const record = (t: RuleTransition): TransitionRecord => toTransitionRecord(t, getRule(t.ruleId));

beforeEach(() => s3.reset());

describe('transition records', () => {
  test('hold the rule, resource, account, Region, old → new compliance, times, annotation and severity', () => {
    expect(record(transition('vol-1', '2026-10-31T23:59:58.123Z'))).toEqual({
      schemaVersion: 1,
      eventId: 'evt-vol-1-2026-10-31T23:59:58.123Z',
      ruleId: 'ebs-volume-encrypted',
      configRuleName: 'ccm-ebs-volume-encrypted',
      severity: 'HIGH',
      resourceType: 'AWS::EC2::Volume',
      resourceId: 'vol-1',
      accountId: '111122223333',
      region: 'us-east-1',
      oldCompliance: 'COMPLIANT',
      newCompliance: 'NON_COMPLIANT',
      recordedAt: '2026-10-31T23:59:58.123Z',
      orderingTimestamp: '2026-10-31T23:59:58.123Z',
      annotation: 'EBS volume is not encrypted (Encrypted = false).',
    });
  });

  test('a first evaluation has oldCompliance null; a result without annotation has none', () => {
    const first = record(transition('vol-2', '2026-10-01T00:00:00.000Z', null, null));
    expect(first.oldCompliance).toBeNull();
    expect(first).not.toHaveProperty('annotation');
  });

  test('are keyed by the day Config recorded them, and the same records give the same key in any order', () => {
    const a = record(transition('vol-1', '2026-10-31T23:59:58.123Z'));
    const b = record(transition('vol-2', '2026-10-31T08:00:00.000Z'));
    const key = transitionsKey([a, b]);
    expect(key).toMatch(/^transitions\/year=2026\/month=10\/day=31\/20261031T080000Z-[0-9a-f]{32}\.jsonl$/);
    expect(transitionsKey([b, a])).toBe(key);
    expect(transitionsKey([a, b, a])).toBe(key);
    expect(transitionsKey([a])).not.toBe(key);
    expect(key.startsWith(monthPrefix('2026-10'))).toBe(true);
  });

  test('read back exactly as written', () => {
    const records = [record(transition('vol-1', '2026-10-31T23:59:58.123Z')), record(transition('vol-2', '2026-10-01T00:00:00.000Z', null, null))];
    expect(parseJsonLines(toJsonLines(records), 's3://b/k')).toEqual({ records, problems: [] });
  });

  test('a line that is not a record is reported by position and reason, without its content, and the others are kept', () => {
    const good = record(transition('vol-1', '2026-10-31T23:59:58.123Z'));
    const body = [JSON.stringify(good), '{"SECRET": ', JSON.stringify({ ...good, newCompliance: 'SECRET-VALUE' }), ''].join('\n');
    const { records, problems } = parseJsonLines(body, 's3://b/k');
    expect(records).toEqual([good]);
    expect(problems).toEqual([
      { source: 's3://b/k', location: 'line 2', reason: 'not JSON' },
      { source: 's3://b/k', location: 'line 3', reason: expect.stringMatching(/^not a transition record: newCompliance: /) },
    ]);
    expect(JSON.stringify(problems)).not.toContain('SECRET');
  });
});

describe('EvidenceWriter', () => {
  const puts = () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input as PutObjectCommandInput);

  test('one PutObject per batch: JSON Lines, SHA-256 checksum (Object Lock requires one), under the day', async () => {
    s3.on(PutObjectCommand).resolves({});
    const batch = [transition('vol-1', '2026-10-05T10:00:00.000Z'), transition('vol-2', '2026-10-05T11:00:00.000Z')];
    const result = await new EvidenceWriter(new S3Client({ region: 'us-east-1' }), BUCKET).write(batch.map(item));
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    const [put] = puts();
    expect(put).toEqual({
      Bucket: BUCKET,
      Key: transitionsKey(batch.map(record)),
      Body: toJsonLines(batch.map(record)),
      ContentType: JSON_LINES_CONTENT_TYPE,
      ChecksumAlgorithm: 'SHA256',
    });
    expect(put?.Key).toMatch(/^transitions\/year=2026\/month=10\/day=05\//);
    expect(result).toEqual({ written: [put?.Key], failed: new Map() });
  });

  test('a batch across midnight writes one object per day; a failed one fails only its records', async () => {
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      if (input.Key?.includes('day=01/')) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      return {};
    });
    const batch = [
      transition('vol-1', '2026-10-31T23:59:58.000Z'),
      transition('vol-2', '2026-11-01T00:00:02.000Z'),
      transition('vol-3', '2026-10-31T23:00:00.000Z'),
    ];
    const result = await new EvidenceWriter(new S3Client({ region: 'us-east-1' }), BUCKET).write(batch.map(item));
    expect(puts().map((p) => p.Key?.split('/').slice(0, 4).join('/'))).toEqual([
      'transitions/year=2026/month=10/day=31',
      'transitions/year=2026/month=11/day=01',
    ]);
    expect(parseJsonLines(String(puts()[0]?.Body), 'k').records.map((r) => r.resourceId)).toEqual(['vol-1', 'vol-3']);
    expect(result.written).toHaveLength(1);
    expect(result.failed).toEqual(new Map([[1, 'AccessDenied: Access Denied']]));
  });

  test('refuses a bucket name that is not one', () => {
    expect(() => new EvidenceWriter(new S3Client({}), 's3://bucket')).toThrow(/not an S3 bucket name/);
  });
});
