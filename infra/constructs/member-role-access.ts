import { Aws } from 'aws-cdk-lib';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { acknowledge } from '../nag.js';
import { centralRoleName, type CentralRole } from '../org.js';
import type { OrganizationSettings } from '../settings.js';
import type { MonitorFunction } from './monitor-function.js';

/**
 * Org-wide: how the central stack's functions act in the organization's accounts. Each runs under a
 * fixed role name (member roles trust those names before the roles exist), assumes the member role in
 * accounts of this organization only (aws:ResourceOrgID), and reports a missing or refusing member
 * role on the health topic.
 */
export class MemberRoleAccess {
  constructor(
    readonly organization: OrganizationSettings,
    private readonly region: string,
    private readonly healthTopic: ITopic,
  ) {}

  roleName(role: CentralRole): string {
    return centralRoleName(role, this.region);
  }

  /** What the function reads at cold start (functions/org/env.ts). */
  environment(): Record<string, string> {
    return { MEMBER_ROLE_NAME: this.organization.memberRoleName, CENTRAL_ACCOUNT_ID: Aws.ACCOUNT_ID, HEALTH_TOPIC_ARN: this.healthTopic.topicArn };
  }

  /** Which of the organization's accounts a function that lists them covers (functions/refresher/organization.ts). */
  accountFilterEnvironment(): Record<string, string> {
    const { excludeAccounts, includeAccounts } = this.organization;
    return {
      ...(excludeAccounts.length > 0 && { EXCLUDED_ACCOUNTS: excludeAccounts.join(',') }),
      ...(includeAccounts !== undefined && { INCLUDED_ACCOUNTS: includeAccounts.join(',') }),
    };
  }

  statements(): PolicyStatement[] {
    const { memberRoleName, organizationId } = this.organization;
    return [
      new PolicyStatement({
        sid: 'AssumeMemberRole',
        effect: Effect.ALLOW,
        actions: ['sts:AssumeRole'],
        resources: [`arn:${Aws.PARTITION}:iam::*:role/${memberRoleName}`],
        conditions: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
      }),
      new PolicyStatement({ sid: 'MemberRoleAlerts', effect: Effect.ALLOW, actions: ['sns:Publish'], resources: [this.healthTopic.topicArn] }),
    ];
  }

  /** The member role's `*` account, on the function's policy. */
  acknowledgeMemberRole(fn: MonitorFunction): void {
    const { memberRoleName, organizationId } = this.organization;
    acknowledge(
      fn.role.policy,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${memberRoleName}]`,
      `sts:AssumeRole on the member role (${memberRoleName}) in any account: the monitored accounts are the organization's, present and future (StackSet auto-deployment), so their ids are unknown at deploy time. The statement is limited to accounts of organization ${organizationId} (aws:ResourceOrgID), and each member role trusts only this account's named monitor roles.`,
    );
  }

  /**
   * organizations:ListAccounts for a function that covers every account: a policy of its own, so the
   * "*" it needs is acknowledged on nothing else. `purpose` completes the acknowledgement's reason.
   */
  addAccountListPolicy(fn: MonitorFunction, description: string, purpose: string): ManagedPolicy {
    const policy = new ManagedPolicy(fn, 'AccountListPolicy', {
      description,
      roles: [fn.role],
      statements: [new PolicyStatement({ sid: 'ListOrganizationAccounts', effect: Effect.ALLOW, actions: ['organizations:ListAccounts'], resources: ['*'] })],
    });
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      `organizations:ListAccounts (read-only), alone in this policy: it has no resource type in the Service Authorization Reference, so it accepts only Resource "*". ${purpose}`,
    );
    return policy;
  }
}
