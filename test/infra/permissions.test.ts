/**
 * Permissions proven by IAM policy simulation (@cloud-copilot/iam-simulate) on the synthesized
 * templates, single-account and org-wide, as deployed into concrete accounts:
 * - every AWS call each function's code can make (its declared list, functions/<fn>/permissions.ts) is
 *   allowed by its role and the resource policies involved (topic, queue, key, member role trust), and
 *   every action its role holds is used by one of them;
 * - every AWS service delivers where the monitor needs it to (EventBridge, CloudWatch, CloudWatch Logs,
 *   Config, schedules), and the requests that must fail are denied.
 */
import { readFileSync } from 'node:fs';
import { routeRule } from '../../infra/routing.js';
import type { MonitorSettings } from '../../infra/settings.js';
import { DeployedTemplate, type CfnTemplate } from './iam/cfn.js';
import { applies, CallPlanner, DECLARATIONS, declarationOf, importGraph, type PlannedCheck, type Variant } from './iam/calls.js';
import { decide, type Decision, type SimulatedRequest } from './iam/simulate.js';
import { CENTRAL_ACCOUNT, MEMBER_ACCOUNT, OUTSIDE_ACCOUNT, synthesize, type SynthesizedStack } from './iam/synth.js';
import { allowedActions, World, type DeployedFunction } from './iam/world.js';
import { ORG, settingsFrom, TEST_SETTINGS } from './helpers.js';

interface Setup {
  readonly name: string;
  readonly settings: MonitorSettings;
  readonly stacks: readonly SynthesizedStack[];
  readonly world: World;
  /** Per central stack: what it deploys and where. */
  readonly variants: ReadonlyMap<SynthesizedStack, Variant>;
  readonly member?: DeployedTemplate;
}

function rulesIn(settings: MonitorSettings, region: string) {
  const home = settings.organization?.homeRegion ?? settings.homeRegion ?? region;
  return settings.rules.map((rule) => rule.entry).filter((entry) => !(routeRule(entry).global && home !== region));
}

function singleAccount(): Setup {
  const settings = settingsFrom(TEST_SETTINGS);
  const stacks = synthesize(settings);
  const world = new World(stacks.map((s) => s.deployed));
  return {
    name: 'single-account',
    settings,
    stacks,
    world,
    variants: new Map(stacks.map((s) => [s, { orgWide: false, rules: rulesIn(settings, s.deployed.env.region) }])),
  };
}

function orgWide(): Setup {
  const settings = settingsFrom({ alarms: [{ protocol: 'email', endpoint: 'it@clinic.internal' }], organization: ORG });
  const stacks = synthesize(settings);
  const home = stacks.find((s) => s.stack.region === settings.organization?.homeRegion);
  const [stackSetId] = home?.deployed.ofType('AWS::CloudFormation::StackSet')[0] ?? [];
  if (home === undefined || stackSetId === undefined) throw new Error('no member StackSet in the home Region');
  const body = JSON.parse(home.deployed.text(home.template.Resources[stackSetId]?.Properties?.TemplateBody)) as CfnTemplate;
  const member = new DeployedTemplate(body, {
    account: MEMBER_ACCOUNT,
    region: home.stack.region,
    partition: 'aws',
    stackName: 'StackSet-ClinicComplianceMonitor-members',
  });
  const world = new World([...stacks.map((s) => s.deployed), member]);
  const organizationId = ORG.organizationId;
  return {
    name: 'org-wide',
    settings,
    stacks,
    world,
    member,
    variants: new Map(
      stacks.map((s) => [s, { orgWide: true, rules: rulesIn(settings, s.stack.region), organizationId, memberAccount: MEMBER_ACCOUNT, member }]),
    ),
  };
}

const SETUPS = [singleAccount(), orgWide()];

async function failures(checks: readonly PlannedCheck[], expected: Decision | 'denied'): Promise<string[]> {
  const out: string[] = [];
  for (const check of checks) {
    const decision = await decide(check.request);
    const ok = expected === 'denied' ? decision !== 'Allowed' : decision === expected;
    if (!ok) out.push(`${check.what}: ${decision}`);
  }
  return out;
}

const service = (principal: string, action: string, resource: string, world: World, context: Record<string, string>): SimulatedRequest => ({
  principal,
  action,
  resource,
  resourceAccount: resource.split(':')[4] ?? CENTRAL_ACCOUNT,
  resourcePolicy: world.resourcePolicy(resource),
  context,
});

describe.each(SETUPS.map((setup) => [setup.name, setup] as const))(
  '%s: every declared call of every function is allowed, and nothing more is granted',
  (_, setup) => {
    const functions = setup.stacks.flatMap((s) => setup.world.functions(s.deployed).map((fn) => ({ fn, variant: setup.variants.get(s) as Variant })));

    it('covers every function of every stack with a declared list', () => {
      expect(functions.length).toBe(setup.stacks.length * DECLARATIONS.length);
      for (const { fn } of functions) expect(declarationOf(fn).calls.length).toBeGreaterThan(0);
    });

    it.each(DECLARATIONS.map((d) => [d.prefix, d] as const))(
      '%s: each applicable call is allowed (its role, the resource policy, org-wide the member role)',
      async (prefix) => {
        const mine = functions.filter(({ fn }) => fn.logicalId.startsWith(prefix));
        const checks = mine.flatMap(({ fn, variant }) => {
          const declaration = declarationOf(fn);
          const planner = new CallPlanner(setup.world, variant);
          return [
            ...declaration.calls.filter((call) => applies(call, declaration, variant)).flatMap((call) => planner.requests(fn, call)),
            ...planner.platformRequests(fn),
          ];
        });
        expect(checks.length).toBeGreaterThan(0);
        expect(await failures(checks, 'Allowed')).toEqual([]);
      },
    );

    it.each(DECLARATIONS.map((d) => [d.prefix, d] as const))('%s: the role holds no action that none of its calls (or Lambda for it) uses', (prefix) => {
      for (const { fn, variant } of functions.filter(({ fn: f }) => f.logicalId.startsWith(prefix))) {
        const declaration = declarationOf(fn);
        const used = new Set([
          ...declaration.calls.filter((call) => applies(call, declaration, variant)).map((call) => call.action),
          ...new CallPlanner(setup.world, variant).platformRequests(fn).map((check) => check.request.action),
          // Publishing to an encrypted topic uses the topic's key.
          ...(declaration.calls.some((call) => call.action === 'sns:Publish' && applies(call, declaration, variant))
            ? ['kms:GenerateDataKey', 'kms:Decrypt']
            : []),
        ]);
        expect([fn.logicalId, [...allowedActions(fn.policies)].filter((action) => !used.has(action)).sort()]).toEqual([fn.logicalId, []]);
      }
    });

    if (setup.member !== undefined) {
      const member = setup.member;
      it('the member role holds no action that no central function calls through it', () => {
        const used = new Set(
          functions.flatMap(({ fn, variant }) => {
            const declaration = declarationOf(fn);
            return declaration.calls.filter((call) => call.account === 'monitored' && applies(call, declaration, variant)).map((call) => call.action);
          }),
        );
        const granted = allowedActions(setup.world.rolePolicies(member, 'MemberRole'));
        expect([...granted].filter((action) => !used.has(action)).sort()).toEqual([]);
        expect(granted.size).toBeGreaterThan(5);
      });
    }
  },
);

/** API operations authorized as another action (the services' API references: SNS PublishBatch, S3 ListObjectsV2). */
const OTHER_ACTION: Readonly<Record<string, string>> = { PublishBatchCommand: 'sns:Publish', ListObjectsV2Command: 's3:ListBucket' };

describe('the declared calls match the code', () => {
  it.each(DECLARATIONS.map((d) => [d.prefix, d] as const))(
    '%s: every declared command is sent somewhere in the code the function bundles',
    (_, declaration) => {
      const source = importGraph(declaration.entry)
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n');
      for (const call of declaration.calls) {
        const name = call.command.replace(/Command$/, '');
        expect([call.command, source.includes(call.command) || source.includes(`paginate${name}(`)]).toEqual([call.command, true]);
        // The IAM action is the API operation's name, but for the operations IAM authorizes under another action.
        expect([call.command, call.action.split(':')[1] === name || OTHER_ACTION[call.command] === call.action]).toEqual([call.command, true]);
      }
    },
  );
});

describe.each(SETUPS.map((setup) => [setup.name, setup] as const))('%s: AWS services deliver, and nobody else gets in', (_, setup) => {
  const { world } = setup;
  const ref = (stack: SynthesizedStack, construct: { node: { defaultChild?: unknown } }) => stack.stack.getLogicalId(construct.node.defaultChild as never);

  it.each(setup.stacks.map((s) => [s.stack.stackName, s] as const))(
    '%s: CloudWatch publishes every health alarm to the alarm topic, and its key lets it encrypt',
    async (__, s) => {
      const { deployed } = s;
      const alarmTopic = deployed.text({ Ref: ref(s, s.stack.alarmTopic) });
      const alarms = deployed.ofType('AWS::CloudWatch::Alarm').map(([id]) => deployed.text({ 'Fn::GetAtt': [id, 'Arn'] }));
      expect(alarms.length).toBeGreaterThan(15);
      const key = world.keyOf(alarmTopic);
      if (key === undefined) throw new Error('the alarm topic is not encrypted');
      const checks = alarms.flatMap((alarm) => {
        const context = { 'aws:SourceAccount': CENTRAL_ACCOUNT, 'aws:SourceArn': alarm };
        return [
          { what: `publish ${alarm}`, request: service('cloudwatch.amazonaws.com', 'sns:Publish', alarmTopic, world, context) },
          ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({
            what: `${action} for ${alarm}`,
            request: service('cloudwatch.amazonaws.com', action, key, world, { ...context, 'kms:ViaService': `sns.${deployed.env.region}.amazonaws.com` }),
          })),
        ];
      });
      expect(await failures(checks, 'Allowed')).toEqual([]);
      // Another account's alarm, and this account's alarms of anything else, are refused.
      const outside = {
        'aws:SourceAccount': OUTSIDE_ACCOUNT,
        'aws:SourceArn': `arn:aws:cloudwatch:${deployed.env.region}:${OUTSIDE_ACCOUNT}:alarm:${s.stack.stackName}-notifier-errors`,
      };
      const otherAlarm = {
        'aws:SourceAccount': CENTRAL_ACCOUNT,
        'aws:SourceArn': `arn:aws:cloudwatch:${deployed.env.region}:${CENTRAL_ACCOUNT}:alarm:billing-alarm`,
      };
      expect(
        await failures(
          [outside, otherAlarm].map((context) => ({
            what: context['aws:SourceArn'],
            request: service('cloudwatch.amazonaws.com', 'sns:Publish', alarmTopic, world, context),
          })),
          'denied',
        ),
      ).toEqual([]);
    },
  );

  it.each(setup.stacks.map((s) => [s.stack.stackName, s] as const))(
    '%s: EventBridge puts compliance changes on the notifier queue and its DLQ, for our rule only',
    async (__, s) => {
      const { deployed } = s;
      const rule = deployed.text({ 'Fn::GetAtt': [ref(s, s.stack.notifications.complianceChangeRule), 'Arn'] });
      const queues = [s.stack.notifications.queue, s.stack.notifications.deadLetterQueue].map((q) => deployed.text({ 'Fn::GetAtt': [ref(s, q), 'Arn'] }));
      const key = world.keyOf(queues[0] ?? '') ?? '';
      const ours = { 'aws:SourceArn': rule, 'aws:SourceAccount': CENTRAL_ACCOUNT, 'kms:ViaService': `sqs.${deployed.env.region}.amazonaws.com` };
      const other = { ...ours, 'aws:SourceArn': rule.replace(/rule\/.*$/, 'rule/someone-elses-rule') };
      const requests = (context: Record<string, string>) => [
        ...queues.map((queue) => ({
          what: `SendMessage ${queue} from ${context['aws:SourceArn']}`,
          request: service('events.amazonaws.com', 'sqs:SendMessage', queue, world, context),
        })),
        ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({
          what: `${action} from ${context['aws:SourceArn']}`,
          request: service('events.amazonaws.com', action, key, world, context),
        })),
      ];
      expect(await failures(requests(ours), 'Allowed')).toEqual([]);
      expect(await failures(requests(other), 'denied')).toEqual([]);
    },
  );

  it.each(setup.stacks.map((s) => [s.stack.stackName, s] as const))(
    "%s: CloudWatch Logs encrypts the functions' log groups with the key, no other account's",
    async (__, s) => {
      const { deployed } = s;
      const key = deployed.text({ 'Fn::GetAtt': [ref(s, s.stack.key), 'Arn'] });
      const principal = `logs.${deployed.env.region}.amazonaws.com`;
      const groups = world.functions(deployed).map((fn) => fn.logGroupArn.replace(/:\*$/, ''));
      // CloudWatch Logs names the log group in the encryption context (CloudWatch Logs user guide, "Encrypt log data with AWS KMS").
      const renameKeys = { 'kms:EncryptionContext:aws:logs:arn': 'aws:SourceArn' };
      const checks = (group: string) =>
        ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'].map((action) => ({
          what: `${action} for ${group}`,
          request: { ...service(principal, action, key, world, { 'kms:EncryptionContext:aws:logs:arn': group }), renameKeys },
        }));
      expect(await failures(groups.flatMap(checks), 'Allowed')).toEqual([]);
      expect(await failures(checks(`arn:aws:logs:${deployed.env.region}:${OUTSIDE_ACCOUNT}:log-group:stolen`), 'denied')).toEqual([]);
    },
  );

  it.each(setup.stacks.map((s) => [s.stack.stackName, s] as const))(
    "%s: S3 delivers the evidence bucket's access logs to the log bucket, and nobody else writes there",
    async (__, s) => {
      const { deployed } = s;
      const evidence = deployed.text({ 'Fn::GetAtt': [ref(s, s.stack.evidence.bucket), 'Arn'] });
      const logs = deployed.text({ 'Fn::GetAtt': [ref(s, s.stack.evidence.accessLogsBucket), 'Arn'] });
      const deliver = (sourceArn: string, account: string) => ({
        what: `logging.s3 PutObject for ${sourceArn}`,
        request: service('logging.s3.amazonaws.com', 's3:PutObject', `${logs}/evidence-bucket/2026-11-28-12-00-00-0123456789ABCDEF`, world, {
          'aws:SourceArn': sourceArn,
          'aws:SourceAccount': account,
        }),
      });
      expect(await failures([deliver(evidence, CENTRAL_ACCOUNT)], 'Allowed')).toEqual([]);
      expect(await failures([deliver('arn:aws:s3:::someone-elses-bucket', OUTSIDE_ACCOUNT), deliver(evidence, OUTSIDE_ACCOUNT)], 'denied')).toEqual([]);
      // The functions' S3 permissions stop at their prefixes: no listing beyond transitions/, no reading or rewriting of other evidence.
      const fnOf = (prefix: string) => world.functions(deployed).find((fn) => fn.logicalId.startsWith(prefix));
      const report = fnOf('MonthlyReport');
      const notifier = fnOf('Notifier');
      if (report === undefined || notifier === undefined) throw new Error('missing function');
      const asRole = (fn: DeployedFunction, action: string, resource: string, context: Record<string, string> = {}) => ({
        what: `${fn.logicalId} ${action} on ${resource} ${JSON.stringify(context)}`,
        request: {
          principal: `${fn.roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/session`,
          action,
          resource,
          resourceAccount: CENTRAL_ACCOUNT,
          identityPolicies: fn.policies,
          resourcePolicy: world.resourcePolicy(resource),
          context: { 'aws:PrincipalArn': fn.roleArn, 'aws:PrincipalAccount': CENTRAL_ACCOUNT, ...context },
        },
      });
      expect(
        await failures(
          [
            asRole(report, 's3:ListBucket', evidence, { 's3:prefix': 'reports/' }),
            asRole(report, 's3:PutObject', `${evidence}/transitions/year=2026/month=10/day=01/forged.jsonl`),
            asRole(report, 's3:DeleteObject', `${evidence}/reports/2026-10/ccm-evidence-2026-10-${deployed.env.region}.html`),
            asRole(notifier, 's3:GetObject', `${evidence}/transitions/year=2026/month=10/day=01/a.jsonl`),
            asRole(notifier, 's3:PutObject', `${evidence}/reports/2026-10/forged.html`),
            asRole(notifier, 's3:BypassGovernanceRetention', `${evidence}/transitions/year=2026/month=10/day=01/a.jsonl`),
          ],
          'denied',
        ),
      ).toEqual([]);
    },
  );

  it.each(setup.stacks.map((s) => [s.stack.stackName, s] as const))(
    '%s: the schedules start the refresher, the recorder health check and the monthly report, nothing else does',
    async (__, s) => {
      const { deployed } = s;
      const pairs = [
        [s.stack.refresher.fn.function, s.stack.refresher.schedule],
        [s.stack.recorderHealth.fn.function, s.stack.recorderHealth.schedule],
        [s.stack.monthlyReport.fn.function, s.stack.monthlyReport.schedule],
      ] as const;
      const invoke = (fn: (typeof pairs)[number][0], sourceArn: string) => {
        const arn = deployed.text({ 'Fn::GetAtt': [ref(s, fn), 'Arn'] });
        return {
          what: `invoke ${arn} from ${sourceArn}`,
          request: service('events.amazonaws.com', 'lambda:InvokeFunction', arn, world, { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': CENTRAL_ACCOUNT }),
        };
      };
      const ruleArn = (rule: (typeof pairs)[number][1]) => deployed.text({ 'Fn::GetAtt': [ref(s, rule), 'Arn'] });
      expect(
        await failures(
          pairs.map(([fn, rule]) => invoke(fn, ruleArn(rule))),
          'Allowed',
        ),
      ).toEqual([]);
      expect(
        await failures(
          pairs.map(([fn]) => invoke(fn, `arn:aws:events:${deployed.env.region}:${CENTRAL_ACCOUNT}:rule/someone-elses-rule`)),
          'denied',
        ),
      ).toEqual([]);
    },
  );

  it.each(setup.stacks.map((s) => [s.stack.stackName, s] as const))(
    '%s: Config invokes the evaluators; the Lambda service assumes each function role',
    async (__, s) => {
      const { deployed } = s;
      const evaluators = Object.values(s.stack.configRules.evaluators).map((fn) => deployed.text({ 'Fn::GetAtt': [ref(s, fn.function), 'Arn'] }));
      expect(evaluators).toHaveLength(2);
      const invoke = (arn: string, account: string) => ({
        what: `Config of ${account} invokes ${arn}`,
        request: service('config.amazonaws.com', 'lambda:InvokeFunction', arn, world, { 'aws:SourceAccount': account }),
      });
      expect(
        await failures(
          evaluators.map((arn) => invoke(arn, CENTRAL_ACCOUNT)),
          'Allowed',
        ),
      ).toEqual([]);
      if (setup.member === undefined) {
        // Single-account: aws:SourceAccount keeps every other account's Config rules out.
        expect(
          await failures(
            evaluators.map((arn) => invoke(arn, OUTSIDE_ACCOUNT)),
            'denied',
          ),
        ).toEqual([]);
      } else {
        // Org-wide: each member's Config invokes the central evaluators; Lambda has no organization condition for
        // service principals (README "Org-wide deployment"); the member role bounds what such an event can do.
        expect(
          await failures(
            evaluators.map((arn) => invoke(arn, MEMBER_ACCOUNT)),
            'Allowed',
          ),
        ).toEqual([]);
      }
      const roles = world.functions(deployed).map((fn: DeployedFunction) => fn.roleArn);
      expect(
        await failures(
          roles.map((role) => ({ what: `lambda assumes ${role}`, request: service('lambda.amazonaws.com', 'sts:AssumeRole', role, world, {}) })),
          'Allowed',
        ),
      ).toEqual([]);
    },
  );

  if (setup.member !== undefined) {
    const member = setup.member;
    const orgId = ORG.organizationId;
    const memberRole = member.text({ 'Fn::GetAtt': ['MemberRole', 'Arn'] });

    it('the member role trusts only the central roles, and only within the organization', async () => {
      const assume = (principalRoleArn: string, principalOrgId: string) => {
        const account = principalRoleArn.split(':')[4] ?? '';
        return {
          what: `${principalRoleArn} (org ${principalOrgId}) assumes ${memberRole}`,
          request: {
            principal: `${principalRoleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/session`,
            action: 'sts:AssumeRole',
            resource: memberRole,
            resourceAccount: MEMBER_ACCOUNT,
            identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }],
            resourcePolicy: world.resourcePolicy(memberRole),
            context: { 'aws:PrincipalArn': principalRoleArn, 'aws:PrincipalAccount': account, 'aws:PrincipalOrgID': principalOrgId },
          },
        };
      };
      const central = setup.stacks.flatMap((s) => world.functions(s.deployed).map((fn) => fn.roleArn));
      expect(central).toHaveLength(DECLARATIONS.length * setup.stacks.length);
      expect(
        await failures(
          central.map((role) => assume(role, orgId)),
          'Allowed',
        ),
      ).toEqual([]);
      const strangers = [
        assume(`arn:aws:iam::${CENTRAL_ACCOUNT}:role/Admin`, orgId),
        assume(`arn:aws:iam::${CENTRAL_ACCOUNT}:role/ccm-notifier-eu-west-1`, orgId),
        assume(`arn:aws:iam::${OUTSIDE_ACCOUNT}:role/ccm-notifier-us-east-1`, 'o-zzzzzzzzzz'),
        assume(central[0] ?? '', 'o-zzzzzzzzzz'),
      ];
      expect(await failures(strangers, 'denied')).toEqual([]);
    });

    it("the central roles may assume the member role only in the organization's accounts", async () => {
      const [s] = setup.stacks;
      const fn = s === undefined ? undefined : world.functions(s.deployed)[0];
      if (fn === undefined) throw new Error('no function');
      const request = (resourceOrgId: string): SimulatedRequest => ({
        principal: `${fn.roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/session`,
        action: 'sts:AssumeRole',
        resource: memberRole,
        resourceAccount: MEMBER_ACCOUNT,
        identityPolicies: fn.policies,
        resourcePolicy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${CENTRAL_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
        },
        context: { 'aws:PrincipalArn': fn.roleArn, 'aws:PrincipalAccount': CENTRAL_ACCOUNT, 'aws:PrincipalOrgID': orgId, 'aws:ResourceOrgID': resourceOrgId },
      });
      expect(await decide(request(orgId))).toBe('Allowed');
      // Even a role outside the organization that trusts the central account is refused by the central policy.
      expect(await decide(request('o-zzzzzzzzzz'))).toBe('ImplicitlyDenied');
    });

    it("members' forwarders put compliance changes on the central buses; accounts outside the organization cannot", async () => {
      const forwarder = member.text({ 'Fn::GetAtt': ['ForwarderRole', 'Arn'] });
      const policies = world.rolePolicies(member, 'ForwarderRole');
      const put = (region: string, principalArn: string, principalOrgId: string, identity = policies) => ({
        what: `${principalArn} PutEvents on the ${region} bus`,
        request: {
          principal: `${principalArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/session`,
          action: 'events:PutEvents',
          resource: `arn:aws:events:${region}:${CENTRAL_ACCOUNT}:event-bus/default`,
          resourceAccount: CENTRAL_ACCOUNT,
          identityPolicies: identity,
          resourcePolicy: world.resourcePolicy(`arn:aws:events:${region}:${CENTRAL_ACCOUNT}:event-bus/default`),
          context: { 'aws:PrincipalArn': principalArn, 'aws:PrincipalAccount': principalArn.split(':')[4] ?? '', 'aws:PrincipalOrgID': principalOrgId },
        },
      });
      // The member template's bus ARN is per Region: the us-east-1 instance's forwarder writes to the us-east-1 bus.
      expect(await failures([put(member.env.region, forwarder, ORG.organizationId)], 'Allowed')).toEqual([]);
      const anything = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] }];
      expect(
        await failures(
          setup.stacks.map((s) => put(s.stack.region, `arn:aws:iam::${OUTSIDE_ACCOUNT}:role/intruder`, 'o-zzzzzzzzzz', anything)),
          'denied',
        ),
      ).toEqual([]);
      // EventBridge may act as the forwarder role for its own account's rule only.
      const assume = (account: string) => ({
        what: `events for ${account} assumes ${forwarder}`,
        request: service('events.amazonaws.com', 'sts:AssumeRole', forwarder, world, { 'aws:SourceAccount': account }),
      });
      expect(await failures([assume(MEMBER_ACCOUNT)], 'Allowed')).toEqual([]);
      expect(await failures([assume(OUTSIDE_ACCOUNT)], 'denied')).toEqual([]);
    });
  }
});
