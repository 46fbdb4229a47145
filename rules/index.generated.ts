// Written by `npm run docs` (scripts/docs.ts) from the rule files under rules/<area>/: do not edit.
// Static imports, so esbuild bundles every rule into the Lambdas; a test fails when this list is stale.
import { cloudtrailMultiRegionLogging } from './audit/cloudtrail-multi-region-logging.js';
import { backupPlanFrequencyRetention } from './backup/backup-plan-frequency-retention.js';
import { backupPlanOffsiteCopy } from './backup/backup-plan-offsite-copy.js';
import { rdsBackupRetention } from './backup/rds-backup-retention.js';
import { resourceProtectedByBackup } from './backup/resource-protected-by-backup.js';
import { resourceRecentRecoveryPoint } from './backup/resource-recent-recovery-point.js';
import { backupRecoveryPointEncrypted } from './encryption/backup-recovery-point-encrypted.js';
import { dynamodbTableEncrypted } from './encryption/dynamodb-table-encrypted.js';
import { ebsEncryptionByDefault } from './encryption/ebs-encryption-by-default.js';
import { ebsVolumeEncrypted } from './encryption/ebs-volume-encrypted.js';
import { efsFilesystemEncrypted } from './encryption/efs-filesystem-encrypted.js';
import { rdsStorageEncrypted } from './encryption/rds-storage-encrypted.js';
import { s3BucketEncrypted } from './encryption/s3-bucket-encrypted.js';
import { securityGroupAdminPortsRestricted } from './firewall/security-group-admin-ports-restricted.js';
import { guarddutyEnabled } from './malware/guardduty-enabled.js';
import { guarddutyMalwareProtection } from './malware/guardduty-malware-protection.js';
import { iamUserConsoleMfa } from './mfa/iam-user-console-mfa.js';
import { rootAccountMfa } from './mfa/root-account-mfa.js';
import { instanceManagedBySsm } from './patching/instance-managed-by-ssm.js';
import { instancePatchCompliant } from './patching/instance-patch-compliant.js';
import { loadBalancerHttpsOnly } from './transit/load-balancer-https-only.js';
import { s3BucketTlsOnly } from './transit/s3-bucket-tls-only.js';

/** Every rule definition: by area (AREAS in rules/types.ts), worst severity first, then by id. */
export const RULES = [
  backupRecoveryPointEncrypted,
  ebsVolumeEncrypted,
  efsFilesystemEncrypted,
  rdsStorageEncrypted,
  s3BucketEncrypted,
  dynamodbTableEncrypted,
  ebsEncryptionByDefault,
  rootAccountMfa,
  iamUserConsoleMfa,
  instancePatchCompliant,
  instanceManagedBySsm,
  backupPlanFrequencyRetention,
  rdsBackupRetention,
  resourceProtectedByBackup,
  resourceRecentRecoveryPoint,
  backupPlanOffsiteCopy,
  loadBalancerHttpsOnly,
  s3BucketTlsOnly,
  securityGroupAdminPortsRestricted,
  guarddutyEnabled,
  guarddutyMalwareProtection,
  cloudtrailMultiRegionLogging,
] as const;
