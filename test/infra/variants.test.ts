/**
 * Settings that change the stack's shape, synthesized without bundling (CDK's bundling-stacks
 * context) so each variation stays fast; stack.test.ts bundles for real.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CATALOG, getRule, RULE_IDS, type CatalogEntry } from '../../rules/catalog.js';
import { createMonitorApp } from '../../infra/monitor-app.js';
import { routeRule } from '../../infra/routing.js';
import { SettingsError } from '../../infra/settings.js';
import { evaluatorStatements, readsRuleResults } from '../../infra/evaluator-permissions.js';
import { onlyResource, resourcesOf, settingsFrom, capturePrinted } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const GLOBAL: string[] = CATALOG.filter((e) => routeRule(e).global).map((e) => e.id);
const INVENTORY = CATALOG.filter((e) => routeRule(e).evaluator === 'periodic').map((e) => e.id);
const ITEM = CATALOG.filter((e) => routeRule(e).evaluator === 'change').map((e) => e.id);

/** Synthesizes with the real app builder (cdk-nag and CloudFormation validation on), without bundling. */
function templateFor(raw: unknown): Template {
  const outdir = mkdtempSync(join(tmpdir(), 'ccm-variant-'));
  try {
    const { result, printed } = capturePrinted(() => {
      const { app, stack } = createMonitorApp({ settings: settingsFrom(raw), appProps: { outdir, context: { 'aws:cdk:bundling-stacks': [] } } });
      return { stack, assembly: app.synth() };
    });
    expect(printed).toEqual([]);
    const { stack, assembly } = result;
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
    return Template.fromJSON(assembly.getStackByName(stack.stackName).template as Record<string, unknown>);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function ruleNames(template: Template): string[] {
  return resourcesOf(template, 'AWS::Config::ConfigRule')
    .map(([, r]) => String(r.Properties?.ConfigRuleName))
    .sort();
}

describe('home Region for account-wide IAM checks', () => {
  it('creates the IAM rules everywhere when no home Region is set', () => {
    const template = templateFor({});
    for (const id of GLOBAL) template.hasResource('AWS::Config::ConfigRule', { Properties: { ConfigRuleName: `ccm-${id}` }, Condition: Match.absent() });
    expect(template.toJSON().Conditions).toBeUndefined();
  });

  it('guards them with an AWS::Region condition on an environment-agnostic stack', () => {
    const template = templateFor({ homeRegion: 'us-east-1' });
    template.templateMatches({ Conditions: { IsHomeRegion: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } } });
    for (const [, rule] of resourcesOf(template, 'AWS::Config::ConfigRule')) {
      const id = String(rule.Properties?.ConfigRuleName).slice('ccm-'.length);
      expect(rule.Condition).toBe(GLOBAL.includes(id) ? 'IsHomeRegion' : undefined);
    }
    const [, periodic] = onlyResource(template, 'AWS::Lambda::Function', 'PeriodicEvaluatorFunction');
    expect((periodic.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.HOME_REGION).toBe('us-east-1');
    const [, results] = onlyResource(template, 'AWS::IAM::ManagedPolicy', 'PeriodicEvaluatorRuleResultsPolicy');
    expect(JSON.stringify(results.Properties)).toContain('"Fn::If":["IsHomeRegion"');
    expect(results.Condition).toBeUndefined();
  });

  it('leaves them out of a stack pinned to another Region', () => {
    const template = templateFor({ region: 'eu-west-1', homeRegion: 'us-east-1' });
    expect(ruleNames(template)).toEqual(
      CATALOG.filter((e) => !GLOBAL.includes(e.id))
        .map((e) => `ccm-${e.id}`)
        .sort(),
    );
  });

  it('keeps them, unconditioned, in a stack pinned to the home Region', () => {
    const template = templateFor({ region: 'us-east-1', homeRegion: 'us-east-1' });
    expect(ruleNames(template)).toHaveLength(CATALOG.length);
    expect(template.toJSON().Conditions).toBeUndefined();
  });

  it('conditions the heartbeat alarm and rule-results policy too when only IAM rules are periodic', () => {
    const template = templateFor({ homeRegion: 'us-east-1', rules: { enabled: [...GLOBAL, 'ebs-volume-encrypted'] } });
    template.hasResource('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'PeriodicRuns' }, Condition: 'IsHomeRegion' });
    const [, results] = onlyResource(template, 'AWS::IAM::ManagedPolicy', 'PeriodicEvaluatorRuleResultsPolicy');
    expect(results.Condition).toBe('IsHomeRegion');
  });
});

describe('enabled rules shape the stack', () => {
  it('has no periodic evaluator, and no heartbeat alarm, when only item rules are enabled', () => {
    const template = templateFor({ rules: { enabled: ITEM } });
    expect(ruleNames(template)).toHaveLength(ITEM.length);
    template.resourceCountIs('AWS::Lambda::Function', 5);
    expect(resourcesOf(template, 'AWS::Lambda::Function').some(([id]) => id.startsWith('ChangeEvaluator'))).toBe(true);
    expect(resourcesOf(template, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties?.MetricName === 'PeriodicRuns')).toHaveLength(0);
  });

  it('has no change evaluator when only inventory rules are enabled', () => {
    const template = templateFor({ rules: { enabled: INVENTORY } });
    expect(ruleNames(template)).toHaveLength(INVENTORY.length);
    expect(
      resourcesOf(template, 'AWS::Lambda::Function')
        .map(([id]) => id.replace(/[A-F0-9]{8}$/, ''))
        .sort(),
    ).toEqual(['FindingsRefresherFunction', 'MonthlyReportFunction', 'NotifierFunction', 'PeriodicEvaluatorFunction', 'RecorderHealthFunction']);
  });

  it('grants the periodic evaluator only the data its enabled rules need', () => {
    const template = templateFor({ rules: { enabled: ['instance-patch-compliant'] } });
    const [, policy] = onlyResource(template, 'AWS::IAM::ManagedPolicy', 'PeriodicEvaluatorRolePolicy');
    const text = JSON.stringify(policy.Properties);
    for (const service of ['iam:', 'backup:', 'ec2:']) expect(text).not.toContain(service);
    expect(text).toContain('config:PutEvaluations');
  });

  it('lets the change evaluator query the inventory and earlier results only for an item rule on a schedule', () => {
    const volume = getRule('ebs-volume-encrypted');
    const actions = (entries: readonly CatalogEntry[]) =>
      evaluatorStatements('change', entries).flatMap((statement) => statement.toStatementJson().Action as string[]);
    expect(actions([volume])).toEqual(['config:PutEvaluations', 'config:GetResourceConfigHistory']);
    expect(readsRuleResults('change', [volume])).toBe(false);
    const scheduled = { ...volume, trigger: 'periodic' } as CatalogEntry;
    expect(actions([volume, scheduled])).toEqual(['config:PutEvaluations', 'config:GetResourceConfigHistory', 'config:SelectResourceConfig']);
    expect(readsRuleResults('change', [volume, scheduled])).toBe(true);
    expect(readsRuleResults('periodic', [getRule('root-account-mfa')])).toBe(true);
  });

  it('gives each periodic rule its own concurrent run', () => {
    const template = templateFor({});
    const [, periodic] = onlyResource(template, 'AWS::Lambda::Function', 'PeriodicEvaluatorFunction');
    expect(periodic.Properties?.ReservedConcurrentExecutions).toBe(INVENTORY.length);
  });

  it('applies the frequency and log retention settings', () => {
    const template = templateFor({ periodicFrequency: 'Six_Hours', logRetentionDays: 2557 });
    for (const id of INVENTORY)
      template.hasResourceProperties('AWS::Config::ConfigRule', { ConfigRuleName: `ccm-${id}`, MaximumExecutionFrequency: 'Six_Hours' });
    for (const [, group] of resourcesOf(template, 'AWS::Logs::LogGroup')) expect(group.Properties?.RetentionInDays).toBe(2557);
  });

  it.each([
    [{}, '30'],
    [{ periodicRestateDays: 7 }, '7'],
    [{ periodicRestateDays: 0 }, '0'],
  ])('passes the re-statement setting %j to both evaluators, which run scheduled rules', (settings, days) => {
    const template = templateFor(settings);
    for (const id of ['ChangeEvaluatorFunction', 'PeriodicEvaluatorFunction']) {
      const [, fn] = onlyResource(template, 'AWS::Lambda::Function', id);
      expect((fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.PERIODIC_RESTATE_DAYS).toBe(days);
    }
  });
});

describe('Security Hub', () => {
  it('is enabled by the stack only when asked, before the insights', () => {
    const template = templateFor({ enableSecurityHub: true });
    template.resourceCountIs('AWS::SecurityHub::Hub', 1);
    const [hubId] = onlyResource(template, 'AWS::SecurityHub::Hub', 'SecurityHub');
    template.hasResource('AWS::SecurityHub::Hub', { Properties: { EnableDefaultStandards: false }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    for (const [, insight] of resourcesOf(template, 'AWS::SecurityHub::Insight')) expect([insight.DependsOn].flat()).toContain(hubId);
  });
});

describe('bad settings fail synth', () => {
  it('throws from the app builder with the setting path and allowed values', () => {
    expect(() => createMonitorApp({ appProps: { context: { settings: { periodicFrequency: 'Daily' }, 'aws:cdk:bundling-stacks': [] } } })).toThrow(
      new SettingsError('cdk context "settings"', ['periodicFrequency: expected one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours']),
    );
  });

  it('exits cdk synth with status 1 and the message on stderr', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'infra', 'app.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ settings: { rules: { disabled: ['ebs-encrypted'] } } }),
        CDK_OUTDIR: join(ROOT, 'cdk.out', 'test-bad-settings'),
      },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('invalid settings in cdk context "settings":');
    expect(result.stderr).toContain(`rules.disabled[0]: unknown rule id "ebs-encrypted"; known rules: ${RULE_IDS.join(', ')}`);
  });
});
