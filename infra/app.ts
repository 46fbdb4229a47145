/** `cdk synth` / `cdk deploy` entry (cdk.json: `npx tsx infra/app.ts`). */
import { createMonitorApp } from './monitor-app.js';
import { SettingsError } from './settings.js';

try {
  createMonitorApp().app.synth();
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
