/** Turns a scan into the text of the chosen `--format`; the evidence reports get the file metadata here. */
import { toCsv } from '../functions/reports/csv.js';
import { toHtml } from '../functions/reports/html.js';
import { describeLiveRead } from '../functions/reports/model.js';
import { CATALOG } from '../rules/catalog.js';
import { DEFAULT_EXEMPTION_TAG_KEY } from '../rules/exemptions.js';
import { toAsff } from './asff.js';
import { toJson, toTable } from './report.js';
import type { OfflineScan } from './run.js';
import { projectVersion } from './version.js';

export const FORMATS = ['table', 'json', 'asff', 'html', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  readonly exemptionTagKey?: string;
  /** When the report is produced; the evaluation time (`--as-of`) is in the summary. */
  readonly generatedAt?: Date;
}

export async function render(format: Format, result: OfflineScan, options: RenderOptions = {}): Promise<string> {
  switch (format) {
    case 'json':
      return toJson(result);
    case 'asff':
      return toAsff(result);
    case 'table':
      return toTable(result, CATALOG);
    case 'csv':
      return toCsv(result.evaluations, CATALOG);
    case 'html':
      return toHtml({
        evaluations: result.evaluations,
        summary: result.summary,
        catalog: CATALOG,
        meta: {
          generatedAt: (options.generatedAt ?? new Date()).toISOString(),
          evaluatedAsOf: result.summary.generatedAt,
          source:
            result.summary.live === undefined
              ? 'Offline scan (npm run scan) of files exported from AWS'
              : `${describeLiveRead(result.summary.live)} Read-only, with the caller's credentials (npm run scan -- --live)`,
          inputs: result.inputFiles,
          parameters: Object.fromEntries(result.parameters),
          exemptionTagKey: options.exemptionTagKey ?? DEFAULT_EXEMPTION_TAG_KEY,
          version: projectVersion(),
        },
      });
  }
}
