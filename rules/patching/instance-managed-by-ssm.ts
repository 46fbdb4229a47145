import { instanceIdOf, instanceState, isStoppedInstance } from '../instances.js';
import { isGone } from '../inventory.js';
import { HIPAA_PATCHING } from '../mapping.js';
import { defineInventoryRule } from '../types.js';
import { compliant, judge, nonCompliant, notApplicable } from '../verdicts.js';

function key(accountId: string, region: string, instanceId: string): string {
  return `${accountId}\u0000${region}\u0000${instanceId}`;
}

/**
 * Every running instance is managed by Systems Manager (AWS's EC2_INSTANCE_MANAGED_BY_SSM, SSM.1):
 * without the agent there is no patch scan, so instance-patch-compliant has nothing to judge and an
 * unpatched server would go unseen. Proof of management is the AWS::SSM::ManagedInstanceInventory
 * item Config records for the instance.
 */
export const instanceManagedBySsm = defineInventoryRule({
  id: 'instance-managed-by-ssm',
  title: 'Running instances are managed by Systems Manager',
  area: 'patching',
  description: 'COMPLIANT when a running EC2 instance has an SSM managed-instance inventory item; stopped and terminated instances are NOT_APPLICABLE.',
  resourceTypes: ['AWS::EC2::Instance'],
  trigger: 'periodic',
  severity: 'MEDIUM',
  hipaa: HIPAA_PATCHING,
  awsManagedRule: 'EC2_INSTANCE_MANAGED_BY_SSM',
  securityHubControls: ['SSM.1'],
  reads: ['AWS::SSM::ManagedInstanceInventory'],
  parameters: {},
  remediation: {
    summary:
      'Let Systems Manager manage the instance: agent installed and running, an instance profile with AmazonSSMManagedInstanceCore, and a network path to the SSM endpoints.',
    steps: [
      'Attach an instance profile whose role has the AmazonSSMManagedInstanceCore policy (or turn on Default Host Management Configuration).',
      'Make sure the SSM Agent is installed and running (it is preinstalled on Amazon Linux and Windows Server AMIs).',
      'Allow HTTPS to the ssm, ssmmessages and ec2messages endpoints (VPC endpoints for private subnets), then enable inventory collection in Fleet Manager.',
    ],
    url: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/managed-instances-and-nodes.html',
  },
  evaluate(inventory) {
    const managed = new Set<string>();
    for (const item of inventory.ofType('AWS::SSM::ManagedInstanceInventory')) {
      if (isGone(item)) continue;
      managed.add(key(item.accountId, item.awsRegion, instanceIdOf(item.resourceId)));
      for (const relationship of item.relationships) {
        if (relationship.resourceType === 'AWS::EC2::Instance' && relationship.resourceId)
          managed.add(key(item.accountId, item.awsRegion, relationship.resourceId));
      }
    }
    return inventory.ofType('AWS::EC2::Instance').map((item) =>
      judge(item, (active) => {
        if (isStoppedInstance(active)) return notApplicable(`EC2 instance is ${instanceState(active)} (state.name); only running instances are checked.`);
        if (managed.has(key(active.accountId, active.awsRegion, active.resourceId)))
          return compliant('Instance is managed by Systems Manager (an AWS::SSM::ManagedInstanceInventory item is recorded for it).');
        return nonCompliant('Running instance is not managed by Systems Manager: no AWS::SSM::ManagedInstanceInventory item is recorded for it.');
      }),
    );
  },
});
