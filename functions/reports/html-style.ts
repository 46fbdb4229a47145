/**
 * The report's one stylesheet, and the content security policy that admits exactly it (by hash)
 * and nothing else: no scripts, no fetches of any kind, so the file shows the same offline, in an
 * auditor's archive, as on the day it was made.
 */
import { createHash } from 'node:crypto';

export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #1a1a1a; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 1.75rem; }
h4 { font-size: 1rem; margin: 1rem 0 .4rem; }
p, ol, ul, dl { margin: .4rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #b0b7bf; padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #eef1f4; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.id, .code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; }
td { overflow-wrap: break-word; }
.id, .brk { overflow-wrap: anywhere; }
.nw, td.num { white-space: nowrap; overflow-wrap: normal; }
table.narrow { width: auto; min-width: 24rem; }
.muted { color: #555; }
a { color: #0b57d0; }
.status { display: inline-block; padding: 0 .4em; border-radius: 3px; color: #fff; font-weight: 700; font-size: .8rem; letter-spacing: .02em; white-space: nowrap; }
.status-pass { background: #1b5e20; }
.status-fail { background: #b71c1c; }
.status-incomplete { background: #7a4a00; }
.warnings { border: 2px solid #7a4a00; padding: 0.2em 0.8em; margin: 0.8em 0; }
.status-none { background: #4a4a4a; }
.legend { display: inline-block; width: .8em; height: .8em; margin-right: .25em; vertical-align: -.05em; border: 1px solid #1a1a1a; }
.fill-COMPLIANT { background: #2e7d32; } .fill-NON_COMPLIANT { background: #c62828; } .fill-NOT_APPLICABLE { background: #bdbdbd; } .fill-INSUFFICIENT_DATA { background: #e0a100; }
svg.bar { display: block; width: 100%; min-width: 6rem; max-width: 240px; height: 16px; }
.rule { border-top: 1px solid #b0b7bf; margin-top: 1.5rem; }
@page { margin: 14mm 12mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  th, td { padding: .2rem .3rem; }
  /* Four count columns beside a status word (INCOMPLETE is the widest) must still fit A4. */
  th.num, td.num { padding-left: .2rem; padding-right: .2rem; }
  nav { display: none; }
  .part { break-before: page; }
  main > .part:first-child { break-before: auto; }
  h2, h3, h4, caption { break-after: avoid; }
  tr, .keep { break-inside: avoid; }
  thead { display: table-header-group; }
  .status { color: #1a1a1a; background: none; border: 1px solid #1a1a1a; }
  .legend { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  a[href^="https:"]::after { content: " (" attr(href) ")"; overflow-wrap: anywhere; }
}
`;

export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}'; base-uri 'none'; form-action 'none'`;
