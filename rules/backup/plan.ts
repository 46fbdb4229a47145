/**
 * Reading backup plan rules. The Config item names them `BackupPlan.BackupPlanRule[].TargetBackupVault`
 * where the API says `Rules[].TargetBackupVaultName` (AWS-FACTS.md §7); both are accepted, as is
 * GetBackupPlanFromTemplate's `BackupPlanDocument`.
 */
import { field, optionalInteger, RuleInputError } from '../fields.js';
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
  if (!isRecord(plan)) throw new RuleInputError('configuration.BackupPlan is missing');
  const rules = field(plan, 'BackupPlanRule') ?? field(plan, 'Rules');
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) throw new RuleInputError('configuration.BackupPlan.BackupPlanRule is not a list');
  return rules;
}

function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

export function planRules(configuration: unknown): PlanRule[] {
  return ruleList(configuration).map((rule, index) => {
    const name = field(rule, 'RuleName');
    const expression = field(rule, 'ScheduleExpression');
    const hasExpression = typeof expression === 'string' && expression.trim() !== '';
    const copies = field(rule, 'CopyActions');
    const deleteAfterDays = optionalInteger(rule, 'Lifecycle.DeleteAfterDays');
    return {
      name: typeof name === 'string' && name !== '' ? name : `#${index + 1}`,
      scheduleExpression: hasExpression ? expression.trim() : DEFAULT_SCHEDULE,
      scheduleDefaulted: !hasExpression,
      continuous: truthy(field(rule, 'EnableContinuousBackup')),
      ...(deleteAfterDays !== undefined && { deleteAfterDays }),
      copyDestinations: Array.isArray(copies)
        ? copies.map((copy) => field(copy, 'DestinationBackupVaultArn')).filter((arn): arn is string => typeof arn === 'string' && arn !== '')
        : [],
    };
  });
}

export function planName(configuration: unknown, fallback: string): string {
  const plan = field(configuration, 'BackupPlan') ?? field(configuration, 'BackupPlanDocument');
  const name = field(plan, 'BackupPlanName');
  return typeof name === 'string' && name !== '' ? name : fallback;
}
