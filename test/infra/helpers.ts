/** Shared helpers for the infra tests: settings fixtures and template lookups. */
import { jest } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { parseSettings, SettingsError, type MonitorSettings } from '../../infra/settings.js';
import { ComplianceMonitorStack, type ComplianceMonitorStackProps } from '../../infra/stack.js';

export type Json = Record<string, unknown>;
export type Resource = { Type: string; Properties?: Json; DependsOn?: string[] | string; Condition?: string; DeletionPolicy?: string };

export const TEST_SETTINGS = {
  alerts: [
    { protocol: 'email', endpoint: 'alerts@example.org' },
    { protocol: 'https', endpoint: 'https://hooks.example.org/ccm', filter: { severity: ['CRITICAL', 'HIGH'], transition: ['problem', 'digest'] } },
    { protocol: 'sms', endpoint: '+15555550100', filter: { ruleId: ['root-account-mfa'] } },
  ],
  alarms: [{ protocol: 'email', endpoint: 'it-admin@example.org' }],
  rules: { parameters: { 's3-bucket-encrypted': { requireKms: true }, 'iam-user-console-mfa': { gracePeriodHours: 72 } } },
  accountName: 'Main clinic',
  // Documentation addresses: synth refuses them unless allowed.
  allowPlaceholderEndpoints: true,
};

/** An organization block for the org variant's tests. */
export const ORG = {
  enabled: true,
  organizationId: 'o-a1b2c3d4e5',
  managementOrDelegatedAdmin: 'DELEGATED_ADMIN',
  targetOus: ['ou-ab12-cd34ef56'],
  excludeAccounts: ['999988887777'],
  regions: ['us-east-1', 'us-west-2'],
  accountOverrides: { '444455556666': { 'backup-plan-frequency-retention': { requiredRetentionDays: 90 } } },
};

export function settingsFrom(raw: unknown = TEST_SETTINGS): MonitorSettings {
  return parseSettings(raw, 'test settings');
}

/** A stack without bundling (CDK skips it for stacks not in `aws:cdk:bundling-stacks`): for quick variations. */
export function unbundledStack(settings: MonitorSettings, props: Partial<ComplianceMonitorStackProps> = {}): ComplianceMonitorStack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new ComplianceMonitorStack(app, 'ClinicComplianceMonitor', { settings, ...props });
}

export function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

export function onlyResource(template: Template, type: string, logicalIdPrefix: string): [string, Resource] {
  const found = resourcesOf(template, type).filter(([id]) => id.startsWith(logicalIdPrefix));
  if (found.length !== 1) throw new Error(`expected one ${type} starting ${logicalIdPrefix}, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0] as [string, Resource];
}

/**
 * A policy resource as text: literal strings as they are, references as <Logical.Attr> or <Ref>, so a
 * test can see the `*` a resource ARN will contain.
 */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(render).join(',');
  if (value !== null && typeof value === 'object') {
    const object = value as Json;
    if ('Ref' in object) return `<${String(object.Ref)}>`;
    if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in object) {
      const [sep, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
    if ('Fn::If' in object) {
      const [, whenTrue] = object['Fn::If'] as [string, unknown, unknown];
      return render(whenTrue);
    }
  }
  return JSON.stringify(value);
}

/** The problems a settings document is rejected with (fails the test if it is accepted). */
export function problemsOf(raw: unknown): string[] {
  try {
    parseSettings(raw, 'test.json');
  } catch (error) {
    if (error instanceof SettingsError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the settings to be rejected');
}

/**
 * Runs `build` (constructing and synthesizing an app: bundling, deprecation warnings and cdk-nag print
 * there) and returns what it printed to the console and stderr instead of letting it reach the test
 * output, so the test asserts it.
 */
export function capturePrinted<T>(build: () => T): { result: T; printed: string[] } {
  const printed: string[] = [];
  const capture = (...args: unknown[]): void => void printed.push(args.map(String).join(' '));
  const spies = [
    ...(['log', 'info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(capture)),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
      return true;
    }),
  ];
  try {
    return { result: build(), printed };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
