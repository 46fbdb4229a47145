import { optionalString, requiredBoolean } from '../fields.js';
import { defineItemRule } from '../types.js';
import { nonCompliant } from '../verdicts.js';
import { kmsKeyArnsParam, keyVerdict } from './kms.js';

/** Backups hold the same patient data as their source: every AWS Backup recovery point is encrypted (AWS's BACKUP_RECOVERY_POINT_ENCRYPTED). */
export const backupRecoveryPointEncrypted = defineItemRule({
  id: 'backup-recovery-point-encrypted',
  title: 'Backup recovery points are encrypted',
  area: 'encryption',
  description: 'COMPLIANT when the AWS Backup recovery point is encrypted (and, if kmsKeyArns is set, with one of those keys).',
  resourceTypes: ['AWS::Backup::RecoveryPoint'],
  trigger: 'change',
  severity: 'HIGH',
  hipaa: ['164.312(a)(2)(iv)'],
  awsManagedRule: 'BACKUP_RECOVERY_POINT_ENCRYPTED',
  securityHubControls: ['Backup.1'],
  parameters: { kmsKeyArns: kmsKeyArnsParam },
  remediation: {
    summary: 'A recovery point inherits encryption from its source or vault: encrypt the source and copy the recovery point into a vault with a KMS key.',
    steps: [
      'Encrypt the source resource (unencrypted EBS or RDS sources produce unencrypted backups).',
      'Start a copy job of the recovery point into a backup vault that uses your KMS key.',
      'After verifying the copy, delete the unencrypted recovery point.',
    ],
    url: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html',
  },
  evaluate(item, { kmsKeyArns }) {
    if (!requiredBoolean(item.configuration, 'IsEncrypted')) return nonCompliant('Recovery point is not encrypted (IsEncrypted = false).');
    return keyVerdict('Recovery point', optionalString(item.configuration, 'EncryptionKeyArn'), kmsKeyArns);
  },
});
