/**
 * The notifier's stages on their own (functions/notifier/): each takes what the previous one let
 * through, fails exactly the records it could not handle, naming why, and hands the rest on.
 */
import 'aws-sdk-client-mock-jest';
import { DynamoDBClient, ProvisionedThroughputExceededException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { PublishBatchCommand, SNSClient, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import { AlertLedger } from '../../../functions/alerts/ledger.js';
import { AlertPublisher } from '../../../functions/alerts/publisher.js';
import { EvidenceWriter } from '../../../functions/evidence/writer.js';
import type { FindingsSender, SendFindingsResult } from '../../../functions/findings/sender.js';
import { alertOnCall, type AlertStage } from '../../../functions/notifier/alerts.js';
import { BatchFailures, type Parsed } from '../../../functions/notifier/batch.js';
import { keepEvidence } from '../../../functions/notifier/evidence.js';
import { importFindings, sendByAccount, type MemberRouter } from '../../../functions/notifier/findings.js';
import { parseRecords, type ParseOptions } from '../../../functions/notifier/parse.js';
import { MemberRoleError } from '../../../functions/org/member-access.js';
import type { Compliance } from '../../../rules/types.js';
import { complianceChange, documentedComplianceChange, sqsRecord } from '../../helpers/compliance-events.js';
import { LEDGER, notifierMocks, TOPIC } from '../../helpers/notifier.js';

const { sns, s3, table } = notifierMocks();
const OWN = '111122223333';
const MEMBER = '444455556666';
const logger = new Logger({ logLevel: 'SILENT' });
const OPTIONS: ParseOptions = { configRulePrefix: 'ccm-', productAccountId: () => OWN, productRegion: 'us-east-1' };

type Json = Record<string, unknown>;

/** ebs-volume-encrypted on `volume`, from `oldCompliance` to `newCompliance`, recorded at `recordedAt`. */
function change(volume: string, options: { old?: Compliance; now?: Compliance; recordedAt?: string; accountId?: string } = {}): Json {
  return complianceChange({
    configRuleName: 'ccm-ebs-volume-encrypted',
    resourceType: 'AWS::EC2::Volume',
    resourceId: volume,
    accountId: options.accountId ?? OWN,
    oldCompliance: options.old ?? 'COMPLIANT',
    newCompliance: options.now ?? 'NON_COMPLIANT',
    annotation: 'EBS volume is not encrypted (encrypted = false).',
    recordedAt: options.recordedAt ?? '2026-11-28T12:00:00.000Z',
  });
}

/** The records, parsed (each must be a transition of ours). */
function parsed(bodies: readonly Json[], options: ParseOptions = OPTIONS): Parsed[] {
  const failures = new BatchFailures();
  const { transitions } = parseRecords(
    bodies.map((body, i) => sqsRecord(body, `msg-${i}`)),
    options,
    failures,
  );
  expect(failures.entries()).toEqual([]);
  return transitions;
}

const sent = (findings: readonly AwsSecurityFinding[], failed: readonly string[] = [], errorCode = 'InvalidInput'): SendFindingsResult => ({
  imported: findings.filter((f) => !failed.includes(f.Id ?? '')).map((f) => f.Id ?? ''),
  failed: failed.map((id) => ({ id, errorCode, errorMessage: 'bad' })),
  superseded: [],
  stale: [],
  requests: 1,
});

beforeEach(() => {
  sns.reset();
  s3.reset();
  table.reset();
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
    Failed: [],
  }));
});

describe('batch failures', () => {
  test('a record keeps the reason it failed first; the response lists failures in the batch order', () => {
    const records = ['a', 'b', 'c'].map((id) => ({ messageId: id }));
    const failures = new BatchFailures();
    failures.fail({ messageId: 'c' }, 'first');
    failures.fail({ messageId: 'a' }, 'second');
    failures.fail({ messageId: 'c' }, 'later');
    expect(failures.entries()).toEqual([
      ['c', 'first'],
      ['a', 'second'],
    ]);
    expect(failures.response(records)).toEqual({ batchItemFailures: [{ itemIdentifier: 'a' }, { itemIdentifier: 'c' }] });
    expect(new BatchFailures().response(records)).toEqual({ batchItemFailures: [] });
  });
});

describe('parse', () => {
  test('a malformed record fails alone with its reason; another rule is ignored; each finding names the product account given', () => {
    const broken = change('vol-2');
    delete (broken.detail as Json).newEvaluationResult;
    const records = [change('vol-0'), '{"not json', documentedComplianceChange(), broken, change('vol-4', { accountId: MEMBER })].map((body, i) =>
      sqsRecord(body, `msg-${i}`),
    );
    const failures = new BatchFailures();
    const batch = parseRecords(records, { ...OPTIONS, productAccountId: (transition) => transition.accountId }, failures);
    expect({ malformed: batch.malformed, ignored: batch.ignored }).toEqual({ malformed: 2, ignored: 1 });
    expect(batch.transitions.map((t) => [t.record.messageId, t.transition.resourceId, t.entry.id])).toEqual([
      ['msg-0', 'vol-0', 'ebs-volume-encrypted'],
      ['msg-4', 'vol-4', 'ebs-volume-encrypted'],
    ]);
    expect(batch.transitions.map((t) => t.finding.ProductArn)).toEqual([
      `arn:aws:securityhub:us-east-1:${OWN}:product/${OWN}/default`,
      `arn:aws:securityhub:us-east-1:${MEMBER}:product/${MEMBER}/default`,
    ]);
    expect(failures.entries()).toEqual([
      ['msg-1', 'record body is not JSON'],
      ['msg-3', expect.stringMatching(/^not a Config Rules Compliance Change event: detail\.newEvaluationResult/)],
    ]);
  });
});

describe('keep evidence', () => {
  test('the day the archive could not write fails its records only; the other day goes on', async () => {
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      if (String(input.Key).includes('20261127')) throw Object.assign(new Error('slow down'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
      return {};
    });
    const items = parsed([change('vol-0', { recordedAt: '2026-11-27T23:00:00.000Z' }), change('vol-1')]);
    const failures = new BatchFailures();
    const kept = await keepEvidence(new EvidenceWriter(new S3Client({ region: 'us-east-1', maxAttempts: 1 }), 'ccm-evidence-111122223333'), items, failures);
    expect(kept.map((item) => item.record.messageId)).toEqual(['msg-1']);
    expect(failures.entries()).toEqual([['msg-0', 'evidence archive write failed (SlowDown: slow down)']]);
  });

  test('without an archive everything goes on and nothing is written', async () => {
    const items = parsed([change('vol-0')]);
    expect(await keepEvidence(undefined, items, new BatchFailures())).toBe(items);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});

describe('import findings', () => {
  test('a finding Security Hub refused fails every record that carries it; the others are delivered', async () => {
    // vol-1 changed twice in the batch: both records carry the one finding id.
    const items = parsed([
      change('vol-0'),
      change('vol-1', { recordedAt: '2026-11-28T11:00:00.000Z' }),
      change('vol-1', { old: 'NON_COMPLIANT', now: 'COMPLIANT' }),
    ]);
    const refused = items[1]?.finding.Id ?? '';
    const failures = new BatchFailures();
    const imported = await importFindings(async (findings) => sent(findings, [refused]), items, failures);
    expect(imported.delivered.map((item) => item.record.messageId)).toEqual(['msg-0']);
    expect(failures.entries()).toEqual([
      ['msg-1', 'Security Hub import failed (InvalidInput: bad)'],
      ['msg-2', 'Security Hub import failed (InvalidInput: bad)'],
    ]);
  });

  test("org mode: each account's findings go to its own Security Hub; an unusable or refused member role fails that account's only", async () => {
    const REFUSING = '777788889999';
    const calls: string[] = [];
    const denied: string[] = [];
    const sender = (account: string) => ({
      send: async (findings: readonly AwsSecurityFinding[]) => {
        calls.push(`${account}: ${findings.map((f) => f.AwsAccountId ?? '').join(',')}`);
        return account === REFUSING
          ? sent(
              findings,
              findings.map((f) => f.Id ?? ''),
              'AccessDeniedException',
            )
          : sent(findings);
      },
    });
    const router: MemberRouter = {
      isMember: (account) => account !== OWN,
      run: async (account, work) => {
        if (account === MEMBER)
          throw new MemberRoleError(
            account,
            `arn:aws:iam::${account}:role/ccm-member`,
            'assume',
            Object.assign(new Error('not authorized'), { name: 'AccessDenied' }),
          );
        return work({ sender: sender(account) as FindingsSender });
      },
      reportDenied: async (account, cause) => (denied.push(account), new MemberRoleError(account, `arn:aws:iam::${account}:role/ccm-member`, 'call', cause)),
    };
    const items = parsed([change('vol-0'), change('vol-1', { accountId: MEMBER }), change('vol-2', { accountId: REFUSING })], {
      ...OPTIONS,
      productAccountId: (transition) => transition.accountId,
    });
    const failures = new BatchFailures();
    const imported = await importFindings(sendByAccount(sender(OWN), router, logger), items, failures);
    expect(calls).toEqual([`${OWN}: ${OWN}`, `${REFUSING}: ${REFUSING}`]);
    expect(denied).toEqual([REFUSING]);
    expect(imported.delivered.map((item) => item.record.messageId)).toEqual(['msg-0']);
    expect(failures.entries()).toEqual([
      [
        'msg-1',
        expect.stringMatching(
          new RegExp(`^Security Hub import failed \\(MemberRoleUnusable: cannot assume member role arn:aws:iam::${MEMBER}:role/ccm-member`),
        ),
      ],
      ['msg-2', 'Security Hub import failed (AccessDeniedException: bad)'],
    ]);
  });
});

describe('publish alerts', () => {
  function stage(digestThreshold = 10): AlertStage {
    return {
      ledger: new AlertLedger(new DynamoDBClient({ region: 'us-east-1' }), LEDGER),
      publisher: new AlertPublisher(new SNSClient({ region: 'us-east-1' }), TOPIC, { sleep: async () => undefined }),
      logger,
      digestThreshold,
      accountName: 'prod',
    };
  }
  const context = { leaseMs: 30_000, ownAccount: OWN };

  test('an alert SNS refused fails its record and puts its claim back; the one that went out stays claimed', async () => {
    sns
      .on(PublishBatchCommand)
      .resolves({ Successful: [{ Id: 'a0', MessageId: 'm' }], Failed: [{ Id: 'a1', Code: 'InvalidParameter', Message: 'no', SenderFault: true }] });
    const failures = new BatchFailures();
    const outcome = await alertOnCall(stage(), parsed([change('vol-0'), change('vol-1')]), context, failures);
    expect(outcome).toEqual({ sent: 1, failed: 1, digest: false, duplicate: 0, stale: 0 });
    expect(failures.entries()).toEqual([['msg-1', 'SNS publish failed (InvalidParameter: no)']]);
    expect([...table.items.values()].map((item) => [item.pk?.S?.split('|').pop(), item.state?.S])).toEqual([['vol-0', 'SENT']]);
  });

  test('a ledger that cannot be asked fails the record, unpaged; a transition that needs nobody is not claimed', async () => {
    table.mock.on(PutItemCommand).rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const failures = new BatchFailures();
    const outcome = await alertOnCall(stage(), parsed([change('vol-0'), change('vol-1', { old: 'NON_COMPLIANT', now: 'NON_COMPLIANT' })]), context, failures);
    expect(outcome).toEqual({ sent: 0, failed: 0, digest: false, duplicate: 0, stale: 0 });
    expect(failures.entries()).toEqual([['msg-0', 'alert ledger unavailable (ProvisionedThroughputExceededException: slow down)']]);
    expect(sns).not.toHaveReceivedCommand(PublishBatchCommand);
  });

  test('the same change twice pages once; over the threshold, one digest, whose failure fails all its records', async () => {
    sns.on(PublishBatchCommand).resolves({ Successful: [], Failed: [{ Id: 'a0', Code: 'InvalidParameter', Message: 'no', SenderFault: true }] });
    const failures = new BatchFailures();
    const outcome = await alertOnCall(stage(1), parsed([change('vol-0'), change('vol-0'), change('vol-1')]), context, failures);
    expect(outcome).toEqual({ sent: 0, failed: 1, digest: true, duplicate: 1, stale: 0 });
    expect(failures.entries().map(([id]) => id)).toEqual(['msg-0', 'msg-2']);
    expect(table.items.size).toBe(0);
  });
});
