/** EC2 instances as the backup and patching rules see them. */
import { path } from './fields.js';
import type { ConfigurationItem } from './inventory.js';

const NOT_RUNNING = new Set(['stopped', 'stopping', 'terminated', 'shutting-down']);

/** `state.name` of an EC2 instance item, lower-cased. */
export function instanceState(item: ConfigurationItem): string | undefined {
  const state = path(item.configuration, 'state.name') ?? path(item.configuration, 'state');
  return typeof state === 'string' && state !== '' ? state.toLowerCase() : undefined;
}

/**
 * Stopped and terminated instances run no workload and miss scheduled patching and backups through
 * no fault of those settings: NOT_APPLICABLE, as in AWS's own EC2 rules. An instance whose state is
 * not recorded is treated as running, so it is still checked.
 */
export function isStoppedInstance(item: ConfigurationItem): boolean {
  if (item.resourceType !== 'AWS::EC2::Instance') return false;
  const state = instanceState(item);
  return state !== undefined && NOT_RUNNING.has(state);
}

/**
 * The instance id in an SSM resource id. Patch compliance items have been seen with ids of the form
 * `AWS::SSM::ManagedInstanceInventory/<instance-id>` (docs/aws-semantics.md, "Patch compliance"),
 * inventory items with the bare id.
 */
export function instanceIdOf(resourceId: string): string {
  const slash = resourceId.lastIndexOf('/');
  return slash >= 0 ? resourceId.slice(slash + 1) : resourceId;
}
