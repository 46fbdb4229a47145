/**
 * The evidence reports: the size of the example clinic's HTML, and how long the HTML and CSV
 * renderers take over a 10,000-resource scan (synthetic snapshot, see generate.ts). Printed, never
 * asserted.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../cli/render.js';
import { scan } from '../cli/run.js';
import { writeSnapshot } from './generate.js';
import { median } from './lambda.js';

const OUT = join(import.meta.dirname, 'out');
const EXAMPLE = join(import.meta.dirname, '..', 'examples', 'clinic');
const RESOURCES = 10_000;
/** 9 of generate.ts's 12 item templates are resources an offline rule evaluates (KMS keys, SNS topics and IAM users without a credential report are not). */
const ITEMS = Math.ceil((RESOURCES * 12) / 9);
const RUNS = 5;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function timed(run: () => Promise<string>): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    bytes = Buffer.byteLength(await run());
    times.push(performance.now() - started);
  }
  return { ms: median(times), bytes };
}

export async function benchReports(): Promise<string[]> {
  const clinic = await scan({
    snapshots: [join(EXAMPLE, 'config-snapshot.json')],
    credentialReports: [join(EXAMPLE, 'credential-report.csv')],
    backupSelections: [join(EXAMPLE, 'backup-selections.json')],
    now: new Date('2026-11-28T12:00:00Z'),
  });
  const clinicHtml = await timed(() => render('html', clinic));
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `snapshot-report-${ITEMS}.json`);
  await writeSnapshot(file, ITEMS);
  const big = await scan({ snapshots: [file] });
  const html = await timed(() => render('html', big));
  const csv = await timed(() => render('csv', big));
  const failing = big.summary.compliance.NON_COMPLIANT;
  return [
    `Evidence reports (median of ${RUNS} renders)`,
    `  example clinic HTML: ${fmt(clinicHtml.bytes)} bytes (${fmt(clinicHtml.bytes / 1024, 1)} KiB), rendered in ${fmt(clinicHtml.ms, 1)} ms`,
    `  ${fmt(big.summary.resourcesEvaluated)} resources (${fmt(ITEMS)} items, ${fmt(big.summary.evaluations)} evaluations, ${fmt(failing)} non-compliant):`,
    `    HTML ${fmt(html.ms)} ms, ${fmt(html.bytes / 2 ** 20, 1)} MiB`,
    `    CSV  ${fmt(csv.ms)} ms, ${fmt(csv.bytes / 2 ** 20, 1)} MiB`,
  ];
}
