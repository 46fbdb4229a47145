/**
 * `npm run scan -- --snapshot FILE … [--credential-report FILE] [--backup-selections FILE]`: the same
 * rules as the deployed monitor, over files AWS already exports; or `npm run scan -- --live …` over
 * what AWS holds now, read with the user's own credentials. Exit 0: all compliant; 1: something
 * non-compliant or not evaluable, nothing evaluated, or (live) an account or Region not read; 2: bad
 * input or usage, said in one line on stderr, never a stack trace.
 */
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { LiveScanError } from './live/errors.js';
import { addLiveOptions, isProblem, readPlanFrom, strayLiveOptions, type LiveOptions } from './live/options.js';
import { lineProgress, terminalProgress, type ProgressDisplay } from './live/progress.js';
import { liveScan } from './live/run.js';
import { LiveSession, type SessionOptions } from './live/session.js';
import { InputFileError, type ReaderOptions } from './load.js';
import { FORMATS, render } from './render.js';
import { describeSkipped, exitCodeFor } from './report.js';
import { scan } from './run.js';
import { ruleIds } from './selection.js';
import { projectVersion } from './version.js';
import { parseAsOf } from './time.js';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** What the process gives a run: its environment and directory, standard input, and the input limits (tests pass their own). */
export interface RunContext {
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default process.cwd() */
  readonly cwd?: string;
  readonly stdin?: ReaderOptions['stdin'];
  readonly limits?: ReaderOptions['limits'];
  /** --live: the AWS session's settings besides --profile and --role-name (tests: retries, latency). */
  readonly live?: Omit<SessionOptions, 'profile' | 'roleName'>;
  /** Whether stderr is a terminal (the live progress board); by default process.stderr's, when it is the one written. */
  readonly stderrIsTTY?: boolean;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const HELP_AFTER = `
Exit codes:
  0  everything evaluated is compliant
  1  something is non-compliant, could not be evaluated, or an item of a file could not be read;
     or nothing in the snapshots was evaluated; or (--live) an account or Region could not be read
  2  bad input or usage: one line on stderr names the file and what is wrong

Examples (from the repository; npm needs the -- before the scan's options):
  npm run scan -- --snapshot exports/snapshot.json.gz --credential-report exports/credential-report.csv
  npm run scan -- --live --profile clinic-prod --all-regions --format html --out evidence.html

Relative paths start where you run npm; - reads standard input (e.g. aws … | npm run scan -- --snapshot -).`;

function buildProgram(io: Io): Command {
  const program = new Command('scan')
    .description('Evaluate HIPAA safeguards offline over AWS Config snapshots and exports, or live over what AWS holds now (--live).')
    .option(
      '--snapshot <file>',
      'AWS Config snapshot (.json or .json.gz), select-resource-config, batch-get-resource-config or get-resource-config-history output; repeatable; - reads stdin',
      collect,
    )
    .option('--credential-report <file>', 'IAM credential report (CSV, or aws iam get-credential-report JSON); repeatable, one per account', collect)
    .option('--backup-selections <file>', 'aws backup get-backup-selection output (one object or a list); repeatable', collect)
    .option('--params <file>', 'rule parameters as {"<rule-id>": {"<name>": value}}')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--rules <ids>', 'run only these rules (comma-separated rule ids; repeatable)', collect)
    .option('--skip-rules <ids>', 'leave these rules out (comma-separated rule ids; repeatable); the report lists them as skipped', collect)
    .option('--exemption-tag <key>', 'tag key that exempts a resource', 'compliance:exempt')
    .option('--as-of <time>', 'evaluate as of this ISO-8601 time instead of now (recency checks: patch scans, recovery points, grace periods)')
    .version(projectVersion(), '--version', 'print the version')
    .addHelpText('after', HELP_AFTER)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return addLiveOptions(program);
}

/** The scan's options, as npm names them when `npm run scan --snapshot x` (no `--`) takes them for its own configuration. */
const NPM_EATEN = [
  'snapshot',
  'credential_report',
  'backup_selections',
  'params',
  'format',
  'out',
  'exemption_tag',
  'as_of',
  'rules',
  'skip_rules',
  'live',
  'all_regions',
  'accounts',
  'role_name',
  'organization',
];

/**
 * `npm run scan --snapshot x` without `--`: npm keeps `--snapshot` as its own setting (the script sees
 * only `npm_config_snapshot` in its environment, and `x` as a stray argument). Say how to write it.
 */
function forgottenDoubleDash(argv: readonly string[], env: RunContext['env'] & object): string | undefined {
  if (env.npm_lifecycle_event !== 'scan') return undefined;
  const eaten = NPM_EATEN.filter((name) => env[`npm_config_${name}`] !== undefined).map((name) => `--${name.replaceAll('_', '-')}`);
  const strays = argv.filter((arg) => !arg.startsWith('-'));
  if (eaten.length === 0 && (strays.length === 0 || argv.some((arg) => arg.startsWith('--')))) return undefined;
  const took =
    eaten.length > 0 ? `npm took ${eaten.join(', ')} as its own option${eaten.length > 1 ? 's' : ''}` : `npm passed only ${strays.join(' ')} without an option`;
  return `${took}: put -- between "npm run scan" and the scan's options, e.g. npm run scan -- --snapshot ./export.json`;
}

/** `npm run scan` runs in the package's directory; INIT_CWD is where the user typed it. */
function baseDirectory(context: RunContext): string {
  const env = context.env ?? process.env;
  const cwd = context.cwd ?? process.cwd();
  return env.npm_lifecycle_event === 'scan' && env.INIT_CWD ? env.INIT_CWD : cwd;
}

/** Checked before scanning, so a long scan does not end in a report with nowhere to go. */
async function checkOut(file: string, path: string): Promise<void> {
  const label = `--out ${file}`;
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory()) throw new InputFileError(label, `${path} is a directory; give a file name, e.g. ${resolve(path, 'report.json')}`);
  const parent = await stat(dirname(path)).catch(() => undefined);
  if (parent === undefined) throw new InputFileError(label, `directory ${dirname(path)} does not exist; create it first (mkdir -p "${dirname(path)}")`);
  if (!parent.isDirectory()) throw new InputFileError(label, `${dirname(path)} is not a directory`);
}

/** Writes next to the target and renames, so a failed run never leaves half a report, nor the temporary file. */
export async function writeAtomically(file: string, path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(`--out ${file}`, `cannot write ${path} (${code ?? (error as Error).message})`);
  }
}

/** One line, whatever the message holds: a script reading stderr, or a person, sees the whole problem. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function progressDisplay(io: Io, context: RunContext): ProgressDisplay {
  const tty = context.stderrIsTTY ?? (io.stderr === processIo.stderr && process.stderr.isTTY);
  return tty ? terminalProgress(process.stderr) : lineProgress(io.stderr);
}

export async function main(argv: readonly string[], io: Io = processIo, now?: Date, context: RunContext = {}): Promise<number> {
  const env = context.env ?? process.env;
  const program = buildProgram(io);
  const hint = forgottenDoubleDash(argv, env);
  if (hint !== undefined) {
    io.stderr(`error: ${hint}\n`);
    return 2;
  }
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts<
    {
      snapshot?: string[];
      credentialReport?: string[];
      backupSelections?: string[];
      params?: string;
      format: (typeof FORMATS)[number];
      out?: string;
      exemptionTag: string;
      asOf?: string;
      rules?: string[];
      skipRules?: string[];
    } & LiveOptions
  >();
  const usage =
    options.live === true
      ? undefined
      : options.snapshot === undefined
        ? 'give --snapshot FILE (files exported from AWS) or --live (read AWS now)'
        : strayLiveOptions(options);
  const plan = options.live === true ? readPlanFrom(options) : undefined;
  const problem = usage ?? (plan !== undefined && isProblem(plan) ? plan.problem : undefined);
  if (problem !== undefined) {
    io.stderr(`error: ${problem}\n`);
    return 2;
  }
  let asOf = now;
  if (options.asOf !== undefined) {
    asOf = parseAsOf(options.asOf);
    if (asOf === undefined) {
      io.stderr(`error: --as-of ${JSON.stringify(options.asOf)} is not an ISO-8601 time that exists (e.g. 2026-11-28T12:00:00Z)\n`);
      return 2;
    }
  }
  const base = baseDirectory(context);
  try {
    const outPath = options.out === undefined ? undefined : resolve(base, options.out);
    if (options.out !== undefined && outPath !== undefined) await checkOut(options.out, outPath);
    const shared = {
      ...(options.params !== undefined && { paramsFile: options.params }),
      exemptionTagKey: options.exemptionTag,
      rules: {
        ...(options.rules !== undefined && { only: ruleIds(options.rules) }),
        ...(options.skipRules !== undefined && { skip: ruleIds(options.skipRules) }),
      },
      ...(asOf !== undefined && { now: asOf }),
      read: { cwd: base, ...(context.stdin !== undefined && { stdin: context.stdin }), ...(context.limits !== undefined && { limits: context.limits }) },
    };
    const session = (): LiveSession =>
      new LiveSession({
        ...context.live,
        ...(options.profile !== undefined && { profile: options.profile }),
        ...(options.roleName !== undefined && { roleName: options.roleName }),
      });
    const result =
      plan !== undefined && !isProblem(plan)
        ? await liveScan({ plan, session: session(), progress: progressDisplay(io, context), ...shared })
        : await scan({
            snapshots: options.snapshot ?? [],
            ...(options.credentialReport !== undefined && { credentialReports: options.credentialReport }),
            ...(options.backupSelections !== undefined && { backupSelections: options.backupSelections }),
            ...shared,
          });
    for (const skipped of result.summary.skippedItems) io.stderr(`warning: skipped ${oneLine(describeSkipped(skipped))}\n`);
    for (const warning of result.summary.warnings) io.stderr(`warning: ${oneLine(warning)}\n`);
    const text = await render(options.format, result, { exemptionTagKey: options.exemptionTag });
    if (options.out !== undefined && outPath !== undefined) await writeAtomically(options.out, outPath, text);
    else io.stdout(text);
    return exitCodeFor(result);
  } catch (error) {
    // Bad input is the likely cause of anything that escapes here; either way the user gets one line, not a trace.
    io.stderr(
      `error: ${oneLine(error instanceof InputFileError || error instanceof LiveScanError ? error.message : `the scan failed: ${error instanceof Error ? error.message : String(error)}`)}\n`,
    );
    return 2;
  }
}

/**
 * `scan … | head` closes the pipe early: EPIPE then means "the reader has all it wants", not a
 * failure. The rest of the report is dropped quietly and the exit code stays the scan's.
 */
function pipeSafeIo(): Io {
  let closed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return { stdout: (text) => void (closed || process.stdout.write(text)), stderr: processIo.stderr };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2), pipeSafeIo());
}
