/**
 * A real headless Chromium for the report tests, from the npm package @sparticuz/chromium (no
 * download, no system browser): `npm ci` is all a fresh clone needs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/**
 * The package's recommended flags, less the two that switch browser security off: the tests check
 * what a reader's browser does with the file (its content security policy included), so it must
 * enforce what a normal browser enforces.
 */
const WEAKENING = new Set(['--disable-web-security', '--allow-running-insecure-content']);

export async function launchBrowser(): Promise<Browser> {
  const args = chromium.args.filter((arg) => !WEAKENING.has(arg));
  // Chromium refuses to start its sandbox as root (CI containers); the package's flags normally cover it.
  if (process.getuid?.() === 0 && !args.includes('--no-sandbox')) args.push('--no-sandbox');
  return puppeteer.launch({ executablePath: await chromium.executablePath(), args, headless: 'shell' });
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

/** Writes the HTML to a file and opens it; any request besides the file itself is recorded and refused. */
export async function openHtml(browser: Browser, html: string, name = 'report.html'): Promise<OpenedPage> {
  const file = join(mkdtempSync(join(tmpdir(), 'ccm-report-')), name);
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
