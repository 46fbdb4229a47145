/** Every AWS call of the monthly report (see functions/shared/permissions.ts). */
import { LIST_ACCOUNTS, ORG_CALLS, type DeclaredCall } from '../shared/permissions.js';

export const MONTHLY_REPORT_CALLS: readonly DeclaredCall[] = [
  // Our rules by name (ccm-<id>, or an organization rule's copy); DescribeConfigRules has no resource type.
  { command: 'DescribeConfigRulesCommand', action: 'config:DescribeConfigRules', resource: '*', account: 'monitored' },
  {
    command: 'GetComplianceDetailsByConfigRuleCommand',
    action: 'config:GetComplianceDetailsByConfigRule',
    resource: { arn: 'arn:{partition}:config:{region}:{account}:config-rule/*' },
    account: 'monitored',
  },
  // ListObjectsV2 is authorized as s3:ListBucket on the bucket, here limited by s3:prefix to the transitions.
  {
    command: 'ListObjectsV2Command',
    action: 's3:ListBucket',
    resource: { arn: 'arn:{partition}:s3:::{evidenceBucket}' },
    account: 'own',
    context: { 's3:prefix': 'transitions/year=2026/month=10/' },
  },
  { command: 'GetObjectCommand', action: 's3:GetObject', resource: { arn: 'arn:{partition}:s3:::{evidenceBucket}/transitions/*' }, account: 'own' },
  { command: 'PutObjectCommand', action: 's3:PutObject', resource: { arn: 'arn:{partition}:s3:::{evidenceBucket}/reports/*' }, account: 'own' },
  { command: 'PublishCommand', action: 'sns:Publish', resource: { env: 'ALERT_TOPIC_ARN' }, account: 'own' },
  LIST_ACCOUNTS,
  ...ORG_CALLS,
];
