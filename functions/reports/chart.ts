/**
 * A stacked bar of evaluations by compliance, as inline SVG: no script, no font, no fetch. The
 * figures stand in words next to it, so the bar is decoration for screen readers (aria-hidden).
 */
import type { Compliance } from '../../rules/types.js';
import { COMPLIANCE_LABELS, COMPLIANCE_ORDER } from './model.js';
import { html, type SafeHtml } from './safe-html.js';

/** Fills shared with the legend squares of the stylesheet (`.fill-*`). */
export const CHART_FILLS: Readonly<Record<Compliance, string>> = {
  COMPLIANT: '#2e7d32',
  NON_COMPLIANT: '#c62828',
  NOT_APPLICABLE: '#bdbdbd',
  INSUFFICIENT_DATA: '#e0a100',
};

const WIDTH = 240;
const HEIGHT = 16;

export function complianceBar(counts: Readonly<Record<Compliance, number>>): SafeHtml {
  const total = COMPLIANCE_ORDER.reduce((sum, c) => sum + counts[c], 0);
  let x = 0;
  const segments: SafeHtml[] = [];
  for (const compliance of COMPLIANCE_ORDER) {
    const n = counts[compliance];
    if (n === 0 || total === 0) continue;
    const width = (n / total) * WIDTH;
    segments.push(
      html`<rect x="${x.toFixed(2)}" y="0" width="${width.toFixed(2)}" height="${HEIGHT}" fill="${CHART_FILLS[compliance]}"><title>${COMPLIANCE_LABELS[compliance]}: ${n}</title></rect>`,
    );
    x += width;
  }
  return html`<svg class="bar" aria-hidden="true" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg"><rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>${segments}<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="none" stroke="#1a1a1a" vector-effect="non-scaling-stroke"/></svg>`;
}
