/** Reading the files a clinic already has (Config snapshots, query output) into an inventory. */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { itemsFromDocument, type ConfigurationItem, type SkippedItem } from '../rules/inventory.js';
import { JsonSyntaxError, parseAwsJson } from '../rules/json.js';

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

export async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(file, code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(error)})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new InputFileError(file, `gzip data is corrupt or truncated (${(error as Error).message})`);
    }
  }
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

export async function readJson(file: string): Promise<unknown> {
  const text = await readText(file);
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

export async function loadSnapshots(files: readonly string[]): Promise<LoadedSnapshots> {
  const items: ConfigurationItem[] = [];
  const skipped: SkippedItem[] = [];
  for (const file of files) {
    const doc = await readJson(file);
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
