import { HIPAA_AT_REST } from '../mapping.js';
import { defineInventoryRule } from '../types.js';

/**
 * EBS encryption by default is on in every account and Region we see. No configuration item
 * records it: the periodic Lambda reads it with ec2:GetEbsEncryptionByDefault, so the offline
 * scanner skips this rule.
 */
export const ebsEncryptionByDefault = defineInventoryRule({
  id: 'ebs-encryption-by-default',
  title: 'EBS encryption by default is enabled',
  area: 'encryption',
  description: 'COMPLIANT when the account has EBS encryption by default turned on in the Region, so every new volume and snapshot copy is encrypted.',
  resourceTypes: ['AWS::::Account'],
  trigger: 'periodic',
  severity: 'MEDIUM',
  hipaa: HIPAA_AT_REST,
  awsManagedRule: 'EC2_EBS_ENCRYPTION_BY_DEFAULT',
  securityHubControls: ['EC2.7'],
  liveOnly: true,
  needs: ['ebsEncryptionByDefault'],
  parameters: {},
  remediation: {
    summary: 'Turn on EBS encryption by default in each Region you use; existing volumes are not changed.',
    steps: [
      'EC2 console, Settings (Data protection and security), EBS encryption, Manage, Enable.',
      'Or run in each Region: aws ec2 enable-ebs-encryption-by-default',
      'Optionally set your KMS key: aws ec2 modify-ebs-default-kms-key-id --kms-key-id <key-arn>',
    ],
    url: 'https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html',
  },
  evaluate(inventory) {
    return inventory.accountSettings.flatMap((setting) =>
      setting.ebsEncryptionByDefault === undefined
        ? []
        : [
            {
              resourceType: 'AWS::::Account',
              resourceId: setting.accountId,
              accountId: setting.accountId,
              region: setting.region,
              compliance: setting.ebsEncryptionByDefault ? ('COMPLIANT' as const) : ('NON_COMPLIANT' as const),
              annotation: setting.ebsEncryptionByDefault
                ? `EBS encryption by default is enabled in ${setting.region}.`
                : `EBS encryption by default is disabled in ${setting.region} (GetEbsEncryptionByDefault = false).`,
            },
          ],
    );
  },
});
