import { flagValue, staleReportNote, type CredentialReportRow } from '../credential-report.js';
import { path, RuleInputError } from '../fields.js';
import { isGone, type ConfigurationItem } from '../inventory.js';
import { HIPAA_MFA } from '../mapping.js';
import { integerParam } from '../params.js';
import { defineInventoryRule, type AccountCredentialReport, type ResourceVerdict, type Verdict } from '../types.js';
import { compliant, goneAnnotation, judge, nonCompliant, notApplicable, onItem } from '../verdicts.js';

const HOUR_MS = 3_600_000;

/**
 * The verdict on one report row. The grace period is measured at the time the report saw the user
 * (its GeneratedTime, else the evaluation time): `mfa_active = false` is what IAM saw then, so the
 * user's age then decides whether MFA was already due.
 */
function judgeUser(row: CredentialReportRow, name: string, report: AccountCredentialReport, gracePeriodHours: number, now: Date): Verdict {
  const mfa = attempt(() => flagValue(row.raw.mfaActive, 'mfa_active'));
  if (mfa.value === true) return compliant(`User ${name} signs in to the console with MFA (mfa_active = true).`);
  const password = attempt(() => flagValue(row.raw.passwordEnabled, 'password_enabled'));
  if (password.value === false) return notApplicable(`User ${name} has no console password (password_enabled = false); console MFA does not apply.`);
  if (password.error !== undefined) throw password.error;
  if (mfa.error !== undefined) throw mfa.error;
  if (gracePeriodHours > 0) {
    if (row.createdAt === undefined)
      throw new RuleInputError(`user_creation_time is ${JSON.stringify(row.raw.userCreationTime)}, not a time, so gracePeriodHours cannot be applied`);
    const seenAt = report.generatedAt === undefined ? now.getTime() : Date.parse(report.generatedAt);
    const hours = Math.floor((seenAt - row.createdAt) / HOUR_MS);
    if (seenAt - row.createdAt < gracePeriodHours * HOUR_MS) {
      const when = report.generatedAt === undefined ? 'ago' : 'before the credential report was generated';
      return notApplicable(`User ${name} was created ${hours} hours ${when}, within gracePeriodHours (${gracePeriodHours}); MFA is not required yet.`);
    }
  }
  return nonCompliant(`User ${name} has a console password and no active MFA device (mfa_active = false).`);
}

/** A decision that may not be readable; kept so that a column that does not decide cannot fail the row. */
function attempt<T>(read: () => T): { value?: T; error?: unknown } {
  try {
    return { value: read() };
  } catch (error) {
    return { error };
  }
}

function withNote(verdict: Verdict, note: string): Verdict {
  return note === '' ? verdict : { compliance: verdict.compliance, annotation: `${verdict.annotation}${note}` };
}

function userName(item: ConfigurationItem): string | undefined {
  const name = item.resourceName ?? path(item.configuration, 'userName');
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * Every IAM user who can sign in to the console has MFA (AWS's MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS,
 * IAM.5), read from the IAM credential report: Config's IAM user item holds no MFA data. A report row
 * is reported on the matching AWS::IAM::User item (by ARN, else by name), under the user id (AIDA…)
 * Config records the user by, so the result attaches to the recorded user and its exemption tag
 * applies; the annotation names the user. A row without an item is still reported, under the user
 * name, and says so. Deleted users are NOT_APPLICABLE; users of accounts without a report are not
 * judged. A flag the report writes outside what IAM documents is "could not be evaluated".
 */
export const iamUserConsoleMfa = defineInventoryRule({
  id: 'iam-user-console-mfa',
  title: 'IAM users with console access use MFA',
  area: 'mfa',
  description:
    'COMPLIANT when an IAM user with a console password has an active MFA device; users without a console password, and users created within gracePeriodHours of the credential report, are NOT_APPLICABLE.',
  resourceTypes: ['AWS::IAM::User'],
  trigger: 'periodic',
  severity: 'HIGH',
  hipaa: HIPAA_MFA,
  awsManagedRule: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS',
  securityHubControls: ['IAM.5'],
  needs: ['credentialReport'],
  parameters: {
    gracePeriodHours: integerParam({
      default: 0,
      min: 0,
      max: 720,
      description: 'Hours a new user may sign in before MFA is required (0: from the start), measured at the time the credential report was generated.',
    }),
  },
  remediation: {
    summary: 'Have the user register an MFA device, or remove the console password if the user does not need the console.',
    steps: [
      'IAM console, Users, the user, Security credentials, Assign MFA device (passkey, security key or authenticator app).',
      'If the user only needs programmatic access, delete the console password: aws iam delete-login-profile --user-name <user>',
      'Enforce MFA with a policy that denies actions when aws:MultiFactorAuthPresent is false, or move people to IAM Identity Center with MFA required.',
    ],
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html',
  },
  evaluate(inventory, { gracePeriodHours }, { now }) {
    const byArn = new Map<string, ConfigurationItem>();
    const byName = new Map<string, ConfigurationItem>();
    for (const item of inventory.ofType('AWS::IAM::User')) {
      if (item.arn !== undefined) byArn.set(item.arn, item);
      const name = userName(item);
      if (name !== undefined) byName.set(`${item.accountId}\u0000${name}`, item);
    }
    const out: ResourceVerdict[] = [];
    const reported = new Set<ConfigurationItem>();
    const accounts = new Set<string>();
    for (const report of inventory.credentialReports) {
      accounts.add(report.accountId);
      const note = staleReportNote(report, now);
      for (const row of report.users) {
        const item = byArn.get(row.arn) ?? byName.get(`${report.accountId}\u0000${row.user}`);
        if (item === undefined) {
          const unrecorded = ' No AWS::IAM::User item of this user is in the input, so it is reported under its name.';
          const place = { resourceType: 'AWS::IAM::User', resourceId: row.user, accountId: report.accountId, region: 'global' };
          try {
            out.push({ ...place, ...withNote(judgeUser(row, row.user, report, gracePeriodHours, now), `${note}${unrecorded}`) });
          } catch (error) {
            out.push({
              ...place,
              compliance: 'NON_COMPLIANT',
              annotation: `Could not evaluate user ${row.user}: ${error instanceof Error ? error.message : String(error)}.`,
              error: true,
            });
          }
          continue;
        }
        reported.add(item);
        out.push(judge(item, () => withNote(judgeUser(row, row.user, report, gracePeriodHours, now), note)));
      }
    }
    for (const item of inventory.ofType('AWS::IAM::User')) {
      if (reported.has(item)) continue;
      if (isGone(item)) out.push(onItem(item, notApplicable(goneAnnotation(item))));
      else if (accounts.has(item.accountId))
        out.push(
          judge(item, () =>
            notApplicable('User is not in the credential report of its account (created after the report?); generate a new report to judge it.'),
          ),
        );
    }
    return out;
  },
});
