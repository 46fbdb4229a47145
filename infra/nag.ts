/**
 * cdk-nag on every synth: the AwsSolutions and HIPAA Security packs as CDK validation plugins
 * (cdk-nag v3: `Validations.of(app).addPlugins`). Acknowledgements use CDK's own
 * `Validations.of(construct).acknowledge`, one finding id on one construct (and what it contains) with
 * its reason, made by the construct that owns the resource; there are no stack-wide ones.
 */
import { Validations, type App } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';

/** Context key: `false` makes `acknowledge` record nothing, so a test can show each acknowledgement answers a real finding. */
export const ACKNOWLEDGE_CONTEXT = 'ccm:acknowledgeNagFindings';

export interface NagAcknowledgement {
  /** The construct path it sits on. */
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

export function addNagPacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
}

export function acknowledge(construct: IConstruct, id: string, reason: string): void {
  if (construct.node.tryGetContext(ACKNOWLEDGE_CONTEXT) === false) return;
  Validations.of(construct).acknowledge({ id, reason });
}

/** CDK records each acknowledgement as metadata on its construct, keyed by the id it qualifies with the annotation namespace. */
const QUALIFIER = /^Annotation::/;

/** The acknowledgements made on `scope` and the constructs in it, read back from CDK's metadata. */
export function acknowledgementsIn(scope: IConstruct): NagAcknowledgement[] {
  return scope.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id: id.replace(QUALIFIER, ''), reason })),
        ),
    );
}
