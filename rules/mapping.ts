/**
 * The HIPAA Security Rule mapping and AWS cross-references, as data in one place. Finding
 * Compliance.RelatedRequirements, alerts and the README tables are generated from it; a test proves
 * every rule is mapped and every mapping names an existing rule.
 *
 * Encryption citations follow AWS Config's "Operational Best Practices for HIPAA Security"
 * conformance pack: 164.312(a)(2)(iv) everywhere, 164.312(e)(2)(ii) where the pack lists it too.
 * MFA is person authentication plus supervision of who may sign in; patching is protection from
 * malicious software and risk management; backups are the contingency plan's data backup, disaster
 * recovery and data backup and storage. Where AWS has one managed rule per resource type (the
 * *_RESOURCES_PROTECTED_BY_BACKUP_PLAN and *_LAST_BACKUP_RECOVERY_POINT_CREATED families), the EBS one
 * names the family.
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
const MFA: readonly HipaaCitation[] = ['164.312(d)', '164.308(a)(3)(ii)(A)'];
const PATCHING: readonly HipaaCitation[] = ['164.308(a)(5)(ii)(B)', '164.308(a)(1)(ii)(B)'];
const BACKUPS: readonly HipaaCitation[] = ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'];

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
  'root-account-mfa': { hipaa: MFA, awsManagedRule: 'ROOT_ACCOUNT_MFA_ENABLED', securityHubControls: ['IAM.9'] },
  'iam-user-console-mfa': { hipaa: MFA, awsManagedRule: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS', securityHubControls: ['IAM.5'] },
  'instance-patch-compliant': { hipaa: PATCHING, awsManagedRule: 'EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK', securityHubControls: ['SSM.2'] },
  'instance-managed-by-ssm': { hipaa: PATCHING, awsManagedRule: 'EC2_INSTANCE_MANAGED_BY_SSM', securityHubControls: ['SSM.1'] },
  'backup-plan-frequency-retention': { hipaa: BACKUPS, awsManagedRule: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK', securityHubControls: [] },
  'backup-plan-offsite-copy': { hipaa: BACKUPS, awsManagedRule: null, securityHubControls: [] },
  'resource-protected-by-backup': { hipaa: BACKUPS, awsManagedRule: 'EBS_RESOURCES_PROTECTED_BY_BACKUP_PLAN', securityHubControls: ['RDS.26', 'EC2.28', 'DynamoDB.4', 'EFS.2'] },
  'resource-recent-recovery-point': { hipaa: BACKUPS, awsManagedRule: 'EBS_LAST_BACKUP_RECOVERY_POINT_CREATED', securityHubControls: [] },
  'rds-backup-retention': { hipaa: BACKUPS, awsManagedRule: 'DB_INSTANCE_BACKUP_ENABLED', securityHubControls: ['RDS.11'] },
} as const satisfies Record<string, RuleMapping>;

export type RuleId = keyof typeof RULE_MAPPING;
export const RULE_IDS = Object.keys(RULE_MAPPING) as RuleId[];
