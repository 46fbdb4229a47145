/**
 * The rule catalog: every rule with its HIPAA mapping joined in. The CLI, the Lambdas and the CDK
 * stack all loop over this list, so adding a rule is adding its file and one line here.
 */
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
import { RULE_MAPPING, type RuleId, type RuleMapping } from './mapping.js';
import { iamUserConsoleMfa } from './mfa/iam-user-console-mfa.js';
import { rootAccountMfa } from './mfa/root-account-mfa.js';
import type { ParamSpecs } from './params.js';
import { instanceManagedBySsm } from './patching/instance-managed-by-ssm.js';
import { instancePatchCompliant } from './patching/instance-patch-compliant.js';
import type { Rule } from './types.js';

export type CatalogEntry<S extends ParamSpecs = ParamSpecs> = Rule<S> & RuleMapping & { readonly id: RuleId };

const RULES: readonly Rule[] = [
  ebsVolumeEncrypted,
  ebsEncryptionByDefault,
  rdsStorageEncrypted,
  s3BucketEncrypted,
  dynamodbTableEncrypted,
  efsFilesystemEncrypted,
  backupRecoveryPointEncrypted,
  rootAccountMfa,
  iamUserConsoleMfa,
  instancePatchCompliant,
  instanceManagedBySsm,
  backupPlanFrequencyRetention,
  backupPlanOffsiteCopy,
  resourceProtectedByBackup,
  resourceRecentRecoveryPoint,
  rdsBackupRetention,
] as unknown as readonly Rule[];

export class UnknownRuleError extends Error {
  constructor(readonly ruleId: string) {
    super(`unknown rule id ${JSON.stringify(ruleId)}; known rules: ${RULES.map((r) => r.id).join(', ')}`);
    this.name = 'UnknownRuleError';
  }
}

function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULE_MAPPING, id);
}

function join(rule: Rule): CatalogEntry {
  if (!isRuleId(rule.id)) throw new Error(`rule ${rule.id} has no entry in rules/mapping.ts`);
  return { ...rule, ...RULE_MAPPING[rule.id], id: rule.id };
}

export const CATALOG: readonly CatalogEntry[] = RULES.map(join);

const BY_ID = new Map<string, CatalogEntry>(CATALOG.map((entry) => [entry.id, entry]));

export function getRule(id: string): CatalogEntry {
  const entry = BY_ID.get(id);
  if (entry === undefined) throw new UnknownRuleError(id);
  return entry;
}
