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

export function createMonitorApp(options: MonitorAppOptions = {}): { app: App; stack: ComplianceMonitorStack; settings: MonitorSettings } {
  const app = new App(options.appProps);
  const settings =
    options.settings ??
    loadSettings({
      context: app.node.tryGetContext('settings') as unknown,
      ...(typeof app.node.tryGetContext('settingsFile') === 'string' && { file: app.node.tryGetContext('settingsFile') as string }),
      ...(options.cwd !== undefined && { cwd: options.cwd }),
    });
  // Environment-agnostic unless the settings pin a Region: synth needs no credentials and no lookups.
  const stack = new ComplianceMonitorStack(app, STACK_NAME, {
    settings,
    ...(settings.region !== undefined && { env: { region: settings.region } }),
  });
  addNagPacks(app);
  return { app, stack, settings };
}
