/**
 * The monthly report's documents, rendered by the offline scan's own renderers: the HTML holds every
 * non-compliant evaluation, the counts of the JSON summary, the month's figures and every account that
 * could not be read; the CSV has a row per evaluation.
 */
import { parse } from 'csv-parse/sync';
import type { TransitionRecord } from '../../../functions/evidence/transitions.js';
import type { AccountResults } from '../../../functions/monthly-report/config-results.js';
import { periodOf } from '../../../functions/monthly-report/period.js';
import { buildMonthlyReport, reportKeys, type MonthlyReportInput, type MonthlySummary } from '../../../functions/monthly-report/report.js';
import { CATALOG } from '../../../rules/catalog.js';
import { mixedEvaluations } from '../../helpers/reports.js';
import { volumeTransition } from '../../helpers/transitions.js';

const CENTRAL = '111122223333';
const MEMBER = '444455556666';
const UNREAD = '777788889999';
const BUCKET = 'ccm-evidence-111122223333';

function results(accountId: string, ruleIds = ['ebs-volume-encrypted']): AccountResults {
  return {
    accountId,
    evaluations: mixedEvaluations().map((e) => ({ ...e, accountId, compliance: e.compliance === 'INSUFFICIENT_DATA' ? 'NON_COMPLIANT' : e.compliance })),
    rules: new Map(ruleIds.map((id) => [id, `ccm-${id}`])),
    parameters: new Map([['ebs-volume-encrypted', { kmsKeyArns: ['alias/clinic'] }]]),
    unreadable: [],
  };
}

function change(
  eventId: string,
  resourceId: string,
  at: string,
  from: TransitionRecord['oldCompliance'],
  to: TransitionRecord['newCompliance'],
): TransitionRecord {
  return volumeTransition({ eventId, resourceId, accountId: CENTRAL, oldCompliance: from, newCompliance: to, recordedAt: at });
}

function input(overrides: Partial<MonthlyReportInput> = {}): MonthlyReportInput {
  return {
    period: periodOf('2026-10'),
    generatedAt: new Date('2026-11-01T06:00:05.000Z'),
    region: 'us-east-1',
    bucket: BUCKET,
    configRulePrefix: 'ccm-',
    enabledRuleIds: ['ebs-volume-encrypted', 'root-account-mfa'],
    accounts: [
      { accountId: CENTRAL, results: results(CENTRAL, ['ebs-volume-encrypted', 'root-account-mfa']) },
      { accountId: MEMBER, results: results(MEMBER, ['ebs-volume-encrypted', 'root-account-mfa']) },
      { accountId: UNREAD, error: 'cannot assume member role arn:aws:iam::777788889999:role/ccm-member' },
    ],
    month: {
      records: [
        change('e1', 'vol-a', '2026-10-02T00:00:00.000Z', 'COMPLIANT', 'NON_COMPLIANT'),
        change('e2', 'vol-a', '2026-10-02T06:00:00.000Z', 'NON_COMPLIANT', 'COMPLIANT'),
        change('e3', 'vol-b', '2026-10-03T00:00:00.000Z', 'NON_COMPLIANT', 'COMPLIANT'),
        change('e3', 'vol-b', '2026-10-03T00:00:00.000Z', 'NON_COMPLIANT', 'COMPLIANT'),
      ],
      problems: [],
      objects: 3,
      bytes: 1200,
    },
    lookback: { records: [change('e0', 'vol-b', '2026-09-30T20:00:00.000Z', 'COMPLIANT', 'NON_COMPLIANT')], problems: [], objects: 1, bytes: 400 },
    exemptionTagKey: 'compliance:exempt',
    version: '9.9.9',
    ...overrides,
  };
}

describe('monthly report documents', () => {
  const documents = buildMonthlyReport(input());
  const summary = JSON.parse(documents.json).summary as MonthlySummary;

  test('the month figures: opened, fixed, median and p90 time to fix (6 h, and 52 h from September), duplicates counted once', () => {
    expect(summary.month).toMatchObject({
      month: '2026-10',
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      transitions: 3,
      duplicateRecords: 1,
      lookbackMonths: 12,
    });
    expect(summary.month.bySeverity.find((s) => s.severity === 'HIGH')).toEqual({
      severity: 'HIGH',
      opened: 1,
      fixed: 2,
      closed: 0,
      openedStillOpen: 0,
      fixedUntimed: 0,
      medianHoursToFix: 29,
      p90HoursToFix: 52,
    });
    expect(summary.month.accountsRead).toEqual([CENTRAL, MEMBER]);
    expect(summary.month.accountsNotRead).toEqual([{ accountId: UNREAD, reason: expect.stringContaining('cannot assume member role') }]);
  });

  test('an account that could not be read makes the report incomplete, named among what could not be read', () => {
    expect(documents.complete).toBe(false);
    expect(documents.gaps).toEqual([
      `AWS Config account ${UNREAD}, us-east-1: could not be read: cannot assume member role arn:aws:iam::777788889999:role/ccm-member`,
    ]);
    expect(summary.skippedItems).toEqual([
      { source: 'AWS Config', location: `account ${UNREAD}, us-east-1`, reason: expect.stringContaining('could not be read') },
    ]); // The warnings lead the HTML summary: an auditor sees the gap before any count.
    expect(summary.warnings).toEqual([
      expect.stringMatching(new RegExp(`^Account ${UNREAD} could not be read in us-east-1: its resources are not in this report\\. cannot assume member role`)),
    ]);
    expect(summary.nothingEvaluated).toBe(false);
    expect(documents.html.indexOf(`Account ${UNREAD} could not be read`)).toBeLessThan(documents.html.indexOf('id="counts"'));
  });

  test('every account read is in the evaluations; a rule missing in one account is a gap, a rule found nowhere is skipped', () => {
    expect(new Set(documents.evaluations.map((e) => e.accountId))).toEqual(new Set([CENTRAL, MEMBER]));
    const partial = buildMonthlyReport(
      input({
        accounts: [
          { accountId: CENTRAL, results: results(CENTRAL, ['ebs-volume-encrypted', 'root-account-mfa']) },
          { accountId: MEMBER, results: results(MEMBER) },
        ],
      }),
    );
    expect(partial.gaps).toEqual([
      `AWS Config account ${MEMBER}, us-east-1: no Config rule for root-account-mfa (ccm-root-account-mfa): its resources there were not evaluated`,
    ]);
    const nowhere = buildMonthlyReport(input({ accounts: [{ accountId: CENTRAL, results: results(CENTRAL) }] }));
    expect(nowhere.complete).toBe(true);
    expect(nowhere.summary.rulesSkipped).toEqual([
      { ruleId: 'root-account-mfa', reason: expect.stringContaining('no AWS Config rule ccm-root-account-mfa in the accounts read in us-east-1') },
    ]);
  });

  test('renders through the offline HTML renderer: every non-compliant resource, the JSON counts, the month and the unread account', () => {
    const { html } = documents;
    for (const evaluation of documents.evaluations.filter((e) => e.compliance === 'NON_COMPLIANT')) expect(html).toContain(evaluation.resourceId);
    expect(html).toContain(`data-key="compliance.NON_COMPLIANT">${summary.compliance.NON_COMPLIANT}<`);
    expect(html).toContain(`data-key="evaluations">${summary.evaluations}<`);
    expect(html).toContain('Monthly report for 2026-10 (UTC)');
    expect(html).toMatch(/Median hours to fix/);
    expect(html).toMatch(/P90 hours to fix/);
    expect(html).toContain(UNREAD);
    expect(html).toContain('lab scratch disk');
    expect(html).toContain('<meta http-equiv="Content-Security-Policy"');
  });

  test('the CSV has one row per evaluation under the offline header', () => {
    const rows = parse(documents.csv, { bom: true }) as string[][];
    expect(rows).toHaveLength(documents.evaluations.length + 1);
    expect(rows[0]?.[0]).toBe('rule id');
  });

  test('reads nothing but its input: no account read is an incomplete report with every rule skipped', () => {
    const none = buildMonthlyReport(
      input({
        accounts: [{ accountId: CENTRAL, error: 'AccessDeniedException: no' }],
        month: { records: [], problems: [], objects: 0, bytes: 0 },
        lookback: { records: [], problems: [], objects: 0, bytes: 0 },
      }),
    );
    expect(none.complete).toBe(false);
    expect(none.summary.rulesSkipped.map((s) => s.reason)).toEqual(['no account could be read', 'no account could be read']);
    expect(none.evaluations).toEqual([]);
    expect(none.summary.nothingEvaluated).toBe(true);
    expect(none.summary.warnings[0]).toMatch(/^No result of the monitor's rules could be read from AWS Config.*This is not a pass\.$/);
    expect(CATALOG.length).toBeGreaterThan(2);
  });

  test('keys: one folder per month, the Region in the file name', () => {
    expect(reportKeys('2026-10', 'eu-west-1')).toEqual({
      html: 'reports/2026-10/ccm-evidence-2026-10-eu-west-1.html',
      csv: 'reports/2026-10/ccm-evidence-2026-10-eu-west-1.csv',
      json: 'reports/2026-10/ccm-evidence-2026-10-eu-west-1.json',
    });
  });
});
