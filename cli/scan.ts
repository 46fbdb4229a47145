/**
 * `npm run scan -- --snapshot FILE … [--credential-report FILE] [--backup-selections FILE]`: the same
 * rules as the deployed monitor, over files AWS already exports. Exit 0: all compliant; 1: something
 * non-compliant or not evaluable, or nothing in the snapshots evaluated; 2: bad input.
 */
import { rename, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { InputFileError } from './load.js';
import { FORMATS, render } from './render.js';
import { describeSkipped, exitCodeFor } from './report.js';
import { scan } from './run.js';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function buildProgram(io: Io): Command {
  return new Command('scan')
    .description('Evaluate HIPAA safeguards offline over AWS Config snapshots and exports.')
    .requiredOption('--snapshot <file>', 'AWS Config snapshot (.json or .json.gz), select-resource-config or batch-get-resource-config output; repeatable', collect)
    .option('--credential-report <file>', 'IAM credential report (CSV, or aws iam get-credential-report JSON); repeatable, one per account', collect)
    .option('--backup-selections <file>', 'aws backup get-backup-selection output (one object or a list); repeatable', collect)
    .option('--params <file>', 'rule parameters as {"<rule-id>": {"<name>": value}}')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--exemption-tag <key>', 'tag key that exempts a resource', 'compliance:exempt')
    .option('--as-of <time>', 'evaluate as of this ISO-8601 time instead of now (recency checks: patch scans, recovery points, grace periods)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

/** Writes next to the target and renames, so a failed run never leaves half a report. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

export async function main(argv: readonly string[], io: Io = processIo, now?: Date): Promise<number> {
  const program = buildProgram(io);
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts<{
    snapshot: string[];
    credentialReport?: string[];
    backupSelections?: string[];
    params?: string;
    format: (typeof FORMATS)[number];
    out?: string;
    exemptionTag: string;
    asOf?: string;
  }>();
  let asOf = now;
  if (options.asOf !== undefined) {
    asOf = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(options.asOf) ? new Date(options.asOf) : new Date(NaN);
    if (Number.isNaN(asOf.getTime())) {
      io.stderr(`error: --as-of ${JSON.stringify(options.asOf)} is not an ISO-8601 time (e.g. 2026-11-28T12:00:00Z)\n`);
      return 2;
    }
  }
  try {
    const result = await scan({
      snapshots: options.snapshot,
      ...(options.credentialReport !== undefined && { credentialReports: options.credentialReport }),
      ...(options.backupSelections !== undefined && { backupSelections: options.backupSelections }),
      ...(options.params !== undefined && { paramsFile: options.params }),
      exemptionTagKey: options.exemptionTag,
      ...(asOf !== undefined && { now: asOf }),
    });
    for (const skipped of result.summary.skippedItems) io.stderr(`warning: skipped ${describeSkipped(skipped)}\n`);
    for (const warning of result.summary.warnings) io.stderr(`warning: ${warning}\n`);
    const text = await render(options.format, result, { exemptionTagKey: options.exemptionTag });
    if (options.out !== undefined) await writeAtomically(options.out, text);
    else io.stdout(text);
    return exitCodeFor(result);
  } catch (error) {
    if (error instanceof InputFileError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
