// Imports one bundle in a fresh process and prints how long the import took (module init included):
// wall-clock, and CPU time, which is steadier on a busy machine.
import { pathToFileURL } from 'node:url';

const cpu = process.cpuUsage();
const started = performance.now();
await import(pathToFileURL(process.argv[2]).href);
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }) + '\n');
