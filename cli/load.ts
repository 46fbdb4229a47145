/** Reading the files a clinic already has (Config snapshots, query output, credential report, backup selections) into an inventory. */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { BackupSelectionError, parseBackupSelections, type BackupSelection } from '../rules/backup/selection.js';
import { CredentialReportError, parseCredentialReport, type CredentialReport } from '../rules/credential-report.js';
import { itemsFromDocument, type ConfigurationItem, type SkippedItem } from '../rules/inventory.js';
import { JsonSyntaxError, parseAwsJson } from '../rules/json.js';
import type { InputFile } from '../functions/reports/model.js';

/** Told of each file as read, with the digest of its bytes as stored (the evidence report lists them). */
export type OnRead = (file: InputFile) => void;

/** A file that cannot be used at all: exit 2, naming the file and what is wrong. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'InputFileError';
  }
}

/** The name `-` stands for standard input. */
export const STDIN = '-';

export interface InputLimits {
  /** Bytes of one input after decompression. */
  readonly fileBytes: number;
  /** Bytes of all inputs of one scan together, after decompression. */
  readonly totalBytes: number;
}

const MiB = 2 ** 20;

/**
 * One file: V8 cannot hold a string over 0x1fffffe8 characters (~512 MiB), so a larger JSON file
 * cannot be parsed at all; 500 MiB keeps a round number under that. All inputs together: a scan holds
 * about four times its input in memory (`npm run bench`: peak RSS over a 182 MiB snapshot), so the
 * inputs may take a fifth of the heap Node was given. Past either limit the scan stops with exit 2
 * before reading, instead of dying in V8 with a stack trace (or taking the machine's memory with it).
 */
export function defaultInputLimits(heapLimitBytes = getHeapStatistics().heap_size_limit): InputLimits {
  return { fileBytes: 500 * MiB, totalBytes: Math.floor(heapLimitBytes / 5) };
}

function mib(bytes: number): string {
  return `${Math.round(bytes / MiB).toLocaleString('en-US')} MiB`;
}

export interface ReaderOptions {
  /** Relative paths resolve from here: where the user stands (see cli/scan.ts). @default process.cwd() */
  readonly cwd?: string;
  /** What `-` reads. @default process.stdin */
  readonly stdin?: AsyncIterable<Uint8Array | string>;
  /** @default defaultInputLimits() */
  readonly limits?: InputLimits;
  readonly onRead?: OnRead;
}

/** Reads every input of one scan: paths from the user's directory, `-` from stdin once, gzip unpacked, sizes bounded. */
export class InputReader {
  private readonly cwd: string;
  private readonly limits: InputLimits;
  private total = 0;
  private stdinRead = false;

  constructor(private readonly options: ReaderOptions = {}) {
    this.cwd = options.cwd ?? process.cwd();
    this.limits = options.limits ?? defaultInputLimits();
  }

  /** The absolute path a name stands for (`-` stays `-`). */
  pathOf(file: string): string {
    return file === STDIN ? STDIN : resolve(this.cwd, file);
  }

  private tooLarge(file: string, bytes: number, what: string): InputFileError {
    if (bytes > this.limits.fileBytes) {
      return new InputFileError(
        file,
        `${what} is larger than ${mib(this.limits.fileBytes)}, the most one input can be (a JSON text that long cannot be parsed); split it into several files and give each with its own --snapshot (e.g. one select-resource-config query per resource type, or one snapshot per Region)`,
      );
    }
    return new InputFileError(
      file,
      `the inputs reach ${mib(this.total + bytes)} with this file; one scan can hold about ${mib(this.limits.totalBytes)} (a fifth of Node's heap). Scan fewer files at a time (e.g. one account or Region per run), or give Node more memory: NODE_OPTIONS=--max-old-space-size=8192 npm run scan -- …`,
    );
  }

  private allowance(): number {
    return Math.min(this.limits.fileBytes, this.limits.totalBytes - this.total);
  }

  private async raw(file: string): Promise<Buffer> {
    if (file === STDIN) return this.readStdin();
    const path = this.pathOf(file);
    let size: number;
    try {
      const info = await stat(path);
      if (info.isDirectory()) throw new InputFileError(file, `is a directory (${path}), not a file`);
      size = info.size;
    } catch (error) {
      if (error instanceof InputFileError) throw error;
      throw this.readError(file, path, error);
    }
    if (size > this.allowance()) throw this.tooLarge(file, size, `the file (${mib(size)})`);
    try {
      return await readFile(path);
    } catch (error) {
      throw this.readError(file, path, error);
    }
  }

  private readError(file: string, path: string, error: unknown): InputFileError {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new InputFileError(file, `file not found (looked for ${path})`);
    if (code === 'EACCES' || code === 'EPERM') return new InputFileError(file, `permission denied (${path})`);
    return new InputFileError(file, `cannot read ${path} (${code ?? String(error)})`);
  }

  private async readStdin(): Promise<Buffer> {
    if (this.stdinRead) throw new InputFileError(STDIN, 'standard input can be given only once');
    this.stdinRead = true;
    const chunks: Buffer[] = [];
    let bytes = 0;
    const allowance = this.allowance();
    for await (const chunk of this.options.stdin ?? process.stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      bytes += buffer.length;
      if (bytes > allowance) throw this.tooLarge(STDIN, bytes, 'standard input');
      chunks.push(buffer);
    }
    return Buffer.concat(chunks, bytes);
  }

  /** The file's text: gzip unpacked (within the limits), a UTF-8 byte-order mark dropped. */
  async text(file: string): Promise<string> {
    let bytes = await this.raw(file);
    this.options.onRead?.({ name: file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      const allowance = this.allowance();
      try {
        // maxOutputLength stops a small file that unpacks to gigabytes (a gzip bomb) at the limit.
        bytes = gunzipSync(bytes, { maxOutputLength: allowance });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw this.tooLarge(file, allowance + 1, 'unpacked, the gzip data');
        throw new InputFileError(file, `gzip data is corrupt or truncated (${(error as Error).message})`);
      }
    }
    this.total += bytes.length;
    return bytes.toString('utf8').replace(/^\uFEFF/, '');
  }

  async json(file: string): Promise<unknown> {
    const text = await this.text(file);
    if (text.trim() === '') throw new InputFileError(file, 'file is empty');
    try {
      return parseAwsJson(text);
    } catch (error) {
      if (error instanceof JsonSyntaxError) throw new InputFileError(file, `not valid JSON: ${error.message}`);
      throw error;
    }
  }
}

export interface LoadedSnapshots {
  readonly items: ConfigurationItem[];
  readonly skipped: SkippedItem[];
}

export async function loadSnapshots(files: readonly string[], reader = new InputReader()): Promise<LoadedSnapshots> {
  const items: ConfigurationItem[] = [];
  const skipped: SkippedItem[] = [];
  for (const file of files) {
    const doc = await reader.json(file);
    let batch;
    try {
      batch = itemsFromDocument(doc, file);
    } catch (error) {
      throw new InputFileError(file, (error as Error).message);
    }
    for (const item of batch.items) items.push(item);
    skipped.push(...batch.skipped);
  }
  return { items, skipped };
}

/** The IAM credential report: the CSV (console download or decoded API content) or `aws iam get-credential-report` JSON. */
export async function loadCredentialReport(file: string, reader = new InputReader()): Promise<CredentialReport> {
  const text = await reader.text(file);
  if (text.trim() === '') throw new InputFileError(file, 'file is empty');
  try {
    return parseCredentialReport(text, file);
  } catch (error) {
    if (error instanceof CredentialReportError) throw new InputFileError(file, `not a readable IAM credential report: ${error.message}`);
    throw error;
  }
}

/** `aws backup get-backup-selection` output: one response or a list of them. */
export async function loadBackupSelections(file: string, reader = new InputReader()): Promise<BackupSelection[]> {
  const doc = await reader.json(file);
  try {
    return parseBackupSelections(doc, file);
  } catch (error) {
    if (error instanceof BackupSelectionError) throw new InputFileError(file, `not get-backup-selection output: ${error.message}`);
    throw error;
  }
}
