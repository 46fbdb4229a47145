/**
 * Permissions proven by IAM policy simulation on the synthesized templates, single-account and
 * org-wide, as deployed into concrete accounts: AWS services deliver where the monitor needs them to,
 * and nobody else gets in.
 */
import type { DeployedTemplate } from './iam/cfn.js';
import { decide } from './iam/simulate.js';
import { CENTRAL_ACCOUNT, OUTSIDE_ACCOUNT, synthesize } from './iam/synth.js';
import { World } from './iam/world.js';
import { settingsFrom, TEST_SETTINGS } from './helpers.js';

const single = synthesize(settingsFrom(TEST_SETTINGS));
const singleWorld = new World(single.map((s) => s.deployed));

function alarmArns(deployment: DeployedTemplate): string[] {
  return deployment.ofType('AWS::CloudWatch::Alarm').map(([id]) => deployment.text({ 'Fn::GetAtt': [id, 'Arn'] }));
}

describe.each([['single-account', single, singleWorld] as const])('%s: AWS services deliver', (_, stacks, world) => {
  const [{ stack, deployed }] = stacks as unknown as [(typeof single)[number]];
  const alarmTopic = deployed.text({ Ref: stack.getLogicalId(stack.alarmTopic.node.defaultChild as never) });

  it('CloudWatch publishes every health alarm to the alarm topic, and its key lets it encrypt', async () => {
    const alarms = alarmArns(deployed);
    expect(alarms.length).toBeGreaterThan(10);
    const key = world.keyOf(alarmTopic);
    if (key === undefined) throw new Error('the alarm topic is not encrypted');
    for (const alarm of alarms) {
      const context = { 'aws:SourceAccount': CENTRAL_ACCOUNT, 'aws:SourceArn': alarm };
      const publish = await decide({ principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: alarmTopic, resourceAccount: CENTRAL_ACCOUNT, resourcePolicy: world.resourcePolicy(alarmTopic), context });
      expect([alarm, publish]).toEqual([alarm, 'Allowed']);
    }
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      const context = { 'aws:SourceAccount': CENTRAL_ACCOUNT, 'aws:SourceArn': alarms[0] ?? '', 'kms:ViaService': 'sns.us-east-1.amazonaws.com' };
      expect(await decide({ principal: 'cloudwatch.amazonaws.com', action, resource: key, resourceAccount: CENTRAL_ACCOUNT, resourcePolicy: world.resourcePolicy(key), context })).toBe('Allowed');
    }
  });

  it("refuses other accounts' alarms and this account's alarms of other stacks", async () => {
    const policy = world.resourcePolicy(alarmTopic);
    const outside = { 'aws:SourceAccount': OUTSIDE_ACCOUNT, 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${OUTSIDE_ACCOUNT}:alarm:${stack.stackName}-notifier-errors` };
    const otherStack = { 'aws:SourceAccount': CENTRAL_ACCOUNT, 'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${CENTRAL_ACCOUNT}:alarm:billing-alarm` };
    for (const context of [outside, otherStack]) {
      expect(await decide({ principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: alarmTopic, resourceAccount: CENTRAL_ACCOUNT, resourcePolicy: policy, context })).toBe('ImplicitlyDenied');
    }
  });
});
