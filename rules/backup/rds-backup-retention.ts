import { optionalInteger, RuleInputError } from '../fields.js';
import { HIPAA_BACKUPS } from '../mapping.js';
import { integerParam } from '../params.js';
import { defineItemRule } from '../types.js';
import { compliant, nonCompliant } from '../verdicts.js';
import { backedUpElsewhere } from './resources.js';

/**
 * RDS automated backups are on and kept long enough (AWS's DB_INSTANCE_BACKUP_ENABLED, plus
 * clusters). A cluster member and a read replica are NOT_APPLICABLE, judged through their cluster or
 * source, exactly as in the two AWS Backup coverage rules (rules/backup/resources.ts).
 */
export const rdsBackupRetention = defineItemRule({
  id: 'rds-backup-retention',
  title: 'RDS automated backups are on and kept long enough',
  area: 'backup',
  description: 'COMPLIANT when the DB instance or cluster has automated backups on with a retention period of at least minRetentionDays.',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  trigger: 'change',
  severity: 'HIGH',
  hipaa: HIPAA_BACKUPS,
  awsManagedRule: 'DB_INSTANCE_BACKUP_ENABLED',
  securityHubControls: ['RDS.11'],
  parameters: {
    minRetentionDays: integerParam({ default: 7, min: 1, max: 35, description: 'Shortest allowed automated-backup retention, in days (RDS allows 1-35).' }),
  },
  remediation: {
    summary: 'Set the backup retention period of the database to at least the required number of days; the change applies without downtime.',
    steps: [
      'Open the database in the RDS console, Modify, Backup, and set the backup retention period.',
      'Or run: aws rds modify-db-instance --db-instance-identifier <name> --backup-retention-period <days> --apply-immediately',
      'For Aurora and Multi-AZ DB clusters use aws rds modify-db-cluster --backup-retention-period <days>.',
    ],
    url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html',
  },
  evaluate(item, { minRetentionDays }) {
    const cluster = item.resourceType === 'AWS::RDS::DBCluster';
    const what = cluster ? 'RDS cluster' : 'RDS instance';
    const elsewhere = backedUpElsewhere(item);
    if (elsewhere !== undefined) return elsewhere;
    const days = optionalInteger(item.configuration, 'backupRetentionPeriod');
    if (days === undefined) throw new RuleInputError('configuration.backupRetentionPeriod is missing');
    if (days < 0 || days > 35) throw new RuleInputError(`configuration.backupRetentionPeriod is ${days}, outside the 0-35 days RDS documents`);
    if (days === 0) return nonCompliant(`${what} has automated backups turned off (backupRetentionPeriod = ${days}).`);
    const kept = `${what} keeps automated backups ${days} day${days === 1 ? '' : 's'} (backupRetentionPeriod)`;
    if (days < minRetentionDays) return nonCompliant(`${kept}; minRetentionDays is ${minRetentionDays}.`);
    return compliant(`${kept}.`);
  },
});
