/**
 * `--format csv`: one row per evaluation, for a spreadsheet. RFC 4180 (every field quoted, CRLF
 * line ends) in UTF-8 with a byte-order mark, without which Excel reads the file as the local
 * ANSI code page. Resource ids, names, annotations and exemption reasons come from customer data, so
 * a field starting with = + - @ tab or CR gets a leading apostrophe (OWASP's CSV injection advice)
 * and opens as text, never as a formula.
 */
import { stringify } from 'csv-stringify/sync';
import type { CatalogEntry } from '../../rules/catalog.js';
import type { Evaluation } from '../../rules/types.js';

export const CSV_COLUMNS = [
  'rule id',
  'rule title',
  'HIPAA citations',
  'severity',
  'resource type',
  'resource id',
  'resource name',
  'account',
  'Region',
  'compliance',
  'annotation',
  'exemption',
  'exemption reason',
  'exemption until',
] as const;

function exemptionFields(evaluation: Evaluation): [string, string, string] {
  const { exemption } = evaluation;
  switch (exemption?.state) {
    case undefined:
      return ['', '', ''];
    case 'active':
      return ['in force', exemption.reason, exemption.until ?? ''];
    case 'expired':
      return ['expired, ignored', exemption.reason, exemption.until];
    case 'malformed':
      return [`malformed (${exemption.problem}), ignored`, exemption.reason ?? '', ''];
  }
}

export function toCsv(evaluations: readonly Evaluation[], catalog: readonly CatalogEntry[]): string {
  const titles = new Map<string, string>(catalog.map((entry) => [entry.id, entry.title]));
  const rows = evaluations.map((e) => [
    e.ruleId,
    titles.get(e.ruleId) ?? '',
    e.hipaa.join('; '),
    e.severity,
    e.resourceType,
    e.resourceId,
    e.resourceName ?? '',
    e.accountId,
    e.region,
    e.compliance,
    e.annotation,
    ...exemptionFields(e),
  ]);
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], bom: true, quoted: true, record_delimiter: 'windows', escape_formulas: true });
}
