/** Every AWS call of the two evaluators (see functions/shared/permissions.ts). */
import { ORG_CALLS, type DeclaredCall } from '../shared/permissions.js';

const BACKUP_PLANS = { arn: 'arn:{partition}:backup:{region}:{account}:backup-plan:*' };

export const CHANGE_EVALUATOR_CALLS: readonly DeclaredCall[] = [
  { command: 'PutEvaluationsCommand', action: 'config:PutEvaluations', resource: '*', account: 'monitored' },
  { command: 'GetResourceConfigHistoryCommand', action: 'config:GetResourceConfigHistory', resource: '*', account: 'monitored' },
  { command: 'SelectResourceConfigCommand', action: 'config:SelectResourceConfig', resource: '*', account: 'monitored', when: 'scheduledItemRules' },
  { command: 'GetComplianceDetailsByConfigRuleCommand', action: 'config:GetComplianceDetailsByConfigRule', resource: { invokingConfigRule: true }, account: 'monitored', when: 'scheduledItemRules' },
  ...ORG_CALLS,
];

export const PERIODIC_EVALUATOR_CALLS: readonly DeclaredCall[] = [
  { command: 'PutEvaluationsCommand', action: 'config:PutEvaluations', resource: '*', account: 'monitored' },
  { command: 'SelectResourceConfigCommand', action: 'config:SelectResourceConfig', resource: '*', account: 'monitored' },
  { command: 'GetComplianceDetailsByConfigRuleCommand', action: 'config:GetComplianceDetailsByConfigRule', resource: { invokingConfigRule: true }, account: 'monitored' },
  { command: 'GenerateCredentialReportCommand', action: 'iam:GenerateCredentialReport', resource: '*', account: 'monitored', when: { needs: 'credentialReport' } },
  { command: 'GetCredentialReportCommand', action: 'iam:GetCredentialReport', resource: '*', account: 'monitored', when: { needs: 'credentialReport' } },
  { command: 'ListBackupPlansCommand', action: 'backup:ListBackupPlans', resource: '*', account: 'monitored', when: { needs: 'backupSelections' } },
  { command: 'ListBackupSelectionsCommand', action: 'backup:ListBackupSelections', resource: BACKUP_PLANS, account: 'monitored', when: { needs: 'backupSelections' } },
  { command: 'GetBackupSelectionCommand', action: 'backup:GetBackupSelection', resource: BACKUP_PLANS, account: 'monitored', when: { needs: 'backupSelections' } },
  { command: 'GetEbsEncryptionByDefaultCommand', action: 'ec2:GetEbsEncryptionByDefault', resource: '*', account: 'monitored', when: { needs: 'ebsEncryptionByDefault' } },
  { command: 'ListResourceComplianceSummariesCommand', action: 'ssm:ListResourceComplianceSummaries', resource: '*', account: 'monitored', when: { needs: 'patchScanTimes' } },
  ...ORG_CALLS,
];
