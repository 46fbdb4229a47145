/**
 * What the monthly report reads: our rules' results from AWS Config (every page of the rule list and of
 * each rule's results) and the archived transitions from S3 (every page of the listing, every object),
 * with whatever cannot be read named rather than dropped.
 */
import 'aws-sdk-client-mock-jest';
import {
  ConfigServiceClient,
  DescribeConfigRulesCommand,
  GetComplianceDetailsByConfigRuleCommand,
  type GetComplianceDetailsByConfigRuleCommandInput,
} from '@aws-sdk/client-config-service';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type GetObjectCommandInput, type ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { toJsonLines, type TransitionRecord } from '../../../functions/evidence/transitions.js';
import { readArchivedTransitions } from '../../../functions/monthly-report/archive-reader.js';
import { readAccountResults, RESULTS_PAGE_SIZE } from '../../../functions/monthly-report/config-results.js';
import { MONTHLY_REPORT_CALLS } from '../../../functions/monthly-report/permissions.js';
import { getRule } from '../../../rules/catalog.js';
import { configRule, ruleResult } from '../../helpers/config-results.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';
import { mixedEvaluations } from '../../helpers/reports.js';
import { volumeTransition } from '../../helpers/transitions.js';

const config = mockClient(ConfigServiceClient);
const s3 = mockClient(S3Client);
const sentCommands = recordSentCommands(config, s3);
afterAll(() => expectDeclaredCalls(sentCommands, MONTHLY_REPORT_CALLS));
const ACCOUNT = '111122223333';
const BUCKET = 'ccm-evidence-111122223333';
const OPTIONS = {
  accountId: ACCOUNT,
  region: 'us-east-1',
  ruleIds: new Set(['ebs-volume-encrypted', 'rds-backup-retention', 'root-account-mfa']),
  configRulePrefix: 'ccm-',
};

beforeEach(() => {
  config.reset();
  s3.reset();
});

const volumeResult = (name: string, i: number, compliance: 'COMPLIANT' | 'NON_COMPLIANT' = 'NON_COMPLIANT') =>
  ruleResult(name, {
    resourceType: 'AWS::EC2::Volume',
    resourceId: `vol-${String(i).padStart(17, '0')}`,
    compliance,
    annotation: compliance === 'COMPLIANT' ? 'EBS volume is encrypted.' : 'EBS volume is not encrypted (Encrypted = false).',
  });

describe('our rules results in one account (AWS Config)', () => {
  test('lists every page of rules, reads every page of each of ours, 100 results a page', async () => {
    // Inputs copied as sent: the SDK's paginators reuse one input object from page to page.
    const listed: unknown[] = [];
    const read: GetComplianceDetailsByConfigRuleCommandInput[] = [];
    config.on(DescribeConfigRulesCommand).callsFake((input: { NextToken?: string }) => {
      listed.push({ ...input });
      return input.NextToken === undefined
        ? {
            ConfigRules: [
              configRule('someone-elses-rule'),
              configRule('ccm-ebs-volume-encrypted', { inputParameters: { ruleId: 'ebs-volume-encrypted', kmsKeyArns: 'alias/clinic' } }),
            ],
            NextToken: 'rules-2',
          }
        : { ConfigRules: [configRule('ccm-rds-backup-retention', { inputParameters: { ruleId: 'rds-backup-retention', minRetentionDays: '14' } })] };
    });
    config.on(GetComplianceDetailsByConfigRuleCommand).callsFake((input: GetComplianceDetailsByConfigRuleCommandInput) => {
      read.push({ ...input });
      if (input.ConfigRuleName !== 'ccm-ebs-volume-encrypted') return { EvaluationResults: [] };
      return input.NextToken === undefined
        ? { EvaluationResults: Array.from({ length: 100 }, (_, i) => volumeResult('ccm-ebs-volume-encrypted', i)), NextToken: 'page-2' }
        : { EvaluationResults: [volumeResult('ccm-ebs-volume-encrypted', 100, 'COMPLIANT')] };
    });

    const results = await readAccountResults(new ConfigServiceClient({ region: 'us-east-1' }), OPTIONS);

    expect(listed).toEqual([{}, { NextToken: 'rules-2' }]);
    expect(read).toEqual([
      { ConfigRuleName: 'ccm-ebs-volume-encrypted', ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'], Limit: RESULTS_PAGE_SIZE },
      {
        ConfigRuleName: 'ccm-ebs-volume-encrypted',
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'],
        Limit: RESULTS_PAGE_SIZE,
        NextToken: 'page-2',
      },
      { ConfigRuleName: 'ccm-rds-backup-retention', ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'], Limit: RESULTS_PAGE_SIZE },
    ]);
    expect(results.evaluations).toHaveLength(101);
    expect(results.evaluations[100]).toEqual({
      ruleId: 'ebs-volume-encrypted',
      resourceType: 'AWS::EC2::Volume',
      resourceId: 'vol-00000000000000100',
      accountId: ACCOUNT,
      region: 'us-east-1',
      compliance: 'COMPLIANT',
      annotation: 'EBS volume is encrypted.',
      severity: getRule('ebs-volume-encrypted').severity,
      hipaa: getRule('ebs-volume-encrypted').hipaa,
      orderingTimestamp: '2015-12-17T01:10:35.065Z',
    });
    expect([...results.rules]).toEqual([
      ['ebs-volume-encrypted', 'ccm-ebs-volume-encrypted'],
      ['rds-backup-retention', 'ccm-rds-backup-retention'],
    ]);
    expect(results.parameters.get('ebs-volume-encrypted')).toEqual({ kmsKeyArns: ['alias/clinic'] });
    expect(results.parameters.get('rds-backup-retention')).toMatchObject({ minRetentionDays: 14 });
  });

  test('finds an organization rule by its member copy name; ignores rules being deleted and rules not enabled', async () => {
    config.on(DescribeConfigRulesCommand).resolves({
      ConfigRules: [
        configRule('OrgConfigRule-ccm-ebs-volume-encrypted-a1b2c3d4'),
        configRule('OrgConfigRule-ccm-rds-backup-retention-e5f6g7h8', { state: 'DELETING_RESULTS' }),
        configRule('ccm-s3-bucket-encrypted'),
      ],
    });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [volumeResult('OrgConfigRule-ccm-ebs-volume-encrypted-a1b2c3d4', 1)] });
    const results = await readAccountResults(new ConfigServiceClient({ region: 'us-east-1' }), OPTIONS);
    expect([...results.rules.keys()]).toEqual(['ebs-volume-encrypted']);
    expect(config).toHaveReceivedCommandTimes(GetComplianceDetailsByConfigRuleCommand, 1);
    expect(results.evaluations.map((e) => e.ruleId)).toEqual(['ebs-volume-encrypted']);
  });

  test('reads exemptions back from the annotations, and keeps results without one', async () => {
    const evaluations = mixedEvaluations();
    config.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [configRule('ccm-ebs-volume-encrypted')] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        ...evaluations.map((e) =>
          ruleResult('ccm-ebs-volume-encrypted', {
            resourceType: e.resourceType,
            resourceId: e.resourceId,
            compliance: e.compliance === 'INSUFFICIENT_DATA' ? 'NON_COMPLIANT' : e.compliance,
            annotation: e.annotation,
          }),
        ),
        ruleResult('ccm-ebs-volume-encrypted', { resourceType: 'AWS::EC2::Volume', resourceId: 'vol-no-annotation', compliance: 'COMPLIANT' }),
      ],
    });
    const results = await readAccountResults(new ConfigServiceClient({ region: 'us-east-1' }), OPTIONS);
    expect(results.evaluations.map((e) => e.exemption?.state)).toEqual([undefined, undefined, 'active', 'expired', 'malformed', undefined, undefined]);
    expect(results.evaluations.at(-1)).toMatchObject({ resourceId: 'vol-no-annotation', annotation: '', compliance: 'COMPLIANT' });
  });

  test('a result without a resource is left out and named; an access error fails the account', async () => {
    config.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [configRule('ccm-ebs-volume-encrypted')] });
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolves({ EvaluationResults: [{ ComplianceType: 'NON_COMPLIANT' }, volumeResult('ccm-ebs-volume-encrypted', 1)] });
    const results = await readAccountResults(new ConfigServiceClient({ region: 'us-east-1' }), OPTIONS);
    expect(results.evaluations).toHaveLength(1);
    expect(results.unreadable).toEqual([{ configRuleName: 'ccm-ebs-volume-encrypted', reason: 'a result without resource type or id' }]);

    config.on(DescribeConfigRulesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await expect(readAccountResults(new ConfigServiceClient({ region: 'us-east-1' }), OPTIONS)).rejects.toThrow('not authorized');
  });
});

describe('archived transitions (S3)', () => {
  const rec = (eventId: string, recordedAt: string): TransitionRecord =>
    volumeTransition({ eventId, resourceId: 'vol-1', accountId: ACCOUNT, oldCompliance: 'COMPLIANT', newCompliance: 'NON_COMPLIANT', recordedAt });
  const body = (text: string) => ({ Body: sdkStreamMixin(Readable.from([Buffer.from(text)])) });

  test('lists every page of each month (1,000 keys a page) and reads every object', async () => {
    const listed: ListObjectsV2CommandInput[] = [];
    s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
      listed.push({ ...input });
      if (input.Prefix === 'transitions/year=2026/month=09/') return { KeyCount: 0, IsTruncated: false };
      return input.ContinuationToken === undefined
        ? { Contents: [{ Key: 'transitions/year=2026/month=10/day=01/a.jsonl' }], IsTruncated: true, NextContinuationToken: 'next' }
        : { Contents: [{ Key: 'transitions/year=2026/month=10/day=31/b.jsonl' }], IsTruncated: false };
    });
    s3.on(GetObjectCommand, { Key: 'transitions/year=2026/month=10/day=01/a.jsonl' }).callsFake(() =>
      body(toJsonLines([rec('e1', '2026-10-01T01:00:00.000Z'), rec('e2', '2026-10-01T02:00:00.000Z')])),
    );
    s3.on(GetObjectCommand, { Key: 'transitions/year=2026/month=10/day=31/b.jsonl' }).callsFake(() =>
      body(toJsonLines([rec('e3', '2026-10-31T23:00:00.000Z')])),
    );

    const read = await readArchivedTransitions(new S3Client({ region: 'us-east-1' }), BUCKET, ['2026-09', '2026-10']);

    expect(listed).toEqual([
      { Bucket: BUCKET, Prefix: 'transitions/year=2026/month=09/', MaxKeys: 1000 },
      { Bucket: BUCKET, Prefix: 'transitions/year=2026/month=10/', MaxKeys: 1000 },
      { Bucket: BUCKET, Prefix: 'transitions/year=2026/month=10/', MaxKeys: 1000, ContinuationToken: 'next' },
    ]);
    expect(
      s3
        .commandCalls(GetObjectCommand)
        .map((call) => (call.args[0].input as GetObjectCommandInput).Key)
        .sort(),
    ).toEqual(['transitions/year=2026/month=10/day=01/a.jsonl', 'transitions/year=2026/month=10/day=31/b.jsonl']);
    expect(read.records.map((r) => r.eventId)).toEqual(['e1', 'e2', 'e3']);
    expect(read).toMatchObject({ objects: 2, problems: [] });
    expect(read.bytes).toBeGreaterThan(0);
  });

  test('an object that cannot be read, a bad line or a listing that fails is named; the rest is read', async () => {
    s3.on(ListObjectsV2Command, { Prefix: 'transitions/year=2026/month=10/' }).resolves({
      Contents: [{ Key: 'k/ok.jsonl' }, { Key: 'k/denied.jsonl' }, { Key: 'k/bad.jsonl' }],
    });
    s3.on(ListObjectsV2Command, { Prefix: 'transitions/year=2026/month=09/' }).rejects(Object.assign(new Error('Internal error'), { name: 'InternalError' }));
    s3.on(GetObjectCommand, { Key: 'k/ok.jsonl' }).callsFake(() => body(toJsonLines([rec('e1', '2026-10-01T01:00:00.000Z')])));
    s3.on(GetObjectCommand, { Key: 'k/denied.jsonl' }).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    s3.on(GetObjectCommand, { Key: 'k/bad.jsonl' }).callsFake(() => body('{"half'));

    const read = await readArchivedTransitions(new S3Client({ region: 'us-east-1' }), BUCKET, ['2026-09', '2026-10']);

    expect(read.records.map((r) => r.eventId)).toEqual(['e1']);
    expect(read.problems).toEqual([
      { source: `s3://${BUCKET}/transitions/year=2026/month=09/`, location: 'ListObjectsV2', reason: 'InternalError: Internal error' },
      { source: `s3://${BUCKET}/k/denied.jsonl`, location: 'GetObject', reason: 'AccessDenied: Access Denied' },
      { source: `s3://${BUCKET}/k/bad.jsonl`, location: 'line 1', reason: 'not JSON' },
    ]);
  });
});
