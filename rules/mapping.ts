/**
 * The HIPAA Security Rule mapping and AWS cross-references, as data in one place. Finding
 * Compliance.RelatedRequirements, alerts and the README tables are generated from it; a test proves
 * every rule is mapped and every mapping names an existing rule.
 *
 * Encryption citations follow AWS Config's "Operational Best Practices for HIPAA Security"
 * conformance pack: 164.312(a)(2)(iv) everywhere, 164.312(e)(2)(ii) where the pack lists it too.
 */

export const HIPAA_CITATIONS = {
  '164.308(a)(1)(ii)(B)': 'Risk management',
  '164.308(a)(3)(ii)(A)': 'Authorization and/or supervision',
  '164.308(a)(5)(ii)(B)': 'Protection from malicious software',
  '164.308(a)(7)(i)': 'Contingency plan',
  '164.308(a)(7)(ii)(A)': 'Data backup plan',
  '164.308(a)(7)(ii)(B)': 'Disaster recovery plan',
  '164.310(d)(2)(iv)': 'Data backup and storage',
  '164.312(a)(2)(iv)': 'Encryption and decryption',
  '164.312(c)(2)': 'Mechanism to authenticate electronic protected health information',
  '164.312(d)': 'Person or entity authentication',
  '164.312(e)(2)(ii)': 'Encryption',
} as const;

export type HipaaCitation = keyof typeof HIPAA_CITATIONS;

export interface RuleMapping {
  readonly hipaa: readonly HipaaCitation[];
  /** The nearest AWS managed Config rule identifier, if any. */
  readonly awsManagedRule: string | null;
  /** Security Hub controls (AWS Foundational Security Best Practices) covering the same ground. */
  readonly securityHubControls: readonly string[];
}

const AT_REST: readonly HipaaCitation[] = ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'];

export const RULE_MAPPING = {
  'ebs-volume-encrypted': { hipaa: AT_REST, awsManagedRule: 'ENCRYPTED_VOLUMES', securityHubControls: ['EC2.3'] },
  'ebs-encryption-by-default': { hipaa: AT_REST, awsManagedRule: 'EC2_EBS_ENCRYPTION_BY_DEFAULT', securityHubControls: ['EC2.7'] },
  'rds-storage-encrypted': { hipaa: AT_REST, awsManagedRule: 'RDS_STORAGE_ENCRYPTED', securityHubControls: ['RDS.3', 'RDS.27'] },
  's3-bucket-encrypted': {
    hipaa: ['164.312(a)(2)(iv)', '164.312(c)(2)', '164.312(e)(2)(ii)'],
    awsManagedRule: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED',
    securityHubControls: ['S3.17'],
  },
  'dynamodb-table-encrypted': { hipaa: ['164.312(a)(2)(iv)'], awsManagedRule: 'DYNAMODB_TABLE_ENCRYPTED_KMS', securityHubControls: [] },
  'efs-filesystem-encrypted': { hipaa: AT_REST, awsManagedRule: 'EFS_ENCRYPTED_CHECK', securityHubControls: ['EFS.1'] },
  'backup-recovery-point-encrypted': { hipaa: ['164.312(a)(2)(iv)'], awsManagedRule: 'BACKUP_RECOVERY_POINT_ENCRYPTED', securityHubControls: ['Backup.1'] },
} as const satisfies Record<string, RuleMapping>;

export type RuleId = keyof typeof RULE_MAPPING;
export const RULE_IDS = Object.keys(RULE_MAPPING) as RuleId[];
