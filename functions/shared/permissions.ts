/**
 * Every AWS call a function's code can make, declared next to the code (functions/<fn>/permissions.ts):
 * the SDK command that makes it, the IAM action it needs, the resource it touches, in which account, and
 * when the deployment makes the call possible at all. Two tests hold the lists to the truth: the
 * function's own tests fail when it sends a command not declared here, and the policy simulation
 * (test/infra/permissions.test.ts) proves each applicable call is allowed by the deployed role and
 * resource policies, and that the role holds no action none of these calls uses.
 *
 * Adding a call is one line in the function's list.
 */
import type { ExtraInput } from '../../rules/types.js';

/**
 * The resource a call names:
 * - `'*'`: an action without resource types (Service Authorization Reference);
 * - `{ arn }`: a pattern with `{partition}`, `{region}`, `{account}` (the account called), and the org
 *   values `{organizationId}`, `{managementAccount}`, `{memberAccount}`, `{memberRoleName}`, and
 *   `{evidenceBucket}` (the bucket named by the function's EVIDENCE_BUCKET); a `*` stands for names the
 *   function learns at run time;
 * - `{ env }`: the ARN in one of the function's environment variables;
 * - `{ invokingConfigRule: true }`: the Config rule whose event the evaluator handles.
 */
export type CallResource = '*' | { readonly arn: string } | { readonly env: string } | { readonly invokingConfigRule: true };

/**
 * When a deployment makes the call:
 * - `orgWide`: the org-wide variant only;
 * - `scheduledItemRules`: the change evaluator, when an enabled item rule runs on a schedule;
 * - `{ needs }`: when an enabled rule of the function needs that input.
 */
export type CallCondition = 'orgWide' | 'scheduledItemRules' | { readonly needs: ExtraInput };

export interface DeclaredCall {
  /** The SDK command class name (`PutEvaluationsCommand`; paginators send the same command). */
  readonly command: string;
  readonly action: string;
  readonly resource: CallResource;
  /**
   * - `monitored`: in every monitored account (org-wide: the member role there, the function's own role
   *   in the central account);
   * - `own`: the function's own account, with its own role;
   * - `member`: from the function's own role, on a resource of a member account (assuming its role).
   */
  readonly account: 'monitored' | 'own' | 'member';
  readonly when?: CallCondition;
  /** Condition keys the request carries that its policy tests (`s3:prefix` of a listing). */
  readonly context?: Readonly<Record<string, string>>;
}

/** Org mode, in every function that acts in member accounts: the member role, and the alert when it fails. */
export const ORG_CALLS: readonly DeclaredCall[] = [
  {
    command: 'AssumeRoleCommand',
    action: 'sts:AssumeRole',
    resource: { arn: 'arn:{partition}:iam::{memberAccount}:role/{memberRoleName}' },
    account: 'member',
    when: 'orgWide',
  },
  { command: 'PublishCommand', action: 'sns:Publish', resource: { env: 'HEALTH_TOPIC_ARN' }, account: 'own', when: 'orgWide' },
];

/** Org mode: the organization's accounts (functions that go through every account). */
export const LIST_ACCOUNTS: DeclaredCall = {
  command: 'ListAccountsCommand',
  action: 'organizations:ListAccounts',
  resource: '*',
  account: 'own',
  when: 'orgWide',
};
