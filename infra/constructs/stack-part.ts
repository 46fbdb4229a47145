import type { CfnElement } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';

/**
 * A part of the monitor stack (the rule evaluators, the notifier pipeline, the findings refresher, the
 * org-wide links): it groups its resources, their alarms wiring and their cdk-nag acknowledgements in
 * the construct tree, but is left out of their logical IDs (see `logicalIdScopes`). The stack was one
 * flat constructor before the parts existed; a clinic that deployed it keeps every resource as it is
 * (the KMS key, the queues, the alert ledger, the locked evidence bucket, named roles and alarms)
 * instead of CloudFormation replacing them.
 */
export class StackPart extends Construct {
  static isStackPart(construct: IConstruct): construct is StackPart {
    return construct instanceof StackPart;
  }
}

/** The scopes of an element that name it in its logical ID: all but the stack parts. */
export function logicalIdScopes(element: CfnElement): IConstruct[] {
  return element.node.scopes.filter((scope) => !StackPart.isStackPart(scope));
}
