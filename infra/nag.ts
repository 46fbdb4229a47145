/**
 * cdk-nag on every synth: the AwsSolutions and HIPAA Security packs as CDK validation plugins
 * (cdk-nag v3: `Validations.of(app).addPlugins`). Acknowledgements use CDK's own
 * `Validations.of(construct).acknowledge`, one finding id on one construct with its reason; there are
 * no stack-wide ones.
 */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
}

export function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}
