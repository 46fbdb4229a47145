/**
 * `npm run doctor [-- --settings FILE]`: are this account and Region ready for `npx cdk deploy`?
 * Uses your AWS credentials (the SDK's default chain: env, profile, SSO) for read-only calls.
 * Exit code 0 when every check passes, 1 when something is missing, 2 on bad settings or options.
 */
import { parseArgs } from 'node:util';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { STSClient } from '@aws-sdk/client-sts';
import { formatChecks, runDoctor } from './doctor-checks.js';
import { DEFAULT_SETTINGS_FILE, loadSettings, SettingsError } from './settings.js';

const USAGE = `Usage: npm run doctor [-- --settings FILE]

Checks that the AWS account and Region of your credentials are ready for npx cdk deploy, with
read-only calls: AWS Config recording and delivery, the resource types the enabled rules read,
Security Hub, the Lambda concurrency quota, and the alert and alarm subscriptions.

Options:
  --settings FILE  the settings file to check against (default ${DEFAULT_SETTINGS_FILE})
  -h, --help       show this help

The Region is the settings' "region", else your AWS configuration's (AWS_REGION, AWS_PROFILE).
Exit codes: 0 every check passes, 1 something to fix, 2 bad settings or options.
Example: AWS_PROFILE=clinic AWS_REGION=us-east-1 npm run -s doctor`;

async function resolveCliRegion(): Promise<string | undefined> {
  try {
    return await new STSClient({}).config.region();
  } catch {
    return undefined;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let values: { settings: string; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { settings: { type: 'string', default: DEFAULT_SETTINGS_FILE }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
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
    lambda: new LambdaClient({ region }),
  });
  console.log(formatChecks(checks, `Clinic Compliance Monitor prerequisites (${region}, settings ${settings.source})`));
  return checks.every((check) => check.ok) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
