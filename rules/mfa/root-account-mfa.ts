import { flagValue, staleReportNote, type CredentialReportRow } from '../credential-report.js';
import { HIPAA_MFA } from '../mapping.js';
import { defineInventoryRule, type ResourceVerdict, type Verdict } from '../types.js';
import { compliant, nonCompliant, notApplicable } from '../verdicts.js';

function judgeRoot(root: CredentialReportRow): Verdict {
  const mfa = flagValue(root.raw.mfaActive, 'mfa_active');
  if (mfa === true) return compliant('Root user has MFA enabled (mfa_active = true in the credential report).');
  // IAM writes not_supported for the root password; no sign-in to protect is shown only by false everywhere.
  const password = flagValue(root.raw.passwordEnabled, 'password_enabled', ['not_supported']);
  if (password === false) {
    const credentials = [
      flagValue(root.raw.accessKey1Active, 'access_key_1_active'),
      flagValue(root.raw.accessKey2Active, 'access_key_2_active'),
      flagValue(root.raw.cert1Active, 'cert_1_active'),
      flagValue(root.raw.cert2Active, 'cert_2_active'),
    ];
    if (credentials.every((active) => active === false)) {
      return notApplicable('Root user has no password, access keys or certificates (password_enabled = false), so there is no sign-in for MFA to protect.');
    }
  }
  return nonCompliant('Root user has no MFA device (mfa_active = false in the credential report).');
}

/**
 * The root user of every account signs in with MFA (AWS's ROOT_ACCOUNT_MFA_ENABLED, IAM.9), read from
 * the `<root_account>` row of the IAM credential report. The report is per account; an account whose
 * report has no root row is not judged. If a report ever shows root without any credential (member
 * accounts whose root credentials were removed centrally), MFA has nothing to protect: NOT_APPLICABLE.
 */
export const rootAccountMfa = defineInventoryRule({
  id: 'root-account-mfa',
  title: 'The root user signs in with MFA',
  area: 'mfa',
  description: 'COMPLIANT when the IAM credential report shows an active MFA device for the root user of the account.',
  resourceTypes: ['AWS::::Account'],
  trigger: 'periodic',
  severity: 'CRITICAL',
  hipaa: HIPAA_MFA,
  awsManagedRule: 'ROOT_ACCOUNT_MFA_ENABLED',
  securityHubControls: ['IAM.9'],
  needs: ['credentialReport'],
  parameters: {},
  remediation: {
    summary: 'Sign in as the root user and assign an MFA device (a hardware key or passkey is best); then lock the root credentials away.',
    steps: [
      'Sign in to the AWS Management Console as the root user of the account.',
      'Open Security credentials, Multi-factor authentication (MFA), Assign MFA device, and register a passkey, security key or authenticator app.',
      'Store the device securely; in an AWS Organization consider removing member-account root credentials centrally.',
    ],
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html',
  },
  evaluate(inventory, _params, { now }) {
    const out: ResourceVerdict[] = [];
    for (const report of inventory.credentialReports) {
      if (report.root === undefined) continue;
      const place = { resourceType: 'AWS::::Account', resourceId: report.accountId, accountId: report.accountId, region: 'global' };
      const note = staleReportNote(report, now);
      try {
        const verdict = judgeRoot(report.root);
        out.push({ ...place, compliance: verdict.compliance, annotation: `${verdict.annotation}${note}` });
      } catch (error) {
        out.push({
          ...place,
          compliance: 'NON_COMPLIANT',
          annotation: `Could not evaluate the root user: ${error instanceof Error ? error.message : String(error)}.`,
          error: true,
        });
      }
    }
    return out;
  },
});
