/**
 * `npm run doctor [-- --settings FILE]`: are this account and Region ready for `npx cdk deploy`?
 * Uses your AWS credentials (the SDK's default chain: env, profile, SSO) for read-only calls.
 * Exit code 0 when every check passes, 1 when something is missing, 2 on bad settings.
 */
import { parseArgs } from 'node:util';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { formatChecks, runDoctor } from './doctor-checks.js';
import { DEFAULT_SETTINGS_FILE, loadSettings, SettingsError } from './settings.js';

async function resolveCliRegion(): Promise<string | undefined> {
  try {
    return await new STSClient({}).config.region();
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { settings: { type: 'string', default: DEFAULT_SETTINGS_FILE } } });
  let settings;
  try {
    settings = loadSettings({ file: values.settings });
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(error.message);
    return 2;
  }
  const cliRegion = await resolveCliRegion();
  const region = settings.region ?? cliRegion;
  if (region === undefined) {
    console.error(`✗ Region: none. Set AWS_REGION (or a profile Region), or "region" in ${settings.source}.`);
    return 1;
  }
  const checks = await runDoctor({
    settings,
    region,
    ...(cliRegion !== undefined && { cliRegion }),
    config: new ConfigServiceClient({ region }),
    securityHub: new SecurityHubClient({ region }),
    sts: new STSClient({ region }),
  });
  console.log(formatChecks(checks, `Clinic Compliance Monitor prerequisites (${region}, settings ${settings.source})`));
  return checks.every((check) => check.ok) ? 0 : 1;
}

process.exitCode = await main();
