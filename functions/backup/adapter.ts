/**
 * AWS Backup selections, live: the Config item of a selection lacks its tag conditions
 * (ListOfTags, Conditions), so coverage rules read them with GetBackupSelection (docs/aws-semantics.md,
 * "Backup selections").
 */
import { GetBackupSelectionCommand, paginateListBackupPlans, paginateListBackupSelections, type BackupClient, type GetBackupSelectionCommandOutput } from '@aws-sdk/client-backup';

export class BackupAdapter {
  constructor(private readonly client: BackupClient) {}

  /** Every selection of every current plan, as `aws backup get-backup-selection` prints it. */
  async selections(): Promise<Omit<GetBackupSelectionCommandOutput, '$metadata'>[]> {
    const out: Omit<GetBackupSelectionCommandOutput, '$metadata'>[] = [];
    for await (const plans of paginateListBackupPlans({ client: this.client, pageSize: 1000 }, {})) {
      for (const plan of plans.BackupPlansList ?? []) {
        if (plan.BackupPlanId === undefined || plan.DeletionDate !== undefined) continue;
        for await (const page of paginateListBackupSelections({ client: this.client, pageSize: 1000 }, { BackupPlanId: plan.BackupPlanId })) {
          for (const selection of page.BackupSelectionsList ?? []) {
            if (selection.SelectionId === undefined) continue;
            const detail = await this.client.send(new GetBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, SelectionId: selection.SelectionId }));
            out.push({ BackupSelection: detail.BackupSelection, SelectionId: detail.SelectionId, BackupPlanId: detail.BackupPlanId, CreationDate: detail.CreationDate, CreatorRequestId: detail.CreatorRequestId });
          }
        }
      }
    }
    return out;
  }
}
