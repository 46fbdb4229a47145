/**
 * Is AWS Config recording and delivering in one account and Region? Every rule of the monitor depends
 * on it: a stopped or deleted recorder, or one whose deliveries fail, leaves every rule silent and its
 * last results green. Read with DescribeConfigurationRecorderStatus and DescribeDeliveryChannelStatus;
 * judged here without I/O.
 */
import {
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelStatusCommand,
  type ConfigExportDeliveryInfo,
  type ConfigServiceClient,
  type ConfigurationRecorderStatus,
  type DeliveryChannelStatus,
} from '@aws-sdk/client-config-service';

export interface RecorderState {
  readonly recorders: readonly ConfigurationRecorderStatus[];
  readonly channels: readonly DeliveryChannelStatus[];
}

export type ProblemKind = 'no-recorder' | 'stopped' | 'recording-unknown' | 'recording-failed' | 'no-delivery-channel' | 'delivery-failed' | 'delivery-overdue';

export interface RecorderProblem {
  readonly kind: ProblemKind;
  /** One sentence on-call reads: what is wrong, since when, with AWS's error. */
  readonly detail: string;
  /** What to do. */
  readonly fix: string;
}

/**
 * A periodic snapshot delivery later than this past its nextDeliveryTime is overdue. Snapshots come at
 * most every 24 hours (the channel's deliveryFrequency), so a few hours late is no longer a delay.
 */
export const SNAPSHOT_GRACE_MS = 6 * 3_600_000;

/** Without recorder names, AWS Config answers for the account's customer managed recorder only. */
export async function readRecorderState(client: ConfigServiceClient): Promise<RecorderState> {
  const [recorders, channels] = await Promise.all([readRecorders(client), client.send(new DescribeDeliveryChannelStatusCommand({}))]);
  return { recorders, channels: channels.DeliveryChannelsStatus ?? [] };
}

/** AWS documents Success/Failure/Pending; real responses spell them SUCCESS, FAILURE. */
const is = (status: string | undefined, value: string): boolean => status?.toLowerCase() === value.toLowerCase();

const at = (time: Date | undefined): string => (time === undefined ? '' : ` since ${time.toISOString()}`);

function awsError(code: string | undefined, message: string | undefined): string {
  return [code, message].filter((part) => part !== undefined && part !== '').join(': ') || 'no error code given';
}

/** Recording, without delivery: whether the recorder keeps the inventory current. */
export async function readRecorders(client: ConfigServiceClient): Promise<ConfigurationRecorderStatus[]> {
  return (await client.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ?? [];
}

/** Problems of the configuration recorder alone: none, stopped, unknown or failing. */
export function recordingProblems(recorders: readonly ConfigurationRecorderStatus[], region: string): RecorderProblem[] {
  const problems: RecorderProblem[] = [];
  // A service-linked recorder records for another service only; ours is the customer managed one.
  const recorder = recorders.find((r) => r.servicePrincipal === undefined || r.servicePrincipal === '');
  if (recorder === undefined) {
    problems.push({
      kind: 'no-recorder',
      detail: `AWS Config has no configuration recorder in ${region}: it was deleted or never set up, so nothing is recorded and no rule is evaluated`,
      fix: `Set up AWS Config in ${region} (console → AWS Config → Get started, recording all resource types), or aws configservice put-configuration-recorder and start-configuration-recorder.`,
    });
  } else {
    const name = recorder.name ?? 'default';
    if (recorder.recording === false) {
      problems.push({
        kind: 'stopped',
        detail: `the configuration recorder ${name} is stopped${at(recorder.lastStopTime)}: no change is recorded and no rule is evaluated`,
        fix: `aws configservice start-configuration-recorder --configuration-recorder-name ${name} --region ${region}`,
      });
    } else if (recorder.recording !== true) {
      problems.push({
        kind: 'recording-unknown',
        detail: `AWS Config did not say whether the configuration recorder ${name} is recording`,
        fix: `aws configservice describe-configuration-recorder-status --region ${region}, and start the recorder if it is stopped.`,
      });
    }
    // lastErrorCode can be set next to a SUCCESS status (AWS Config developer guide's example): only a failure counts.
    if (is(recorder.lastStatus, 'Failure')) {
      problems.push({
        kind: 'recording-failed',
        detail: `the configuration recorder ${name} failed its last recording${at(recorder.lastStatusChangeTime)} (${awsError(recorder.lastErrorCode, recorder.lastErrorMessage)})`,
        fix: "Check the recorder's IAM role (it must be assumable by config.amazonaws.com and allow the AWS_ConfigRole managed policy's reads).",
      });
    }
  }
  return problems;
}

export function recorderProblems(state: RecorderState, region: string, now: Date): RecorderProblem[] {
  const problems = recordingProblems(state.recorders, region);
  const channel = state.channels[0];
  if (channel === undefined) {
    problems.push({
      kind: 'no-delivery-channel',
      detail: `AWS Config has no delivery channel in ${region}: the recorder cannot record without one`,
      fix: `aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=<your Config bucket> --region ${region}`,
    });
    return problems;
  }
  const deliveries: [string, ConfigExportDeliveryInfo | undefined][] = [
    ['configuration history', channel.configHistoryDeliveryInfo],
    ['configuration snapshot', channel.configSnapshotDeliveryInfo],
  ];
  const bucketFix = "Check the delivery channel's S3 bucket policy (and its KMS key, if any) against what AWS Config needs to write there.";
  for (const [what, info] of deliveries) {
    if (info === undefined) continue;
    if (is(info.lastStatus, 'Failure')) {
      const lastSuccess = info.lastSuccessfulTime === undefined ? 'never delivered' : `last delivered ${info.lastSuccessfulTime.toISOString()}`;
      problems.push({
        kind: 'delivery-failed',
        detail: `the delivery of ${what} to S3 fails (${awsError(info.lastErrorCode, info.lastErrorMessage)}; ${lastSuccess})`,
        fix: bucketFix,
      });
      continue;
    }
    const due = info.nextDeliveryTime;
    if (due !== undefined && now.getTime() - due.getTime() > SNAPSHOT_GRACE_MS) {
      const late = Math.floor((now.getTime() - due.getTime()) / 3_600_000);
      problems.push({
        kind: 'delivery-overdue',
        detail: `the ${what} delivery due ${due.toISOString()} is ${late} hours late${info.lastSuccessfulTime === undefined ? '' : ` (last delivered ${info.lastSuccessfulTime.toISOString()})`}`,
        fix: bucketFix,
      });
    }
  }
  return problems;
}
