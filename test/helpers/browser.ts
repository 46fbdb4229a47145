/**
 * A real headless Chromium for the report tests, from the npm package @sparticuz/chromium (no
 * download, no system browser): `npm ci` is all a fresh clone needs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/**
 * The package's recommended flags, less the two that switch browser security off: the tests check
 * what a reader's browser does with the file (its content security policy included), so it must
 * enforce what a normal browser enforces.
 */
const WEAKENING = new Set(['--disable-web-security', '--allow-running-insecure-content']);

/**
 * The package unpacks Chromium into $TMPDIR/chromium and reuses whatever it finds there, whole or
 * half-written, of any version. Test runs in parallel (several checkouts on one machine) would race
 * on it, so each version is unpacked into a private directory first and moved into place whole.
 */
function executablePath(): string {
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const { version } = JSON.parse(readFileSync(join(dirname(dirname(entry)), 'package.json'), 'utf8')) as { version: string };
  const home = join(tmpdir(), `ccm-chromium-${version}`);
  if (existsSync(join(home, 'chromium'))) return join(home, 'chromium');
  const staging = mkdtempSync(join(tmpdir(), 'ccm-chromium-unpacking-'));
  // A child process, because the package reads the directory from os.tmpdir(), i.e. TMPDIR of the real process.
  const script = `const { default: chromium } = await import(${JSON.stringify(pathToFileURL(entry).href)}); process.stdout.write(await chromium.executablePath());`;
  const unpacked = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TMPDIR: staging }, encoding: 'utf8' });
  if (unpacked !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, expected ${join(staging, 'chromium')}`);
  try {
    renameSync(staging, home);
  } catch {
    // Another run moved its copy into place first: use that one.
    rmSync(staging, { recursive: true, force: true });
  }
  return join(home, 'chromium');
}

export async function launchBrowser(): Promise<Browser> {
  const args = chromium.args.filter((arg) => !WEAKENING.has(arg));
  // Chromium refuses to start its sandbox as root (CI containers); the package's flags normally cover it.
  if (process.getuid?.() === 0 && !args.includes('--no-sandbox')) args.push('--no-sandbox');
  return puppeteer.launch({ executablePath: executablePath(), args, headless: 'shell' });
}

export interface OpenedPage {
  readonly page: Page;
  readonly url: string;
  /** Every request other than the page itself (each was refused). */
  readonly requests: string[];
  /** Console errors and uncaught page errors. */
  readonly errors: string[];
  /** Every console message, for tests that expect a CSP report. */
  readonly messages: string[];
}

/** Writes the HTML to `file` and opens it; any request besides the file itself is recorded and refused. */
export async function openHtml(browser: Browser, html: string, file: string): Promise<OpenedPage> {
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  const messages: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) void request.continue();
    else {
      requests.push(request.url());
      void request.abort();
    }
  });
  page.on('console', (message) => {
    messages.push(message.text());
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, requests, errors, messages };
}
