/** Runs the scan CLI in-process, as `npm run scan -- …` would, evaluated as of NOW. */
import { main } from '../../cli/scan.js';
import { NOW } from './rules.js';

export async function runScan(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, NOW);
  return { code, stdout, stderr };
}
