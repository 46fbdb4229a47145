/**
 * AWS Backup selections, live: the Config item of a selection lacks its tag conditions
 * (ListOfTags, Conditions), so coverage rules read them with GetBackupSelection (docs/aws-semantics.md,
 * "Backup selections").
 */
import {
  GetBackupSelectionCommand,
  paginateListBackupPlans,
  paginateListBackupSelections,
  type BackupClient,
  type GetBackupSelectionCommandOutput,
} from '@aws-sdk/client-backup';
import { inPool } from '../shared/pool.js';

/**
 * Plans listed, and selections read, at once: one call per plan and per selection cannot be avoided,
 * but they need not wait for each other. A few at a time stays within AWS Backup's request rates
 * (the SDK retries any throttling).
 */
export const BACKUP_READS_AT_ONCE = 4;

export type BackupSelectionResponse = Omit<GetBackupSelectionCommandOutput, '$metadata'>;

export class BackupAdapter {
  constructor(private readonly client: BackupClient) {}

  /** Every selection of every current plan, as `aws backup get-backup-selection` prints it, in listing order. */
  async selections(): Promise<BackupSelectionResponse[]> {
    const plans: string[] = [];
    for await (const page of paginateListBackupPlans({ client: this.client, pageSize: 1000 }, {})) {
      for (const plan of page.BackupPlansList ?? []) if (plan.BackupPlanId !== undefined && plan.DeletionDate === undefined) plans.push(plan.BackupPlanId);
    }
    const perPlan = await inPool(plans, BACKUP_READS_AT_ONCE, async (planId) => {
      const ids: { planId: string; selectionId: string }[] = [];
      for await (const page of paginateListBackupSelections({ client: this.client, pageSize: 1000 }, { BackupPlanId: planId })) {
        for (const selection of page.BackupSelectionsList ?? [])
          if (selection.SelectionId !== undefined) ids.push({ planId, selectionId: selection.SelectionId });
      }
      return ids;
    });
    return inPool(perPlan.flat(), BACKUP_READS_AT_ONCE, async ({ planId, selectionId }) => {
      const detail = await this.client.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: selectionId }));
      return {
        BackupSelection: detail.BackupSelection,
        SelectionId: detail.SelectionId,
        BackupPlanId: detail.BackupPlanId,
        CreationDate: detail.CreationDate,
        CreatorRequestId: detail.CreatorRequestId,
      };
    });
  }
}
