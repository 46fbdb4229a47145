/**
 * The ComplianceMonitor stack, synthesized once for real (esbuild bundling, cdk-nag plugins) and
 * asserted resource by resource. No whole-template snapshots.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CATALOG } from '../../rules/catalog.js';
import { DETAIL_TYPE } from '../../functions/alerts/compliance-change.js';
import { LAMBDA_BUNDLING } from '../../infra/bundling.js';
import { HEARTBEAT_PERIODS } from '../../infra/constructs/health.js';
import { NODE_RUNTIME, type MonitorFunction } from '../../infra/constructs/monitor-function.js';
import { createMonitorApp } from '../../infra/monitor-app.js';
import { routeRule } from '../../infra/routing.js';
import type { MonitorSettings } from '../../infra/settings.js';
import { evaluatorStatements } from '../../infra/evaluator-permissions.js';
import type { ComplianceMonitorStack } from '../../infra/stack.js';
import { capturePrinted, render, resourcesOf, settingsFrom, type Json, type Resource } from './helpers.js';

let template: Template;
let stack: ComplianceMonitorStack;
let settings: MonitorSettings;
let outdir: string;
let synthSeconds: number;
let printed: string[];

const ref = (logicalId: string) => ({ Ref: logicalId });
/** The stack's own account's default Security Hub product, where its findings are imported. */
const OWN_PRODUCT = {
  'Fn::Join': [
    '',
    ['arn:', ref('AWS::Partition'), ':securityhub:', ref('AWS::Region'), ':', ref('AWS::AccountId'), ':product/', ref('AWS::AccountId'), '/default'],
  ],
};
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const logicalId = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as never);

/** The six functions the stack bundles. */
function monitorFunctions(): MonitorFunction[] {
  const { change, periodic } = stack.configRules.evaluators;
  if (change === undefined || periodic === undefined) throw new Error('evaluator missing');
  return [change, periodic, stack.notifications.notifier, stack.refresher.fn, stack.recorderHealth.fn, stack.monthlyReport.fn];
}

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'ccm-cdk-'));
  settings = settingsFrom();
  const started = performance.now();
  const built = capturePrinted(() => {
    const { app, stack } = createMonitorApp({ settings, appProps: { outdir } });
    return { stack, assembly: app.synth() };
  });
  ({ printed } = built);
  stack = built.result.stack;
  const assembly = built.result.assembly;
  synthSeconds = (performance.now() - started) / 1000;
  template = Template.fromJSON(assembly.getStackByName(stack.stackName).template as Json);
}, 120_000);

describe('synthesis', () => {
  it('runs offline, bundling the six functions with esbuild', () => {
    expect(synthSeconds).toBeGreaterThan(0);
    template.resourceCountIs('AWS::Lambda::Function', 6);
  });

  it("prints only the CDK's line for each function it bundles, and no warning", () => {
    const bundled = monitorFunctions().map((fn) => `Bundling asset ${fn.function.node.path}/Code/Stage...\n`);
    expect([...printed].sort()).toEqual(bundled.sort());
  });

  it('passes cdk-nag AwsSolutions and HIPAA Security with no unacknowledged finding', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('Lambda bundles', () => {
  function bundleOf(fn: { node: { defaultChild?: unknown } }): string {
    const props = template.toJSON().Resources[logicalId(fn)].Properties as { Code: { S3Key: string } };
    const dir = join(outdir, `asset.${props.Code.S3Key.replace(/\.zip$/, '')}`);
    expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    return readFileSync(join(dir, 'index.mjs'), 'utf8');
  }

  it('are minified ESM with the createRequire banner, source maps and the SDK bundled in', () => {
    for (const fn of monitorFunctions()) {
      const code = bundleOf(fn.function);
      expect(code.startsWith(LAMBDA_BUNDLING.banner.js)).toBe(true);
      // Minified: a few very long lines (only template literals keep their line breaks).
      expect(code.length / code.split('\n').length).toBeGreaterThan(2000);
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);
    }
    expect(bundleOf(stack.configRules.evaluators.change?.function ?? stack.notifications.notifier.function)).toContain('PutEvaluations');
  });
});

describe('Config rules: one per enabled catalog entry', () => {
  it('creates exactly the enabled rules', () => {
    expect(settings.rules.map((r) => r.entry.id)).toEqual(CATALOG.map((e) => e.id));
    template.resourceCountIs('AWS::Config::ConfigRule', settings.rules.length);
  });

  it.each(CATALOG.map((e) => [e.id] as const))('%s has its scope, triggers, evaluator and input parameters', (id) => {
    const rule = settings.rules.find((r) => r.entry.id === id);
    if (rule === undefined) throw new Error(`${id} not enabled`);
    const route = routeRule(rule.entry);
    const evaluator = route.evaluator === 'change' ? stack.configRules.evaluators.change : stack.configRules.evaluators.periodic;
    if (evaluator === undefined) throw new Error(`no ${route.evaluator} evaluator`);
    const details: Json[] = [];
    if (route.onChange) {
      details.push({ EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' });
      details.push({ EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' });
    }
    if (route.periodic) details.push({ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'TwentyFour_Hours' });
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: `ccm-${id}`,
      InputParameters: Match.objectEquals({ ...rule.inputParameters }),
      Scope: route.scope === undefined ? Match.absent() : Match.objectEquals({ ComplianceResourceTypes: [...rule.entry.resourceTypes] }),
      MaximumExecutionFrequency: route.periodic ? 'TwentyFour_Hours' : Match.absent(),
      Source: { Owner: 'CUSTOM_LAMBDA', SourceIdentifier: arnOf(logicalId(evaluator.function)), SourceDetails: details },
    });
  });

  it('passes the settings parameters as strings with ruleId', () => {
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: 'ccm-s3-bucket-encrypted',
      InputParameters: Match.objectEquals({ ruleId: 's3-bucket-encrypted', requireKms: 'true' }),
    });
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: 'ccm-iam-user-console-mfa',
      InputParameters: Match.objectEquals({ ruleId: 'iam-user-console-mfa', gracePeriodHours: '72' }),
    });
  });

  it('creates each rule after Config may invoke its evaluator (source account only)', () => {
    const permissions = resourcesOf(template, 'AWS::Lambda::Permission').filter(([, p]) => p.Properties?.Principal === 'config.amazonaws.com');
    expect(permissions).toHaveLength(2);
    for (const [, permission] of permissions) {
      expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'config.amazonaws.com', SourceAccount: ref('AWS::AccountId') });
    }
    for (const [, rule] of resourcesOf(template, 'AWS::Config::ConfigRule')) {
      const dependsOn = [rule.DependsOn ?? []].flat();
      expect(dependsOn.some((id) => permissions.some(([permissionId]) => permissionId === id))).toBe(true);
    }
  });
});

describe('functions', () => {
  it('use the newest Node.js runtime aws-cdk-lib offers, on arm64', () => {
    const newest = Runtime.ALL.filter((r) => /^nodejs\d+\.x$/.test(r.name))
      .sort((a, b) => Number.parseInt(a.name.slice(6), 10) - Number.parseInt(b.name.slice(6), 10))
      .at(-1);
    expect(NODE_RUNTIME.name).toBe(newest?.name);
    for (const [, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties).toMatchObject({
        Runtime: NODE_RUNTIME.name,
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(fn.Properties?.Timeout).toEqual(expect.any(Number));
      expect(fn.Properties?.MemorySize).toEqual(expect.any(Number));
      expect(fn.Properties?.ReservedConcurrentExecutions).toBeGreaterThan(0);
    }
  });

  it('give each function its own role, log group and (for asynchronously invoked ones) dead-letter queue', () => {
    const fns = [
      stack.configRules.evaluators.change,
      stack.configRules.evaluators.periodic,
      stack.notifications.notifier,
      stack.refresher.fn,
      stack.recorderHealth.fn,
      stack.monthlyReport.fn,
    ];
    const roles = new Set<string>();
    for (const fn of fns) {
      if (fn === undefined) throw new Error('missing function');
      const props = template.toJSON().Resources[logicalId(fn.function)].Properties as Json;
      roles.add(render(props.Role));
      expect(props.LoggingConfig).toMatchObject({ LogGroup: ref(logicalId(fn.logGroup)) });
    }
    expect(roles.size).toBe(6);
    for (const evaluator of [stack.configRules.evaluators.change, stack.configRules.evaluators.periodic, stack.refresher.fn]) {
      if (evaluator?.deadLetterQueue === undefined) throw new Error('evaluator without DLQ');
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        DeadLetterConfig: { TargetArn: arnOf(logicalId(evaluator.deadLetterQueue)) },
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: ref(logicalId(evaluator.function)),
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
      });
    }
  });

  it('receive the environment the handlers read', () => {
    const env = (fn: { node: { defaultChild?: unknown } }) =>
      (template.toJSON().Resources[logicalId(fn)].Properties as { Environment: { Variables: Json } }).Environment.Variables;
    const common = {
      EXEMPTION_TAG_KEY: 'compliance:exempt',
      PERIODIC_RESTATE_DAYS: '30',
      POWERTOOLS_METRICS_NAMESPACE: 'ClinicComplianceMonitor',
      NODE_OPTIONS: '--enable-source-maps',
    };
    expect(env(stack.configRules.evaluators.change?.function ?? stack)).toEqual({ ...common, POWERTOOLS_SERVICE_NAME: 'change-evaluator' });
    expect(env(stack.configRules.evaluators.periodic?.function ?? stack)).toEqual({
      ...common,
      POWERTOOLS_SERVICE_NAME: 'periodic-evaluator',
      HOME_REGION: ref('AWS::Region'),
    });
    expect(env(stack.notifications.notifier.function)).toEqual({
      ALERT_TOPIC_ARN: ref(logicalId(stack.alertTopic)),
      ALERT_LEDGER_TABLE_ARN: arnOf(logicalId(stack.notifications.alertLedger.table)),
      DIGEST_THRESHOLD: '10',
      CONFIG_RULE_PREFIX: 'ccm-',
      ACCOUNT_NAME: 'Main clinic',
      POWERTOOLS_SERVICE_NAME: 'ccm-notifier',
      NODE_OPTIONS: '--enable-source-maps',
      EVIDENCE_BUCKET: ref(logicalId(stack.evidence.bucket)),
    });
    expect(env(stack.refresher.fn.function)).toEqual({ POWERTOOLS_SERVICE_NAME: 'findings-refresher', NODE_OPTIONS: '--enable-source-maps' });
    expect(env(stack.monthlyReport.fn.function)).toEqual({
      POWERTOOLS_SERVICE_NAME: 'monthly-report',
      EVIDENCE_BUCKET: ref(logicalId(stack.evidence.bucket)),
      ALERT_TOPIC_ARN: ref(logicalId(stack.alertTopic)),
      RULE_IDS: CATALOG.map((e) => e.id).join(','),
      CONFIG_RULE_PREFIX: 'ccm-',
      EXEMPTION_TAG_KEY: 'compliance:exempt',
      ACCOUNT_ID: ref('AWS::AccountId'),
      PROJECT_VERSION: expect.stringMatching(/^\d+\.\d+\.\d+/),
      ACCOUNT_NAME: 'Main clinic',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('run the Config recorder health check every 6 hours, with the health topic and its own namespace', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(6 hours)',
      Targets: [
        Match.objectLike({ Arn: arnOf(logicalId(stack.recorderHealth.fn.function)), RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } }),
      ],
    });
    const env = (template.toJSON().Resources[logicalId(stack.recorderHealth.fn.function)].Properties as { Environment: { Variables: Json } }).Environment
      .Variables;
    expect(env).toEqual({
      POWERTOOLS_SERVICE_NAME: 'recorder-health',
      POWERTOOLS_METRICS_NAMESPACE: 'ClinicComplianceMonitor',
      HEALTH_TOPIC_ARN: ref(logicalId(stack.alarmTopic)),
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('run the findings refresher once a day', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: [
        Match.objectLike({ Arn: arnOf(logicalId(stack.refresher.fn.function)), RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 } }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: arnOf(logicalId(stack.refresher.fn.function)),
      SourceArn: arnOf(logicalId(stack.refresher.schedule)),
    });
  });

  it('feed the notifier from its queue in batches with partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(logicalId(stack.notifications.queue)),
      FunctionName: ref(logicalId(stack.notifications.notifier.function)),
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 20,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('let the notifier consume its queue with the three actions Lambda’s SQS poller uses', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(logicalId(stack.notifications.notifier.role))],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ConsumeNotifierQueue',
            Effect: 'Allow',
            Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
            Resource: arnOf(logicalId(stack.notifications.queue)),
          },
        ]),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/sqs:ChangeMessageVisibility|sqs:GetQueueUrl/);
  });
});

describe('IAM least privilege', () => {
  /**
   * Every resource containing `*`, per function and action, with why. A new wildcard fails the test
   * until it is added here with its reason; a listed one that disappears fails it too.
   */
  const WILDCARDS: { fn: string; actions: string[]; resource: string; why: string }[] = [
    {
      fn: 'ChangeEvaluator',
      actions: ['config:PutEvaluations', 'config:GetResourceConfigHistory'],
      resource: '*',
      why: 'no resource types in the Service Authorization Reference',
    },
    {
      fn: 'PeriodicEvaluator',
      actions: ['config:PutEvaluations', 'config:SelectResourceConfig'],
      resource: '*',
      why: 'no resource types in the Service Authorization Reference',
    },
    {
      fn: 'PeriodicEvaluator',
      actions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
      resource: '*',
      why: 'the credential report is account-level: no resource types',
    },
    { fn: 'PeriodicEvaluator', actions: ['backup:ListBackupPlans'], resource: '*', why: 'a list call without resource types' },
    { fn: 'PeriodicEvaluator', actions: ['ec2:GetEbsEncryptionByDefault'], resource: '*', why: 'an account/Region setting: no resource types' },
    {
      fn: 'PeriodicEvaluator',
      actions: ['ssm:ListResourceComplianceSummaries'],
      resource: '*',
      why: 'a list call without resource types (the patch rule reads the last scan time per managed node)',
    },
    { fn: 'RecorderHealth', actions: ['config:DescribeDeliveryChannelStatus'], resource: '*', why: 'no resource types in the Service Authorization Reference' },
    {
      fn: 'RecorderHealth',
      actions: ['config:DescribeConfigurationRecorderStatus'],
      resource: 'arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:configuration-recorder/*',
      why: "resource type configurationRecorder; the recorder's name and id are the account's own",
    },
    { fn: 'PeriodicEvaluator', actions: ['cloudtrail:DescribeTrails'], resource: '*', why: 'no resource types in the Service Authorization Reference' },
    { fn: 'PeriodicEvaluator', actions: ['guardduty:ListDetectors'], resource: '*', why: 'a list call without resource types' },
    {
      fn: 'PeriodicEvaluator',
      actions: ['cloudtrail:GetTrailStatus'],
      resource: 'arn:<AWS::Partition>:cloudtrail:*:*:trail/*',
      why: 'resource type trail; multi-Region trails are read by their home-Region ARN and the organization trail belongs to the management account',
    },
    {
      fn: 'PeriodicEvaluator',
      actions: ['guardduty:GetDetector'],
      resource: 'arn:<AWS::Partition>:guardduty:<AWS::Region>:<AWS::AccountId>:detector/*',
      why: 'resource type detector; the id comes from ListDetectors, so every detector of this account and Region',
    },
    {
      fn: 'PeriodicEvaluator',
      actions: ['backup:ListBackupSelections', 'backup:GetBackupSelection'],
      resource: 'arn:<AWS::Partition>:backup:<AWS::Region>:<AWS::AccountId>:backup-plan:*',
      why: 'resource type backupPlan; the audited plans are unknown at deploy time, so every plan of this account and Region',
    },
    {
      fn: 'Notifier',
      actions: ['s3:PutObject'],
      resource: '<EvidenceBucket.Arn>/transitions/*',
      why: 'one new object per batch and day, named when the batch arrives',
    },
    {
      fn: 'MonthlyReport',
      actions: ['config:DescribeConfigRules'],
      resource: '*',
      why: 'no resource type in the Service Authorization Reference: the rules are listed to find ours by name',
    },
    {
      fn: 'MonthlyReport',
      actions: ['config:GetComplianceDetailsByConfigRule'],
      resource: 'arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*',
      why: "this account's rules in this Region, read by the names found (organization copies end in a generated id)",
    },
    { fn: 'MonthlyReport', actions: ['s3:GetObject'], resource: '<EvidenceBucket.Arn>/transitions/*', why: 'the month’s transition objects, found by listing' },
    { fn: 'MonthlyReport', actions: ['s3:PutObject'], resource: '<EvidenceBucket.Arn>/reports/*', why: 'one folder per month' },
  ];

  function statements(): { owner: string; actions: string[]; resources: string[]; effect: string }[] {
    const out: { owner: string; actions: string[]; resources: string[]; effect: string }[] = [];
    for (const [id, policy] of resourcesOf(template, 'AWS::IAM::ManagedPolicy')) {
      const doc = (policy.Properties as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown; Effect: string }[] } }).PolicyDocument;
      for (const statement of doc.Statement) {
        const resources = [statement.Resource].flat().map(render);
        out.push({ owner: id, actions: [statement.Action].flat(), resources, effect: statement.Effect });
      }
    }
    return out;
  }

  it('uses customer managed policies only: no inline policies, no AWS managed policies', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    for (const [, role] of resourcesOf(template, 'AWS::IAM::Role')) {
      expect(role.Properties?.Policies).toBeUndefined();
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('grants no wildcard action', () => {
    for (const statement of statements()) for (const action of statement.actions) expect(action).not.toContain('*');
  });

  it('uses a wildcard resource only where listed, with the reason', () => {
    const seen = new Set<number>();
    for (const statement of statements()) {
      // The bucket's logical id carries CDK's hash of its path: compared without it.
      const wild = statement.resources.filter((r) => r.includes('*')).map((r) => r.replace(/^<EvidenceBucket[0-9A-F]{8}\.Arn>/, '<EvidenceBucket.Arn>'));
      for (const resource of wild) {
        for (const action of statement.actions) {
          const index = WILDCARDS.findIndex((w) => statement.owner.startsWith(w.fn) && w.resource === resource && w.actions.includes(action));
          if (index < 0) throw new Error(`unlisted wildcard: ${statement.owner} ${action} on ${resource}`);
          seen.add(index);
        }
      }
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(WILDCARDS.map((_, i) => i));
  });

  it('grants ssm:ListResourceComplianceSummaries to the periodic evaluator only while instance-patch-compliant is enabled', () => {
    const periodic = CATALOG.filter((entry) => routeRule(entry).evaluator === 'periodic');
    const actions = (entries: typeof periodic) =>
      evaluatorStatements('periodic', entries).flatMap((statement) => statement.toStatementJson().Action as string | string[]);
    expect(actions(periodic)).toContain('ssm:ListResourceComplianceSummaries');
    expect(actions(periodic.filter((entry) => entry.id !== 'instance-patch-compliant')).flat()).not.toContain('ssm:ListResourceComplianceSummaries');
    expect(evaluatorStatements('change', CATALOG).flatMap((statement) => statement.toStatementJson().Action as string[])).not.toContain(
      'ssm:ListResourceComplianceSummaries',
    );
  });

  it('writes logs only to each function’s own log group', () => {
    for (const fn of [
      stack.configRules.evaluators.change,
      stack.configRules.evaluators.periodic,
      stack.notifications.notifier,
      stack.refresher.fn,
      stack.recorderHealth.fn,
      stack.monthlyReport.fn,
    ]) {
      if (fn === undefined) throw new Error('missing function');
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [ref(logicalId(fn.role))],
        PolicyDocument: {
          Statement: Match.arrayWith([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: arnOf(logicalId(fn.logGroup)) }]),
        },
      });
    }
  });

  it('lets the notifier publish to the alert topic, use its key and import into its own default product', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(logicalId(stack.notifications.notifier.role))],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: 'sns:Publish', Resource: ref(logicalId(stack.alertTopic)) },
          { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: arnOf(logicalId(stack.key)) },
          {
            Effect: 'Allow',
            Action: 'securityhub:BatchImportFindings',
            Resource: OWN_PRODUCT,
          },
        ]),
      },
    });
  });

  it('keeps the alert ledger in one on-demand table, KMS-encrypted with the key, with PITR and TTL; the notifier may only put and delete its items', () => {
    const tables = resourcesOf(template, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf(logicalId(stack.key)) },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const tableArn = arnOf(logicalId(stack.notifications.alertLedger.table));
    const granting = resourcesOf(template, 'AWS::IAM::ManagedPolicy').filter(([, policy]) => JSON.stringify(policy).includes(JSON.stringify(tableArn)));
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(logicalId(stack.notifications.notifier.role))],
      PolicyDocument: {
        Statement: Match.arrayWith([{ Sid: 'AlertLedger', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: tableArn }]),
      },
    });
    // No other role's policy names the table.
    expect(granting.map(([, policy]) => policy.Properties?.Roles)).toEqual([[ref(logicalId(stack.notifications.notifier.role))]]);
  });

  it('lets the refresher read findings from the account’s hub and re-import into its default product', () => {
    const account = (suffix: string) => ({
      'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':securityhub:', ref('AWS::Region'), ':', ref('AWS::AccountId'), suffix]],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(logicalId(stack.refresher.fn.role))],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: 'securityhub:GetFindings', Resource: account(':hub/default') },
          {
            Effect: 'Allow',
            Action: 'securityhub:BatchImportFindings',
            Resource: OWN_PRODUCT,
          },
        ]),
      },
    });
  });

  it('scopes GetComplianceDetailsByConfigRule to the periodic evaluator’s own rules', () => {
    const fn = stack.configRules.evaluators.periodic;
    if (fn === undefined) throw new Error('missing evaluator');
    const mine = stack.configRules.rules.filter((rule) => rule.route.evaluator === 'periodic').map((rule) => arnOf(stack.getLogicalId(rule.resource)));
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(logicalId(fn.role))],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'config:GetComplianceDetailsByConfigRule', Resource: mine }] },
    });
  });

  it('gives the change evaluator no inventory query and no rule results: no enabled item rule runs on a schedule', () => {
    const change = stack.configRules.evaluators.change;
    if (change === undefined) throw new Error('missing evaluator');
    expect(change.node.tryFindChild('RuleResultsPolicy')).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toMatch(/ChangeEvaluatorRuleResultsPolicy/);
  });
});

describe('encryption and transport', () => {
  it('uses one customer managed key with rotation, kept on stack removal', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });

  it('encrypts both topics with the key and denies publishing without TLS', () => {
    const topics = resourcesOf(template, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(2);
    for (const [id, topic] of topics) {
      expect(topic.Properties?.KmsMasterKeyId).toEqual(arnOf(logicalId(stack.key)));
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [ref(id)],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  it('encrypts every queue with the key, denies non-TLS access, and gives the notifier queue a DLQ', () => {
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(7);
    for (const [id, queue] of queues) {
      expect(queue.Properties?.KmsMasterKeyId).toEqual(arnOf(logicalId(stack.key)));
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(id)],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: arnOf(logicalId(stack.notifications.deadLetterQueue)), maxReceiveCount: 5 },
      VisibilityTimeout: 360,
    });
  });

  it('encrypts the log groups with the key and keeps them for the configured retention', () => {
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
    expect(groups).toHaveLength(6);
    for (const [, group] of groups) {
      expect(group.Properties).toMatchObject({ KmsKeyId: arnOf(logicalId(stack.key)), RetentionInDays: 365 });
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });

  it('lets CloudWatch Logs, alarms and the compliance-change rule use the key, each scoped', () => {
    const policy = (template.toJSON().Resources[logicalId(stack.key)].Properties as { KeyPolicy: { Statement: Json[] } }).KeyPolicy.Statement;
    expect(policy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Sid: 'CloudWatchLogsEncryptsMonitorLogGroups',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': expect.anything() } },
        }),
        expect.objectContaining({
          Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        }),
        expect.objectContaining({
          Sid: 'EventBridgeSendsComplianceChanges',
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Condition: { ArnEquals: { 'aws:SourceArn': expect.anything() } },
        }),
      ]),
    );
    expect(render(policy.find((s) => s.Sid === 'EventBridgeSendsComplianceChanges')?.Condition)).toContain(':rule/ClinicComplianceMonitor-compliance-changes');
  });
});

describe('compliance changes → notifier', () => {
  it('routes only our rules’ compliance changes (configRuleName prefix ccm-) to the queue, with a DLQ and retries', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'ClinicComplianceMonitor-compliance-changes',
      EventPattern: Match.objectEquals({
        source: ['aws.config'],
        'detail-type': [DETAIL_TYPE],
        detail: { messageType: ['ComplianceChangeNotification'], configRuleName: [{ prefix: 'ccm-' }] },
      }),
      Targets: [
        Match.objectLike({
          Arn: arnOf(logicalId(stack.notifications.queue)),
          DeadLetterConfig: { Arn: arnOf(logicalId(stack.notifications.deadLetterQueue)) },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
  });

  it('subscribes the configured endpoints, with their filter policies', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 4);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'alerts@example.org',
      TopicArn: ref(logicalId(stack.alertTopic)),
      FilterPolicy: Match.absent(),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://hooks.example.org/ccm',
      FilterPolicy: { severity: ['CRITICAL', 'HIGH'], transition: ['problem', 'digest'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sms', Endpoint: '+15555550100', FilterPolicy: { ruleId: ['root-account-mfa'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'it-admin@example.org',
      TopicArn: ref(logicalId(stack.alarmTopic)),
    });
  });
});

describe('health alarms on the alarm topic', () => {
  const alarms = (): [string, Resource][] => resourcesOf(template, 'AWS::CloudWatch::Alarm');

  it('notify the alarm topic on alarm and on recovery', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const [, alarm] of alarms()) {
      expect(alarm.Properties).toMatchObject({
        ActionsEnabled: true,
        AlarmActions: [ref(logicalId(stack.alarmTopic))],
        OKActions: [ref(logicalId(stack.alarmTopic))],
      });
    }
  });

  it.each(['Errors', 'Throttles'])('watch %s of every function', (metric) => {
    for (const fn of [
      stack.configRules.evaluators.change,
      stack.configRules.evaluators.periodic,
      stack.notifications.notifier,
      stack.refresher.fn,
      stack.recorderHealth.fn,
      stack.monthlyReport.fn,
    ]) {
      if (fn === undefined) throw new Error('missing function');
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: ref(logicalId(fn.function)) }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('watch the depth of every dead-letter queue', () => {
    for (const queue of [
      stack.configRules.evaluators.change?.deadLetterQueue,
      stack.configRules.evaluators.periodic?.deadLetterQueue,
      stack.refresher.fn.deadLetterQueue,
      stack.recorderHealth.fn.deadLetterQueue,
      stack.monthlyReport.fn.deadLetterQueue,
      stack.notifications.deadLetterQueue,
    ]) {
      if (queue === undefined) throw new Error('missing DLQ');
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } }],
        Threshold: 1,
      });
    }
  });

  it('fire when no periodic evaluation succeeded in 25 hours, counting silence as failure', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'ClinicComplianceMonitor-no-periodic-evaluation-25h',
      Namespace: 'ClinicComplianceMonitor',
      MetricName: 'PeriodicRuns',
      Dimensions: [{ Name: 'service', Value: 'periodic-evaluator' }],
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: HEARTBEAT_PERIODS,
      DatapointsToAlarm: HEARTBEAT_PERIODS,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    // CloudWatch: Period × EvaluationPeriods ≤ 7 days for periods of an hour or more.
    expect(3600 * HEARTBEAT_PERIODS).toBeLessThanOrEqual(7 * 24 * 3600);
  });

  it('fire when AWS Config stops recording or delivering, keeping their state between the 6-hourly checks', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'ClinicComplianceMonitor-config-recorder-unhealthy',
      Namespace: 'ClinicComplianceMonitor',
      MetricName: 'UnhealthyRecorders',
      Dimensions: [{ Name: 'service', Value: 'recorder-health' }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
    });
  });

  it('watch EventBridge deliveries and the notifier queue’s age', () => {
    for (const rule of [stack.notifications.complianceChangeRule, stack.refresher.schedule, stack.recorderHealth.schedule, stack.monthlyReport.schedule]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Events',
        MetricName: 'FailedInvocations',
        Dimensions: [{ Name: 'RuleName', Value: ref(logicalId(rule)) }],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 3600 });
  });
});

describe('Security Hub insights for auditors', () => {
  it('show failing findings of this product only, by account, by rule and by HIPAA citation', () => {
    const insights = resourcesOf(template, 'AWS::SecurityHub::Insight');
    const citations = new Set(settings.rules.flatMap((r) => r.entry.hipaa));
    expect(insights).toHaveLength(2 + citations.size);
    for (const [, insight] of insights) {
      const props = insight.Properties as { Name: string; GroupByAttribute: string; Filters: Json };
      expect(props.Name.length).toBeLessThanOrEqual(128);
      expect(props.Filters).toMatchObject({
        ProductFields: [{ Comparison: 'EQUALS', Key: 'ProviderName', Value: 'Clinic Compliance Monitor' }],
        ComplianceStatus: [{ Comparison: 'EQUALS', Value: 'FAILED' }],
        RecordState: [{ Comparison: 'EQUALS', Value: 'ACTIVE' }],
      });
      expect(render((props.Filters.ProductArn as { Value: unknown }[])[0]?.Value)).toBe(
        'arn:<AWS::Partition>:securityhub:<AWS::Region>:<AWS::AccountId>:product/<AWS::AccountId>/default',
      );
    }
    template.hasResourceProperties('AWS::SecurityHub::Insight', { GroupByAttribute: 'AwsAccountId' });
    template.hasResourceProperties('AWS::SecurityHub::Insight', {
      GroupByAttribute: 'GeneratorId',
      Filters: Match.objectLike({ GeneratorId: Match.absent() }),
    });
    for (const citation of citations) {
      const rules = settings.rules.filter((r) => r.entry.hipaa.includes(citation)).map((r) => ({ Comparison: 'EQUALS', Value: r.entry.id }));
      template.hasResourceProperties('AWS::SecurityHub::Insight', {
        Name: Match.stringLikeRegexp(`HIPAA ${citation.replace(/[()]/g, '\\$&')}`),
        GroupByAttribute: 'GeneratorId',
        Filters: Match.objectLike({ GeneratorId: rules }),
      });
    }
    template.resourceCountIs('AWS::SecurityHub::Hub', 0);
  });
});

afterAll(() => {
  if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
});
