/** The project's version, from package.json: `--version` prints it and the evidence report states it. */
import { readFileSync } from 'node:fs';

export function projectVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
