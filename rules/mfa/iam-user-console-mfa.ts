import type { CredentialReportRow } from '../credential-report.js';
import { path } from '../fields.js';
import { isGone, type ConfigurationItem } from '../inventory.js';
import { HIPAA_MFA } from '../mapping.js';
import { integerParam } from '../params.js';
import { defineInventoryRule, type ResourceVerdict, type Verdict } from '../types.js';
import { compliant, goneAnnotation, judge, nonCompliant, notApplicable, onItem } from '../verdicts.js';

const HOUR_MS = 3_600_000;

function judgeUser(row: CredentialReportRow, gracePeriodHours: number, now: Date): Verdict {
  if (row.passwordEnabled === false) return notApplicable('User has no console password (password_enabled = false); console MFA does not apply.');
  if (row.mfaActive === true) return compliant('User signs in to the console with MFA (mfa_active = true).');
  if (row.createdAt !== undefined && now.getTime() - row.createdAt < gracePeriodHours * HOUR_MS) {
    const hours = Math.floor((now.getTime() - row.createdAt) / HOUR_MS);
    return notApplicable(`User was created ${hours} hours ago, within gracePeriodHours (${gracePeriodHours}); MFA is not required yet.`);
  }
  const password = row.passwordEnabled === true ? 'has a console password' : `may have a console password (password_enabled = ${row.raw.passwordEnabled || 'empty'})`;
  const mfa = row.mfaActive === false ? 'no active MFA device (mfa_active = false)' : `no MFA shown in the report (mfa_active = ${row.raw.mfaActive || 'empty'})`;
  return nonCompliant(`User ${password} and ${mfa}.`);
}

function userName(item: ConfigurationItem): string | undefined {
  const name = item.resourceName ?? path(item.configuration, 'userName');
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * Every IAM user who can sign in to the console has MFA (AWS's MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS,
 * IAM.5), read from the IAM credential report: Config's IAM user item holds no MFA data. A report row
 * is reported on the matching AWS::IAM::User item (by ARN, else by name), so the IAM user id names it
 * and its exemption tag applies; a row without an item is still reported, under the user name. Deleted
 * users are NOT_APPLICABLE; users of accounts without a report are not judged.
 */
export const iamUserConsoleMfa = defineInventoryRule({
  id: 'iam-user-console-mfa',
  title: 'IAM users with console access use MFA',
  area: 'mfa',
  description:
    'COMPLIANT when an IAM user with a console password has an active MFA device; users without a console password, and users created within gracePeriodHours, are NOT_APPLICABLE.',
  resourceTypes: ['AWS::IAM::User'],
  trigger: 'periodic',
  severity: 'HIGH',
  hipaa: HIPAA_MFA,
  awsManagedRule: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS',
  securityHubControls: ['IAM.5'],
  needs: ['credentialReport'],
  parameters: {
    gracePeriodHours: integerParam({ default: 0, min: 0, max: 720, description: 'Hours a new user may sign in before MFA is required (0: from the start).' }),
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
      for (const row of report.users) {
        const item = byArn.get(row.arn) ?? byName.get(`${report.accountId}\u0000${row.user}`);
        if (item === undefined) {
          out.push({ resourceType: 'AWS::IAM::User', resourceId: row.user, accountId: report.accountId, region: 'global', ...judgeUser(row, gracePeriodHours, now) });
          continue;
        }
        reported.add(item);
        out.push(judge(item, () => judgeUser(row, gracePeriodHours, now)));
      }
    }
    for (const item of inventory.ofType('AWS::IAM::User')) {
      if (reported.has(item)) continue;
      if (isGone(item)) out.push(onItem(item, notApplicable(goneAnnotation(item))));
      else if (accounts.has(item.accountId)) out.push(judge(item, () => notApplicable('User is not in the credential report of its account (created after the report?); generate a new report to judge it.')));
    }
    return out;
  },
});
