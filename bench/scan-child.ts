/** Runs one offline scan in a fresh process and prints its timings and peak RSS as JSON (bundled by bench/run.ts). */
import { writeFile } from 'node:fs/promises';
import { toJson } from '../cli/report.js';
import { scan } from '../cli/run.js';

const [file, out] = process.argv.slice(2);
if (file === undefined || out === undefined) throw new Error('usage: scan-child <snapshot> <report>');
const started = performance.now();
const result = await scan({ snapshots: [file] });
await writeFile(out, toJson(result));
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, evaluations: result.evaluations.length }) + '\n');
