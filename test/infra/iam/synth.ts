/** The app's templates, synthesized as `cdk synth` does (without bundling) and deployed on paper. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMonitorApp } from '../../../infra/monitor-app.js';
import type { MonitorSettings } from '../../../infra/settings.js';
import type { ComplianceMonitorStack } from '../../../infra/stack.js';
import { capturePrinted } from '../helpers.js';
import { DeployedTemplate, type CfnTemplate } from './cfn.js';

export const CENTRAL_ACCOUNT = '111122223333';
export const MEMBER_ACCOUNT = '444455556666';
export const OUTSIDE_ACCOUNT = '777788889999';

export interface SynthesizedStack {
  readonly stack: ComplianceMonitorStack;
  readonly template: CfnTemplate;
  /** The template deployed into the central (or the single) account, in the stack's Region. */
  readonly deployed: DeployedTemplate;
}

/** Every stack of the app; an environment-agnostic stack is deployed to `defaultRegion`. */
export function synthesize(settings: MonitorSettings, defaultRegion = 'us-east-1'): SynthesizedStack[] {
  const outdir = mkdtempSync(join(tmpdir(), 'ccm-iam-'));
  try {
    const { result, printed } = capturePrinted(() => {
      const { app, stacks } = createMonitorApp({ settings, appProps: { outdir, context: { 'aws:cdk:bundling-stacks': [] } } });
      return { stacks, assembly: app.synth() };
    });
    expect(printed).toEqual([]);
    const { stacks, assembly } = result;
    return stacks.map((stack) => {
      const template = assembly.getStackByName(stack.stackName).template as CfnTemplate;
      const region = stack.region.startsWith('${') ? defaultRegion : stack.region;
      return { stack, template, deployed: new DeployedTemplate(template, { account: CENTRAL_ACCOUNT, region, partition: 'aws', stackName: stack.stackName }) };
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
