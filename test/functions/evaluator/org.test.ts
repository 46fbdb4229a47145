/**
 * The evaluators' org mode as their entries build it from the environment (functions/evaluator/org.ts):
 * nothing without MEMBER_ROLE_NAME; otherwise per-account parameters and a router whose member
 * sessions are named after the evaluator, and whose member clients each get their own settings.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { loadEvaluatorOrg } from '../../../functions/evaluator/org.js';
import type { memberClientSettings } from '../../../functions/org/runtime.js';

const sts = mockClient(STSClient);
const CENTRAL = '111122223333';
const MEMBER = '444455556666';
const ENV = {
  MEMBER_ROLE_NAME: 'ccm-member',
  CENTRAL_ACCOUNT_ID: CENTRAL,
  HEALTH_TOPIC_ARN: `arn:aws:sns:us-east-1:${CENTRAL}:ccm-health`,
  AWS_REGION: 'us-east-1',
};
const logger = new Logger({ logLevel: 'SILENT' });

type Settings = ReturnType<typeof memberClientSettings>;

beforeEach(() => {
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: `ASIA${MEMBER}`, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3_600_000) },
  });
});

describe('an evaluator in org mode', () => {
  test('single-account (no MEMBER_ROLE_NAME): no org mode, nothing built', () => {
    expect(loadEvaluatorOrg('change', { AWS_REGION: 'us-east-1' }, { own: 'own', build: () => 'member', logger })).toBeUndefined();
    expect(loadEvaluatorOrg('change', { ...ENV, MEMBER_ROLE_NAME: '' }, { own: 'own', build: () => 'member', logger })).toBeUndefined();
  });

  test("runs the own account's work with its own adapters, a member's through the member role, each member client on its own settings", async () => {
    const built: Settings[][] = [];
    const org = loadEvaluatorOrg<string>(
      'periodic',
      { ...ENV, ACCOUNT_OVERRIDES: JSON.stringify({ [MEMBER]: { 'backup-plan-frequency-retention': { requiredRetentionDays: 90 } } }) },
      {
        own: 'own',
        build: (settings) => (built.push([settings(), settings()]), 'member'),
        logger,
      },
    );
    expect(org?.overrides).toEqual({ [MEMBER]: { 'backup-plan-frequency-retention': { requiredRetentionDays: 90 } } });
    expect(await org?.router.run(CENTRAL, async (adapters) => adapters)).toBe('own');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(await org?.router.run(MEMBER, async (adapters) => adapters)).toBe('member');
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: `arn:aws:iam::${MEMBER}:role/ccm-member`, RoleSessionName: 'ccm-periodic-evaluator', DurationSeconds: 3600 },
    ]);
    const [first, second] = built[0] ?? [];
    expect(first?.credentials).toMatchObject({ accessKeyId: `ASIA${MEMBER}` });
    // A retry strategy holds a quota: clients must not share one.
    expect(first?.retryStrategy).not.toBe(second?.retryStrategy);
  });

  test('a bad org setting fails at cold start, naming it', () => {
    expect(() => loadEvaluatorOrg('change', { ...ENV, CENTRAL_ACCOUNT_ID: 'central' }, { own: 'own', build: () => 'member', logger })).toThrow(
      'org mode configuration: CENTRAL_ACCOUNT_ID must be a 12-digit account id',
    );
  });
});
