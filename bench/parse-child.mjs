// The baseline: read the same file and JSON.parse it, nothing else.
import { readFileSync } from 'node:fs';

const started = performance.now();
const doc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, items: doc.configurationItems.length }) + '\n');
