/** Builds the CDK app: settings → stack → cdk-nag. `infra/app.ts` synthesizes it; tests build their own. */
import { App, type AppProps } from 'aws-cdk-lib';
import { addNagPacks } from './nag.js';
import { loadSettings, type MonitorSettings } from './settings.js';
import { ComplianceMonitorStack, STACK_NAME } from './stack.js';

export interface MonitorAppOptions {
  readonly appProps?: AppProps;
  /** Settings already parsed; otherwise read from the `settings` context value or the `settingsFile` (default monitor.settings.json). */
  readonly settings?: MonitorSettings;
  readonly cwd?: string;
}

export interface MonitorApp {
  readonly app: App;
  /** The single-account stack, or org-wide the home Region's central stack. */
  readonly stack: ComplianceMonitorStack;
  /** Every stack: org-wide, one central stack per organization Region. */
  readonly stacks: readonly ComplianceMonitorStack[];
  readonly settings: MonitorSettings;
}

/** Org-wide central stacks are named per Region: `ClinicComplianceMonitor-us-east-1`. */
export function orgStackName(region: string): string {
  return `${STACK_NAME}-${region}`;
}

export function createMonitorApp(options: MonitorAppOptions = {}): MonitorApp {
  const app = new App(options.appProps);
  const settings =
    options.settings ??
    loadSettings({
      context: app.node.tryGetContext('settings') as unknown,
      ...(typeof app.node.tryGetContext('settingsFile') === 'string' && { file: app.node.tryGetContext('settingsFile') as string }),
      ...(options.cwd !== undefined && { cwd: options.cwd }),
    });
  const org = settings.organization;
  if (org !== undefined) {
    // One central stack per Region; the account stays environment-agnostic, so synth needs no credentials.
    const stacks = org.regions.map((region) => new ComplianceMonitorStack(app, orgStackName(region), { settings, env: { region } }));
    addNagPacks(app);
    const home = stacks.find((stack) => stack.region === org.homeRegion) ?? stacks[0];
    if (home === undefined) throw new Error('organization.regions is empty');
    // The home Region's stack deploys the member StackSet (the member roles, in every Region): the other
    // Regions' organization rules must not be created, and first evaluated, before those roles exist.
    for (const stack of stacks) if (stack !== home) stack.addStackDependency(home, 'the member StackSet (member roles) comes from the home Region stack');
    return { app, stack: home, stacks, settings };
  }
  // Environment-agnostic unless the settings pin a Region: synth needs no credentials and no lookups.
  const stack = new ComplianceMonitorStack(app, STACK_NAME, {
    settings,
    ...(settings.region !== undefined && { env: { region: settings.region } }),
  });
  addNagPacks(app);
  return { app, stack, stacks: [stack], settings };
}
