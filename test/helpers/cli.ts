/** Runs the scan CLI in-process, as `npm run scan -- …` would, evaluated as of NOW, capturing what it prints. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type RunContext } from '../../cli/scan.js';
import { NOW } from './rules.js';

export { EXAMPLE_SNAPSHOT as EXAMPLE, EXAMPLE_REPORT as REPORT, EXAMPLE_SELECTIONS as SELECTIONS } from './example-clinic.js';

export interface RunOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** With what the process would give it: environment, directory, standard input, input limits. */
export async function runScanWith(argv: readonly string[], context: RunContext): Promise<RunOutput> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, NOW, context);
  return { code, stdout, stderr };
}

export async function runScan(...argv: string[]): Promise<RunOutput> {
  return runScanWith(argv, {});
}

/** A fresh directory under the system's temporary folder. */
export function tempDir(prefix = 'ccm-scan-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function temp(name: string, content: string | Buffer): string {
  const file = join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}

export const snapshotOf = (...items: unknown[]) => JSON.stringify({ fileVersion: '1.0', configSnapshotId: 'test', configurationItems: items });

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type JsonReport = {
  evaluations: { ruleId: string; resourceType: string; resourceId: string; compliance: string; annotation: string }[];
  summary: Record<string, unknown> & { skippedItems: unknown[] };
};

export const report = (stdout: string): JsonReport => JSON.parse(stdout) as JsonReport;
