import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  OperationNotPermittedException,
  ThrottlingException,
  TrailNotFoundException,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudTrailAdapter } from '../../../functions/cloudtrail/adapter.js';
import { PERIODIC_EVALUATOR_CALLS } from '../../../functions/evaluator/permissions.js';
import { expectDeclaredCalls, recordSentCommands } from '../../helpers/declared-calls.js';
import { apiSample } from '../../helpers/samples.js';

const cloudtrail = mockClient(CloudTrailClient);
const sentCommands = recordSentCommands(cloudtrail);
afterAll(() => expectDeclaredCalls(sentCommands, PERIODIC_EVALUATOR_CALLS));
const ORG = apiSample('cloudtrail/DescribeTrails.custodian-test_s3_data_events.json').trailList as Trail[];
const LOGGING = apiSample('cloudtrail/GetTrailStatus.custodian-test_cloudtrail_status_2.logging.json');
/** Custodian's recording, less placebo's wrapper and its datetime encoding (the SDK hands Date objects). */
const STATUS = {
  IsLogging: LOGGING.IsLogging as boolean,
  TimeLoggingStarted: LOGGING.TimeLoggingStarted as string,
  LatestDeliveryAttemptTime: LOGGING.LatestDeliveryAttemptTime as string,
};

const adapter = () => new CloudTrailAdapter(new CloudTrailClient({}));

beforeEach(() => cloudtrail.reset());

describe('CloudTrailAdapter', () => {
  test('one DescribeTrails with shadow trails, then GetTrailStatus for each trail by its ARN', async () => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: ORG });
    cloudtrail.on(GetTrailStatusCommand).resolves({ ...STATUS, $metadata: { httpStatusCode: 200 } });
    const readings = await adapter().trails();
    expect(cloudtrail.commandCalls(DescribeTrailsCommand).map((call) => call.args[0].input)).toEqual([{ includeShadowTrails: true }]);
    // The organization trail's ARN names the management account: a member finds it by ARN only.
    expect(cloudtrail.commandCalls(GetTrailStatusCommand).map((call) => call.args[0].input.Name)).toEqual([
      'arn:aws:cloudtrail:us-east-1:644160558196:trail/aws-controltower-BaselineCloudTrail',
      'arn:aws:cloudtrail:us-east-1:644160558196:trail/data-events',
      'arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail',
    ]);
    expect(readings).toHaveLength(3);
    expect(readings[2]).toEqual({ trail: ORG[2], status: STATUS });
  });

  test('no trail: no status calls', async () => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    await expect(adapter().trails()).resolves.toEqual([]);
    expect(cloudtrail.commandCalls(GetTrailStatusCommand)).toHaveLength(0);
  });

  test('a trail deleted between the calls (TrailNotFoundException) is left out', async () => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: ORG.slice(0, 2) });
    cloudtrail
      .on(GetTrailStatusCommand)
      .resolvesOnce(STATUS)
      .rejectsOnce(new TrailNotFoundException({ message: 'Unknown trail', $metadata: {} }));
    expect((await adapter().trails()).map((r) => (r.trail as Trail).Name)).toEqual(['aws-controltower-BaselineCloudTrail']);
  });

  test('CloudTrail refusing one trail is recorded on that trail; the others are still read', async () => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: ORG.slice(0, 2) });
    cloudtrail
      .on(GetTrailStatusCommand)
      .rejectsOnce(new OperationNotPermittedException({ message: 'not permitted here', $metadata: {} }))
      .resolvesOnce(STATUS);
    const readings = await adapter().trails();
    expect(readings).toEqual([
      { trail: ORG[0], statusError: 'OperationNotPermittedException: not permitted here' },
      { trail: ORG[1], status: STATUS },
    ]);
  });

  test.each([
    [
      'access denied (a missing permission: the member-role alarm reports it)',
      Object.assign(new Error('not authorized to perform: cloudtrail:GetTrailStatus'), { name: 'AccessDeniedException', $fault: 'client' }),
    ],
    ['throttling that outlived the retries', new ThrottlingException({ message: 'Rate exceeded', $metadata: {} })],
    ['a server error', Object.assign(new Error('internal'), { name: 'InternalFailure', $fault: 'server' })],
  ])('%s fails the read', async (_name, error) => {
    cloudtrail.on(DescribeTrailsCommand).resolves({ trailList: ORG.slice(0, 1) });
    cloudtrail.on(GetTrailStatusCommand).rejects(error);
    await expect(adapter().trails()).rejects.toBe(error);
  });
});
