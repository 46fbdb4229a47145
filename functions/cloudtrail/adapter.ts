/**
 * CloudTrail, live: Config's trail items do not record whether a trail is logging, so the audit rule
 * reads DescribeTrails and GetTrailStatus. From any one Region, DescribeTrails with shadow trails
 * lists the Region's own trails, the copies of multi-Region trails homed elsewhere and, in a member
 * account, the organization's trail (CloudTrail API Reference, DescribeTrails includeShadowTrails).
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DescribeTrailsCommand, GetTrailStatusCommand, TrailNotFoundException, type GetTrailStatusCommandOutput, type Trail } from '@aws-sdk/client-cloudtrail';
import type { TrailReading } from '../../rules/types.js';
import { isAccessDenied } from '../org/member-access.js';

export class CloudTrailAdapter {
  constructor(private readonly client: CloudTrailClient) {}

  /** Every trail that covers this Region, each with its GetTrailStatus or why it could not be read. */
  async trails(): Promise<TrailReading[]> {
    // DescribeTrails has no pagination: an account has at most a few trails per Region.
    const { trailList = [] } = await this.client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    const readings: TrailReading[] = [];
    for (const trail of trailList) {
      const reading = await this.status(trail);
      if (reading !== undefined) readings.push(reading);
    }
    return readings;
  }

  /** A shadow or organization trail is only found by its ARN (GetTrailStatus Name); a trail deleted meanwhile is left out. */
  private async status(trail: Trail): Promise<TrailReading | undefined> {
    const name = trail.TrailARN ?? trail.Name;
    if (name === undefined) return { trail, statusError: 'DescribeTrails gave the trail neither TrailARN nor Name' };
    try {
      return { trail, status: statusFields(await this.client.send(new GetTrailStatusCommand({ Name: name }))) };
    } catch (error) {
      if (error instanceof TrailNotFoundException) return undefined;
      // CloudTrail refusing this one trail (OperationNotPermitted, an unsupported shadow copy) concerns it
      // alone: the rule says so and still judges the others. Access denied is a permission of ours to fix
      // (in org mode the member-role alarm reports it), and throttling or server errors that outlived the
      // retries are passing: those fail the run, and Config retries it.
      if (isClientFault(error) && !isAccessDenied(error)) return { trail, statusError: `${error.name}: ${error.message}` };
      throw error;
    }
  }
}

function statusFields(output: GetTrailStatusCommandOutput): Omit<GetTrailStatusCommandOutput, '$metadata'> {
  const { $metadata, ...fields } = output;
  void $metadata;
  return fields;
}

function isClientFault(error: unknown): error is Error & { $fault: 'client' } {
  return error instanceof Error && (error as { $fault?: unknown }).$fault === 'client' && !/Throttl|TooManyRequests/i.test(error.name);
}

/** The SDK client, for the live loader, which imports this module only when a rule needs it. */
export { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
