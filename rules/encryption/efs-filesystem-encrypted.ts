import { optionalString, requiredBoolean } from '../fields.js';
import { HIPAA_AT_REST } from '../mapping.js';
import { defineItemRule } from '../types.js';
import { nonCompliant } from '../verdicts.js';
import { kmsKeyArnsParam, keyVerdict } from './kms.js';

/** EFS file systems (clinic file shares, imaging exports) are encrypted at rest, as AWS's EFS_ENCRYPTED_CHECK. */
export const efsFilesystemEncrypted = defineItemRule({
  id: 'efs-filesystem-encrypted',
  title: 'EFS file systems are encrypted at rest',
  area: 'encryption',
  description: 'COMPLIANT when the EFS file system is encrypted (and, if kmsKeyArns is set, with one of those keys).',
  resourceTypes: ['AWS::EFS::FileSystem'],
  trigger: 'change',
  severity: 'HIGH',
  hipaa: HIPAA_AT_REST,
  awsManagedRule: 'EFS_ENCRYPTED_CHECK',
  securityHubControls: ['EFS.1'],
  parameters: { kmsKeyArns: kmsKeyArnsParam },
  remediation: {
    summary: 'Encryption at rest is chosen when a file system is created: create an encrypted file system and copy the data across.',
    steps: [
      'Create a new EFS file system with encryption at rest enabled, choosing your KMS key.',
      'Copy the data with AWS DataSync (or AWS Backup restore into the new file system).',
      'Move the mount targets and clients to the new file system, then delete the old one.',
    ],
    url: 'https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html',
  },
  evaluate(item, { kmsKeyArns }) {
    if (!requiredBoolean(item.configuration, 'Encrypted')) return nonCompliant('EFS file system is not encrypted (Encrypted = false).');
    return keyVerdict('EFS file system', optionalString(item.configuration, 'KmsKeyId'), kmsKeyArns);
  },
});
