import type { CredentialReportRow } from '../credential-report.js';
import { HIPAA_MFA } from '../mapping.js';
import { defineInventoryRule, type ResourceVerdict, type Verdict } from '../types.js';
import { compliant, nonCompliant, notApplicable } from '../verdicts.js';

function judgeRoot(root: CredentialReportRow): Verdict {
  if (root.mfaActive === true) return compliant('Root user has MFA enabled (mfa_active = true in the credential report).');
  if (root.passwordEnabled === false && root.activeAccessKeys === 0 && root.activeCertificates === 0) {
    return notApplicable('Root user has no password, access keys or certificates (password_enabled = false), so there is no sign-in for MFA to protect.');
  }
  if (root.mfaActive === false) return nonCompliant('Root user has no MFA device (mfa_active = false in the credential report).');
  return nonCompliant(`The credential report does not show MFA for the root user (mfa_active = ${root.raw.mfaActive || 'empty'}).`);
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
  evaluate(inventory) {
    const out: ResourceVerdict[] = [];
    for (const report of inventory.credentialReports) {
      if (report.root === undefined) continue;
      out.push({ resourceType: 'AWS::::Account', resourceId: report.accountId, accountId: report.accountId, region: 'global', ...judgeRoot(report.root) });
    }
    return out;
  },
});
