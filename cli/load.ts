/** Reading the files a clinic already has (Config snapshots, query output, credential report, backup selections) into an inventory. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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

export async function readText(file: string, onRead?: OnRead): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(file, code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(error)})`);
  }
  onRead?.({ name: file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new InputFileError(file, `gzip data is corrupt or truncated (${(error as Error).message})`);
    }
  }
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

export async function readJson(file: string, onRead?: OnRead): Promise<unknown> {
  const text = await readText(file, onRead);
  if (text.trim() === '') throw new InputFileError(file, 'file is empty');
  try {
    return parseAwsJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new InputFileError(file, `not valid JSON: ${error.message}`);
    throw error;
  }
}

export interface LoadedSnapshots {
  readonly items: ConfigurationItem[];
  readonly skipped: SkippedItem[];
}

export async function loadSnapshots(files: readonly string[], onRead?: OnRead): Promise<LoadedSnapshots> {
  const items: ConfigurationItem[] = [];
  const skipped: SkippedItem[] = [];
  for (const file of files) {
    const doc = await readJson(file, onRead);
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
export async function loadCredentialReport(file: string, onRead?: OnRead): Promise<CredentialReport> {
  const text = await readText(file, onRead);
  if (text.trim() === '') throw new InputFileError(file, 'file is empty');
  try {
    return parseCredentialReport(text, file);
  } catch (error) {
    if (error instanceof CredentialReportError) throw new InputFileError(file, `not a readable IAM credential report: ${error.message}`);
    throw error;
  }
}

/** `aws backup get-backup-selection` output: one response or a list of them. */
export async function loadBackupSelections(file: string, onRead?: OnRead): Promise<BackupSelection[]> {
  const doc = await readJson(file, onRead);
  try {
    return parseBackupSelections(doc, file);
  } catch (error) {
    if (error instanceof BackupSelectionError) throw new InputFileError(file, `not get-backup-selection output: ${error.message}`);
    throw error;
  }
}
