import { optionalString, requiredBoolean } from '../fields.js';
import { HIPAA_AT_REST } from '../mapping.js';
import { defineItemRule } from '../types.js';
import { nonCompliant } from '../verdicts.js';
import { kmsKeyArnsParam, keyVerdict } from './kms.js';

/**
 * Every EBS volume is encrypted at rest. Deliberately stricter than AWS's ENCRYPTED_VOLUMES, which
 * looks only at attached volumes: an unattached volume (a detached data disk, a restored copy) can
 * still hold patient data, so it counts too.
 */
export const ebsVolumeEncrypted = defineItemRule({
  id: 'ebs-volume-encrypted',
  title: 'EBS volumes are encrypted at rest',
  area: 'encryption',
  description: 'COMPLIANT when the EBS volume, attached or not, is encrypted (and, if kmsKeyArns is set, with one of those keys).',
  resourceTypes: ['AWS::EC2::Volume'],
  trigger: 'change',
  severity: 'HIGH',
  hipaa: HIPAA_AT_REST,
  awsManagedRule: 'ENCRYPTED_VOLUMES',
  securityHubControls: ['EC2.3'],
  parameters: { kmsKeyArns: kmsKeyArnsParam },
  remediation: {
    summary: 'An existing volume cannot be encrypted in place: snapshot it, copy the snapshot with encryption, create a volume from the copy and swap it in.',
    steps: [
      'Create a snapshot of the unencrypted volume.',
      'Copy the snapshot with encryption enabled, choosing your KMS key.',
      'Create a new volume from the encrypted snapshot in the same Availability Zone.',
      'Stop the instance, detach the old volume, attach the new one at the same device name, start the instance.',
      'Turn on EBS encryption by default in every Region so new volumes are encrypted.',
    ],
    url: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html',
  },
  evaluate(item, { kmsKeyArns }) {
    if (!requiredBoolean(item.configuration, 'encrypted')) return nonCompliant('EBS volume is not encrypted (encrypted = false).');
    return keyVerdict('EBS volume', optionalString(item.configuration, 'kmsKeyId'), kmsKeyArns);
  },
});
