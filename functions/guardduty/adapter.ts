/**
 * GuardDuty, live: whether the detector runs and whether malware protection for EC2 is on. Config's
 * detector item records neither the detector's Status nor its Features, so the rules read
 * ListDetectors and GetDetector (one detector per account and Region).
 */
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { GetDetectorCommand, paginateListDetectors } from '@aws-sdk/client-guardduty';

export class GuardDutyAdapter {
  constructor(private readonly client: GuardDutyClient) {}

  /** Each detector of this Region as GetDetector returns it (the fields the rules read), with its DetectorId. */
  async detectors(): Promise<object[]> {
    const out: object[] = [];
    for await (const page of paginateListDetectors({ client: this.client }, {})) {
      for (const detectorId of page.DetectorIds ?? []) {
        const detail = await this.client.send(new GetDetectorCommand({ DetectorId: detectorId }));
        out.push({ DetectorId: detectorId, Status: detail.Status, DataSources: detail.DataSources, Features: detail.Features });
      }
    }
    return out;
  }
}

/** The SDK client, for the live loader, which imports this module only when a rule needs it. */
export { GuardDutyClient } from '@aws-sdk/client-guardduty';
