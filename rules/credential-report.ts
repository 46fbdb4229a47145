/**
 * The IAM credential report (IAM User Guide, "Getting credential reports"; docs/aws-semantics.md,
 * "Credential report"): a CSV of 22 columns with one `<root_account>` row and one row per IAM user.
 * Flags come as `true`/`TRUE`/`false`; `N/A`, `not_supported` and `no_information` mean "not
 * reported" and are kept as such, never read as false. The text is parsed with a real CSV parser; a
 * report that cannot be read (a column missing, no rows) is a CredentialReportError naming the line.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { isAccountId, parseArn } from './arn.js';
import { RuleInputError } from './fields.js';
import { isRecord } from './inventory.js';
import { JsonSyntaxError, parseAwsJson } from './json.js';

export const ROOT_USER = '<root_account>';

export const REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** IAM generates a new report at most every 4 hours; one much older than the evaluation time is flagged. */
export const STALE_REPORT_HOURS = 24;

export interface CredentialReportRow {
  readonly user: string;
  readonly arn: string;
  /** Line of the row in the CSV text (the header is line 1). */
  readonly line: number;
  /** Epoch milliseconds, when the report gives a date. */
  readonly createdAt?: number;
  /** `undefined` when the report does not say (N/A, not_supported, no_information). */
  readonly passwordEnabled?: boolean;
  readonly mfaActive?: boolean;
  /** The values as written, for annotations that name what the report said and rules that check them. */
  readonly raw: {
    readonly userCreationTime: string;
    readonly passwordEnabled: string;
    readonly mfaActive: string;
    readonly accessKey1Active: string;
    readonly accessKey2Active: string;
    readonly cert1Active: string;
    readonly cert2Active: string;
  };
  readonly activeAccessKeys: number;
  readonly activeCertificates: number;
}

export interface CredentialReport {
  readonly source: string;
  /** From the `arn` column; absent when masked (the public sample writes `fakearn`). */
  readonly accountId?: string;
  /** `GeneratedTime` (ISO-8601), when the report came as `aws iam get-credential-report` JSON or from the API. */
  readonly generatedAt?: string;
  readonly root?: CredentialReportRow;
  readonly users: readonly CredentialReportRow[];
}

export class CredentialReportError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'CredentialReportError';
  }
}

function flag(value: string): boolean | undefined {
  const lower = value.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

function time(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value.trim())) return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** `aws iam get-credential-report` prints JSON with the CSV base64-encoded in `Content`. */
function unwrapJson(text: string): { csv: string; generatedAt?: string } {
  let doc: unknown;
  try {
    doc = parseAwsJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new CredentialReportError(`not a CSV report and not valid JSON: ${error.message}`, error.line);
    throw error;
  }
  if (!isRecord(doc) || typeof doc.Content !== 'string' || doc.Content === '') {
    throw new CredentialReportError('JSON input must be the output of aws iam get-credential-report, with the report in "Content" (base64)', 1);
  }
  const csv = Buffer.from(doc.Content, 'base64').toString('utf8');
  const generated = doc.GeneratedTime;
  if (generated === undefined || generated === null) return { csv };
  // The CLI prints an ISO time, the API's JSON epoch seconds.
  const at = typeof generated === 'number' ? generated * 1000 : typeof generated === 'string' ? Date.parse(generated) : Number.NaN;
  if (Number.isNaN(at)) throw new CredentialReportError(`GeneratedTime ${JSON.stringify(generated)} is not a time`, 1);
  return { csv, generatedAt: new Date(at).toISOString() };
}

function csvRecords(text: string): { record: string[]; line: number }[] {
  try {
    const rows = parse(text, { info: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return rows.map((row) => ({ record: row.record, line: row.info.lines }));
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      throw new CredentialReportError(error.message.replace(/ (on|at) line \d+$/, ''), line);
    }
    throw error;
  }
}

export function parseCredentialReport(text: string, source = 'credential report'): CredentialReport {
  let csv = text.replace(/^\uFEFF/, '');
  let generatedAt: string | undefined;
  if (csv.trimStart().startsWith('{')) ({ csv, generatedAt } = unwrapJson(csv));
  if (csv.trim() === '') throw new CredentialReportError('the report is empty', 1);

  const [header, ...rows] = csvRecords(csv);
  if (header === undefined) throw new CredentialReportError('the report is empty', 1);
  const columns = new Map(header.record.map((name, index) => [name.toLowerCase(), index]));
  // Every column, not only those the rules read today: a report missing any is not one IAM produced.
  const missing = REPORT_COLUMNS.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    throw new CredentialReportError(
      `the header lacks ${missing.length} of the ${REPORT_COLUMNS.length} columns of an IAM credential report: ${missing.join(', ')}`,
      header.line,
    );
  }
  if (rows.length === 0) throw new CredentialReportError(`the report has a header but no rows; IAM always writes a ${ROOT_USER} row`, header.line);
  const cell = (record: string[], name: string): string => {
    const index = columns.get(name);
    return index === undefined ? '' : (record[index] ?? '');
  };

  let root: CredentialReportRow | undefined;
  const users: CredentialReportRow[] = [];
  const seen = new Map<string, number>();
  const accounts = new Set<string>();
  for (const { record, line } of rows) {
    const user = cell(record, 'user');
    if (user === '') throw new CredentialReportError('the user column is empty', line);
    const previous = seen.get(user);
    if (previous !== undefined) throw new CredentialReportError(`user ${JSON.stringify(user)} appears twice (lines ${previous} and ${line})`, line);
    seen.set(user, line);
    const arn = cell(record, 'arn');
    const account = parseArn(arn)?.accountId;
    if (isAccountId(account)) accounts.add(account);
    const createdAt = time(cell(record, 'user_creation_time'));
    const passwordEnabled = flag(cell(record, 'password_enabled'));
    const mfaActive = flag(cell(record, 'mfa_active'));
    const row: CredentialReportRow = {
      user,
      arn,
      line,
      ...(createdAt !== undefined && { createdAt }),
      ...(passwordEnabled !== undefined && { passwordEnabled }),
      ...(mfaActive !== undefined && { mfaActive }),
      raw: {
        userCreationTime: cell(record, 'user_creation_time'),
        passwordEnabled: cell(record, 'password_enabled'),
        mfaActive: cell(record, 'mfa_active'),
        accessKey1Active: cell(record, 'access_key_1_active'),
        accessKey2Active: cell(record, 'access_key_2_active'),
        cert1Active: cell(record, 'cert_1_active'),
        cert2Active: cell(record, 'cert_2_active'),
      },
      activeAccessKeys: ['access_key_1_active', 'access_key_2_active'].filter((name) => flag(cell(record, name)) === true).length,
      activeCertificates: ['cert_1_active', 'cert_2_active'].filter((name) => flag(cell(record, name)) === true).length,
    };
    if (user === ROOT_USER) root = row;
    else users.push(row);
  }
  if (accounts.size > 1) throw new CredentialReportError(`rows name several accounts (${[...accounts].join(', ')}); a credential report covers one account`);
  const [accountId] = accounts;
  return {
    source,
    ...(accountId !== undefined && { accountId }),
    ...(generatedAt !== undefined && { generatedAt }),
    ...(root !== undefined && { root }),
    users,
  };
}

/** How old a report is at the evaluation time, when it says when it was generated. */
export function reportAge(
  report: Pick<CredentialReport, 'generatedAt'>,
  now: Date,
): { readonly generatedAt: string; readonly ageHours: number; readonly stale: boolean } | undefined {
  if (report.generatedAt === undefined) return undefined;
  const at = Date.parse(report.generatedAt);
  if (Number.isNaN(at)) return undefined;
  const ageHours = Math.floor((now.getTime() - at) / 3_600_000);
  return { generatedAt: report.generatedAt, ageHours, stale: ageHours > STALE_REPORT_HOURS };
}

/**
 * A flag column as a rule needs it: true or false (any case), `undefined` for the values IAM
 * documents as "not reported" for this column, and a RuleInputError (the row could not be evaluated)
 * for anything else.
 */
export function flagValue(raw: string, column: string, notReported: readonly string[] = []): boolean | undefined {
  const lower = raw.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (notReported.includes(lower)) return undefined;
  throw new RuleInputError(
    `${column} is ${JSON.stringify(raw)}, not one of the values IAM documents (true, false${notReported.length > 0 ? `, ${notReported.join(', ')}` : ''})`,
  );
}

/** What a verdict drawn from an old report says at its end; empty for a current report or one without GeneratedTime. */
export function staleReportNote(report: Pick<CredentialReport, 'generatedAt'>, now: Date): string {
  const age = reportAge(report, now);
  if (age === undefined || !age.stale) return '';
  return ` The credential report is ${Math.floor(age.ageHours / 24)} days old (GeneratedTime ${age.generatedAt}).`;
}
