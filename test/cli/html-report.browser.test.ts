/**
 * The HTML evidence report of the example clinic in a real headless Chromium: it renders offline
 * with nothing fetched, shows every failing resource and the counts of the JSON report, is
 * accessible, prints to PDF, and neither its CSP nor its escaping lets injected content act.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { toHtml } from '../../functions/reports/html.js';
import type { Evaluation } from '../../rules/types.js';
import { launchBrowser, openHtml, type OpenedPage } from '../helpers/browser.js';
import { runScan } from '../helpers/cli.js';
import { HOSTILE, hostileReport, mixedEvaluations, reportOf } from '../helpers/reports.js';

// The functions given to page.evaluate run in the page. The project type-checks without the DOM
// library (nothing else runs in a browser), so the few DOM members they use are declared here.
interface DomNode {
  readonly textContent: string | null;
  readonly parentElement: DomElement | null;
}
interface DomElement extends DomNode {
  readonly tagName: string;
}
declare const document: {
  readonly body: DomElement;
  readonly documentElement: { readonly scrollWidth: number; readonly clientWidth: number };
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  createTreeWalker(root: DomElement, whatToShow: number): { nextNode(): DomNode | null };
};
declare const window: Readonly<Record<string, unknown>>;
declare const NodeFilter: { readonly SHOW_TEXT: number };
declare function getComputedStyle(element: DomElement): {
  readonly color: string;
  readonly backgroundColor: string;
  readonly display: string;
  readonly breakBefore: string;
  readonly breakInside: string;
};

// Unpacking Chromium (first run) and starting it take seconds on a loaded CI machine.
const SLOW = 120_000;

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'clinic');
const FULL = [
  '--snapshot',
  join(EXAMPLE, 'config-snapshot.json'),
  '--credential-report',
  join(EXAMPLE, 'credential-report.csv'),
  '--backup-selections',
  join(EXAMPLE, 'backup-selections.json'),
];

interface JsonReport {
  evaluations: { ruleId: string; resourceType: string; resourceId: string; accountId: string; region: string; compliance: string; annotation: string }[];
  summary: {
    resourcesEvaluated: number;
    evaluations: number;
    errors: number;
    compliance: Record<string, number>;
    rules: Record<string, Record<string, number>>;
    rulesSkipped: { ruleId: string }[];
  };
}

async function scanTo(dir: string, format: string): Promise<string> {
  const out = join(dir, `report.${format}`);
  const { code, stderr } = await runScan(...FULL, '--format', format, '--out', out);
  expect(stderr).toBe('');
  expect(code).toBe(1);
  return readFileSync(out, 'utf8');
}

/** `rule | type | id | account | Region | annotation` of every row of the rules' failing-resource tables. */
function failingRows(page: Page): Promise<string[]> {
  return page.$$eval('section.rule', (sections) =>
    sections.flatMap((section) =>
      [...section.querySelectorAll('table.failing tbody tr')].map((row) => {
        const cells = [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '');
        return [section.id.replace(/^rule-/, ''), cells[0], cells[1], cells[3], cells[4], cells[5]].join(' | ');
      }),
    ),
  );
}

const countsIn = (page: Page, selector: string): Promise<Record<string, number>> =>
  page.$$eval(selector, (cells) => Object.fromEntries(cells.map((cell) => [cell.getAttribute('data-key') ?? '', Number(cell.textContent)])));

describe('the HTML report in a browser', () => {
  let browser: Browser;
  let json: JsonReport;
  let html: string;
  let opened: OpenedPage;
  let dir: string;
  const open = (page: string, name: string) => openHtml(browser, page, join(dir, name));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ccm-html-'));
    browser = await launchBrowser();
    json = JSON.parse(await scanTo(dir, 'json')) as JsonReport;
    html = await scanTo(dir, 'html');
    opened = await open(html, 'clinic.html');
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('renders with no console error and no request besides the file itself', async () => {
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    expect(await opened.page.$eval('h1', (h) => h.textContent)).toBe('HIPAA safeguards evidence report');
    expect(await opened.page.$$eval('script', (scripts) => scripts.length)).toBe(0);
  });

  test('every non-compliant evaluation of the JSON report appears with its rule, resource and annotation', async () => {
    const expected = json.evaluations
      .filter((e) => e.compliance === 'NON_COMPLIANT')
      .map((e) => [e.ruleId, e.resourceType, e.resourceId, e.accountId, e.region, e.annotation].join(' | '));
    expect(expected).toHaveLength(31);
    expect((await failingRows(opened.page)).sort()).toEqual(expected.sort());
  });

  test('the same check notices a failing resource left out of the HTML', async () => {
    const evaluations = mixedEvaluations();
    const dropped = evaluations.filter((e) => e.resourceId !== 'vol-0000000000000dddd');
    const partial = await open(toHtml(reportOf(dropped)), 'partial.html');
    const rows = await failingRows(partial.page);
    await partial.page.close();
    const expected = evaluations
      .filter((e) => e.compliance === 'NON_COMPLIANT')
      .map((e) => [e.ruleId, e.resourceType, e.resourceId, e.accountId, e.region, e.annotation].join(' | '));
    expect(rows).toHaveLength(expected.length - 1);
    expect(rows.sort()).not.toEqual(expected.sort());
  });

  test('the counts shown equal the JSON summary: overall, per rule, per area and per HIPAA citation', async () => {
    const { page } = opened;
    const { summary } = json;
    const overall = await countsIn(page, '#counts td[data-key]');
    expect(overall).toEqual({
      ...Object.fromEntries(Object.entries(summary.compliance).map(([k, v]) => [`compliance.${k}`, v])),
      evaluations: summary.evaluations,
      resourcesEvaluated: summary.resourcesEvaluated,
      errors: summary.errors,
    });
    for (const [ruleId, counts] of Object.entries(summary.rules))
      expect(await countsIn(page, `[id="rule-${ruleId}"] table.counts td[data-key]`)).toEqual(counts);
    const areaTotals = await page.$$eval('#areas tbody tr', (rows) =>
      rows
        .map((row) => [...row.querySelectorAll('td[data-key]')].map((cell) => Number(cell.textContent)))
        .reduce((sum, row) => sum.map((n, i) => n + (row[i] ?? 0)), [0, 0, 0, 0]),
    );
    expect(areaTotals).toEqual([
      summary.compliance.COMPLIANT,
      summary.compliance.NON_COMPLIANT,
      summary.compliance.NOT_APPLICABLE,
      summary.compliance.INSUFFICIENT_DATA,
    ]);
    const citationRows = await page.$$eval('#citations tbody tr', (rows) =>
      rows.map((row) => ({
        rule: row.querySelector('a')?.textContent ?? '',
        counts: [...row.querySelectorAll('td[data-key]')].map((cell) => Number(cell.textContent)),
      })),
    );
    expect(citationRows.length).toBeGreaterThan(Object.keys(summary.rules).length);
    for (const { rule, counts } of citationRows) {
      const expected = summary.rules[rule];
      expect(counts).toEqual(expected === undefined ? [] : [expected.COMPLIANT, expected.NON_COMPLIANT, expected.NOT_APPLICABLE, expected.INSUFFICIENT_DATA]);
    }
    expect(await page.$$eval('#rules-skipped tbody th', (cells) => cells.map((cell) => cell.textContent))).toEqual(summary.rulesSkipped.map((s) => s.ruleId));
    const exempted = new Set(json.evaluations.filter((e) => e.annotation.startsWith('Exempt (')).map((e) => `${e.resourceType} ${e.resourceId}`));
    expect(await page.$$eval('#exemptions-active tbody tr', (rows) => rows.length)).toBe(exempted.size);
  });

  test('accessible: one h1, headings in order, header cells with scope, status in words, text contrast at least 4.5:1', async () => {
    const { page } = opened;
    const levels = await page.$$eval('h1, h2, h3, h4, h5, h6', (headings) => headings.map((h) => Number(h.tagName.slice(1))));
    expect(levels[0]).toBe(1);
    expect(levels.filter((level) => level === 1)).toHaveLength(1);
    for (let i = 1; i < levels.length; i++) expect((levels[i] ?? 0) - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1);
    expect(await page.$$eval('table', (tables) => tables.filter((table) => table.querySelector('th') === null).length)).toBe(0);
    expect(await page.$$eval('th', (cells) => cells.filter((cell) => !cell.hasAttribute('scope')).length)).toBe(0);
    expect(new Set(await page.$$eval('.status', (badges) => badges.map((badge) => badge.textContent)))).toEqual(
      new Set(['PASS', 'FAIL', 'INCOMPLETE', 'SKIPPED']),
    );
    const lowContrast = await page.evaluate(() => {
      const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = (color: number[]) => {
        const [r = 0, g = 0, b = 0] = color.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const background = (element: DomElement | null): number[] => {
        for (let e = element; e !== null; e = e.parentElement) {
          const color = rgb(getComputedStyle(e).backgroundColor);
          if ((color[3] ?? 1) > 0) return color;
        }
        return [255, 255, 255];
      };
      const failures: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const element = node.parentElement;
        if (element === null || (node.textContent ?? '').trim() === '') continue;
        const [lighter, darker] = [luminance(rgb(getComputedStyle(element).color)), luminance(background(element))].sort((a, b) => b - a) as [number, number];
        const ratio = (lighter + 0.05) / (darker + 0.05);
        if (ratio < 4.5) failures.push(`${ratio.toFixed(2)}: ${node.textContent}`);
      }
      return failures;
    });
    expect(lowContrast).toEqual([]);
  });

  test('prints: page breaks between sections, rows not cut, table headers repeated, and a PDF of several pages', async () => {
    const { page } = opened;
    await page.emulateMediaType('print');
    const print = await page.evaluate(() => ({
      sections: [...document.querySelectorAll('main > section')].map((section) => getComputedStyle(section).breakBefore),
      thead: getComputedStyle(document.querySelector('thead') ?? document.body).display,
      row: getComputedStyle(document.querySelector('tbody tr') ?? document.body).breakInside,
    }));
    // A4 less the 12 mm side margins, at 96 px per inch: no table may be wider than the paper.
    await page.setViewport({ width: 703, height: 1000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.setViewport({ width: 800, height: 600 });
    await page.emulateMediaType('screen');
    expect(print).toEqual({ sections: ['auto', 'page', 'page', 'page', 'page'], thead: 'table-header-group', row: 'avoid' });
    expect(overflow).toBe(0);
    const pdf = Buffer.from(await page.pdf({ format: 'A4' }));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0).toBeGreaterThan(5);
  });

  test('the content security policy blocks resources injected into the file; without it they would load', async () => {
    const injected = [
      '<img src="https://example.invalid/pixel.png" alt="">',
      '<link rel="stylesheet" href="https://example.invalid/style.css">',
      '<script src="https://example.invalid/app.js"></script>',
      '<script>window.injected = true</script>',
      '<iframe src="https://example.invalid/frame.html"></iframe>',
      '<style>body { background: url(https://example.invalid/bg.png) }</style>',
    ].join('');
    const tampered = html.replace('</body>', `${injected}</body>`);
    const guarded = await open(tampered, 'tampered.html');
    expect(guarded.requests).toEqual([]);
    expect(await guarded.page.evaluate(() => window.injected)).toBeUndefined();
    expect(guarded.messages.some((message) => message.includes('Content Security Policy'))).toBe(true);
    await guarded.page.close();

    const unguarded = await open(tampered.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''), 'unguarded.html');
    expect(unguarded.requests).toEqual(
      expect.arrayContaining(['https://example.invalid/pixel.png', 'https://example.invalid/style.css', 'https://example.invalid/app.js']),
    );
    expect(await unguarded.page.evaluate(() => window.injected)).toBe(true);
    await unguarded.page.close();
  });

  test('markup in resource ids, names, annotations and reasons is shown as text and never runs, even without the CSP', async () => {
    const report = hostileReport();
    const withoutCsp = toHtml(report).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    const { page, requests, errors } = await open(withoutCsp, 'hostile.html');
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => window.pwned)).toBeUndefined();
    expect(await page.$$eval('script, img, iframe, [onerror], [onload], a[href^="javascript:"]', (found) => found.length)).toBe(0);
    expect(await page.$$eval('style', (found) => found.length)).toBe(1);
    expect(await page.evaluate(() => getComputedStyle(document.body).display)).toBe('block');
    const failing = report.evaluations.find((e: Evaluation) => e.compliance === 'NON_COMPLIANT' && e.resourceId === HOSTILE.resourceId);
    expect(failing).toBeDefined();
    const cells = await page.$eval('table.failing tbody tr', (row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
    expect(cells).toEqual(['AWS::EC2::Volume', HOSTILE.resourceId, HOSTILE.resourceName, HOSTILE.accountId, 'us-east-1', HOSTILE.annotation]);
    expect(await page.$eval('#could-not-evaluate tbody tr td:last-child', (cell) => cell.textContent)).toBe(HOSTILE.annotation);
    expect(await page.$eval('#exemptions-active tbody tr td:nth-child(4)', (cell) => cell.textContent)).toBe(HOSTILE.reason);
    await page.close();
  });
});
