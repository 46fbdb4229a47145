/**
 * Lambda bundles as the CDK stack builds them (esbuild, minified, ESM, Node 22, SDK bundled) and
 * their cold import time in a fresh Node process, beside the floor: a bundle holding only
 * @aws-sdk/client-config-service. Target (issue 4): the change evaluator ≤ 1.3× the floor.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_BUNDLING, SINGLE_ACCOUNT_DEFINE } from '../infra/bundling.js';
import { LAMBDAS } from '../functions/shared/services.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(import.meta.dirname, 'out', 'lambda');
const RUNS = 20;

export const FUNCTIONS: Record<string, string> = {
  'floor (client-config-service only)': 'bench/floor-config-rule.ts',
  'change evaluator': LAMBDAS.change.entry,
  'periodic evaluator': LAMBDAS.periodic.entry,
  notifier: LAMBDAS.notifier.entry,
};

/** What the functions read at cold start (the stack sets the same variables). */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:ccm-alerts',
  ALERT_LEDGER_TABLE_ARN: 'arn:aws:dynamodb:us-east-1:111122223333:table/ccm-alert-ledger',
  POWERTOOLS_METRICS_NAMESPACE: 'bench',
};

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return ((sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN) + (sorted[Math.ceil((sorted.length - 1) / 2)] ?? NaN)) / 2;
}

export async function benchLambdas(functions: Record<string, string> = FUNCTIONS): Promise<string[]> {
  mkdirSync(OUT, { recursive: true });
  const importChild = join(import.meta.dirname, 'import-child.mjs');
  const bundles: { name: string; outfile: string; times: number[]; cpu: number[] }[] = [];
  for (const [name, entry] of Object.entries(functions)) {
    const outfile = join(OUT, `${name.replace(/[^a-z0-9]+/gi, '-')}.mjs`);
    await build({ ...LAMBDA_BUNDLING, define: { ...SINGLE_ACCOUNT_DEFINE }, entryPoints: [join(ROOT, entry)], outfile, logLevel: 'error' });
    bundles.push({ name, outfile, times: [], cpu: [] });
  }
  // Interleaved, so a busy moment of the machine weighs on every bundle alike, not on one.
  for (let run = 0; run < RUNS; run++) {
    for (const bundle of bundles) {
      const output = execFileSync(process.execPath, [importChild, bundle.outfile], { encoding: 'utf8', env: { ...process.env, ...LAMBDA_ENV } });
      const sample = JSON.parse(output.trim()) as { ms: number; cpuMs: number };
      bundle.times.push(sample.ms);
      bundle.cpu.push(sample.cpuMs);
    }
  }
  const rows = bundles.map((b) => ({ name: b.name, bytes: statSync(b.outfile).size, ms: median(b.times), cpuMs: median(b.cpu) }));
  const floor = rows[0] ?? { bytes: 1, ms: 1, cpuMs: 1 };
  return [
    `Lambda bundles as a single-account stack ships them (esbuild minified ESM, SDK bundled; cold import = median of ${RUNS} fresh processes each, interleaved)`,
    ...rows.map(
      (row) =>
        `  ${row.name.padEnd(36)} ${(row.bytes / 1024).toFixed(0).padStart(6)} KiB (${(row.bytes / floor.bytes).toFixed(2)}× floor)   cold import ${row.ms.toFixed(1).padStart(6)} ms wall (${(row.ms / floor.ms).toFixed(2)}×), ${row.cpuMs.toFixed(1).padStart(6)} ms CPU (${(row.cpuMs / floor.cpuMs).toFixed(2)}×)`,
    ),
    '  target: change evaluator cold import ≤ 1.30× floor',
  ];
}
