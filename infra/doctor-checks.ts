/**
 * `npm run doctor`: checks the prerequisites the stack cannot create for you, with the caller's own
 * credentials, and says exactly what is missing. Read-only: Describe*, Lambda GetAccountSettings and
 * GetCallerIdentity calls.
 * The SDK clients are passed in (tests mock them).
 */
import {
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  type ConfigServiceClient,
  type ConfigurationRecorder,
} from '@aws-sdk/client-config-service';
import { GetAccountSettingsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeHubCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { recordedTypesFor, routeRule } from './routing.js';
import { isPlaceholderEndpoint, type MonitorSettings } from './settings.js';
import { reservedConcurrency } from './sizing.js';

export interface Check {
  readonly ok: boolean;
  readonly title: string;
  readonly detail: string;
  /** What to do, when not ok. */
  readonly fix?: string;
}

export interface DoctorDeps {
  readonly settings: MonitorSettings;
  readonly config: ConfigServiceClient;
  readonly securityHub: SecurityHubClient;
  readonly sts: STSClient;
  readonly lambda: LambdaClient;
  /** The Region the stack will deploy to (settings.region, else the CLI's). */
  readonly region: string;
  /** The Region the caller's AWS configuration resolves to, if any (AWS_REGION, profile). */
  readonly cliRegion?: string;
}

/** Types Config records only when the recorder includes global resource types (IAM is global). */
const GLOBAL_TYPES = new Set(['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role', 'AWS::IAM::Policy']);

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function failure(title: string, error: unknown, what: string): Check {
  const name = error instanceof Error ? error.name : '';
  const fix = /AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name)
    ? `Your credentials may not call ${what}: use a role with read access to AWS Config, Security Hub and Lambda (for example the AWS managed ReadOnlyAccess or SecurityAudit policy).`
    : `Fix the error above and run npm run doctor again.`;
  return { ok: false, title, detail: `could not check: ${describe(error)}`, fix };
}

/** The rules a stack in this Region creates: account-wide IAM rules only in the home Region. */
function rulesDeployedIn(settings: MonitorSettings, region: string): MonitorSettings['rules'][number]['entry'][] {
  const home = settings.homeRegion ?? region;
  return settings.rules.map(({ entry }) => entry).filter((entry) => !(routeRule(entry).global && home !== region));
}

/** The rules this Region will run, and the item types each needs recorded. */
export function requiredTypes(settings: MonitorSettings, region: string): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const entry of rulesDeployedIn(settings, region)) {
    for (const type of recordedTypesFor(entry)) byType.set(type, [...(byType.get(type) ?? []), entry.id]);
  }
  return byType;
}

/** Lambda keeps this much of the account's concurrency unreserved: reservations may not go below it. */
export const MIN_UNRESERVED_CONCURRENCY = 100;
/** Service Quotas' code for Lambda "Concurrent executions". */
const CONCURRENCY_QUOTA_CODE = 'L-B99A9384';

/** The account's Lambda concurrency must leave room for the stack's reservations and Lambda's unreserved 100. */
export async function concurrencyCheck(lambda: LambdaClient, settings: MonitorSettings, region: string): Promise<Check> {
  const title = 'Lambda concurrency';
  const perFunction = reservedConcurrency(rulesDeployedIn(settings, region));
  const needed = Object.values(perFunction).reduce((sum, n) => sum + n, 0);
  let limit: { ConcurrentExecutions?: number | undefined; UnreservedConcurrentExecutions?: number | undefined } | undefined;
  try {
    limit = (await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit;
  } catch (error) {
    return failure(title, error, 'lambda:GetAccountSettings');
  }
  const quota = limit?.ConcurrentExecutions;
  const unreserved = limit?.UnreservedConcurrentExecutions;
  if (quota === undefined || unreserved === undefined)
    return {
      ok: false,
      title,
      detail: 'GetAccountSettings returned no AccountLimit concurrency',
      fix: 'Run aws lambda get-account-settings and check the account limits by hand.',
    };
  const reservedElsewhere = quota - unreserved;
  const left = unreserved - needed;
  const detail = `quota ${quota}, ${reservedElsewhere} reserved by other functions; the monitor reserves ${needed} (${Object.entries(perFunction)
    .filter(([, n]) => n > 0)
    .map(([fn, n]) => `${fn} ${n}`)
    .join(', ')}), leaving ${left} unreserved`;
  if (left >= MIN_UNRESERVED_CONCURRENCY) return { ok: true, title, detail };
  const wanted = reservedElsewhere + needed + MIN_UNRESERVED_CONCURRENCY;
  return {
    ok: false,
    title,
    detail: `${detail}; Lambda requires at least ${MIN_UNRESERVED_CONCURRENCY}, so the deploy would fail creating the functions`,
    fix: `Ask for at least ${wanted} concurrent executions: aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${CONCURRENCY_QUOTA_CODE} --desired-value ${wanted} --region ${region} (new accounts often start at 10). Redeploying over an existing monitor? Its reservations are among the ${reservedElsewhere} already.`,
  };
}

/** Which of `types` the recorder's recording group leaves out. */
export function unrecordedTypes(recorder: ConfigurationRecorder, types: Iterable<string>): string[] {
  const group = recorder.recordingGroup ?? {};
  const strategy =
    group.recordingStrategy?.useOnly ??
    (group.allSupported === false || (group.resourceTypes?.length ?? 0) > 0 ? 'INCLUSION_BY_RESOURCE_TYPES' : 'ALL_SUPPORTED_RESOURCE_TYPES');
  const included = new Set<string>(group.resourceTypes ?? []);
  const excluded = new Set<string>(group.exclusionByResourceTypes?.resourceTypes ?? []);
  return [...types].filter((type) => {
    switch (strategy) {
      case 'INCLUSION_BY_RESOURCE_TYPES':
        return !included.has(type);
      case 'EXCLUSION_BY_RESOURCE_TYPES':
        return excluded.has(type);
      default:
        return GLOBAL_TYPES.has(type) && group.includeGlobalResourceTypes !== true;
    }
  });
}

export async function runDoctor(deps: DoctorDeps): Promise<Check[]> {
  const { settings, region } = deps;
  const credentials = await credentialsCheck(deps.sts);
  if (!credentials.ok) return [credentials];
  return [
    credentials,
    regionCheck(deps),
    ...homeRegionChecks(settings, region),
    ...(await recorderChecks(deps)),
    await deliveryChannelCheck(deps.config, region),
    await securityHubCheck(deps.securityHub, settings, region),
    await concurrencyCheck(deps.lambda, settings, region),
    subscriptionsCheck(settings),
  ];
}

async function credentialsCheck(sts: STSClient): Promise<Check> {
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return { ok: true, title: 'AWS credentials', detail: `account ${identity.Account ?? '?'} as ${identity.Arn ?? '?'}` };
  } catch (error) {
    return {
      ok: false,
      title: 'AWS credentials',
      detail: `none usable: ${describe(error)}`,
      fix: 'Sign in first (aws configure, aws sso login, or AWS_PROFILE=…), then run npm run doctor again.',
    };
  }
}

function regionCheck({ settings, region, cliRegion }: DoctorDeps): Check {
  if (settings.region !== undefined && cliRegion !== undefined && cliRegion !== settings.region) {
    return {
      ok: false,
      title: 'Region',
      detail: `settings pin the stack to ${settings.region}, but your AWS configuration points at ${cliRegion}`,
      fix: `export AWS_REGION=${settings.region} before npx cdk bootstrap and npx cdk deploy (or remove "region" from ${settings.source}).`,
    };
  }
  return { ok: true, title: 'Region', detail: `${region}${settings.region !== undefined ? ` (from ${settings.source})` : ' (from your AWS configuration)'}` };
}

function homeRegionChecks(settings: MonitorSettings, region: string): Check[] {
  const home = settings.homeRegion ?? region;
  const globalRules = settings.rules.filter(({ entry }) => routeRule(entry).global).map(({ entry }) => entry.id);
  if (globalRules.length === 0) return [];
  return [
    {
      ok: true,
      title: 'Home Region for account-wide checks',
      detail:
        home === region
          ? `${region}: ${globalRules.join(', ')} run here`
          : `${home}: ${globalRules.join(', ')} are not created in ${region}; deploy to ${home} too`,
    },
  ];
}

/** The recorder exists; then, whether it records and whether it records every type the rules read. */
async function recorderChecks({ config, settings, region }: DoctorDeps): Promise<Check[]> {
  let recorder: ConfigurationRecorder | undefined;
  try {
    const response = await config.send(new DescribeConfigurationRecordersCommand({}));
    recorder = (response.ConfigurationRecorders ?? []).find((r) => r.servicePrincipal === undefined);
  } catch (error) {
    return [failure('AWS Config recorder', error, 'config:DescribeConfigurationRecorders')];
  }
  if (recorder === undefined) {
    return [
      {
        ok: false,
        title: 'AWS Config recorder',
        detail: `no configuration recorder in ${region}`,
        fix: `Set up AWS Config in ${region}: console → AWS Config → Get started (record all resource types, including global ones in the home Region), or aws configservice put-configuration-recorder and put-delivery-channel.`,
      },
    ];
  }
  return [
    { ok: true, title: 'AWS Config recorder', detail: `${recorder.name ?? 'default'} exists` },
    await recordingCheck(config, recorder, region),
    recordedTypesCheck(recorder, settings, region),
  ];
}

async function recordingCheck(config: ConfigServiceClient, recorder: ConfigurationRecorder, region: string): Promise<Check> {
  const title = 'AWS Config recording';
  try {
    const response = await config.send(
      new DescribeConfigurationRecorderStatusCommand({ ConfigurationRecorderNames: recorder.name === undefined ? undefined : [recorder.name] }),
    );
    const status = response.ConfigurationRecordersStatus?.[0];
    const failing = status?.lastStatus === 'Failure';
    if (status?.recording === true && !failing) return { ok: true, title, detail: `recording (last status ${status.lastStatus ?? 'unknown'})` };
    return {
      ok: false,
      title,
      detail:
        status?.recording !== true
          ? 'the recorder is stopped'
          : `the recorder's last delivery failed (${status.lastErrorCode ?? 'no error code'}: ${status.lastErrorMessage ?? ''})`,
      fix:
        status?.recording !== true
          ? `aws configservice start-configuration-recorder --configuration-recorder-name ${recorder.name ?? 'default'} --region ${region}`
          : "Check the recorder's IAM role and the delivery channel's S3 bucket policy.",
    };
  } catch (error) {
    return failure(title, error, 'config:DescribeConfigurationRecorderStatus');
  }
}

function recordedTypesCheck(recorder: ConfigurationRecorder, settings: MonitorSettings, region: string): Check {
  const needed = requiredTypes(settings, region);
  const missing = unrecordedTypes(recorder, needed.keys());
  if (missing.length === 0) return { ok: true, title: 'Recorded resource types', detail: `the ${needed.size} types the enabled rules read are recorded` };
  return {
    ok: false,
    title: 'Recorded resource types',
    detail: `not recorded: ${missing.map((type) => `${type} (${(needed.get(type) ?? []).join(', ')})`).join('; ')}`,
    fix: `Add them to the recorder (console → AWS Config → Settings → Recording strategy${missing.some((t) => GLOBAL_TYPES.has(t)) ? ', and include global resource types in this home Region' : ''}), or disable those rules in ${settings.source}.`,
  };
}

async function deliveryChannelCheck(config: ConfigServiceClient, region: string): Promise<Check> {
  try {
    const response = await config.send(new DescribeDeliveryChannelsCommand({}));
    const channel = response.DeliveryChannels?.[0];
    return channel === undefined
      ? {
          ok: false,
          title: 'AWS Config delivery channel',
          detail: `none in ${region}: the recorder cannot start without one`,
          fix: 'aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=<your Config bucket>',
        }
      : { ok: true, title: 'AWS Config delivery channel', detail: `${channel.name ?? 'default'} → s3://${channel.s3BucketName ?? '?'}` };
  } catch (error) {
    return failure('AWS Config delivery channel', error, 'config:DescribeDeliveryChannels');
  }
}

/** Security Hub must be on for the findings and insights; the stack enables it only where it is off. */
async function securityHubCheck(securityHub: SecurityHubClient, settings: MonitorSettings, region: string): Promise<Check> {
  const title = 'Security Hub';
  try {
    const hub = await securityHub.send(new DescribeHubCommand({}));
    if (!settings.enableSecurityHub) return { ok: true, title, detail: `enabled in ${region}` };
    return {
      ok: false,
      title,
      detail: `already enabled in ${region} (${hub.HubArn ?? 'hub'}), and ${settings.source} sets enableSecurityHub: true`,
      fix: `Set "enableSecurityHub": false in ${settings.source}: the deploy would fail creating a hub that exists.`,
    };
  } catch (error) {
    const notEnabled = error instanceof Error && /InvalidAccessException|ResourceNotFoundException/.test(error.name);
    if (!notEnabled) return failure(title, error, 'securityhub:DescribeHub');
    if (settings.enableSecurityHub) return { ok: true, title, detail: `not enabled in ${region}; the stack enables it (enableSecurityHub: true)` };
    return {
      ok: false,
      title,
      detail: `not enabled in ${region}: findings cannot be imported and the auditor insights cannot be created`,
      fix: `aws securityhub enable-security-hub --no-enable-default-standards --region ${region}, or set "enableSecurityHub": true in ${settings.source}.`,
    };
  }
}

/** Placeholders reach nobody; without an alarm subscription the monitor's own alarms reach nobody either. */
function subscriptionsCheck(settings: MonitorSettings): Check {
  const placeholders = [...settings.alerts, ...settings.alarms].filter((s) => isPlaceholderEndpoint(s.endpoint)).map((s) => s.endpoint);
  if (placeholders.length > 0) {
    return {
      ok: false,
      title: 'Alert subscriptions',
      detail: `still the example endpoints: ${placeholders.join(', ')}`,
      fix: `Put your on-call addresses in ${settings.source} ("alerts" and "alarms").`,
    };
  }
  if (settings.alarms.length === 0) {
    return {
      ok: false,
      title: 'Alert subscriptions',
      detail: "no alarm subscription: the monitor's health alarms (failures, a stopped Config recorder) would reach nobody",
      fix: `Add on-call to "alarms" in ${settings.source}, e.g. [{ "protocol": "email", "endpoint": "it@your-clinic.com" }].`,
    };
  }
  return { ok: true, title: 'Alert subscriptions', detail: `${settings.alerts.length} alert and ${settings.alarms.length} alarm subscription(s)` };
}

export function formatChecks(checks: readonly Check[], header: string): string {
  const lines = [header];
  for (const check of checks) {
    lines.push(`  ${check.ok ? '✓' : '✗'} ${check.title}: ${check.detail}`);
    if (!check.ok && check.fix !== undefined) lines.push(`      → ${check.fix}`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(failed === 0 ? 'All prerequisites are met: npx cdk deploy' : `${failed} problem(s) to fix before npx cdk deploy.`);
  return lines.join('\n');
}
