/**
 * `--format html`: the evidence report an auditor keeps. One self-contained file (inline CSS under a
 * content security policy that fetches nothing, no script), readable on screen and printed to PDF:
 * scope and inputs, summary by compliance, HIPAA citation and area, each rule with its failing
 * resources and remediation, the exemptions register, and what was not evaluated and why. It adds
 * no data beyond the scan's other formats: resource ids and names (as the table shows them),
 * annotations and exemption reasons, which the annotations carry too.
 */
import type { CatalogEntry } from '../../rules/catalog.js';
import { HIPAA_CITATIONS } from '../../rules/mapping.js';
import { AREAS, type Area, type Compliance, type Evaluation } from '../../rules/types.js';
import { complianceBar } from './chart.js';
import { CONTENT_SECURITY_POLICY, REPORT_CSS } from './html-style.js';
import {
  COMPLIANCE_LABELS,
  COMPLIANCE_ORDER,
  couldNotEvaluate,
  coverage,
  describeLiveRead,
  exemptionRegister,
  groupByRule,
  ignoredBecause,
  type ExemptionEntry,
  type LiveReadSummary,
  type LiveRegionSummary,
  type ReportInput,
  type ScanSummary,
} from './model.js';
import { html, SafeHtml, type Interpolation } from './safe-html.js';

type Counts = Readonly<Record<Compliance, number>>;

/** Summary fields this renderer shows in their own place; any other field is listed generically. */
const SHOWN_SUMMARY_FIELDS = new Set<string>([
  'resourcesEvaluated',
  'evaluations',
  'compliance',
  'rules',
  'rulesSkipped',
  'errors',
  'skippedItems',
  'inputs',
  'generatedAt',
  'warnings',
  'nothingEvaluated',
  'credentialReports',
  'live',
]);

const emptyCounts = (): Record<Compliance, number> => ({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, INSUFFICIENT_DATA: 0 });

interface Status {
  readonly word: string;
  readonly css: 'pass' | 'fail' | 'incomplete' | 'none';
}

function statusOf(counts: Counts | undefined): Status {
  if (counts === undefined) return { word: 'SKIPPED', css: 'none' };
  if (counts.NON_COMPLIANT > 0) return { word: 'FAIL', css: 'fail' };
  if (counts.INSUFFICIENT_DATA > 0) return { word: 'INCOMPLETE', css: 'incomplete' };
  if (counts.COMPLIANT > 0) return { word: 'PASS', css: 'pass' };
  return { word: 'NO RESOURCES', css: 'none' };
}

const badge = (status: Status) => html`<span class="status status-${status.css}">${status.word}</span>`;
const id = (text: string) => html`<span class="id">${text}</span>`;
/** Rule and parameter ids wrap at their hyphens only; resource ids (ARNs) anywhere. */
const code = (text: string) => html`<span class="code">${text}</span>`;
/** Resource types may wrap after each `::` (AWS::SSM::PatchCompliance is wider than a narrow column). */
const resourceType = (type: string) => type.split('::').map((part, i) => html`${i > 0 && html`::<wbr>`}${part}`);
/** Names are customer-chosen and may be long without a space. */
const resourceName = (name: string | undefined, resourceId: string) =>
  name !== undefined && name !== resourceId ? html`<span class="brk">${name}</span>` : undefined;
/** Account ids and dates stay on one line. */
const short = (text: string) => html`<span class="id nw">${text}</span>`;
const none = (text = 'none') => html`<span class="muted">${text}</span>`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function countCells(counts: Counts): SafeHtml[] {
  return COMPLIANCE_ORDER.map((c) => html`<td class="num" data-key="${c}">${counts[c]}</td>`);
}

const countHeaders = () => COMPLIANCE_ORDER.map((c) => html`<th scope="col" class="num">${COMPLIANCE_LABELS[c]}</th>`);

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(String).join(', ');
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

const isDefault = (value: unknown, fallback: unknown) => JSON.stringify(value) === JSON.stringify(fallback);

const LIVE_STATUS: Readonly<Record<LiveRegionSummary['status'], string>> = {
  read: 'read',
  'not-recording': 'AWS Config not recording: its Config-based rules skipped',
  failed: 'could not be read',
};

/** A live scan's inputs: each account and Region read, when, by whom, and what could not be read. */
function liveReadTable(live: LiveReadSummary): SafeHtml {
  const rows = live.accounts.flatMap((account) =>
    account.status === 'failed'
      ? [
          html`<tr><th scope="row">${short(account.accountId)}</th><td>${none('—')}</td><td>could not be read</td><td class="num">0</td><td>${none('—')}</td><td>${account.problem ?? ''}</td></tr>`,
        ]
      : account.regions.map(
          (region) =>
            html`<tr><th scope="row">${short(account.accountId)}</th><td>${region.region}</td><td>${LIVE_STATUS[region.status]}</td><td class="num">${region.items}</td><td>${[...region.denied, ...account.denied].join(', ') || none('none')}</td><td>${region.problem ?? account.problem ?? none('—')}</td></tr>`,
        ),
  );
  return html`<h3>Accounts and Regions read live</h3>
<p>${describeLiveRead(live)}</p>
<table id="live-read"><thead><tr><th scope="col">Account</th><th scope="col">Region</th><th scope="col">Status</th><th scope="col" class="num">Items read</th><th scope="col">Permissions refused</th><th scope="col">Note</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function scopeSection(report: ReportInput): SafeHtml {
  const { meta, catalog, evaluations, summary } = report;
  const places = [...coverage(evaluations)].sort(([a], [b]) => a.localeCompare(b));
  const changed: SafeHtml[] = [];
  for (const entry of catalog) {
    const values = meta.parameters[entry.id] ?? {};
    for (const [name, spec] of Object.entries(entry.parameters)) {
      const value = name in values ? values[name] : spec.default;
      if (!isDefault(value, spec.default))
        changed.push(
          html`<tr><th scope="row">${code(entry.id)}</th><td>${code(name)}</td><td>${formatValue(value)}</td><td>${formatValue(spec.default)}</td></tr>`,
        );
    }
  }
  return html`<section id="scope" class="part" aria-labelledby="scope-h">
<h2 id="scope-h">Scope and inputs</h2>
<table class="facts"><caption>About this report</caption><tbody>
<tr><th scope="row">Generated at</th><td>${meta.generatedAt}</td></tr>
<tr><th scope="row">Evaluated as of</th><td>${meta.evaluatedAsOf}</td></tr>
<tr><th scope="row">Source</th><td>${meta.source}</td></tr>
<tr><th scope="row">Project version</th><td>Clinic Compliance Monitor ${meta.version}</td></tr>
<tr><th scope="row">Exemption tag</th><td>${id(meta.exemptionTagKey)}</td></tr>
<tr><th scope="row">Resources evaluated</th><td>${summary.resourcesEvaluated}</td></tr>
</tbody></table>
<h3>Accounts and Regions covered</h3>
${places.length === 0 ? html`<p>${none('No resource was evaluated.')}</p>` : html`<table id="coverage"><thead><tr><th scope="col">Account</th><th scope="col">Regions</th></tr></thead><tbody>${places.map(([account, regions]) => html`<tr><th scope="row">${short(account)}</th><td>${[...regions].sort().join(', ')}</td></tr>`)}</tbody></table>`}
${summary.live !== undefined && liveReadTable(summary.live)}
${(summary.live === undefined || meta.inputs.length > 0) && html`<h3>Input files</h3>`}
${
  summary.live !== undefined && meta.inputs.length === 0
    ? ''
    : meta.inputs.length === 0
      ? html`<p>${none()}</p>`
      : html`<table id="inputs"><thead><tr><th scope="col">File</th><th scope="col" class="num">Bytes</th><th scope="col">SHA-256</th></tr></thead><tbody>${meta.inputs.map((input) => html`<tr><th scope="row">${id(input.name)}</th><td class="num">${input.bytes ?? '—'}</td><td>${id(input.sha256 ?? '—')}</td></tr>`)}</tbody></table>
<p class="muted">Check a file against its digest with <span class="id">sha256sum FILE</span> (Linux), <span class="id">shasum -a 256 FILE</span> (macOS) or <span class="id">Get-FileHash FILE</span> (Windows PowerShell).</p>`
}
<h3>Rule parameters in effect</h3>
${changed.length === 0 ? html`<p>Every rule runs with its default parameters (listed with each rule).</p>` : html`<table id="parameters"><caption>Parameters set for this run; every other parameter has its default (listed with each rule)</caption><thead><tr><th scope="col">Rule</th><th scope="col">Parameter</th><th scope="col">Value</th><th scope="col">Default</th></tr></thead><tbody>${changed}</tbody></table>`}
</section>`;
}

function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Any summary field, whatever its shape: lists of records become tables, records become key/value tables. */
function genericValue(value: unknown, depth = 0): Interpolation {
  if (value === null || value === undefined) return none();
  if (typeof value !== 'object') return String(value);
  if (depth > 3) return id(JSON.stringify(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return none();
    if (value.every(isPlainObject)) {
      const keys = [...new Set(value.flatMap((row) => Object.keys(row)))];
      return html`<table><thead><tr>${keys.map((key) => html`<th scope="col">${humanize(key)}</th>`)}</tr></thead><tbody>${value.map((row) => html`<tr>${keys.map((key) => html`<td>${genericValue(row[key], depth + 1)}</td>`)}</tr>`)}</tbody></table>`;
    }
    return html`<ul>${value.map((item) => html`<li>${genericValue(item, depth + 1)}</li>`)}</ul>`;
  }
  return html`<table><tbody>${Object.entries(value).map(([key, item]) => html`<tr><th scope="row">${humanize(key)}</th><td>${genericValue(item, depth + 1)}</td></tr>`)}</tbody></table>`;
}

function otherSummaryFields(summary: ScanSummary): SafeHtml | false {
  const others = Object.entries(summary).filter(([key]) => !SHOWN_SUMMARY_FIELDS.has(key));
  if (others.length === 0) return false;
  return html`<h3>Other figures of the scan</h3>
<table id="summary-other"><thead><tr><th scope="col">Figure</th><th scope="col">Value</th></tr></thead><tbody>${others.map(([key, value]) => html`<tr><th scope="row">${humanize(key)} <span class="id muted">(${key})</span></th><td data-key="${key}">${genericValue(value)}</td></tr>`)}</tbody></table>`;
}

/** What the reader must not miss (nothing evaluated, rules not run, an old credential report), before any figure. */
function warningsBlock(summary: ScanSummary): SafeHtml | false {
  if (summary.warnings.length === 0) return false;
  return html`<div id="warnings" class="warnings" role="note"><p><strong>Read first: what this report does not show</strong></p><ul>${summary.warnings.map((warning) => html`<li>${warning}</li>`)}</ul></div>`;
}

function summarySection(report: ReportInput): SafeHtml {
  const { summary, catalog } = report;
  const skipped = new Set(summary.rulesSkipped.map((s) => s.ruleId));
  const listed = catalog.filter((entry) => summary.rules[entry.id] !== undefined || skipped.has(entry.id));
  const areas = new Map<Area, { rules: number; counts: Record<Compliance, number> }>();
  for (const entry of listed) {
    let area = areas.get(entry.area);
    if (area === undefined) areas.set(entry.area, (area = { rules: 0, counts: emptyCounts() }));
    area.rules++;
    const counts = summary.rules[entry.id];
    if (counts !== undefined) for (const c of COMPLIANCE_ORDER) area.counts[c] += counts[c];
  }
  const citations = [...new Set(listed.flatMap((entry) => entry.hipaa as readonly string[]))].sort((a, b) => citationOrder(a) - citationOrder(b));
  const c = summary.compliance;
  return html`<section id="summary" class="part" aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
${warningsBlock(summary)}
<p>${plural(summary.resourcesEvaluated, 'resource')} and ${plural(summary.evaluations, 'evaluation')}: ${c.COMPLIANT} compliant, ${c.NON_COMPLIANT} non-compliant, ${c.NOT_APPLICABLE} not applicable, ${c.INSUFFICIENT_DATA} could not be evaluated. ${plural(summary.rulesSkipped.length, 'rule')} skipped, ${plural(summary.skippedItems.length, 'input item')} could not be read.</p>
<table id="counts" class="keep narrow"><caption>Evaluations by compliance</caption><thead><tr><th scope="col">Compliance</th><th scope="col" class="num">Evaluations</th></tr></thead><tbody>
${COMPLIANCE_ORDER.map((k) => html`<tr><th scope="row"><span class="legend fill-${k}"></span>${COMPLIANCE_LABELS[k]}</th><td class="num" data-key="compliance.${k}">${c[k]}</td></tr>`)}
<tr><th scope="row">All evaluations</th><td class="num" data-key="evaluations">${summary.evaluations}</td></tr>
<tr><th scope="row">Resources evaluated</th><td class="num" data-key="resourcesEvaluated">${summary.resourcesEvaluated}</td></tr>
<tr><th scope="row">Rule errors (counted as could not be evaluated)</th><td class="num" data-key="errors">${summary.errors}</td></tr>
</tbody></table>
<h3>By area</h3>
<table id="areas"><thead><tr><th scope="col">Area</th><th scope="col" class="num">Rules</th>${countHeaders()}<th scope="col">Chart</th></tr></thead><tbody>
${[...areas].map(([area, figures]) => html`<tr data-area="${area}"><th scope="row">${AREAS[area].name}</th><td class="num">${figures.rules}</td>${countCells(figures.counts)}<td>${complianceBar(figures.counts)}</td></tr>`)}
</tbody></table>
<h3>By HIPAA Security Rule citation</h3>
<table id="citations"><thead><tr><th scope="col">Citation</th><th scope="col">Rule</th><th scope="col">Status</th>${countHeaders()}</tr></thead>
${citations.map((citation) => {
  const rules = listed.filter((entry) => (entry.hipaa as readonly string[]).includes(citation));
  return html`<tbody class="keep" data-citation="${citation}">${rules.map((entry, i) => {
    const counts = summary.rules[entry.id];
    const head =
      i === 0 ? html`<th scope="rowgroup" rowspan="${rules.length}">45 CFR ${citation}<br><span class="muted">${citationTitle(citation)}</span></th>` : false;
    return html`<tr>${head}<td><a href="#rule-${entry.id}">${code(entry.id)}</a></td><td>${badge(statusOf(counts))}</td>${counts === undefined ? html`<td colspan="4">${summary.rulesSkipped.find((s) => s.ruleId === entry.id)?.reason ?? 'not run'}</td>` : countCells(counts)}</tr>`;
  })}</tbody>`;
})}
</table>
${otherSummaryFields(summary)}
</section>`;
}

const CITATION_KEYS = Object.keys(HIPAA_CITATIONS);
const citationOrder = (citation: string) => {
  const index = CITATION_KEYS.indexOf(citation);
  return index === -1 ? CITATION_KEYS.length : index;
};
const citationTitle = (citation: string): string => (HIPAA_CITATIONS as Readonly<Record<string, string>>)[citation] ?? '';

function resourceCells(e: Evaluation): SafeHtml {
  return html`<td>${resourceType(e.resourceType)}</td><td>${id(e.resourceId)}</td><td>${resourceName(e.resourceName, e.resourceId) ?? none('—')}</td><td>${short(e.accountId)}</td><td>${e.region}</td>`;
}

const RESOURCE_HEADERS = html`<th scope="col">Resource type</th><th scope="col">Resource id</th><th scope="col">Name</th><th scope="col">Account</th><th scope="col">Region</th>`;

function safeLink(url: string): Interpolation {
  return /^https:\/\/[^\s"'<>]+$/.test(url) ? html`<a href="${url}" rel="noopener noreferrer">${url}</a>` : url;
}

function ruleSection(entry: CatalogEntry, counts: Counts, evaluations: readonly Evaluation[], parameters: Readonly<Record<string, unknown>>): SafeHtml {
  const failing = evaluations.filter((e) => e.compliance === 'NON_COMPLIANT' && !couldNotEvaluate(e));
  const params = Object.entries(entry.parameters);
  return html`<section id="rule-${entry.id}" class="rule" aria-labelledby="rule-${entry.id}-h">
<h3 id="rule-${entry.id}-h">${badge(statusOf(counts))} ${entry.title} <span class="code muted">(${entry.id})</span></h3>
<p>${entry.description}</p>
<table class="facts"><tbody>
<tr><th scope="row">Severity</th><td>${entry.severity}</td></tr>
<tr><th scope="row">HIPAA citations</th><td>${entry.hipaa.map((citation, i) => html`${i > 0 && '; '}45 CFR ${citation} (${citationTitle(citation)})`)}</td></tr>
<tr><th scope="row">Resource types</th><td>${entry.resourceTypes.join(', ')}</td></tr>
<tr><th scope="row">Nearest AWS managed rule</th><td>${entry.awsManagedRule ?? none()}</td></tr>
<tr><th scope="row">Security Hub controls</th><td>${entry.securityHubControls.length > 0 ? entry.securityHubControls.join(', ') : none()}</td></tr>
</tbody></table>
${params.length > 0 && html`<table class="params"><caption>Parameters</caption><thead><tr><th scope="col">Parameter</th><th scope="col">Value in effect</th><th scope="col">Default</th><th scope="col">Meaning</th></tr></thead><tbody>${params.map(([name, spec]) => html`<tr><th scope="row">${code(name)}</th><td>${formatValue(name in parameters ? parameters[name] : spec.default)}</td><td>${formatValue(spec.default)}</td><td>${spec.description}</td></tr>`)}</tbody></table>`}
<table class="counts keep narrow"><caption>Evaluations</caption><thead><tr>${countHeaders()}</tr></thead><tbody><tr>${countCells(counts)}</tr></tbody></table>
${counts.INSUFFICIENT_DATA > 0 && html`<p>${plural(counts.INSUFFICIENT_DATA, 'resource')} could not be evaluated: see <a href="#not-evaluated">What was not evaluated</a>.</p>`}
${
  failing.length > 0 &&
  html`<table class="failing"><caption>Non-compliant resources (${failing.length})</caption><thead><tr>${RESOURCE_HEADERS}<th scope="col">Why</th></tr></thead><tbody>${failing.map((e) => html`<tr>${resourceCells(e)}<td>${e.annotation}</td></tr>`)}</tbody></table>
<h4>Remediation</h4>
<p>${entry.remediation.summary}</p>
<ol>${entry.remediation.steps.map((step) => html`<li>${step}</li>`)}</ol>
<p>AWS documentation: ${safeLink(entry.remediation.url)}</p>`
}
</section>`;
}

function rulesSection(report: ReportInput, byRule: Map<string, Evaluation[]>): SafeHtml {
  const { summary, catalog, meta } = report;
  const known = new Set<string>(catalog.map((entry) => entry.id));
  const unknown = Object.keys(summary.rules).filter((ruleId) => !known.has(ruleId));
  return html`<section id="rules" class="part" aria-labelledby="rules-h">
<h2 id="rules-h">Results by rule</h2>
<p>Each rule that ran, what it checks, its parameters and counts, and every non-compliant resource with the reason and how to fix it. Compliant and not-applicable resources are counted here and listed one by one in the CSV and JSON reports.</p>
${catalog.map((entry) => {
  const counts = summary.rules[entry.id];
  return counts !== undefined && ruleSection(entry, counts, byRule.get(entry.id) ?? [], meta.parameters[entry.id] ?? {});
})}
${unknown.length > 0 && html`<p>Rules not in this version's catalog: ${unknown.join(', ')}.</p>`}
</section>`;
}

function exemptionRows(entries: readonly ExemptionEntry[], ignored: boolean): SafeHtml[] {
  return entries.map((entry) => {
    const { exemption } = entry;
    const { reason } = exemption;
    const until = 'until' in exemption ? exemption.until : undefined;
    const name = resourceName(entry.resourceName, entry.resourceId);
    return html`<tr><td>${resourceType(entry.resourceType)}<br>${id(entry.resourceId)}${name && html`<br>${name}`}</td><td>${short(entry.accountId)}</td><td>${entry.region}</td>${ignored && html`<td>${ignoredBecause(exemption)}</td>`}<td>${reason ?? none('—')}</td><td class="nw">${until ?? none('no end date')}</td><td>${entry.ruleIds.map((ruleId, i) => html`${i > 0 && ', '}${code(ruleId)}`)}</td></tr>`;
  });
}

function exemptionsSection(report: ReportInput): SafeHtml {
  const { active, ignored } = exemptionRegister(report.evaluations);
  const headers = (withWhy: boolean) =>
    html`<thead><tr><th scope="col">Resource (type, id, name)</th><th scope="col">Account</th><th scope="col">Region</th>${withWhy && html`<th scope="col">Why ignored</th>`}<th scope="col">Reason given</th><th scope="col">Until</th><th scope="col">Rules</th></tr></thead>`;
  return html`<section id="exemptions" class="part" aria-labelledby="exemptions-h">
<h2 id="exemptions-h">Exemptions register</h2>
<p>Resources tagged <span class="id">${report.meta.exemptionTagKey}</span> with a reason (and optionally <span class="id">until=YYYY-MM-DD</span>) are not applicable to the rules listed, until the end of that day (UTC). An expired or malformed exemption is ignored: the resource is evaluated as if it had none.</p>
<h3>Exemptions in force (${active.length})</h3>
${active.length === 0 ? html`<p>${none()}</p>` : html`<table id="exemptions-active">${headers(false)}<tbody>${exemptionRows(active, false)}</tbody></table>`}
<h3>Exemptions ignored (${ignored.length})</h3>
${ignored.length === 0 ? html`<p>${none()}</p>` : html`<table id="exemptions-ignored">${headers(true)}<tbody>${exemptionRows(ignored, true)}</tbody></table>`}
</section>`;
}

/** The credential reports the MFA verdicts come from, and how old each was at the evaluation time. */
function credentialReportsTable(summary: ScanSummary): SafeHtml | false {
  if (summary.credentialReports.length === 0) return false;
  return html`<h3>Credential reports read (${summary.credentialReports.length})</h3>
<table id="credential-reports"><thead><tr><th scope="col">File</th><th scope="col">Account</th><th scope="col">Generated</th><th scope="col" class="num">Age (hours)</th><th scope="col">Old</th></tr></thead><tbody>${summary.credentialReports.map((r) => html`<tr><td>${id(r.source)}</td><td>${short(r.accountId)}</td><td>${r.generatedAt === undefined ? none('not given (CSV)') : short(r.generatedAt)}</td><td class="num">${r.ageHours === undefined ? none('—') : r.ageHours}</td><td>${r.stale ? 'yes: its MFA verdicts show that old state' : 'no'}</td></tr>`)}</tbody></table>`;
}

function notEvaluatedSection(report: ReportInput): SafeHtml {
  const { summary, catalog, evaluations } = report;
  const titles = new Map<string, string>(catalog.map((entry) => [entry.id, entry.title]));
  const errors = evaluations.filter(couldNotEvaluate);
  return html`<section id="not-evaluated" class="part" aria-labelledby="not-evaluated-h">
<h2 id="not-evaluated-h">What was not evaluated</h2>
<h3>Rules skipped (${summary.rulesSkipped.length})</h3>
${summary.rulesSkipped.length === 0 ? html`<p>${none()}</p>` : html`<table id="rules-skipped"><thead><tr><th scope="col">Rule</th><th scope="col">Title</th><th scope="col">Why</th></tr></thead><tbody>${summary.rulesSkipped.map((s) => html`<tr><th scope="row">${code(s.ruleId)}</th><td>${titles.get(s.ruleId) ?? none('—')}</td><td>${s.reason}</td></tr>`)}</tbody></table>`}
${credentialReportsTable(summary)}
<h3>Input items that could not be read (${summary.skippedItems.length})</h3>
${summary.skippedItems.length === 0 ? html`<p>${none()}</p>` : html`<table id="items-skipped"><thead><tr><th scope="col">File</th><th scope="col">Where</th><th scope="col">Resource type</th><th scope="col">Resource id</th><th scope="col">Why</th></tr></thead><tbody>${summary.skippedItems.map((s) => html`<tr><td>${id(s.source)}</td><td>${id(s.location)}</td><td>${s.resourceType ?? none('—')}</td><td>${s.resourceId === undefined ? none('—') : id(s.resourceId)}</td><td>${s.reason}</td></tr>`)}</tbody></table>`}
<h3>Resources that could not be evaluated (${errors.length})</h3>
<p>The data did not decide: a field the rule needs is missing or unreadable. These are never counted as compliant.</p>
${errors.length === 0 ? html`<p>${none()}</p>` : html`<table id="could-not-evaluate"><thead><tr><th scope="col">Rule</th>${RESOURCE_HEADERS}<th scope="col">Why</th></tr></thead><tbody>${errors.map((e) => html`<tr><th scope="row">${code(e.ruleId)}</th>${resourceCells(e)}<td>${e.annotation}</td></tr>`)}</tbody></table>`}
</section>`;
}

export function toHtml(report: ReportInput): string {
  const byRule = groupByRule(report.evaluations);
  const { meta } = report;
  return `<!DOCTYPE html>
${
  html`<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new SafeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HIPAA safeguards evidence report, evaluated as of ${meta.evaluatedAsOf}</title>
<style>${new SafeHtml(REPORT_CSS)}</style>
</head>
<body>
<header>
<h1>HIPAA safeguards evidence report</h1>
<p>Evaluated as of ${meta.evaluatedAsOf} by Clinic Compliance Monitor ${meta.version}. ${meta.source}.</p>
<nav aria-label="Contents"><ol>
<li><a href="#scope">Scope and inputs</a></li>
<li><a href="#summary">Summary</a></li>
<li><a href="#rules">Results by rule</a></li>
<li><a href="#exemptions">Exemptions register</a></li>
<li><a href="#not-evaluated">What was not evaluated</a></li>
</ol></nav>
</header>
<main>
${scopeSection(report)}
${summarySection(report)}
${rulesSection(report, byRule)}
${exemptionsSection(report)}
${notEvaluatedSection(report)}
</main>
</body>
</html>`.value
}
`;
}
