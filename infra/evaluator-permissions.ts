/**
 * What the evaluators may call, as plain data: the stack grants it, the tests and `npm run doctor`
 * read it without synthesizing anything.
 */
import { Aws } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { routeRule, type Evaluator } from './routing.js';
import type { EnabledRule } from './settings.js';

/**
 * Whether the evaluator queries the inventory and its rules' earlier results (config:SelectResourceConfig,
 * config:GetComplianceDetailsByConfigRule): the periodic evaluator always does; the change evaluator only
 * for an item rule on a schedule (catalog trigger "periodic"), since a change event carries its item.
 */
export function readsRuleResults(evaluator: Evaluator, entries: readonly EnabledRule['entry'][]): boolean {
  return evaluator === 'periodic' || entries.some((entry) => routeRule(entry).periodic);
}

/**
 * What each evaluator calls, per the Service Authorization Reference: account-level actions without
 * resource types take "*"; the Backup selection reads are scoped to backup plans, GetTrailStatus to
 * trails and GetDetector to this account's detectors. Only the data the enabled rules need (`needs`)
 * is granted.
 */
export function evaluatorStatements(evaluator: Evaluator, entries: readonly EnabledRule['entry'][]): PolicyStatement[] {
  const needs = new Set(entries.flatMap((entry) => entry.needs ?? []));
  const configActions =
    evaluator === 'change'
      ? ['config:PutEvaluations', 'config:GetResourceConfigHistory', ...(readsRuleResults(evaluator, entries) ? ['config:SelectResourceConfig'] : [])]
      : ['config:PutEvaluations', 'config:SelectResourceConfig'];
  const statements = [new PolicyStatement({ sid: 'ConfigEvaluations', effect: Effect.ALLOW, actions: configActions, resources: ['*'] })];
  if (evaluator === 'periodic') {
    if (needs.has('credentialReport')) {
      statements.push(
        new PolicyStatement({
          sid: 'IamCredentialReport',
          effect: Effect.ALLOW,
          actions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
          resources: ['*'],
        }),
      );
    }
    if (needs.has('backupSelections')) {
      statements.push(new PolicyStatement({ sid: 'BackupPlansList', effect: Effect.ALLOW, actions: ['backup:ListBackupPlans'], resources: ['*'] }));
      statements.push(
        new PolicyStatement({
          sid: 'BackupSelectionsRead',
          effect: Effect.ALLOW,
          actions: ['backup:ListBackupSelections', 'backup:GetBackupSelection'],
          resources: [`arn:${Aws.PARTITION}:backup:${Aws.REGION}:${Aws.ACCOUNT_ID}:backup-plan:*`],
        }),
      );
    }
    if (needs.has('ebsEncryptionByDefault')) {
      statements.push(
        new PolicyStatement({ sid: 'EbsEncryptionByDefault', effect: Effect.ALLOW, actions: ['ec2:GetEbsEncryptionByDefault'], resources: ['*'] }),
      );
    }
    if (needs.has('patchScanTimes')) {
      statements.push(
        new PolicyStatement({ sid: 'SsmPatchScanTimes', effect: Effect.ALLOW, actions: ['ssm:ListResourceComplianceSummaries'], resources: ['*'] }),
      );
    }
    if (needs.has('cloudTrailTrails')) {
      statements.push(new PolicyStatement({ sid: 'CloudTrailTrailsList', effect: Effect.ALLOW, actions: ['cloudtrail:DescribeTrails'], resources: ['*'] }));
      // A multi-Region trail's ARN names its home Region, an organization trail's the management account.
      statements.push(
        new PolicyStatement({
          sid: 'CloudTrailTrailStatus',
          effect: Effect.ALLOW,
          actions: ['cloudtrail:GetTrailStatus'],
          resources: [`arn:${Aws.PARTITION}:cloudtrail:*:*:trail/*`],
        }),
      );
    }
    if (needs.has('guardDutyDetectors')) {
      statements.push(new PolicyStatement({ sid: 'GuardDutyDetectorsList', effect: Effect.ALLOW, actions: ['guardduty:ListDetectors'], resources: ['*'] }));
      statements.push(
        new PolicyStatement({
          sid: 'GuardDutyDetectorRead',
          effect: Effect.ALLOW,
          actions: ['guardduty:GetDetector'],
          resources: [`arn:${Aws.PARTITION}:guardduty:${Aws.REGION}:${Aws.ACCOUNT_ID}:detector/*`],
        }),
      );
    }
  }
  return statements;
}

/**
 * The periodic evaluator's statements on a resource type whose ids are known only at run time, by
 * sid: the `*` in the ARN as cdk-nag shows it, and why (the acknowledgement on the evaluator's policy).
 */
export const SCOPED_WILDCARDS: Readonly<Record<string, { readonly resource: string; readonly reason: string }>> = {
  BackupSelectionsRead: {
    resource: 'arn:<AWS::Partition>:backup:<AWS::Region>:<AWS::AccountId>:backup-plan:*',
    reason:
      'backup:ListBackupSelections and backup:GetBackupSelection are scoped to backup plans (their resource type) in this account and Region; the plans are what the rules audit, so their ids are not known at deploy time.',
  },
  CloudTrailTrailStatus: {
    resource: 'arn:<AWS::Partition>:cloudtrail:*:*:trail/*',
    reason:
      "cloudtrail:GetTrailStatus (read-only) on trails, its resource type: the trails are what the audit rule checks, unknown at deploy time; a multi-Region trail's ARN names its home Region, and the trail an AWS Organizations management account applies to every member names that account, so neither Region nor account can be pinned.",
  },
  GuardDutyDetectorRead: {
    resource: 'arn:<AWS::Partition>:guardduty:<AWS::Region>:<AWS::AccountId>:detector/*',
    reason:
      "guardduty:GetDetector (read-only) on this account's detectors in this Region, its resource type: the detector id is GuardDuty's, learned from ListDetectors at run time.",
  },
};
