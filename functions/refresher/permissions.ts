/** Every AWS call of the findings refresher (see functions/shared/permissions.ts). */
import { LIST_ACCOUNTS, ORG_CALLS, type DeclaredCall } from '../shared/permissions.js';

export const REFRESHER_CALLS: readonly DeclaredCall[] = [
  {
    command: 'GetFindingsCommand',
    action: 'securityhub:GetFindings',
    resource: { arn: 'arn:{partition}:securityhub:{region}:{account}:hub/default' },
    account: 'monitored',
  },
  {
    command: 'BatchImportFindingsCommand',
    action: 'securityhub:BatchImportFindings',
    resource: { arn: 'arn:{partition}:securityhub:{region}:{account}:product/{account}/default' },
    account: 'monitored',
  },
  LIST_ACCOUNTS,
  ...ORG_CALLS,
];
