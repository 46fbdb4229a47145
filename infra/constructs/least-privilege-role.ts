import { ManagedPolicy, Role, type AddToPrincipalPolicyResult, type PolicyStatement, type RoleProps } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * A role whose every permission, including the ones CDK grants add (event sources, log groups), lands
 * in one customer managed policy instead of an inline one: the HIPAA Security pack rejects inline
 * policies (IAMNoInlinePolicy) and AwsSolutions rejects AWS managed ones (IAM4). The policy attaches
 * itself to the role (`Roles`), so it may reference resources created after the role, such as the
 * Config rules the function evaluates, without a dependency cycle.
 */
export class LeastPrivilegeRole extends Role {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id, props);
    this.policy = new ManagedPolicy(this, 'Policy', { roles: [this], description: props.description ?? 'Permissions of one monitor function' });
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
