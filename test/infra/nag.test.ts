/**
 * cdk-nag acknowledgements are reviewed, specific and necessary: each sits on the construct it
 * concerns, answers a finding that appears without it, and the stack has no finding left.
 */
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { ComplianceMonitorStack } from '../../infra/stack.js';
import { settingsFrom, TEST_SETTINGS, unbundledStack } from './helpers.js';

interface Finding {
  readonly id: string;
  readonly path: string;
}

function findings(stack: ComplianceMonitorStack): Finding[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks()].flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => ({ id: violation.ruleName, path: resource.constructPath ?? resource.resourceLogicalId ?? '?' })),
      ),
  );
}

const covers = (ackPath: string, findingPath: string): boolean => findingPath === ackPath || findingPath.startsWith(`${ackPath}/`);

describe.each([
  ['the default settings', {}],
  ['the test settings', TEST_SETTINGS],
  ['a home Region on an environment-agnostic stack', { ...TEST_SETTINGS, homeRegion: 'us-east-1' }],
  ['Security Hub enabled by the stack', { ...TEST_SETTINGS, enableSecurityHub: true }],
  ['item rules only (no periodic evaluator)', { rules: { enabled: ['ebs-volume-encrypted', 's3-bucket-encrypted'] } }],
])('cdk-nag with %s', (_name, raw) => {
  const settings = settingsFrom(raw);
  const unacknowledged = findings(unbundledStack(settings, { acknowledgeNagFindings: false }));
  const stack = unbundledStack(settings);

  it('leaves no finding unacknowledged', () => {
    expect(findings(stack)).toEqual([]);
  });

  it('acknowledges only findings that exist, each on the construct it concerns', () => {
    for (const ack of stack.nagAcknowledgements) {
      expect(ack.path).not.toBe(stack.node.path);
      expect(unacknowledged.some((finding) => finding.id === ack.id && covers(ack.path, finding.path))).toBe(true);
    }
    for (const finding of unacknowledged) {
      expect(stack.nagAcknowledgements.some((ack) => ack.id === finding.id && covers(ack.path, finding.path))).toBe(true);
    }
  });
});

describe('the acknowledgements', () => {
  const stack = unbundledStack(settingsFrom());

  it('are exactly these, with specific reasons', () => {
    const bucket = stack.getLogicalId(stack.evidence.bucket.node.defaultChild as CfnBucket);
    expect(stack.nagAcknowledgements.map(({ path, id }) => `${path} ${id}`).sort()).toEqual(
      [
        'ClinicComplianceMonitor/Rules/ChangeEvaluator/Function HIPAA.Security-LambdaInsideVPC',
        'ClinicComplianceMonitor/Rules/PeriodicEvaluator/Function HIPAA.Security-LambdaInsideVPC',
        'ClinicComplianceMonitor/Notifications/Notifier/Function HIPAA.Security-LambdaInsideVPC',
        'ClinicComplianceMonitor/Refresher/FindingsRefresher/Function HIPAA.Security-LambdaInsideVPC',
        'ClinicComplianceMonitor/Notifications/Notifier/Function HIPAA.Security-LambdaDLQ',
        'ClinicComplianceMonitor/Notifications/AlertLedger/Table HIPAA.Security-DynamoDBInBackupPlan',
        'ClinicComplianceMonitor/Rules/ChangeEvaluator/Role/Policy AwsSolutions-IAM5[Resource::*]',
        'ClinicComplianceMonitor/Rules/PeriodicEvaluator/Role/Policy AwsSolutions-IAM5[Resource::*]',
        'ClinicComplianceMonitor/Rules/PeriodicEvaluator/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:backup:<AWS::Region>:<AWS::AccountId>:backup-plan:*]',
        'ClinicComplianceMonitor/RecorderHealth/Function/Function HIPAA.Security-LambdaInsideVPC',
        'ClinicComplianceMonitor/RecorderHealth/Function/Role/Policy AwsSolutions-IAM5[Resource::*]',
        'ClinicComplianceMonitor/RecorderHealth/Function/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:configuration-recorder/*]',
        'ClinicComplianceMonitor/MonthlyReport/Function/Function HIPAA.Security-LambdaInsideVPC',
        'ClinicComplianceMonitor/MonthlyReport/Function/Role/Policy AwsSolutions-IAM5[Resource::*]',
        'ClinicComplianceMonitor/MonthlyReport/Function/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]',
        `ClinicComplianceMonitor/MonthlyReport/Function/Role/Policy AwsSolutions-IAM5[Resource::<${bucket}.Arn>/transitions/*]`,
        `ClinicComplianceMonitor/MonthlyReport/Function/Role/Policy AwsSolutions-IAM5[Resource::<${bucket}.Arn>/reports/*]`,
        `ClinicComplianceMonitor/Notifications/Notifier/Role/Policy AwsSolutions-IAM5[Resource::<${bucket}.Arn>/transitions/*]`,
        'ClinicComplianceMonitor/Evidence/AccessLogs HIPAA.Security-S3DefaultEncryptionKMS',
        'ClinicComplianceMonitor/Evidence/AccessLogs HIPAA.Security-S3BucketReplicationEnabled',
        'ClinicComplianceMonitor/Evidence/Bucket HIPAA.Security-S3BucketReplicationEnabled',
        'ClinicComplianceMonitor/Rules/PeriodicEvaluator/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudtrail:*:*:trail/*]',
        'ClinicComplianceMonitor/Rules/PeriodicEvaluator/Role/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:guardduty:<AWS::Region>:<AWS::AccountId>:detector/*]',
      ].sort(),
    );
    for (const ack of stack.nagAcknowledgements) expect(ack.reason.length).toBeGreaterThan(100);
  });

  it('name every action that takes Resource "*"', () => {
    const reasons = stack.nagAcknowledgements
      .filter((ack) => ack.id === 'AwsSolutions-IAM5[Resource::*]')
      .map((ack) => ack.reason)
      .join(' ');
    for (const action of [
      'config:PutEvaluations',
      'config:GetResourceConfigHistory',
      'config:SelectResourceConfig',
      'config:DescribeDeliveryChannelStatus',
      'iam:GenerateCredentialReport',
      'iam:GetCredentialReport',
      'backup:ListBackupPlans',
      'ec2:GetEbsEncryptionByDefault',
      'ssm:ListResourceComplianceSummaries',
      'config:DescribeConfigRules',
      'cloudtrail:DescribeTrails',
      'guardduty:ListDetectors',
    ]) {
      expect(reasons).toContain(action);
    }
  });
});
