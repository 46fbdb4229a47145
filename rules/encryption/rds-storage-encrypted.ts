import { optionalString, requiredBoolean } from '../fields.js';
import { HIPAA_AT_REST } from '../mapping.js';
import { defineItemRule } from '../types.js';
import { nonCompliant } from '../verdicts.js';
import { kmsKeyArnsParam, keyVerdict } from './kms.js';

/** RDS instances and Aurora/Multi-AZ clusters store data encrypted (as AWS's RDS_STORAGE_ENCRYPTED, plus clusters). */
export const rdsStorageEncrypted = defineItemRule({
  id: 'rds-storage-encrypted',
  title: 'RDS databases are encrypted at rest',
  area: 'encryption',
  description: 'COMPLIANT when the DB instance or cluster has storage encryption on (and, if kmsKeyArns is set, uses one of those keys).',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  trigger: 'change',
  severity: 'HIGH',
  hipaa: HIPAA_AT_REST,
  awsManagedRule: 'RDS_STORAGE_ENCRYPTED',
  securityHubControls: ['RDS.3', 'RDS.27'],
  parameters: { kmsKeyArns: kmsKeyArnsParam },
  remediation: {
    summary: 'Encryption cannot be turned on for an existing database: restore an encrypted copy and cut over.',
    steps: [
      'Take a snapshot of the DB instance or cluster.',
      'Copy the snapshot with encryption enabled, choosing your KMS key.',
      'Restore a new DB instance or cluster from the encrypted snapshot.',
      'Point the application at the new endpoint, then delete the unencrypted database after verifying.',
    ],
    url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html',
  },
  evaluate(item, { kmsKeyArns }) {
    const what = item.resourceType === 'AWS::RDS::DBCluster' ? 'RDS cluster' : 'RDS instance';
    if (!requiredBoolean(item.configuration, 'storageEncrypted')) return nonCompliant(`${what} storage is not encrypted (storageEncrypted = false).`);
    return keyVerdict(`${what} storage`, optionalString(item.configuration, 'kmsKeyId'), kmsKeyArns);
  },
});
