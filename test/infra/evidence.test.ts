/**
 * The evidence archive and the monthly report as deployed: a locked, encrypted, versioned, private,
 * TLS-only bucket with access logs; the notifier may only append transitions; the report function
 * reads transitions and rule results and writes reports, on its schedule, watched like the others.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { ACCESS_LOGS_PREFIX } from '../../infra/constructs/evidence-archive.js';
import { DEFAULT_REPORT_SCHEDULE } from '../../infra/settings.js';
import type { ComplianceMonitorStack } from '../../infra/stack.js';
import { ORG, problemsOf, render, resourcesOf, settingsFrom, TEST_SETTINGS, unbundledStack, type Json } from './helpers.js';

const ref = (logicalId: string) => ({ Ref: logicalId });
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

function build(
  raw: Json = TEST_SETTINGS,
  env?: { region: string },
): { stack: ComplianceMonitorStack; template: Template; id: (construct: { node: { defaultChild?: unknown } }) => string } {
  const stack = unbundledStack(settingsFrom(raw), env === undefined ? {} : { env });
  return { stack, template: Template.fromStack(stack), id: (construct) => stack.getLogicalId(construct.node.defaultChild as CfnBucket) };
}

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Json };

function statementsOf(template: Template, roleLogicalId: string): Statement[] {
  return resourcesOf(template, 'AWS::IAM::ManagedPolicy')
    .filter(([, policy]) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([ref(roleLogicalId)]))
    .flatMap(([, policy]) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('the evidence bucket', () => {
  const { stack, template, id } = build();
  const bucket = () => template.toJSON().Resources[id(stack.evidence.bucket)] as { Properties: Json; DeletionPolicy: string; UpdateReplacePolicy: string };

  it('locks every object version for 6 years in governance mode by default', () => {
    expect(bucket().Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Years: 6 } } },
    });
    expect((bucket().Properties.ObjectLockConfiguration as { Rule: { DefaultRetention: Json } }).Rule.DefaultRetention).not.toHaveProperty('Days');
  });

  it('takes the retention and compliance mode from the settings', () => {
    const custom = build({ ...TEST_SETTINGS, evidence: { retentionYears: 7, mode: 'COMPLIANCE' } });
    custom.template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 7 } } },
    });
  });

  it('is versioned, encrypted with the monitor’s key (S3 Bucket Key on), private, owner-enforced and kept on stack removal', () => {
    expect(bucket().Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(id(stack.key)) }, BucketKeyEnabled: true },
        ],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect([bucket().DeletionPolicy, bucket().UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
  });

  it('logs every access to the log bucket, under its own prefix', () => {
    expect(bucket().Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: ref(id(stack.evidence.accessLogsBucket)),
      LogFilePrefix: ACCESS_LOGS_PREFIX,
    });
  });

  it.each([
    ['evidence', () => stack.evidence.bucket],
    ['access log', () => stack.evidence.accessLogsBucket],
  ])('the %s bucket refuses requests without TLS 1.2 or later', (_name, which) => {
    const [, policy] =
      resourcesOf(template, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify(ref(id(which())))) ?? [];
    const statements = (policy?.Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      ]),
    );
  });

  it('the log bucket: SSE-S3 (log delivery takes no other), private, versioned, expiring with the evidence, written only by S3 logging for this bucket', () => {
    const logs = template.toJSON().Resources[id(stack.evidence.accessLogsBucket)] as { Properties: Json; DeletionPolicy: string };
    expect(logs.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-with-the-evidence',
            Status: 'Enabled',
            ExpirationInDays: 6 * 366,
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
        ],
      },
    });
    expect(logs.Properties).not.toHaveProperty('ObjectLockEnabled');
    expect(logs.Properties).not.toHaveProperty('AccessControl');
    expect(logs.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(id(stack.evidence.accessLogsBucket)),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: { ArnLike: { 'aws:SourceArn': arnOf(id(stack.evidence.bucket)) }, StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
          }),
        ]),
      },
    });
  });

  it('names both buckets and the report function in the stack outputs', () => {
    template.hasOutput('EvidenceBucketName', { Value: ref(id(stack.evidence.bucket)) });
    template.hasOutput('EvidenceAccessLogsBucketName', { Value: ref(id(stack.evidence.accessLogsBucket)) });
    template.hasOutput('MonthlyReportFunctionName', { Value: ref(id(stack.monthlyReport.fn.function)) });
  });

  it('no policy anywhere may delete evidence, bypass or change its retention', () => {
    const actions = resourcesOf(template, 'AWS::IAM::ManagedPolicy').flatMap(([, p]) =>
      (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement.flatMap((s) => [s.Action].flat()),
    );
    for (const forbidden of [
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:BypassGovernanceRetention',
      's3:PutObjectRetention',
      's3:PutObjectLegalHold',
      's3:PutBucketObjectLockConfiguration',
    ])
      expect(actions).not.toContain(forbidden);
  });
});

describe('who may use the archive', () => {
  const { stack, template, id } = build();
  const bucketArn = `<${id(stack.evidence.bucket)}.Arn>`;

  it('the notifier may only append objects under transitions/, encrypted with the key', () => {
    const statements = statementsOf(template, id(stack.notifications.notifier.role));
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3.map((s) => ({ Action: s.Action, Resource: render(s.Resource) }))).toEqual([{ Action: 's3:PutObject', Resource: `${bucketArn}/transitions/*` }]);
    expect(statements).toContainEqual({ Sid: 'EncryptEvidence', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: arnOf(id(stack.key)) });
  });

  it('the monthly report reads rule results and transitions, writes reports, announces on the alert topic: nothing else', () => {
    const statements = statementsOf(template, id(stack.monthlyReport.fn.role)).filter(
      (s) => !['logs:CreateLogStream', 'sqs:SendMessage'].includes([s.Action].flat()[0] ?? ''),
    );
    expect(statements.map((s) => ({ Sid: s.Sid, Action: s.Action, Resource: render(s.Resource), Condition: s.Condition }))).toEqual([
      { Sid: 'ListRules', Action: 'config:DescribeConfigRules', Resource: '*', Condition: undefined },
      {
        Sid: 'ReadRuleResults',
        Action: 'config:GetComplianceDetailsByConfigRule',
        Resource: 'arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*',
        Condition: undefined,
      },
      { Sid: 'ListTransitions', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': ['transitions/*'] } } },
      { Sid: 'ReadTransitions', Action: 's3:GetObject', Resource: `${bucketArn}/transitions/*`, Condition: undefined },
      { Sid: 'WriteReports', Action: 's3:PutObject', Resource: `${bucketArn}/reports/*`, Condition: undefined },
      { Sid: 'EvidenceKey', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: `<${id(stack.key)}.Arn>`, Condition: undefined },
      { Sid: 'AnnounceReport', Action: 'sns:Publish', Resource: `<${id(stack.alertTopic)}>`, Condition: undefined },
      // Its dead-letter queue's key (MonitorFunction, as for every asynchronously invoked function).
      { Sid: undefined, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: `<${id(stack.key)}.Arn>`, Condition: undefined },
    ]);
  });
});

describe('the monthly report function', () => {
  const { stack, template, id } = build();
  const fn = () => stack.monthlyReport.fn;

  it('runs on the 1st of each month at 06:00 UTC by default, and on the schedule set', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: DEFAULT_REPORT_SCHEDULE,
      Targets: [Match.objectLike({ Arn: arnOf(id(fn().function)), RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 } })],
    });
    expect(DEFAULT_REPORT_SCHEDULE).toBe('cron(0 6 1 * ? *)');
    build({ ...TEST_SETTINGS, evidence: { reportSchedule: 'cron(30 4 2 * ? *)' } }).template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 4 2 * ? *)',
    });
  });

  it('is not retried by Lambda (a retry would write and announce the month again): a failure goes to its dead-letter queue', () => {
    const dlq = fn().deadLetterQueue;
    if (dlq === undefined) throw new Error('no DLQ');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: ref(id(fn().function)), MaximumRetryAttempts: 0 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      MemorySize: 1024,
      ReservedConcurrentExecutions: 1,
      DeadLetterConfig: { TargetArn: arnOf(id(dlq)) },
    });
  });

  it('has error, throttle, dead-letter and schedule-delivery alarms on the alarm topic', () => {
    const names = resourcesOf(template, 'AWS::CloudWatch::Alarm')
      .map(([, alarm]) => alarm.Properties?.AlarmName as string)
      .filter((name) => name.includes('monthly-report'));
    expect(names.sort()).toEqual(
      ['monthly-report-errors', 'monthly-report-throttles', 'monthly-report-dlq-not-empty', 'monthly-report-schedule-failed-deliveries']
        .map((n) => `ClinicComplianceMonitor-${n}`)
        .sort(),
    );
  });

  it('org-wide: a fixed role name the member roles trust, the member-role environment, its own account-list policy', () => {
    const org = build({ ...TEST_SETTINGS, organization: ORG }, { region: 'us-east-1' });
    org.template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'ccm-monthly-report-us-east-1' });
    org.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'monthly-report',
          MEMBER_ROLE_NAME: 'ccm-member',
          CENTRAL_ACCOUNT_ID: ref('AWS::AccountId'),
          EXCLUDED_ACCOUNTS: '999988887777',
        }),
      },
    });
    org.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(org.id(org.stack.monthlyReport.fn.role))],
      PolicyDocument: { Statement: [{ Sid: 'ListOrganizationAccounts', Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' }] },
    });
  });
});

describe('evidence settings', () => {
  it('default to 6 years, governance mode, the 1st of the month at 06:00 UTC', () => {
    expect(settingsFrom({}).evidence).toEqual({ retentionYears: 6, mode: 'GOVERNANCE', reportSchedule: 'cron(0 6 1 * ? *)' });
  });

  it('let subscribers filter the report announcement (transition "report")', () => {
    expect(
      settingsFrom({ alerts: [{ protocol: 'email', endpoint: 'auditor@clinic.internal', filter: { transition: ['report'] } }] }).alerts[0]?.filter,
    ).toEqual({ transition: ['report'] });
  });

  it.each([
    [{ retentionYears: 0 }, 'evidence.retentionYears: expected a whole number of years from 1 to 100'],
    [{ retentionYears: 6.5 }, 'evidence.retentionYears: expected a whole number of years from 1 to 100'],
    [{ retentionYears: 101 }, "evidence.retentionYears: expected a whole number of years from 1 to 100 (S3 Object Lock's maximum)"],
    [{ mode: 'LEGAL_HOLD' }, 'evidence.mode: expected one of GOVERNANCE, COMPLIANCE'],
    [{ reportSchedule: 'rate(30 days)' }, expect.stringContaining('evidence.reportSchedule: expected an EventBridge cron expression in UTC')],
    [{ reportSchedule: 'cron(0 6 1 * * *)' }, expect.stringContaining('one of the two day fields "?"')],
    [{ retention: 6 }, expect.stringContaining('evidence: unknown setting "retention"')],
  ])('%j is refused, naming the setting', (evidence, problem) => {
    expect(problemsOf({ evidence })).toEqual([problem]);
  });
});
