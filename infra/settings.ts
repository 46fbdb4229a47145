/**
 * The monitor's settings: one JSON file (default `monitor.settings.json`) or the cdk.json context key
 * `settings`, validated once at synth into a typed object. Every error names the setting by its path
 * and says what is allowed, so a typo fails `cdk synth` instead of deploying a silently different
 * monitor. Rule parameters go through the catalog's own parser: the Lambdas will accept exactly what
 * synth accepted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { DEFAULT_DIGEST_THRESHOLD } from '../functions/alerts/to-alert.js';
import { DEFAULT_RESTATE_DAYS, MAX_RESTATE_DAYS } from '../functions/config/changes.js';
import { CATALOG, type CatalogEntry } from '../rules/catalog.js';
import { DEFAULT_EXEMPTION_TAG_KEY } from '../rules/exemptions.js';
import { ParameterError, parseParameters } from '../rules/params.js';
import { SEVERITIES } from '../rules/types.js';

export const DEFAULT_SETTINGS_FILE = 'monitor.settings.json';

export const PERIODIC_FREQUENCIES = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'] as const;
export type PeriodicFrequency = (typeof PERIODIC_FREQUENCIES)[number];

/** CloudWatch Logs' retention values, without "never expire" (HIPAA pack: retention must be explicit). */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays)
  .filter((value): value is number => typeof value === 'number' && value !== RetentionDays.INFINITE)
  .sort((a, b) => a - b);

/** The `transition` attribute of alerts (functions/alerts/to-alert.ts), plus `digest` for bursts and `report` for the monthly evidence report. */
export const TRANSITIONS = ['problem', 'unknown', 'resolved', 'closed', 'digest', 'report'] as const;
export const COMPLIANCE_VALUES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'] as const;
export const PROTOCOLS = ['email', 'sms', 'https'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Config input parameters are one JSON string of at most 1024 characters (PutConfigRule). */
export const MAX_INPUT_PARAMETERS_CHARS = 1024;
/** SNS filter policies: at most 5 keys and 150 value combinations. */
const MAX_FILTER_COMBINATIONS = 150;

const KNOWN_RULE_IDS: readonly string[] = CATALOG.map((entry) => entry.id);

/** Domains reserved for documentation and testing (RFC 2606, RFC 6761): mail to them reaches nobody. */
const PLACEHOLDER_DOMAIN = /(^|\.)(example\.(com|net|org)|[^.]+\.(example|test|invalid|localhost))$|^(example|test|invalid|localhost)$/i;
/** NANPA reserves 555-0100 through 555-0199 in every area code for fictional use. */
const PLACEHOLDER_PHONE = /^\+1\d{3}55501\d{2}$/;

/**
 * An endpoint that cannot reach anyone: an address or URL at a documentation domain (example.org,
 * …, *.example, *.test, *.invalid, *.localhost) or a fictional North American number (+1 NXX 555-01XX).
 */
export function isPlaceholderEndpoint(endpoint: string): boolean {
  if (PLACEHOLDER_PHONE.test(endpoint)) return true;
  const email = /^[^@\s]+@([^@\s]+)$/.exec(endpoint);
  if (email !== null) return PLACEHOLDER_DOMAIN.test(email[1] ?? '');
  try {
    return PLACEHOLDER_DOMAIN.test(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

export class SettingsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid settings in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/** An SNS filter policy on the alert attributes; values in one key are OR-ed, keys are AND-ed. */
export interface AlertFilter {
  readonly severity?: readonly (typeof SEVERITIES)[number][];
  readonly ruleId?: readonly string[];
  readonly transition?: readonly (typeof TRANSITIONS)[number][];
  readonly compliance?: readonly (typeof COMPLIANCE_VALUES)[number][];
  readonly accountId?: readonly string[];
}

export interface Subscription {
  readonly protocol: Protocol;
  readonly endpoint: string;
  readonly filter?: AlertFilter;
}

export const OBJECT_LOCK_MODES = ['GOVERNANCE', 'COMPLIANCE'] as const;
export type ObjectLockModeName = (typeof OBJECT_LOCK_MODES)[number];
/** S3 Object Lock: a default retention of at most 100 years. */
export const MAX_RETENTION_YEARS = 100;
/** The 1st of each month, 06:00 UTC: the monthly evidence report covers the month before. */
export const DEFAULT_REPORT_SCHEDULE = 'cron(0 6 1 * ? *)';

/** The evidence archive and its monthly report (README "Evidence archive"). */
export interface EvidenceSettings {
  /** Object Lock default retention of every archived object, in years. */
  readonly retentionYears: number;
  /** GOVERNANCE: users with s3:BypassGovernanceRetention can still delete; COMPLIANCE: nobody can, root included. */
  readonly mode: ObjectLockModeName;
  /** EventBridge cron expression (UTC) of the monthly report; each run reports the month before. */
  readonly reportSchedule: string;
}

export interface MonitorSettings {
  /** Where the settings came from, for messages. */
  readonly source: string;
  /** Pins the stack to this Region; unset, the stack deploys to the CLI's Region. */
  readonly region?: string;
  /** Where account-wide checks (IAM, multi-Region trails) run; unset, the Region the stack deploys to. */
  readonly homeRegion?: string;
  readonly alerts: readonly Subscription[];
  readonly alarms: readonly Subscription[];
  /** Enabled rules in catalog order, each with its Config input parameters (strings), `ruleId` included. */
  readonly rules: readonly EnabledRule[];
  readonly exemptionTagKey: string;
  readonly periodicFrequency: PeriodicFrequency;
  /** Periodic runs put only what changed; an unchanged result older than this is put again (0: never). */
  readonly periodicRestateDays: number;
  readonly digestThreshold: number;
  readonly enableSecurityHub: boolean;
  readonly logRetentionDays: number;
  readonly accountName?: string;
  /** Subscriptions at documentation placeholders (example.org, 555-01XX) are deployed instead of failing synth. */
  readonly allowPlaceholderEndpoints: boolean;
  readonly evidence: EvidenceSettings;
  /** Org-wide deployment (README "Org-wide deployment"); absent for the single-account stack. */
  readonly organization?: OrganizationSettings;
}

export const ORG_CALLERS = ['MANAGEMENT', 'DELEGATED_ADMIN'] as const;
export type OrgCaller = (typeof ORG_CALLERS)[number];
export const DEFAULT_MEMBER_ROLE_NAME = 'ccm-member';

/** Per account, per rule, parameter values as in `rules.parameters` (validated with the catalog's parser). */
export type AccountOverrides = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;

export interface OrganizationSettings {
  /** `o-…`: member roles trust only principals of this organization. */
  readonly organizationId: string;
  /** Who deploys: the StackSet's CallAs. */
  readonly managementOrDelegatedAdmin: OrgCaller;
  /** OUs (or the root `r-…`) whose accounts, present and future, get the member part. */
  readonly targetOus: readonly string[];
  /** Accounts left out of the Config rules and the member part. */
  readonly excludeAccounts: readonly string[];
  /** Only these accounts of the target OUs get the member part (StackSet account filter). */
  readonly includeAccounts?: readonly string[];
  /** Regions with a central stack and member stack instances; the first is the home Region unless `homeRegion` says otherwise. */
  readonly regions: readonly string[];
  /** Where account-wide rules (IAM, multi-Region trails) and the member role live. */
  readonly homeRegion: string;
  readonly memberRoleName: string;
  readonly accountOverrides: AccountOverrides;
  /** Create a Security Hub finding aggregator (cross-Region aggregation) in the home Region. */
  readonly createFindingAggregator: boolean;
}

export interface EnabledRule {
  readonly entry: CatalogEntry;
  /** `{ ruleId, ...parameters given in the settings }`, every value a string as Config requires. */
  readonly inputParameters: Readonly<Record<string, string>>;
}

function oneOf(values: readonly (string | number)[]): string {
  return `expected one of ${values.join(', ')}`;
}

/** An object that rejects unknown keys, naming them and the allowed ones. */
function strict<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown setting ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${Object.keys(shape).join(', ')}`
        : issue.input === undefined
          ? 'is required'
          : 'expected an object',
  });
}

const ruleId = z.string({ error: 'expected a rule id' }).refine((id) => KNOWN_RULE_IDS.includes(id), {
  error: (issue) => `unknown rule id ${JSON.stringify(issue.input)}; known rules: ${KNOWN_RULE_IDS.join(', ')}`,
});
const region = z
  .string({ error: 'expected a Region name such as us-east-1' })
  .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'expected a Region name such as us-east-1');
const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'expected a list' }).min(1, 'expected at least one value');

const filter = strict({
  severity: list(z.enum(SEVERITIES, { error: oneOf(SEVERITIES) })).optional(),
  ruleId: list(ruleId).optional(),
  transition: list(z.enum(TRANSITIONS, { error: oneOf(TRANSITIONS) })).optional(),
  compliance: list(z.enum(COMPLIANCE_VALUES, { error: oneOf(COMPLIANCE_VALUES) })).optional(),
  accountId: list(z.string().regex(/^\d{12}$/, 'expected a 12-digit account id')).optional(),
}).superRefine((value, ctx) => {
  const lists = Object.values(value).filter((v): v is string[] => Array.isArray(v));
  const combinations = lists.reduce((n, v) => n * v.length, 1);
  if (lists.length === 0)
    ctx.addIssue({
      code: 'custom',
      message: `an empty filter matches nothing; give at least one of severity, ruleId, transition, compliance, accountId, or leave filter out`,
    });
  if (combinations > MAX_FILTER_COMBINATIONS)
    ctx.addIssue({ code: 'custom', message: `${combinations} value combinations; SNS allows at most ${MAX_FILTER_COMBINATIONS}` });
});

const subscription = z.discriminatedUnion(
  'protocol',
  [
    strict({ protocol: z.literal('email'), endpoint: z.email({ error: 'expected an email address' }), filter: filter.optional() }),
    strict({
      protocol: z.literal('sms'),
      endpoint: z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected a phone number in E.164 form, e.g. +15555550100'),
      filter: filter.optional(),
    }),
    strict({
      protocol: z.literal('https'),
      endpoint: z.url({ protocol: /^https$/, error: 'expected an https:// URL' }),
      filter: filter.optional(),
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? oneOf(PROTOCOLS) : 'expected an object with protocol and endpoint') },
);
const alarmSubscription = z.discriminatedUnion(
  'protocol',
  [
    strict({ protocol: z.literal('email'), endpoint: z.email({ error: 'expected an email address' }) }),
    strict({ protocol: z.literal('sms'), endpoint: z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected a phone number in E.164 form, e.g. +15555550100') }),
    strict({ protocol: z.literal('https'), endpoint: z.url({ protocol: /^https$/, error: 'expected an https:// URL' }) }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? oneOf(PROTOCOLS) : 'expected an object with protocol and endpoint') },
);

const accountIdSchema = z.string({ error: 'expected a 12-digit account id' }).regex(/^\d{12}$/, 'expected a 12-digit account id');

const organizationSchema = strict({
  enabled: z.boolean({ error: 'expected true or false' }),
  organizationId: z
    .string({ error: 'expected an organization id such as o-a1b2c3d4e5' })
    .regex(/^o-[a-z0-9]{10,32}$/, 'expected an organization id such as o-a1b2c3d4e5'),
  managementOrDelegatedAdmin: z.enum(ORG_CALLERS, { error: oneOf(ORG_CALLERS) }),
  targetOus: list(
    z
      .string({ error: 'expected an OU id (ou-…) or the root id (r-…)' })
      .regex(/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/, 'expected an OU id (ou-…) or the root id (r-…)'),
  ),
  excludeAccounts: z.array(accountIdSchema, { error: 'expected a list of account ids' }).max(1000, 'AWS Config excludes at most 1000 accounts').default([]),
  includeAccounts: list(accountIdSchema).optional(),
  regions: list(region),
  memberRoleName: z
    .string({ error: 'expected an IAM role name' })
    .regex(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name (1-64 of letters, digits and + = , . @ _ -)')
    .default(DEFAULT_MEMBER_ROLE_NAME),
  accountOverrides: z
    .record(
      accountIdSchema,
      z.record(z.string(), z.record(z.string(), z.unknown(), { error: 'expected an object of parameter names to values' }), {
        error: 'expected an object keyed by rule id',
      }),
      { error: 'expected an object keyed by 12-digit account id' },
    )
    .default({}),
  createFindingAggregator: z.boolean({ error: 'expected true or false' }).default(false),
});

/** EventBridge cron: six fields (minutes hours day-of-month month day-of-week year), one of the day fields `?`. */
const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
const cronError = `expected an EventBridge cron expression in UTC such as ${DEFAULT_REPORT_SCHEDULE} (minutes hours day-of-month month day-of-week year; one of the two day fields "?")`;

const evidenceSchema = strict({
  retentionYears: z
    .number({ error: `expected a whole number of years from 1 to ${MAX_RETENTION_YEARS}` })
    .int(`expected a whole number of years from 1 to ${MAX_RETENTION_YEARS}`)
    .min(1, `expected a whole number of years from 1 to ${MAX_RETENTION_YEARS}`)
    .max(MAX_RETENTION_YEARS, `expected a whole number of years from 1 to ${MAX_RETENTION_YEARS} (S3 Object Lock's maximum)`)
    .default(6),
  mode: z.enum(OBJECT_LOCK_MODES, { error: oneOf(OBJECT_LOCK_MODES) }).default('GOVERNANCE'),
  reportSchedule: z
    .string({ error: cronError })
    .refine((text) => {
      const fields = CRON.exec(text);
      return fields !== null && (fields[3] === '?') !== (fields[5] === '?');
    }, cronError)
    .default(DEFAULT_REPORT_SCHEDULE),
});

const settingsSchema = strict({
  region: region.optional(),
  homeRegion: region.optional(),
  alerts: z.array(subscription, { error: 'expected a list of subscriptions' }).default([]),
  alarms: z.array(alarmSubscription, { error: 'expected a list of subscriptions' }).default([]),
  rules: strict({
    enabled: z.union([z.literal('all'), z.array(ruleId)], { error: `expected "all" or a list of rule ids (${KNOWN_RULE_IDS.join(', ')})` }).default('all'),
    disabled: z.array(ruleId, { error: 'expected a list of rule ids' }).default([]),
    parameters: z
      .record(z.string(), z.record(z.string(), z.unknown(), { error: 'expected an object of parameter names to values' }), {
        error: 'expected an object keyed by rule id',
      })
      .default({}),
  }).default({ enabled: 'all', disabled: [], parameters: {} }),
  exemptionTagKey: z
    .string({ error: 'expected a tag key' })
    .min(1, 'must not be empty')
    .max(128, 'at most 128 characters (a tag key)')
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, 'may hold letters, digits, spaces and _ . : / = + - @ only (a tag key)')
    .refine((key) => !key.toLowerCase().startsWith('aws:'), 'must not start with aws: (reserved by AWS)')
    .default(DEFAULT_EXEMPTION_TAG_KEY),
  periodicFrequency: z.enum(PERIODIC_FREQUENCIES, { error: oneOf(PERIODIC_FREQUENCIES) }).default('TwentyFour_Hours'),
  periodicRestateDays: z
    .number({ error: `expected a whole number of days from 0 to ${MAX_RESTATE_DAYS}` })
    .int(`expected a whole number of days from 0 to ${MAX_RESTATE_DAYS}`)
    .min(0, `expected a whole number of days from 0 to ${MAX_RESTATE_DAYS}`)
    .max(
      MAX_RESTATE_DAYS,
      `expected a whole number of days from 0 to ${MAX_RESTATE_DAYS} (Security Hub deletes findings not updated for 90 days, Config's copies of unchanged results included; 0 re-states never)`,
    )
    .default(DEFAULT_RESTATE_DAYS),
  digestThreshold: z
    .number({ error: 'expected a whole number from 1 to 10000' })
    .int('expected a whole number from 1 to 10000')
    .min(1, 'expected a whole number from 1 to 10000')
    .max(10_000, 'expected a whole number from 1 to 10000')
    .default(DEFAULT_DIGEST_THRESHOLD),
  enableSecurityHub: z.boolean({ error: 'expected true or false' }).default(false),
  logRetentionDays: z
    .number({ error: oneOf(LOG_RETENTION_DAYS) })
    .refine((days) => LOG_RETENTION_DAYS.includes(days), { error: oneOf(LOG_RETENTION_DAYS) })
    .default(RetentionDays.ONE_YEAR),
  accountName: z.string({ error: 'expected text' }).min(1, 'must not be empty').max(64, 'at most 64 characters').optional(),
  allowPlaceholderEndpoints: z.boolean({ error: 'expected true or false' }).default(false),
  evidence: evidenceSchema.default({ retentionYears: 6, mode: 'GOVERNANCE', reportSchedule: DEFAULT_REPORT_SCHEDULE }),
  organization: organizationSchema.optional(),
});

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0
    ? '(settings)'
    : path
        .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
        .join('')
        .replace(/^\./, '');
}

/** A parameter value as Config takes it: a string; lists comma-separated. */
function toInputString(entry: CatalogEntry, name: string, value: unknown): string {
  const spec = entry.parameters[name];
  if ((spec?.type === 'stringList' || spec?.type === 'integerList') && Array.isArray(value)) {
    const items = value.map(String);
    const bad = items.find((item) => item.includes(','));
    if (bad !== undefined)
      throw new ParameterError(
        entry.id,
        name,
        `${entry.id}: parameter ${name}: item ${JSON.stringify(bad)} contains a comma, which Config input parameters use to separate items`,
      );
    return items.join(',');
  }
  return String(value);
}

function resolveRules(raw: z.infer<typeof settingsSchema>['rules'], problems: string[]): EnabledRule[] {
  for (const id of Object.keys(raw.parameters)) {
    if (!KNOWN_RULE_IDS.includes(id)) problems.push(`rules.parameters.${id}: unknown rule id ${JSON.stringify(id)}; known rules: ${KNOWN_RULE_IDS.join(', ')}`);
  }
  const enabled = new Set(raw.enabled === 'all' ? KNOWN_RULE_IDS : raw.enabled);
  for (const id of raw.disabled) enabled.delete(id);
  const out: EnabledRule[] = [];
  for (const entry of CATALOG) {
    const given = raw.parameters[entry.id] ?? {};
    let parsed: Readonly<Record<string, unknown>>;
    try {
      parsed = parseParameters(entry.id, entry.parameters, given);
    } catch (error) {
      if (!(error instanceof ParameterError)) throw error;
      problems.push(
        `rules.parameters.${entry.id}.${error.parameter}: ${error.message}${error.message.includes('known parameters') ? '' : allowedParameters(entry)}`,
      );
      continue;
    }
    if (!enabled.has(entry.id)) continue;
    const own: Record<string, string> = {};
    try {
      for (const name of Object.keys(given)) {
        if (given[name] === undefined || given[name] === null || given[name] === '') continue;
        own[name] = toInputString(entry, name, parsed[name]);
      }
      // What Config will hand the evaluator must parse back to the same values.
      const roundTrip = parseParameters(entry.id, entry.parameters, own);
      if (JSON.stringify(roundTrip) !== JSON.stringify(parsed))
        throw new ParameterError(entry.id, Object.keys(own)[0] ?? '', `${entry.id}: parameters do not survive conversion to Config input parameters`);
    } catch (error) {
      if (!(error instanceof ParameterError)) throw error;
      problems.push(`rules.parameters.${entry.id}.${error.parameter}: ${error.message}`);
      continue;
    }
    const inputParameters: Record<string, string> = { ruleId: entry.id, ...own };
    const json = JSON.stringify(inputParameters);
    if (json.length > MAX_INPUT_PARAMETERS_CHARS) {
      problems.push(
        `rules.parameters.${entry.id}: the Config input parameters are ${json.length} characters; AWS Config allows at most ${MAX_INPUT_PARAMETERS_CHARS}`,
      );
      continue;
    }
    out.push({ entry, inputParameters });
  }
  return out;
}

function withoutRuleId(parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => name !== 'ruleId'));
}

function allowedParameters(entry: CatalogEntry): string {
  const names = Object.entries(entry.parameters).map(([name, spec]) => `${name} (${spec.type}, default ${JSON.stringify(spec.default)})`);
  return names.length === 0 ? '' : `; parameters of ${entry.id}: ${names.join(', ')}`;
}

/** Validates raw settings (parsed JSON) into the typed settings; throws SettingsError listing every problem. */
export function parseSettings(raw: unknown, source: string): MonitorSettings {
  const result = settingsSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new SettingsError(
      source,
      result.error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`),
    );
  }
  const data = result.data;
  const problems: string[] = [];
  if (!data.allowPlaceholderEndpoints) {
    for (const key of ['alerts', 'alarms'] as const) {
      data[key].forEach(({ endpoint }, index) => {
        if (isPlaceholderEndpoint(endpoint)) {
          problems.push(
            `${key}[${index}].endpoint: ${JSON.stringify(endpoint)} is a documentation placeholder that reaches nobody; put your on-call address here (or set "allowPlaceholderEndpoints": true to deploy it anyway, e.g. for a test account)`,
          );
        }
      });
    }
  }
  const rules = resolveRules(data.rules, problems);
  const organization = data.organization?.enabled === true ? resolveOrganization(data.organization, data, rules, problems) : undefined;
  if (problems.length > 0) throw new SettingsError(source, problems);
  return {
    source,
    ...(data.region !== undefined && { region: data.region }),
    ...(data.homeRegion !== undefined && { homeRegion: data.homeRegion }),
    alerts: data.alerts,
    alarms: data.alarms,
    rules,
    exemptionTagKey: data.exemptionTagKey,
    periodicFrequency: data.periodicFrequency,
    periodicRestateDays: data.periodicRestateDays,
    digestThreshold: data.digestThreshold,
    enableSecurityHub: data.enableSecurityHub,
    logRetentionDays: data.logRetentionDays,
    ...(data.accountName !== undefined && { accountName: data.accountName }),
    allowPlaceholderEndpoints: data.allowPlaceholderEndpoints,
    evidence: data.evidence,
    ...(organization !== undefined && { organization }),
  };
}

/** Bytes of Lambda environment left for the org lists once the functions' other variables are set. */
export const ORG_ENV_BUDGET = 2500;

/**
 * The org variant's settings. Overrides are checked the way the evaluators will apply them: merged
 * over the rule's Config input parameters and parsed with the catalog's parser.
 */
function resolveOrganization(
  raw: z.infer<typeof organizationSchema>,
  data: z.infer<typeof settingsSchema>,
  rules: readonly EnabledRule[],
  problems: string[],
): OrganizationSettings {
  const homeRegion = data.homeRegion ?? raw.regions[0] ?? '';
  if (new Set(raw.regions).size !== raw.regions.length) problems.push('organization.regions: lists a Region twice');
  if (!raw.regions.includes(homeRegion)) problems.push(`homeRegion: ${homeRegion} is not one of organization.regions (${raw.regions.join(', ')})`);
  if (data.region !== undefined) problems.push('region: leave it out with organization.enabled; organization.regions picks the Regions (one stack each)');
  // These travel to the functions as environment variables (EXCLUDED_ACCOUNTS, INCLUDED_ACCOUNTS,
  // ACCOUNT_OVERRIDES), and Lambda allows 4 KB of environment in all: leave room for the rest.
  const envBytes =
    13 * (raw.excludeAccounts.length + (raw.includeAccounts?.length ?? 0)) +
    (Object.keys(raw.accountOverrides).length > 0 ? JSON.stringify(raw.accountOverrides).length : 0);
  if (envBytes > ORG_ENV_BUDGET) {
    problems.push(
      `organization: excludeAccounts, includeAccounts and accountOverrides take ${envBytes} bytes of Lambda environment, over the ${ORG_ENV_BUDGET} available (Lambda allows 4 KB in all); exclude whole OUs through targetOus instead of listing accounts`,
    );
  }
  const excluded = new Set(raw.excludeAccounts);
  for (const account of raw.includeAccounts ?? []) {
    if (excluded.has(account)) problems.push(`organization.includeAccounts: ${account} is also in organization.excludeAccounts`);
  }
  const byId = new Map<string, EnabledRule>(rules.map((rule) => [rule.entry.id, rule]));
  for (const [account, perRule] of Object.entries(raw.accountOverrides)) {
    for (const [id, given] of Object.entries(perRule)) {
      const path = `organization.accountOverrides.${account}.${id}`;
      if (!KNOWN_RULE_IDS.includes(id)) {
        problems.push(`${path}: unknown rule id ${JSON.stringify(id)}; known rules: ${KNOWN_RULE_IDS.join(', ')}`);
        continue;
      }
      const rule = byId.get(id);
      if (rule === undefined) {
        problems.push(`${path}: rule ${id} is not enabled (rules.enabled / rules.disabled)`);
        continue;
      }
      try {
        parseParameters(id, rule.entry.parameters, withoutRuleId({ ...rule.inputParameters, ...given }));
      } catch (error) {
        if (!(error instanceof ParameterError)) throw error;
        problems.push(`${path}.${error.parameter}: ${error.message}${error.message.includes('known parameters') ? '' : allowedParameters(rule.entry)}`);
      }
    }
  }
  return {
    organizationId: raw.organizationId,
    managementOrDelegatedAdmin: raw.managementOrDelegatedAdmin,
    targetOus: raw.targetOus,
    excludeAccounts: raw.excludeAccounts,
    ...(raw.includeAccounts !== undefined && { includeAccounts: raw.includeAccounts.filter((a) => !excluded.has(a)) }),
    regions: raw.regions,
    homeRegion,
    memberRoleName: raw.memberRoleName,
    accountOverrides: raw.accountOverrides,
    createFindingAggregator: raw.createFindingAggregator,
  };
}

export interface SettingsSource {
  /** The cdk.json / `-c settings=…` context value, when given: used instead of the file. */
  readonly context?: unknown;
  /** @default monitor.settings.json, relative to `cwd` */
  readonly file?: string;
  readonly cwd?: string;
}

/** Reads the settings from the context value if given, else from the file. */
export function loadSettings(options: SettingsSource = {}): MonitorSettings {
  if (options.context !== undefined) {
    const value = typeof options.context === 'string' ? parseJson(options.context, 'cdk context "settings"') : options.context;
    return parseSettings(value, 'cdk context "settings"');
  }
  const file = options.file ?? DEFAULT_SETTINGS_FILE;
  const path = options.cwd === undefined || file.startsWith('/') ? file : `${options.cwd}/${file}`;
  if (!existsSync(path)) {
    throw new SettingsError(file, [`file not found; create it (see "Settings" in README.md) or point to one with -c settingsFile=PATH`]);
  }
  return parseSettings(parseJson(readFileSync(path, 'utf8'), file), file);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SettingsError(source, [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
}
