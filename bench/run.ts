/**
 * `npm run bench [scan|lambda|alerts|reports|cost|live]`: throughput, size, memory, cost and call-count figures, printed, never asserted.
 * Targets (issue 2): ≥100,000 items/s through the engine; a 100k-item scan within 2.5× the time
 * and 2× the peak RSS of a bare JSON.parse of the same file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { loadSnapshots } from '../cli/load.js';
import { CATALOG } from '../rules/catalog.js';
import { parseAllParameters, runRules } from '../rules/engine.js';
import { buildInventory } from '../rules/types.js';
import { benchAlerts } from './alerts.js';
import { benchCost } from './cost.js';
import { writeSnapshot } from './generate.js';
import { benchLambdas, median } from './lambda.js';
import { benchLive } from './live.js';
import { benchReports } from './reports.js';

const OUT = join(import.meta.dirname, 'out');
const SIZES = [10_000, 100_000];
const RUNS = 5;

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface ChildStats {
  ms: number;
  maxRssKb: number;
}

function child(script: string, ...args: string[]): ChildStats {
  const output = execFileSync(process.execPath, ['--max-old-space-size=8192', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as ChildStats;
}

async function benchScan(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const scanChild = join(OUT, 'scan-child.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'scan-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: scanChild,
    logLevel: 'error',
    mainFields: ['module', 'main'],
  });
  const parseChild = join(import.meta.dirname, 'parse-child.mjs');
  const rules = CATALOG.filter((entry) => !entry.liveOnly);
  console.log(`Engine and offline scan (${rules.length} offline rules, node ${process.version}, median of ${RUNS} runs)`);
  for (const size of SIZES) {
    const file = join(OUT, `snapshot-${size}.json`);
    const bytes = await writeSnapshot(file, size);
    const loaded = await loadSnapshots([file]);
    const inventory = buildInventory(loaded.items);
    const params = parseAllParameters(CATALOG, undefined);
    const engineMs: number[] = [];
    let evaluations = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      evaluations = runRules(rules, inventory, params, { now: new Date() }).length;
      engineMs.push(performance.now() - started);
    }
    const engine = median(engineMs);
    const parses: ChildStats[] = [];
    const scans: ChildStats[] = [];
    for (let run = 0; run < 3; run++) {
      parses.push(child(parseChild, file));
      scans.push(child(scanChild, file, join(OUT, `report-${size}.json`)));
    }
    const parseMs = median(parses.map((s) => s.ms));
    const scanMs = median(scans.map((s) => s.ms));
    const parseRss = median(parses.map((s) => s.maxRssKb)) / 1024;
    const scanRss = median(scans.map((s) => s.maxRssKb)) / 1024;
    console.log(
      [
        `  ${fmt(size)} items (${fmt(bytes / 2 ** 20, 1)} MiB, ${fmt(evaluations)} evaluations)`,
        `    engine:        ${fmt(size / (engine / 1000))} items/s (${fmt(engine, 1)} ms)   target ≥ 100,000 items/s`,
        `    scan end-to-end ${fmt(scanMs)} ms vs bare JSON.parse ${fmt(parseMs)} ms: ${fmt(scanMs / parseMs, 2)}×   target ≤ 2.5×`,
        `    peak RSS        ${fmt(scanRss)} MiB vs bare JSON.parse ${fmt(parseRss)} MiB: ${fmt(scanRss / parseRss, 2)}×   target ≤ 2×`,
        `    report file     ${fmt(statSync(join(OUT, `report-${size}.json`)).size / 2 ** 20, 1)} MiB`,
      ].join('\n'),
    );
  }
}

const only = process.argv[2];
if (only === undefined || only === 'scan') await benchScan();
if (only === undefined || only === 'lambda') console.log((await benchLambdas()).join('\n'));
if (only === undefined || only === 'alerts') console.log((await benchAlerts()).join('\n'));
if (only === undefined || only === 'reports') console.log((await benchReports()).join('\n'));
if (only === undefined || only === 'cost') console.log((await benchCost()).join('\n'));
if (only === undefined || only === 'live') console.log((await benchLive()).join('\n'));
