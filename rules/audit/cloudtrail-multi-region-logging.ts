import { field, optionalString } from '../fields.js';
import { isGone } from '../inventory.js';
import { flag, liveReadings, OFFLINE_UNKNOWN, onAccount, placesOf, type AccountVerdict } from '../live.js';
import { HIPAA_AUDIT } from '../mapping.js';
import { defineInventoryRule, type ResourceVerdict, type TrailReading } from '../types.js';
import { compliant, nonCompliant } from '../verdicts.js';

/** What a trail lacks, as words for the annotation; undefined entries are settings nobody returned. */
interface TrailCheck {
  readonly name: string;
  readonly multiRegion: boolean | undefined;
  readonly problems: readonly string[];
  /** Settings the data does not give (logging status unreadable, a flag absent): the trail cannot be credited or blamed on them. */
  readonly unknown: readonly string[];
  readonly organization: boolean;
  readonly kmsKeyId?: string;
}

/**
 * One trail's settings, from DescribeTrails (PascalCase) or Config's trail item (camelCase): the
 * lookups are case-insensitive, so one reader serves both. `status` is GetTrailStatus; offline there is none.
 */
function checkTrail(trail: unknown, status: { readonly reading?: unknown; readonly error?: string } | 'offline'): TrailCheck {
  const name = optionalString(trail, 'Name') ?? optionalString(trail, 'TrailARN') ?? 'unnamed trail';
  const problems: string[] = [];
  const unknown: string[] = [];
  if (status !== 'offline') {
    const logging = status.error === undefined ? flag(status.reading, 'IsLogging') : undefined;
    if (logging === false) problems.push('IsLogging = false');
    else if (logging === undefined) unknown.push(status.error === undefined ? 'IsLogging not returned' : `GetTrailStatus failed (${status.error})`);
  }
  const validation = flag(trail, 'LogFileValidationEnabled');
  if (validation === false) problems.push('LogFileValidationEnabled = false');
  else if (validation === undefined) unknown.push('LogFileValidationEnabled not given');
  const kmsKeyId = optionalString(trail, 'KmsKeyId');
  if (kmsKeyId === undefined) problems.push('no KmsKeyId');
  return {
    name,
    multiRegion: flag(trail, 'IsMultiRegionTrail'),
    problems,
    unknown,
    organization: flag(trail, 'IsOrganizationTrail') === true,
    ...(kmsKeyId !== undefined && { kmsKeyId }),
  };
}

const list = (checks: readonly TrailCheck[], what: (check: TrailCheck) => readonly string[]): string =>
  checks.map((check) => `${check.name}: ${what(check).join(', ')}`).join('; ');

/** The live verdict: DescribeTrails (shadow and organization trails included) with each trail's status. */
function judgeLive(readings: readonly TrailReading[]): AccountVerdict {
  if (readings.length === 0) return nonCompliant('No CloudTrail trail covers the account (DescribeTrails returned none).');
  const checks = readings.map((reading) =>
    checkTrail(reading.trail, { reading: reading.status, ...(reading.statusError !== undefined && { error: reading.statusError }) }),
  );
  const multi = checks.filter((check) => check.multiRegion === true);
  const good = multi.find((check) => check.problems.length === 0 && check.unknown.length === 0);
  if (good !== undefined) {
    return compliant(
      `Multi-Region ${good.organization ? 'organization ' : ''}trail ${good.name} is logging, with log file validation and KMS encryption (${good.kmsKeyId ?? ''}).`,
    );
  }
  // A trail that would qualify but for a setting nobody returned leaves the verdict open.
  const undecided = checks.filter((check) => check.multiRegion !== false && check.problems.length === 0);
  if (undecided.length > 0)
    return {
      error: `Could not evaluate: ${list(undecided, (check) => (check.multiRegion === undefined ? ['IsMultiRegionTrail not given', ...check.unknown] : check.unknown))}.`,
    };
  if (multi.length === 0)
    return nonCompliant(
      `No multi-Region trail covers the account: ${checks.map((check) => check.name).join(', ')} ${checks.length === 1 ? 'is' : 'are'} single-Region (IsMultiRegionTrail = false).`,
    );
  return nonCompliant(`No multi-Region trail is logging with log file validation and KMS encryption: ${list(multi, (check) => check.problems)}.`);
}

/**
 * Offline, from Config's trail items: they record whether a trail is multi-Region, validated and
 * KMS-encrypted, but not whether it is logging; and a member account does not record the organization
 * trail that may cover it (the management account owns it). So the files never decide: the verdict
 * says what they show.
 */
function judgeOffline(trails: readonly TrailCheck[]): AccountVerdict {
  if (trails.length === 0) {
    return {
      error: `${OFFLINE_UNKNOWN}: no AWS::CloudTrail::Trail item of this account (the recorder may not record trails; an organization trail is recorded in the management account only).`,
    };
  }
  const ready = trails.find((check) => check.multiRegion === true && check.problems.length === 0 && check.unknown.length === 0);
  if (ready !== undefined)
    return {
      error: `${OFFLINE_UNKNOWN}: Config does not record whether a trail is logging; ${ready.name} is multi-Region with log file validation and KMS encryption.`,
    };
  return {
    error: `${OFFLINE_UNKNOWN}: no recorded trail is multi-Region with log file validation and KMS (${list(trails, (check) => [...(check.multiRegion === true ? [] : ['single-Region']), ...check.problems, ...check.unknown])}); an organization trail would not show here.`,
  };
}

/**
 * At least one multi-Region trail covers the account and is logging, with log file validation and
 * KMS encryption (AWS's MULTI_REGION_CLOUD_TRAIL_ENABLED, CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED and
 * CLOUD_TRAIL_ENCRYPTION_ENABLED; Security Hub CloudTrail.1/2/4). Account-wide: the deployed monitor
 * runs it in the home Region, where DescribeTrails also lists multi-Region trails homed elsewhere
 * (shadow trails) and the organization's trail, whose status it reads by ARN. Which events a trail
 * selects is not checked. See docs/aws-semantics.md, "CloudTrail trails".
 */
export const cloudtrailMultiRegionLogging = defineInventoryRule({
  id: 'cloudtrail-multi-region-logging',
  title: 'A multi-Region CloudTrail trail is logging, validated and encrypted',
  area: 'audit',
  description:
    'COMPLIANT when at least one multi-Region trail covering the account is logging (GetTrailStatus IsLogging), with log file validation and a KMS key.',
  resourceTypes: ['AWS::::Account'],
  trigger: 'periodic',
  severity: 'HIGH',
  hipaa: HIPAA_AUDIT,
  awsManagedRule: 'MULTI_REGION_CLOUD_TRAIL_ENABLED',
  securityHubControls: ['CloudTrail.1', 'CloudTrail.2', 'CloudTrail.4'],
  needs: ['cloudTrailTrails'],
  parameters: {},
  remediation: {
    summary: 'Create (or fix) one multi-Region trail with log file validation and SSE-KMS encryption, and keep it logging.',
    steps: [
      'CloudTrail console, Trails, Create trail (or the existing trail, Edit): it applies to all Regions by default.',
      'Turn on Log file validation, and under Log file SSE-KMS encryption choose a KMS key whose policy lets CloudTrail use it.',
      'If the trail shows Logging: off, choose Start logging (aws cloudtrail start-logging --name <trail-arn>).',
    ],
    url: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html',
  },
  evaluate(inventory) {
    const out: ResourceVerdict[] = [];
    const live = new Map<string, TrailReading[]>();
    for (const { settings, value } of liveReadings(inventory, 'cloudTrailTrails'))
      live.set(settings.accountId, [...(live.get(settings.accountId) ?? []), ...value]);
    for (const [accountId, readings] of live) {
      // The same multi-Region trail shows in every Region read: judge each ARN once.
      const unique = [...new Map(readings.map((reading) => [String(field(reading.trail, 'TrailARN') ?? field(reading.trail, 'Name')), reading])).values()];
      out.push(onAccount(accountId, 'global', judgeLive(unique)));
    }
    const trails = inventory.ofType('AWS::CloudTrail::Trail').filter((item) => !isGone(item) && item.configuration !== null);
    for (const accountId of placesOf(inventory.items).accounts) {
      if (live.has(accountId)) continue;
      out.push(
        onAccount(
          accountId,
          'global',
          judgeOffline(trails.filter((item) => item.accountId === accountId).map((item) => checkTrail(item.configuration, 'offline'))),
        ),
      );
    }
    return out;
  },
});
