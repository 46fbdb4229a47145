import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG } from '../../rules/catalog.js';
import { parseParameters } from '../../rules/params.js';
import { DEFAULT_SETTINGS_FILE, LOG_RETENTION_DAYS, loadSettings, MAX_INPUT_PARAMETERS_CHARS, parseSettings, SettingsError } from '../../infra/settings.js';
import { problemsOf } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('settings defaults', () => {
  it('enables every catalog rule with only its ruleId as input parameter when nothing is set', () => {
    const settings = parseSettings({}, 'test.json');
    expect(settings.rules.map((r) => r.entry.id)).toEqual(CATALOG.map((e) => e.id));
    for (const rule of settings.rules) expect(rule.inputParameters).toEqual({ ruleId: rule.entry.id });
    expect(settings).toMatchObject({
      alerts: [],
      alarms: [],
      exemptionTagKey: 'compliance:exempt',
      periodicFrequency: 'TwentyFour_Hours',
      periodicRestateDays: 30,
      digestThreshold: 10,
      enableSecurityHub: false,
      logRetentionDays: 365,
    });
    expect(settings.homeRegion).toBeUndefined();
    expect(settings.region).toBeUndefined();
  });

  it('parses the committed settings file, which subscribes nobody until you add your addresses', () => {
    const settings = loadSettings({ cwd: ROOT });
    expect(settings.source).toBe(DEFAULT_SETTINGS_FILE);
    expect(settings.alerts).toEqual([]);
    expect(settings.alarms).toEqual([]);
    expect(settings.allowPlaceholderEndpoints).toBe(false);
  });
});

describe('placeholder endpoints', () => {
  it.each([
    'alerts@example.org',
    'oncall@EXAMPLE.COM',
    'it@mail.example.net',
    'it-team@clinic.example',
    'desk@clinic.test',
    'x@host.invalid',
    'https://hooks.example.org/ccm',
    'https://example.com',
    'https://ops.clinic.test/hook',
    '+15555550100',
    '+12125550199',
  ])('%s fails synth, naming the setting', (endpoint) => {
    const protocol = endpoint.startsWith('+') ? 'sms' : endpoint.startsWith('https') ? 'https' : 'email';
    expect(
      problemsOf({
        alarms: [
          { protocol: 'email', endpoint: 'it@clinic.internal' },
          { protocol, endpoint },
        ],
      }),
    ).toEqual([
      `alarms[1].endpoint: ${JSON.stringify(endpoint)} is a documentation placeholder that reaches nobody; put your on-call address here (or set "allowPlaceholderEndpoints": true to deploy it anyway, e.g. for a test account)`,
    ]);
  });

  it.each([
    'it@clinic.internal',
    'oncall@myexample.org',
    'ops@example.org.clinic.com',
    'https://hooks.clinic.com/example.org',
    '+15555550200',
    '+442079460000',
  ])('%s is a real endpoint', (endpoint) => {
    const protocol = endpoint.startsWith('+') ? 'sms' : endpoint.startsWith('https') ? 'https' : 'email';
    expect(parseSettings({ alerts: [{ protocol, endpoint }] }, 'test.json').alerts).toHaveLength(1);
  });

  it('are deployed when the settings allow them, and listed one problem per endpoint when not', () => {
    const raw = { alerts: [{ protocol: 'email', endpoint: 'alerts@example.org' }], alarms: [{ protocol: 'sms', endpoint: '+15555550100' }] };
    expect(problemsOf(raw).map((p) => p.split(':')[0])).toEqual(['alerts[0].endpoint', 'alarms[0].endpoint']);
    expect(parseSettings({ ...raw, allowPlaceholderEndpoints: true }, 'test.json').alerts).toEqual(raw.alerts);
    expect(problemsOf({ ...raw, allowPlaceholderEndpoints: 'yes' })).toEqual(['allowPlaceholderEndpoints: expected true or false']);
  });
});

describe('rule selection and parameters', () => {
  it('drops disabled rules and keeps catalog order', () => {
    const settings = parseSettings(
      { rules: { enabled: ['s3-bucket-encrypted', 'ebs-volume-encrypted', 'root-account-mfa'], disabled: ['root-account-mfa'] } },
      'test.json',
    );
    expect(settings.rules.map((r) => r.entry.id)).toEqual(['ebs-volume-encrypted', 's3-bucket-encrypted']);
  });

  it('turns parameters into Config input parameters: strings, lists comma-separated, ruleId included', () => {
    const settings = parseSettings(
      {
        rules: {
          parameters: {
            's3-bucket-encrypted': { requireKms: true, kmsKeyArns: ['alias/clinic-data', 'mrk-1234567890abcdef1234567890abcdef'] },
            'backup-plan-frequency-retention': { requiredRetentionDays: 90 },
          },
        },
      },
      'test.json',
    );
    const byId = new Map(settings.rules.map((r) => [r.entry.id, r.inputParameters]));
    expect(byId.get('s3-bucket-encrypted')).toEqual({
      ruleId: 's3-bucket-encrypted',
      requireKms: 'true',
      kmsKeyArns: 'alias/clinic-data,mrk-1234567890abcdef1234567890abcdef',
    });
    expect(byId.get('backup-plan-frequency-retention')).toEqual({ ruleId: 'backup-plan-frequency-retention', requiredRetentionDays: '90' });
  });

  it('gives the evaluators input parameters that parse back to the same values', () => {
    const settings = parseSettings({ rules: { parameters: { 's3-bucket-encrypted': { requireKms: 'TRUE', kmsKeyArns: 'alias/a, alias/b' } } } }, 'test.json');
    const rule = settings.rules.find((r) => r.entry.id === 's3-bucket-encrypted');
    if (rule === undefined) throw new Error('rule missing');
    const { ruleId, ...own } = rule.inputParameters;
    expect(ruleId).toBe('s3-bucket-encrypted');
    expect(parseParameters(rule.entry.id, rule.entry.parameters, own)).toEqual({ requireKms: true, kmsKeyArns: ['alias/a', 'alias/b'] });
  });

  it('a list of ports reaches Config comma-separated and parses back to numbers', () => {
    const settings = parseSettings({ rules: { parameters: { 'security-group-admin-ports-restricted': { ports: [22, 3389, 8443] } } } }, 'test.json');
    const rule = settings.rules.find((r) => r.entry.id === 'security-group-admin-ports-restricted');
    if (rule === undefined) throw new Error('rule missing');
    const { ruleId, ...own } = rule.inputParameters;
    expect(own).toEqual({ ports: '22,3389,8443' });
    expect(ruleId).toBe('security-group-admin-ports-restricted');
    expect(parseParameters(rule.entry.id, rule.entry.parameters, own)).toEqual({ ports: [22, 3389, 8443] });
    expect(problemsOf({ rules: { parameters: { 'security-group-admin-ports-restricted': { ports: ['ssh'] } } } })).toEqual([
      expect.stringMatching(/^rules\.parameters\.security-group-admin-ports-restricted\.ports: .*expected a whole number/),
    ]);
  });

  it('rejects input parameters longer than Config allows, naming the rule', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `alias/clinic-key-number-${String(i).padStart(3, '0')}`);
    const problems = problemsOf({ rules: { parameters: { 'ebs-volume-encrypted': { kmsKeyArns: keys } } } });
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^rules\\.parameters\\.ebs-volume-encrypted: .*at most ${MAX_INPUT_PARAMETERS_CHARS}`))]);
  });
});

describe('bad settings fail with the setting path and the allowed values', () => {
  const KNOWN = CATALOG.map((e) => e.id).join(', ');
  it.each<[string, unknown, RegExp]>([
    ['an unknown top-level setting', { alertz: [] }, /^\(settings\): unknown setting "alertz"; allowed: region, homeRegion, alerts, alarms, rules, /],
    ['an unknown protocol', { alerts: [{ protocol: 'pager', endpoint: 'x' }] }, /^alerts\[0\]\.protocol: expected one of email, sms, https$/],
    ['a malformed email', { alerts: [{ protocol: 'email', endpoint: 'nobody' }] }, /^alerts\[0\]\.endpoint: expected an email address$/],
    [
      'a plain-http webhook',
      { alerts: [{ protocol: 'https', endpoint: 'http://hooks.example.org/x' }] },
      /^alerts\[0\]\.endpoint: expected an https:\/\/ URL$/,
    ],
    ['an SMS number not in E.164', { alarms: [{ protocol: 'sms', endpoint: '555-0100' }] }, /^alarms\[0\]\.endpoint: expected a phone number in E\.164 form/],
    [
      'a filter on an unknown severity',
      { alerts: [{ protocol: 'email', endpoint: 'a@example.org', filter: { severity: ['URGENT'] } }] },
      /^alerts\[0\]\.filter\.severity\[0\]: expected one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL$/,
    ],
    [
      'a filter on an unknown attribute',
      { alerts: [{ protocol: 'email', endpoint: 'a@example.org', filter: { region: ['us-east-1'] } }] },
      /^alerts\[0\]\.filter: unknown setting "region"; allowed: severity, ruleId, transition, compliance, accountId$/,
    ],
    [
      'an unknown disabled rule',
      { rules: { disabled: ['ebs-encrypted'] } },
      new RegExp(`^rules\\.disabled\\[0\\]: unknown rule id "ebs-encrypted"; known rules: ${KNOWN}$`),
    ],
    ['an unknown enabled rule', { rules: { enabled: ['mfa'] } }, /^rules\.enabled\[0\]: unknown rule id "mfa"; known rules: /],
    [
      'parameters for an unknown rule',
      { rules: { parameters: { 'no-such-rule': {} } } },
      /^rules\.parameters\.no-such-rule: unknown rule id "no-such-rule"; known rules: /,
    ],
    [
      'a bad parameter value',
      { rules: { parameters: { 's3-bucket-encrypted': { requireKms: 'maybe' } } } },
      /^rules\.parameters\.s3-bucket-encrypted\.requireKms: .*"maybe" is invalid: expected true or false; parameters of s3-bucket-encrypted: requireKms \(boolean, default false\)/,
    ],
    [
      'an unknown parameter',
      { rules: { parameters: { 's3-bucket-encrypted': { requireKMS: true } } } },
      /^rules\.parameters\.s3-bucket-encrypted\.requireKMS: .*unknown parameter "requireKMS"; known parameters: requireKms, kmsKeyArns$/,
    ],
    [
      'a list item with a comma',
      { rules: { parameters: { 'ebs-volume-encrypted': { kmsKeyArns: ['alias/a,alias/b'] } } } },
      /^rules\.parameters\.ebs-volume-encrypted\.kmsKeyArns: .*(comma|invalid)/,
    ],
    [
      'a bad frequency',
      { periodicFrequency: 'Daily' },
      /^periodicFrequency: expected one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours$/,
    ],
    ['re-statement as text', { periodicRestateDays: 'weekly' }, /^periodicRestateDays: expected a whole number of days from 0 to 89$/],
    ['a re-statement in fractions of a day', { periodicRestateDays: 1.5 }, /^periodicRestateDays: expected a whole number of days from 0 to 89$/],
    ['a negative re-statement', { periodicRestateDays: -7 }, /^periodicRestateDays: expected a whole number of days from 0 to 89$/],
    [
      'a re-statement Security Hub would outlast',
      { periodicRestateDays: 90 },
      /^periodicRestateDays: expected a whole number of days from 0 to 89 \(Security Hub deletes findings not updated for 90 days/,
    ],
    ['a retention CloudWatch does not offer', { logRetentionDays: 10 }, new RegExp(`^logRetentionDays: expected one of ${LOG_RETENTION_DAYS.join(', ')}$`)],
    ['a zero digest threshold', { digestThreshold: 0 }, /^digestThreshold: expected a whole number from 1 to 10000$/],
    ['an aws: exemption tag key', { exemptionTagKey: 'aws:exempt' }, /^exemptionTagKey: must not start with aws:/],
    ['a home Region that is no Region', { homeRegion: 'Virginia' }, /^homeRegion: expected a Region name such as us-east-1$/],
    ['enableSecurityHub as text', { enableSecurityHub: 'yes' }, /^enableSecurityHub: expected true or false$/],
  ])('%s', (_name, raw, message) => {
    expect(problemsOf(raw)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it('lists every problem at once, with the source in the message', () => {
    try {
      parseSettings({ digestThreshold: -1, periodicFrequency: 'Daily' }, 'monitor.settings.json');
      throw new Error('expected a SettingsError');
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).message).toMatch(/^invalid settings in monitor\.settings\.json:\n {2}- /);
      expect((error as SettingsError).problems).toHaveLength(2);
    }
  });

  it('accepts the all-rules shorthand and rejects anything else for rules.enabled', () => {
    expect(problemsOf({ rules: { enabled: 'some' } })).toEqual([expect.stringMatching(/^rules\.enabled: expected "all" or a list of rule ids/)]);
  });
});

describe('where settings come from', () => {
  it('prefers the cdk context value over the file', () => {
    const settings = loadSettings({ context: { digestThreshold: 3 }, cwd: ROOT });
    expect(settings.source).toBe('cdk context "settings"');
    expect(settings.digestThreshold).toBe(3);
  });

  it('accepts the context value as a JSON string (-c settings=…)', () => {
    expect(loadSettings({ context: '{"digestThreshold": 4}' }).digestThreshold).toBe(4);
  });

  it('names a missing file and how to point at another', () => {
    expect(() => loadSettings({ file: 'nope.json', cwd: ROOT })).toThrow(/nope\.json[\s\S]*-c settingsFile=PATH/);
  });

  it('names a file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccm-settings-'));
    writeFileSync(join(dir, 'bad.json'), '{ "alerts": [ }');
    expect(() => loadSettings({ file: 'bad.json', cwd: dir })).toThrow(/invalid settings in bad\.json:\n {2}- not valid JSON/);
  });
});
