/** Evidence-report inputs built from real engine evaluations over AWS's sample items. */
import { summarize } from '../../cli/report.js';
import type { ReportInput, ReportMetadata, ScanSummary } from '../../functions/reports/model.js';
import { CATALOG } from '../../rules/catalog.js';
import type { SkippedItem } from '../../rules/inventory.js';
import type { Evaluation } from '../../rules/types.js';
import { NOW, evaluate } from './rules.js';
import { itemFrom, SAMPLE } from './samples.js';

export const volume = (id: string, configuration: Record<string, unknown>, tags: Record<string, string> = {}) =>
  itemFrom(SAMPLE.volume, { configuration, top: { resourceId: id, tags } });

/** One of each kind the report sorts apart: compliant, failing, exempt, exemption expired and malformed, could not be evaluated. */
export function mixedEvaluations(): Evaluation[] {
  return [
    evaluate('ebs-volume-encrypted', volume('vol-0000000000000aaaa', { encrypted: true })),
    evaluate('ebs-volume-encrypted', volume('vol-0000000000000bbbb', { encrypted: false })),
    evaluate('ebs-volume-encrypted', volume('vol-0000000000000cccc', { encrypted: false }, { 'compliance:exempt': 'lab scratch disk until=2026-12-31' })),
    evaluate('ebs-volume-encrypted', volume('vol-0000000000000dddd', { encrypted: false }, { 'compliance:exempt': 'migration until=2026-11-01' })),
    evaluate('ebs-volume-encrypted', volume('vol-0000000000000eeee', { encrypted: false }, { 'compliance:exempt': 'until=2027-01-01' })),
    evaluate('ebs-volume-encrypted', volume('vol-0000000000000ffff', { encrypted: null })),
  ];
}

export const META: ReportMetadata = {
  generatedAt: '2026-11-29T08:00:00.000Z',
  evaluatedAsOf: NOW.toISOString(),
  source: 'Test',
  inputs: [{ name: 'snapshot.json', bytes: 1234, sha256: 'ab'.repeat(32) }],
  parameters: { 'ebs-volume-encrypted': { kmsKeyArns: [] } },
  exemptionTagKey: 'compliance:exempt',
  version: '9.9.9',
};

export function reportOf(
  evaluations: readonly Evaluation[],
  options: {
    skippedItems?: SkippedItem[];
    rulesSkipped?: ScanSummary['rulesSkipped'];
    meta?: Partial<ReportMetadata>;
    summaryExtra?: Record<string, unknown>;
  } = {},
): ReportInput {
  const ran = new Set(evaluations.map((e) => e.ruleId));
  const summary = summarize(evaluations, {
    rulesRun: CATALOG.filter((entry) => ran.has(entry.id)),
    rulesSkipped: options.rulesSkipped ?? [],
    skippedItems: options.skippedItems ?? [],
    inputs: ['snapshot.json'],
    now: NOW,
  });
  return { evaluations, summary: { ...summary, ...options.summaryExtra }, catalog: CATALOG, meta: { ...META, ...options.meta } };
}

/** Markup where customer data goes: any of it running or fetching would be an injection. */
export const HOSTILE = {
  resourceId: '<script>window.pwned = "resourceId"</script>',
  resourceName: '"><img src=x onerror="window.pwned = \'resourceName\'">',
  annotation: '</td></tr></table><script>window.pwned = "annotation"</script><img src=x onerror="window.pwned = \'annotation\'">',
  accountId: "'><svg onload=\"window.pwned = 'accountId'\">",
  reason: '<iframe srcdoc="<script>parent.pwned = 1</script>"></iframe>',
  source: 'snap<script>window.pwned = "source"</script>.json',
  extra: '<a href="javascript:window.pwned = 1">click</a><style>body { display: none }</style>',
} as const;

export function hostileReport(): ReportInput {
  const [compliant, failing, exempt, expired] = mixedEvaluations() as [Evaluation, Evaluation, Evaluation, Evaluation];
  const evaluations: Evaluation[] = [
    compliant,
    { ...failing, resourceId: HOSTILE.resourceId, resourceName: HOSTILE.resourceName, annotation: HOSTILE.annotation, accountId: HOSTILE.accountId },
    { ...exempt, resourceId: HOSTILE.resourceName, exemption: { state: 'active', reason: HOSTILE.reason, until: '2026-12-31' } },
    { ...expired, exemption: { state: 'malformed', problem: HOSTILE.reason, reason: HOSTILE.annotation } },
    { ...failing, compliance: 'INSUFFICIENT_DATA', error: true, resourceId: HOSTILE.resourceId, annotation: HOSTILE.annotation },
  ];
  return reportOf(evaluations, {
    skippedItems: [
      {
        source: HOSTILE.source,
        location: 'configurationItems[0]',
        resourceType: HOSTILE.resourceName,
        resourceId: HOSTILE.resourceId,
        reason: HOSTILE.annotation,
      },
    ],
    rulesSkipped: [{ ruleId: 'ebs-encryption-by-default', reason: HOSTILE.annotation }],
    meta: { inputs: [{ name: HOSTILE.source, bytes: 1, sha256: HOSTILE.resourceName }], exemptionTagKey: HOSTILE.resourceName, source: HOSTILE.annotation },
    summaryExtra: { [HOSTILE.extra]: [{ note: HOSTILE.extra }], staleThings: HOSTILE.annotation },
  });
}
