import { parseArn } from '../arn.js';
import { RuleInputError } from '../fields.js';
import { HIPAA_BACKUPS } from '../mapping.js';
import { booleanParam } from '../params.js';
import { defineItemRule } from '../types.js';
import { compliant, nonCompliant } from '../verdicts.js';
import { planName, planRules } from './plan.js';

/**
 * HIPAA's contingency plan wants backups "in a secure location, separate from the main system": at
 * least one rule of the plan copies its recovery points to a vault in another Region or another
 * account (a copy in the same account survives a Region outage but not a compromised account, so
 * `requireCrossAccount` can insist on the latter). AWS has no managed rule for this.
 */
export const backupPlanOffsiteCopy = defineItemRule({
  id: 'backup-plan-offsite-copy',
  title: 'Backup plans copy backups to another Region or account',
  area: 'backup',
  description:
    'COMPLIANT when at least one rule of the backup plan copies recovery points to a backup vault in another Region or another account (with requireCrossAccount, another account).',
  resourceTypes: ['AWS::Backup::BackupPlan'],
  trigger: 'change',
  severity: 'MEDIUM',
  hipaa: HIPAA_BACKUPS,
  awsManagedRule: null,
  securityHubControls: [],
  parameters: {
    requireCrossAccount: booleanParam({
      default: false,
      description: 'Only a copy to a vault in another account counts; another Region of the same account does not.',
    }),
  },
  remediation: {
    summary: 'Add a copy action to a backup rule that sends each recovery point to a vault in another Region or, better, another account.',
    steps: [
      'Create a backup vault in another Region (or in a separate backup account of your organization) and allow copies into it.',
      'Edit the backup plan rule, Copy to destination, and choose that vault with a retention period.',
      'For cross-account copies, turn on cross-account backup in AWS Backup settings of the management account.',
    ],
    url: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html',
  },
  evaluate(item, { requireCrossAccount }) {
    const name = planName(item.configuration, item.resourceName ?? item.resourceId);
    const local: string[] = [];
    const unreadable: string[] = [];
    for (const rule of planRules(item.configuration)) {
      for (const destination of rule.copyDestinations) {
        const arn = parseArn(destination);
        if (arn === undefined || arn.accountId === '' || arn.region === '') {
          unreadable.push(destination);
          continue;
        }
        const otherAccount = arn.accountId !== item.accountId;
        const otherRegion = arn.region !== item.awsRegion;
        if (otherAccount || (otherRegion && !requireCrossAccount)) {
          const where = otherAccount ? `account ${arn.accountId}` : `Region ${arn.region}`;
          return compliant(`Backup plan ${name} rule ${rule.name} copies recovery points to a vault in ${where} (${destination}).`);
        }
        local.push(destination);
      }
    }
    // A destination that is not a vault ARN might be the offsite copy: the plan could not be evaluated.
    if (unreadable.length > 0)
      throw new RuleInputError(
        `CopyActions[].DestinationBackupVaultArn ${unreadable.map((arn) => JSON.stringify(arn)).join(', ')} is not a backup vault ARN with an account and Region`,
      );
    const wanted = requireCrossAccount ? 'another account (requireCrossAccount)' : 'another Region or account';
    if (local.length === 0)
      return nonCompliant(`Backup plan ${name} copies recovery points nowhere (no rule has CopyActions); a copy to ${wanted} is required.`);
    return nonCompliant(`Backup plan ${name} copies recovery points only to ${local.join(', ')}; a copy to ${wanted} is required.`);
  },
});
