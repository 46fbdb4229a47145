/**
 * Turns a live read into evaluations, exactly as the deployed monitor evaluates: item rules over each
 * queried item (what the change evaluator does per change), inventory rules over the account and
 * Region's inventory (the periodic evaluator), account-wide rules (the credential report) once per
 * account. Where AWS refused an input, the rules needing it could not be evaluated there (an error
 * evaluation naming the IAM action); where Config does not record, its Config-based rules are skipped.
 */
import { recordedTypes, type CatalogEntry } from '../../rules/catalog.js';
import { clampAnnotation, runRule } from '../../rules/engine.js';
import { latestPerResource, type ConfigurationItem, type SkippedItem } from '../../rules/inventory.js';
import type { ParamSpecs, ParamValues } from '../../rules/params.js';
import { buildInventory, type Evaluation, type Inventory } from '../../rules/types.js';
import { readsConfigItems } from '../../functions/inventory/live.js';
import type { CredentialReportSummary, LiveAccountSummary, LiveReadSummary, SkippedRule } from '../../functions/reports/model.js';
import { anyItemEvaluated, credentialReportSummaries } from '../run.js';
import { rulesByScope, type AccountRead, type RulesByScope, type Denial, type LiveRead, type PlaceRead } from './read.js';

export interface EvaluationOptions {
  readonly params: ReadonlyMap<string, ParamValues<ParamSpecs>>;
  readonly now: Date;
  readonly exemptionTagKey?: string;
  /** The rules the read was made for (--rules, --skip-rules); by default every rule. */
  readonly rules?: readonly CatalogEntry[];
}

export interface LiveEvaluation {
  readonly evaluations: Evaluation[];
  /** Rules run in at least one place. */
  readonly rulesRun: CatalogEntry[];
  readonly rulesSkipped: SkippedRule[];
  readonly skippedItems: SkippedItem[];
  readonly credentialReports: CredentialReportSummary[];
  readonly itemsEvaluated: boolean;
  readonly live: LiveReadSummary;
  /** One sentence each: what could not be read, and what to do. */
  readonly warnings: string[];
}

/** Where the assessor policy is described, for every "add this permission" message. */
const POLICY_HINT = 'add it to the assessor policy (README, "Scan live")';

const ids = (entries: readonly CatalogEntry[]): string => entries.map((entry) => entry.id).join(', ');

function blockedBy(entry: CatalogEntry, denied: readonly Denial[]): Denial[] {
  return denied.filter((denial) => (denial.input === 'configItems' ? readsConfigItems(entry) : (entry.needs?.includes(denial.input) ?? false)));
}

/** The rule could not be evaluated in this account and Region: one error evaluation on the account, naming the refused actions. */
function notEvaluated(entry: CatalogEntry, accountId: string, region: string, why: string, now: Date): Evaluation {
  return {
    ruleId: entry.id,
    resourceType: 'AWS::::Account',
    resourceId: accountId,
    accountId,
    region,
    compliance: 'INSUFFICIENT_DATA',
    annotation: clampAnnotation(`Could not evaluate: ${why}.`),
    severity: entry.severity,
    hipaa: entry.hipaa,
    orderingTimestamp: now.toISOString(),
    error: true,
  };
}

const refused = (denials: readonly Denial[]): string =>
  `AWS refused ${[...new Set(denials.map((denial) => denial.action))].join(', ')} (AccessDenied); ${POLICY_HINT}`;

class Evaluator {
  readonly evaluations: Evaluation[] = [];
  readonly run = new Set<CatalogEntry>();
  readonly skipped: SkippedRule[] = [];
  readonly warnings: string[] = [];

  readonly rules: RulesByScope;

  constructor(private readonly options: EvaluationOptions) {
    this.rules = rulesByScope(options.rules);
  }

  rule(entry: CatalogEntry, inventory: Inventory, accountId: string, region: string, denied: readonly Denial[]): void {
    const blocking = blockedBy(entry, denied);
    if (blocking.length > 0) {
      this.evaluations.push(notEvaluated(entry, accountId, region, refused(blocking), this.options.now));
      return;
    }
    const params = this.options.params.get(entry.id);
    if (params === undefined) throw new Error(`no parameters for rule ${entry.id}`);
    try {
      for (const evaluation of runRule(entry, inventory, params, {
        now: this.options.now,
        ...(this.options.exemptionTagKey !== undefined && { exemptionTagKey: this.options.exemptionTagKey }),
      }))
        this.evaluations.push(evaluation);
      this.run.add(entry);
    } catch (error) {
      // One account's odd data must not cost the other accounts their report.
      this.evaluations.push(notEvaluated(entry, accountId, region, error instanceof Error ? error.message : String(error), this.options.now));
    }
  }

  place(place: PlaceRead): void {
    const inventory = buildInventory(place.items, place.extras);
    for (const entry of this.rules.regional) {
      if (place.notRecording !== undefined && readsConfigItems(entry)) {
        this.skipped.push({
          ruleId: entry.id,
          reason: `AWS Config is not recording in ${place.region} of ${place.accountId}`,
          accountId: place.accountId,
          region: place.region,
        });
        continue;
      }
      this.rule(entry, inventory, place.accountId, place.region, place.denied);
    }
  }

  account(account: AccountRead, places: readonly PlaceRead[]): void {
    if (account.accountFailure !== undefined) {
      this.warnings.push(`In account ${account.accountId}, ${account.accountFailure}; ${ids(this.rules.accountWide)} were not evaluated there.`);
      return;
    }
    const types = new Set<string>(this.rules.accountWide.flatMap((entry) => recordedTypes(entry)));
    // Global resources (IAM users) are recorded in whichever Region records them, maybe several.
    const items: readonly ConfigurationItem[] = latestPerResource(places.flatMap((place) => place.items.filter((item) => types.has(item.resourceType))));
    const inventory = buildInventory(items, account.extras);
    for (const entry of this.rules.accountWide) this.rule(entry, inventory, account.accountId, 'global', account.denied);
  }
}

function placeSummary(place: PlaceRead): LiveAccountSummary['regions'][number] {
  const denied = [...new Set(place.denied.map((denial) => denial.action))];
  if (place.failure !== undefined) return { region: place.region, status: 'failed', items: place.items.length, problem: place.failure, denied };
  if (place.notRecording !== undefined)
    return { region: place.region, status: 'not-recording', items: place.items.length, problem: place.notRecording, denied };
  return {
    region: place.region,
    status: 'read',
    items: place.items.length,
    ...(place.recordingWarning !== undefined && { problem: place.recordingWarning }),
    denied,
  };
}

export function evaluateLive(read: LiveRead, options: EvaluationOptions): LiveEvaluation {
  const evaluator = new Evaluator(options);
  const skippedItems: SkippedItem[] = [];
  const accounts: LiveAccountSummary[] = [];
  let complete = true;
  for (const account of read.accounts) {
    if (account.failure !== undefined) {
      complete = false;
      evaluator.warnings.push(`Account ${account.accountId} could not be read: ${account.failure}. None of its rules were evaluated.`);
      accounts.push({ accountId: account.accountId, status: 'failed', problem: account.failure, regions: [], denied: [] });
      continue;
    }
    const readPlaces = account.places.filter((place) => place.failure === undefined);
    for (const place of account.places) {
      if (place.failure !== undefined) {
        complete = false;
        evaluator.warnings.push(
          `${place.region} of account ${place.accountId} could not be read: ${place.failure}. None of its Regional rules were evaluated there.`,
        );
        continue;
      }
      if (place.notRecording !== undefined) {
        complete = false;
        evaluator.warnings.push(place.notRecording.endsWith('.') ? place.notRecording : `${place.notRecording}.`);
      }
      if (place.recordingWarning !== undefined) evaluator.warnings.push(place.recordingWarning);
      for (const denial of place.denied)
        evaluator.warnings.push(
          `In ${place.region} of account ${place.accountId}, AWS refused ${denial.action}: ${ids(evaluator.rules.regional.filter((entry) => blockedBy(entry, [denial]).length > 0))} could not be evaluated there; ${POLICY_HINT}.`,
        );
      skippedItems.push(...place.skipped);
      evaluator.place(place);
    }
    for (const denial of account.denied)
      evaluator.warnings.push(
        `In account ${account.accountId}, AWS refused ${denial.action}: ${ids(evaluator.rules.accountWide.filter((entry) => blockedBy(entry, [denial]).length > 0))} could not be evaluated; ${POLICY_HINT}.`,
      );
    if (account.accountFailure !== undefined) complete = false;
    evaluator.account(account, readPlaces);
    accounts.push({
      accountId: account.accountId,
      status: 'read',
      ...(account.accountFailure !== undefined && { problem: account.accountFailure }),
      regions: account.places.map(placeSummary),
      denied: [...new Set(account.denied.map((denial) => denial.action))],
    });
  }
  const allItems = read.accounts.flatMap((account) => account.places.flatMap((place) => place.items));
  const reports = read.accounts.flatMap((account) => buildInventory([], account.extras).credentialReports);
  return {
    evaluations: evaluator.evaluations,
    rulesRun: [...evaluator.run],
    rulesSkipped: evaluator.skipped,
    skippedItems,
    credentialReports: credentialReportSummaries(reports, options.now),
    itemsEvaluated: anyItemEvaluated(allItems, evaluator.evaluations),
    live: { caller: read.caller.arn, startedAt: read.startedAt.toISOString(), finishedAt: read.finishedAt.toISOString(), complete, accounts },
    warnings: evaluator.warnings,
  };
}
