/**
 * Reading backup plan rules. The Config item names them `BackupPlan.BackupPlanRule[].TargetBackupVault`
 * where the API says `Rules[].TargetBackupVaultName` (docs/aws-semantics.md, "Backup plans"); both are
 * accepted, as is GetBackupPlanFromTemplate's `BackupPlanDocument`. Absent fields have AWS Backup's
 * documented meaning (no ScheduleExpression: the daily default; no Lifecycle: kept until deleted);
 * a field of the wrong type or out of range is a RuleInputError naming the rule, the field and the
 * value, never read as absent.
 */
import { field, optionalBoolean, optionalInteger, quote, RuleInputError, strictPath } from '../fields.js';
import { isRecord } from '../inventory.js';

/** What AWS Backup runs when a rule has no ScheduleExpression. */
export const DEFAULT_SCHEDULE = 'cron(0 5 ? * * *)';

export interface PlanRule {
  readonly name: string;
  readonly scheduleExpression: string;
  /** The rule gave no expression and runs on AWS Backup's default. */
  readonly scheduleDefaulted: boolean;
  readonly continuous: boolean;
  /** `undefined`: no lifecycle, so recovery points are kept until deleted by hand. */
  readonly deleteAfterDays?: number;
  readonly copyDestinations: readonly string[];
}

function ruleList(configuration: unknown): unknown[] {
  const plan = field(configuration, 'BackupPlan') ?? field(configuration, 'BackupPlanDocument');
  if (plan === undefined || plan === null) throw new RuleInputError('configuration.BackupPlan is missing');
  if (!isRecord(plan)) throw new RuleInputError(`configuration.BackupPlan is not an object (${quote(plan)})`);
  const rules = field(plan, 'BackupPlanRule') ?? field(plan, 'Rules');
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) throw new RuleInputError(`configuration.BackupPlan.BackupPlanRule is not a list (${quote(rules)})`);
  return rules;
}

function readRule(rule: unknown, index: number): PlanRule {
  const at = `configuration.BackupPlan.BackupPlanRule[${index}]`;
  if (!isRecord(rule)) throw new RuleInputError(`${at} is not an object (${quote(rule)})`);
  const named = field(rule, 'RuleName');
  const name = typeof named === 'string' && named !== '' ? named : `#${index + 1}`;
  const where = `backup plan rule ${name}`;
  const expression = field(rule, 'ScheduleExpression');
  if (expression !== undefined && expression !== null && typeof expression !== 'string')
    throw new RuleInputError(`${where}: ScheduleExpression is not a string (${quote(expression)})`);
  const hasExpression = typeof expression === 'string' && expression.trim() !== '';
  const lifecycle = strictPath(rule, 'Lifecycle', where);
  if (lifecycle !== undefined && lifecycle !== null && !isRecord(lifecycle))
    throw new RuleInputError(`${where}: Lifecycle is not an object (${quote(lifecycle)})`);
  const deleteAfterDays = optionalInteger(rule, 'Lifecycle.DeleteAfterDays', where);
  if (deleteAfterDays !== undefined && deleteAfterDays < 1)
    throw new RuleInputError(`${where}: Lifecycle.DeleteAfterDays is ${deleteAfterDays}; AWS Backup keeps recovery points at least 1 day`);
  const copies = field(rule, 'CopyActions');
  if (copies !== undefined && copies !== null && !Array.isArray(copies)) throw new RuleInputError(`${where}: CopyActions is not a list (${quote(copies)})`);
  const copyDestinations = (Array.isArray(copies) ? copies : []).map((copy, i) => {
    const arn = isRecord(copy) ? field(copy, 'DestinationBackupVaultArn') : undefined;
    if (typeof arn !== 'string' || arn === '')
      throw new RuleInputError(
        `${where}: CopyActions[${i}].DestinationBackupVaultArn is ${isRecord(copy) ? quote(arn) : `not in an object (${quote(copy)})`}; AWS Backup requires it`,
      );
    return arn;
  });
  return {
    name,
    scheduleExpression: hasExpression ? expression.trim() : DEFAULT_SCHEDULE,
    scheduleDefaulted: !hasExpression,
    continuous: optionalBoolean(rule, 'EnableContinuousBackup', where) ?? false,
    ...(deleteAfterDays !== undefined && { deleteAfterDays }),
    copyDestinations,
  };
}

export function planRules(configuration: unknown): PlanRule[] {
  return ruleList(configuration).map(readRule);
}

export function planName(configuration: unknown, fallback: string): string {
  const plan = field(configuration, 'BackupPlan') ?? field(configuration, 'BackupPlanDocument');
  const name = field(plan, 'BackupPlanName');
  return typeof name === 'string' && name !== '' ? name : fallback;
}
