/**
 * The HIPAA Security Rule citations, as data in one place: each rule definition names the citations
 * it supports (`hipaa`, typed with HipaaCitation, so a misspelled or unknown citation fails tsc)
 * and the titles here go into findings (Compliance.RelatedRequirements), alerts, the auditor
 * insights and the README's HIPAA table. A test proves every rule cites something and every
 * citation here is used.
 *
 * Encryption citations follow AWS Config's "Operational Best Practices for HIPAA Security"
 * conformance pack: 164.312(a)(2)(iv) everywhere, 164.312(e)(2)(ii) where the pack lists it too.
 * MFA is person authentication plus supervision of who may sign in; patching is protection from
 * malicious software and risk management; backups are the contingency plan's data backup, disaster
 * recovery and data backup and storage. Where AWS has one managed rule per resource type (the
 * *_RESOURCES_PROTECTED_BY_BACKUP_PLAN and *_LAST_BACKUP_RECOVERY_POINT_CREATED families), a rule
 * names the EBS one for the family.
 *
 * The other safeguards: encryption in transit is transmission security and its encryption
 * specification; a firewall keeping admin and database ports off the internet is access control and
 * transmission security; malware protection is protection from malicious software; a logging,
 * validated trail is the audit controls and the information system activity review that reads them.
 */

export const HIPAA_CITATIONS = {
  '164.308(a)(1)(ii)(B)': 'Risk management',
  '164.308(a)(1)(ii)(D)': 'Information system activity review',
  '164.308(a)(3)(ii)(A)': 'Authorization and/or supervision',
  '164.308(a)(5)(ii)(B)': 'Protection from malicious software',
  '164.308(a)(7)(i)': 'Contingency plan',
  '164.308(a)(7)(ii)(A)': 'Data backup plan',
  '164.308(a)(7)(ii)(B)': 'Disaster recovery plan',
  '164.310(d)(2)(iv)': 'Data backup and storage',
  '164.312(a)(1)': 'Access control',
  '164.312(a)(2)(iv)': 'Encryption and decryption',
  '164.312(b)': 'Audit controls',
  '164.312(c)(2)': 'Mechanism to authenticate electronic protected health information',
  '164.312(d)': 'Person or entity authentication',
  '164.312(e)(1)': 'Transmission security',
  '164.312(e)(2)(ii)': 'Encryption',
} as const;

export type HipaaCitation = keyof typeof HIPAA_CITATIONS;

/** AWS managed Config rule identifiers are upper snake case (ENCRYPTED_VOLUMES). */
export type AwsManagedRule = Uppercase<string>;
/** Security Hub control ids: service and number (EC2.3, RDS.27). */
export type SecurityHubControl = `${string}.${number}`;

/** The mapping fields of every rule definition (see rules/types.ts). */
export interface RuleMapping {
  /** HIPAA Security Rule citations the rule supports: at least one. */
  readonly hipaa: readonly [HipaaCitation, ...HipaaCitation[]];
  /** The nearest AWS managed Config rule identifier, or null when AWS has none. */
  readonly awsManagedRule: AwsManagedRule | null;
  /** Security Hub controls (AWS Foundational Security Best Practices) covering the same ground. */
  readonly securityHubControls: readonly SecurityHubControl[];
}

/* The citation sets shared by a whole area, so its rules cite alike. */
export const HIPAA_AT_REST = ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'] as const satisfies readonly HipaaCitation[];
export const HIPAA_MFA = ['164.312(d)', '164.308(a)(3)(ii)(A)'] as const satisfies readonly HipaaCitation[];
export const HIPAA_PATCHING = ['164.308(a)(5)(ii)(B)', '164.308(a)(1)(ii)(B)'] as const satisfies readonly HipaaCitation[];
export const HIPAA_IN_TRANSIT = ['164.312(e)(1)', '164.312(e)(2)(ii)'] as const satisfies readonly HipaaCitation[];
export const HIPAA_FIREWALL = ['164.312(a)(1)', '164.312(e)(1)'] as const satisfies readonly HipaaCitation[];
export const HIPAA_MALWARE = ['164.308(a)(5)(ii)(B)'] as const satisfies readonly HipaaCitation[];
export const HIPAA_AUDIT = ['164.312(b)', '164.308(a)(1)(ii)(D)'] as const satisfies readonly HipaaCitation[];
export const HIPAA_BACKUPS = [
  '164.308(a)(7)(i)',
  '164.308(a)(7)(ii)(A)',
  '164.308(a)(7)(ii)(B)',
  '164.310(d)(2)(iv)',
] as const satisfies readonly HipaaCitation[];
