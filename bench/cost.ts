/**
 * `npm run bench -- cost`: a month of AWS Config rule evaluations from the periodic rules, measured by
 * running the real evaluators (aws-sdk-client-mock clients) over a simulated Config store
 * (test/helpers/config-store.ts) and a simulated clinic (./cost-clinic.ts) whose verdicts change by
 * about 1% a day. Printed per clinic size and frequency: evaluations Config records in 30 days
 * against the lower bound, and what they cost, before (every verdict re-put on every run) and now.
 * Target (issue 15): at most 1.1× the lower bound.
 *
 * The lower bound is counted from the verdicts themselves, not from the code under test: each run's
 * full statement (a run whose read of the current results fails puts everything, as before) is
 * compared with the one before it. It is every COMPLIANT or NON_COMPLIANT verdict of the first run,
 * then every resource whose compliance changed, appeared (COMPLIANT or NON_COMPLIANT) or vanished.
 */
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, type GetTrailStatusCommandOutput, type Trail } from '@aws-sdk/client-cloudtrail';
import { BackupClient, GetBackupSelectionCommand, ListBackupPlansCommand, ListBackupSelectionsCommand } from '@aws-sdk/client-backup';
import { ConfigServiceClient, type Evaluation as ConfigEvaluation } from '@aws-sdk/client-config-service';
import { EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand, type GetDetectorCommandOutput } from '@aws-sdk/client-guardduty';
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListResourceComplianceSummariesCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { BackupAdapter } from '../functions/backup/adapter.js';
import { CloudTrailAdapter } from '../functions/cloudtrail/adapter.js';
import { ConfigAdapter } from '../functions/config/adapter.js';
import { DEFAULT_RESTATE_DAYS } from '../functions/config/changes.js';
import { Ec2Adapter } from '../functions/ec2/adapter.js';
import { createChangeEvaluatorHandler } from '../functions/evaluator/change.js';
import { createPeriodicEvaluatorHandler } from '../functions/evaluator/periodic.js';
import { GuardDutyAdapter } from '../functions/guardduty/adapter.js';
import { CredentialReportAdapter } from '../functions/iam/credential-report.js';
import { SsmAdapter } from '../functions/ssm/adapter.js';
import { routeRule } from '../infra/routing.js';
import { CATALOG, type CatalogEntry } from '../rules/catalog.js';
import type { ExtraInput } from '../rules/types.js';
import { sampleEvent } from '../test/helpers/config-events.js';
import { SimulatedConfig } from '../test/helpers/config-store.js';
import { apiSample } from '../test/helpers/samples.js';
import { ACCOUNT, REGION, SimulatedClinic, START, VERDICTS_PER_BLOCK } from './cost-clinic.js';

const DAYS = 30;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Run times in the day: Config starts a periodic rule at its frequency from when it was created. */
const RUNS = { TwentyFour_Hours: [12], Twelve_Hours: [6, 18] } as const;
type Frequency = keyof typeof RUNS;
/** AWS Config rule evaluations, per Region per month (aws.amazon.com/config/pricing). */
const PRICE_TIERS: readonly (readonly [number, number])[] = [
  [100_000, 0.001],
  [400_000, 0.0008],
  [Infinity, 0.0005],
];
const SIMULATED_INPUTS: readonly ExtraInput[] = [
  'credentialReport',
  'backupSelections',
  'ebsEncryptionByDefault',
  'patchScanTimes',
  'cloudTrailTrails',
  'guardDutyDetectors',
];
/**
 * The account's audit trail and GuardDuty detector, from AWS's samples: one multi-Region trail (the AWS CLI
 * example's KMS-encrypted Trail2, made multi-Region with log file validation), logging, and one detector with
 * EBS malware protection. They do not change in the month: their 3 first verdicts and nothing after.
 */
const TRAIL: Trail = {
  ...(apiSample('cloudtrail/DescribeTrails.awscli.json').trailList as Trail[])[1],
  IsMultiRegionTrail: true,
  LogFileValidationEnabled: true,
};
const TRAIL_STATUS = apiSample('cloudtrail/GetTrailStatus.awscli.json') as unknown as GetTrailStatusCommandOutput;
const DETECTOR = apiSample('guardduty/GetDetector.mrredhu-2025.json') as unknown as GetDetectorCommandOutput;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function monthlyCost(evaluations: number): number {
  let cost = 0;
  let below = 0;
  for (const [upTo, price] of PRICE_TIERS) {
    const inTier = Math.max(0, Math.min(evaluations, upTo + below) - below);
    cost += inTier * price;
    below += upTo;
    if (evaluations <= below) break;
  }
  return cost;
}

type Mode = { readonly name: string; readonly readFails: true } | { readonly name: string; readonly readFails: false; readonly restateDays: number };

interface Outcome {
  /** Evaluations Config recorded in the first month, and in the second when simulated. */
  readonly recorded: number;
  readonly recordedSecondMonth?: number;
  /** Only in the before mode: COMPLIANT or NON_COMPLIANT verdicts of the first run. */
  readonly firstRun?: number;
  /** Only in the before mode: the necessary puts, from consecutive full statements. */
  readonly lowerBound?: number;
  /** The old evaluator's count: every verdict of every run, plus retirements. */
  readonly before?: number;
}

/** Rules that run on a schedule, and whether the simulated clinic gives everything they need. */
function scheduledRules(): { simulated: CatalogEntry[]; skipped: CatalogEntry[] } {
  const scheduled = CATALOG.filter((entry) => routeRule(entry).periodic);
  const simulated = scheduled.filter((entry) => (entry.needs ?? []).every((need) => SIMULATED_INPUTS.includes(need)));
  return { simulated, skipped: scheduled.filter((entry) => !simulated.includes(entry)) };
}

const applicable = (compliance: string | undefined) => compliance === 'COMPLIANT' || compliance === 'NON_COMPLIANT';

/** One clinic, one mode: a month of runs of every scheduled rule. */
async function simulate(blocks: number, frequency: Frequency, mode: Mode, months = 1): Promise<Outcome> {
  const config = mockClient(ConfigServiceClient);
  const iam = mockClient(IAMClient);
  const backup = mockClient(BackupClient);
  const ec2 = mockClient(EC2Client);
  const ssm = mockClient(SSMClient);
  const cloudtrail = mockClient(CloudTrailClient);
  const guardduty = mockClient(GuardDutyClient);
  const clinic = new SimulatedClinic(blocks);
  const store = new SimulatedConfig(config, { now: START });
  if (mode.readFails)
    store.readFailure = Object.assign(new Error('simulated: the read of the current results fails, so every verdict is put'), { name: 'Simulated' });
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).callsFake(() => ({ Content: new TextEncoder().encode(clinic.credentialReport()), GeneratedTime: store.now }));
  backup.on(ListBackupPlansCommand).resolves({ BackupPlansList: [{ BackupPlanId: String(clinic.backupSelection().BackupPlanId) }] });
  backup.on(ListBackupSelectionsCommand).resolves({ BackupSelectionsList: [{ SelectionId: String(clinic.backupSelection().SelectionId) }] });
  backup.on(GetBackupSelectionCommand).callsFake(() => clinic.backupSelection());
  ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
  cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [TRAIL] });
  cloudtrail.on(GetTrailStatusCommand).resolves(TRAIL_STATUS);
  guardduty.on(ListDetectorsCommand).resolves({ DetectorIds: ['12abc34d567e8fa901bc2d34e56789f0'] });
  guardduty.on(GetDetectorCommand).resolves(DETECTOR);
  ssm.on(ListResourceComplianceSummariesCommand).callsFake(() => ({ ResourceComplianceSummaryItems: clinic.patchSummaries() }));

  let clock = START;
  const restateDays = mode.readFails ? DEFAULT_RESTATE_DAYS : mode.restateDays;
  const common = { logger: new Logger({ logLevel: 'SILENT' }), exemptionTagKey: 'compliance:exempt', region: REGION, restateDays, now: () => clock };
  const configAdapter = new ConfigAdapter(new ConfigServiceClient({ region: REGION }));
  const periodic = createPeriodicEvaluatorHandler({
    ...common,
    config: configAdapter,
    credentialReport: new CredentialReportAdapter(new IAMClient({ region: REGION }), { sleep: async () => undefined }),
    backup: new BackupAdapter(new BackupClient({ region: REGION })),
    ec2: new Ec2Adapter(new EC2Client({ region: REGION })),
    ssm: new SsmAdapter(new SSMClient({ region: REGION })),
    cloudTrail: async () => new CloudTrailAdapter(new CloudTrailClient({ region: REGION })),
    guardDuty: async () => new GuardDutyAdapter(new GuardDutyClient({ region: REGION })),
    homeRegion: REGION,
  });
  const change = createChangeEvaluatorHandler({ ...common, config: configAdapter });

  // The full statements of the before mode, per rule: resource → compliance.
  const previous = new Map<string, Map<string, string>>();
  let lowerBound = 0;
  let firstRun = 0;
  let before = 0;
  let firstMonth = 0;
  let statement = new Map<string, string>();
  store.onPut = (_rule, evaluations: readonly ConfigEvaluation[]) => {
    for (const e of evaluations) statement.set(`${e.ComplianceResourceType} ${e.ComplianceResourceId}`, e.ComplianceType ?? '');
  };

  const { simulated } = scheduledRules();
  for (let day = 0; day < DAYS * months; day++) {
    if (day === DAYS) firstMonth = store.recorded;
    clinic.startDay(day);
    store.setItems(clinic.rows(day));
    for (const hour of RUNS[frequency]) {
      clock = new Date(START.getTime() + day * DAY_MS + hour * HOUR_MS);
      store.now = clock;
      for (const entry of simulated) {
        const configRuleName = `ccm-${entry.id}`;
        const event = {
          ...sampleEvent('configdg-ScheduledNotification.json', { ruleId: entry.id }),
          accountId: ACCOUNT,
          configRuleName,
          resultToken: store.tokenFor(configRuleName),
          invokingEvent: JSON.stringify({
            awsAccountId: ACCOUNT,
            notificationCreationTime: clock.toISOString(),
            messageType: 'ScheduledNotification',
            recordVersion: '1.0',
          }),
        };
        statement = new Map();
        const result = entry.kind === 'inventory' ? await periodic(event) : await change(event);
        if (!mode.readFails || day >= DAYS) continue;
        const last = previous.get(configRuleName);
        let retired = 0;
        if (last === undefined) {
          for (const compliance of statement.values()) if (applicable(compliance)) firstRun++;
        } else {
          for (const [resource, compliance] of statement) {
            const was = last.get(resource);
            if (was !== compliance && (applicable(was) || applicable(compliance))) lowerBound++;
          }
          for (const [resource, was] of last) if (!statement.has(resource) && applicable(was)) retired++;
        }
        lowerBound += retired;
        before += result.evaluations + retired;
        previous.set(configRuleName, statement);
      }
    }
  }
  for (const mock of [config, iam, backup, ec2, ssm, cloudtrail, guardduty]) mock.restore();
  if (mode.readFails) return { recorded: store.recorded, firstRun, lowerBound: firstRun + lowerBound, before };
  return months === 1 ? { recorded: store.recorded } : { recorded: firstMonth, recordedSecondMonth: store.recorded - firstMonth };
}

export async function benchCost(): Promise<string[]> {
  const { simulated, skipped } = scheduledRules();
  const lines = [
    `Config rule evaluations of the scheduled rules in ${DAYS} days (${simulated.length} rules: ${simulated.map((e) => e.id).join(', ')})`,
    ...(skipped.length > 0 ? [`  not simulated (inputs the simulated clinic lacks): ${skipped.map((e) => e.id).join(', ')}`] : []),
  ];
  const modes: Mode[] = [
    { name: `now, re-stating after ${DEFAULT_RESTATE_DAYS} days (default)`, readFails: false, restateDays: DEFAULT_RESTATE_DAYS },
    { name: 'now, re-stating after 7 days', readFails: false, restateDays: 7 },
    { name: 'now, never re-stating', readFails: false, restateDays: 0 },
  ];
  for (const blocks of [1, 10]) {
    for (const frequency of ['TwentyFour_Hours', 'Twelve_Hours'] as const) {
      const started = performance.now();
      const baseline = await simulate(blocks, frequency, { name: 'before', readFails: true });
      const bound = baseline.lowerBound ?? NaN;
      const row = (name: string, evaluations: number, target = '') =>
        `    ${name.padEnd(44)} ${fmt(evaluations).padStart(7)}  ${fmt(evaluations / bound, 2).padStart(6)}×  $${fmt(monthlyCost(evaluations), 2).padStart(6)}${target}`;
      const changes = bound - (baseline.firstRun ?? 0);
      const perDay = changes / (DAYS - 1) / (blocks * VERDICTS_PER_BLOCK);
      const out = [row('lower bound (first run + changes)', bound), row('before: every verdict on every run', baseline.before ?? NaN)];
      for (const mode of modes) {
        const outcome = await simulate(blocks, frequency, mode, mode.readFails === false && mode.restateDays === DEFAULT_RESTATE_DAYS ? 2 : 1);
        out.push(row(mode.name, outcome.recorded, mode.readFails === false && mode.restateDays !== 7 ? '   target ≤ 1.10×' : ''));
        if (outcome.recordedSecondMonth !== undefined)
          out.push(
            `    ${'  the month after (its one re-statement)'.padEnd(44)} ${fmt(outcome.recordedSecondMonth).padStart(7)}           $${fmt(monthlyCost(outcome.recordedSecondMonth), 2).padStart(6)}`,
          );
      }
      lines.push(
        `  ${fmt(blocks * 150)} resources, ${frequency}: ${fmt(baseline.firstRun ?? NaN)} COMPLIANT or NON_COMPLIANT verdicts on the first run, then ${fmt(changes)} changes (${fmt(perDay * 100, 1)}% of verdicts a day); ${fmt((performance.now() - started) / 1000, 1)} s to simulate`,
        ...out,
      );
    }
  }
  return lines;
}
