import { HIPAA_BACKUPS } from '../mapping.js';
import { integerParam } from '../params.js';
import { defineItemRule } from '../types.js';
import { compliant, nonCompliant } from '../verdicts.js';
import { planName, planRules, type PlanRule } from './plan.js';
import { describeMinutes, maxGapMinutes, parseSchedule, ScheduleError } from './schedule.js';

interface RuleCheck {
  readonly rule: PlanRule;
  readonly gapMinutes: number;
  readonly retentionDays: number;
}

function retention(rule: PlanRule): string {
  return rule.deleteAfterDays === undefined ? 'keeps recovery points until deleted' : `keeps recovery points ${rule.deleteAfterDays} days`;
}

/**
 * A backup plan backs up often enough and keeps backups long enough (AWS's
 * BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK): at least one of its rules runs at least every
 * requiredFrequencyHours and keeps recovery points requiredRetentionDays. The frequency is the
 * largest gap between runs of the schedule, so "twice a day at 06:00 and 08:00" counts as 22 hours.
 * Continuous backup is not counted as a frequency: AWS Backup backs up continuously only RDS, Aurora,
 * S3 and SAP HANA on EC2, so for the plan's other resources the schedule decides
 * (docs/aws-semantics.md, "Backup plans"); resource-recent-recovery-point credits it per resource.
 */
export const backupPlanFrequencyRetention = defineItemRule({
  id: 'backup-plan-frequency-retention',
  title: 'Backup plans run often enough and keep backups long enough',
  area: 'backup',
  description:
    'COMPLIANT when at least one rule of the backup plan runs its snapshot schedule at least every requiredFrequencyHours and keeps recovery points at least requiredRetentionDays (no lifecycle: kept until deleted; continuous backup, limited to some services, does not replace the schedule).',
  resourceTypes: ['AWS::Backup::BackupPlan'],
  trigger: 'change',
  severity: 'HIGH',
  hipaa: HIPAA_BACKUPS,
  awsManagedRule: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
  securityHubControls: [],
  parameters: {
    requiredFrequencyHours: integerParam({ default: 24, min: 1, max: 8760, description: 'Longest allowed gap between backups, in hours.' }),
    requiredRetentionDays: integerParam({ default: 35, min: 1, max: 36500, description: 'Shortest allowed retention of recovery points, in days.' }),
  },
  remediation: {
    summary: 'Add or change a rule of the plan so that it runs daily (or more often) and keeps recovery points at least the required number of days.',
    steps: [
      'Open AWS Backup, Backup plans, the plan, and edit (or add) a backup rule.',
      'Set the frequency to Daily or more often (for example cron(0 5 ? * * *)); continuous backup helps RDS, Aurora and S3 but does not replace the schedule for other resources.',
      'Set the retention period to at least the required number of days.',
    ],
    url: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html',
  },
  evaluate(item, { requiredFrequencyHours, requiredRetentionDays }, { now }) {
    const name = planName(item.configuration, item.resourceName ?? item.resourceId);
    const rules = planRules(item.configuration);
    if (rules.length === 0) return nonCompliant(`Backup plan ${name} has no rules (BackupPlan.BackupPlanRule is empty).`);
    const checks: RuleCheck[] = [];
    for (const rule of rules) {
      let gapMinutes: number;
      try {
        gapMinutes = maxGapMinutes(parseSchedule(rule.scheduleExpression), now);
      } catch (error) {
        if (!(error instanceof ScheduleError)) throw error;
        return nonCompliant(
          `Backup plan ${name} rule ${rule.name} has a ScheduleExpression that cannot be parsed (${JSON.stringify(rule.scheduleExpression)}: ${error.message}).`,
        );
      }
      checks.push({ rule, gapMinutes, retentionDays: rule.deleteAfterDays ?? Infinity });
    }
    const good = checks.find((c) => c.gapMinutes <= requiredFrequencyHours * 60 && c.retentionDays >= requiredRetentionDays);
    if (good !== undefined) {
      const how = `runs at least every ${describeMinutes(good.gapMinutes)} (${good.rule.scheduleExpression}${good.rule.scheduleDefaulted ? ', the default' : ''})`;
      return compliant(`Backup plan ${name} rule ${good.rule.name} ${how} and ${retention(good.rule)}.`);
    }
    const problems = checks.map((c) => {
      const tooRare = c.gapMinutes > requiredFrequencyHours * 60;
      const tooShort = c.retentionDays < requiredRetentionDays;
      const parts = [
        ...(tooRare
          ? [
              Number.isFinite(c.gapMinutes)
                ? `can go ${describeMinutes(c.gapMinutes)} between runs (${c.rule.scheduleExpression})`
                : `does not run in the next 8 years (${c.rule.scheduleExpression})`,
            ]
          : []),
        ...(tooShort ? [`keeps recovery points ${c.rule.deleteAfterDays} days (Lifecycle.DeleteAfterDays)`] : []),
      ];
      const continuous = tooRare && c.rule.continuous ? ' (its continuous backup covers only RDS, Aurora, S3 and SAP HANA)' : '';
      return `${c.rule.name} ${parts.join(' and ')}${continuous}`;
    });
    return nonCompliant(
      `No rule of backup plan ${name} runs at least every ${requiredFrequencyHours} hours and keeps ${requiredRetentionDays} days: ${problems.join('; ')}.`,
    );
  },
});
