/**
 * AWS Config behind an aws-sdk-client-mock, as far as the evaluators use it: an advanced query over
 * the current items, and the results of each rule, which PutEvaluations records (one billed
 * evaluation each) and GetComplianceDetailsByConfigRule reads back page by page. What it models is
 * what AWS documents: a result stays until a later evaluation of the resource replaces it
 * (DeleteConfigRule, DeleteEvaluationResults aside); a NOT_APPLICABLE result is marked for deletion
 * (by default it is gone at once; `keepNotApplicable` keeps it, for the time before the clean-up).
 * The tests and `npm run bench -- cost` drive the real evaluators over it.
 */
import {
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
  SelectResourceConfigCommand,
  type ConfigServiceClient,
  type Evaluation,
  type EvaluationResult,
  type GetComplianceDetailsByConfigRuleCommandInput,
  type PutEvaluationsCommandInput,
  type SelectResourceConfigCommandInput,
} from '@aws-sdk/client-config-service';
import type { AwsClientStub } from 'aws-sdk-client-mock';

export interface StoredResult {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly compliance: string;
  readonly annotation?: string;
  readonly recordedAt: Date;
  readonly orderingTimestamp: Date;
}

/** A row of the advanced query: its resource type, and the JSON string SelectResourceConfig returns. */
export interface QueryRow {
  readonly resourceType: string;
  readonly json: string;
}

const DEFAULT_PAGE = { select: 100, results: 10 };
const key = (resourceType: string, resourceId: string) => `${resourceType}\u0000${resourceId}`;

export class SimulatedConfig {
  /** Results by Config rule name, then by resource. */
  readonly results = new Map<string, Map<string, StoredResult>>();
  /** Evaluations Config recorded: what it bills. */
  recorded = 0;
  /** When Config records what is put now. */
  now: Date;
  /** Set to make GetComplianceDetailsByConfigRule fail (after the pages before `readFailsAfterPages`). */
  readFailure: Error | undefined;
  readFailsAfterPages = 0;
  /** Called with every PutEvaluations of a rule (the bench keeps each run's statement). */
  onPut: ((configRuleName: string, evaluations: readonly Evaluation[]) => void) | undefined;
  /** Each GetComplianceDetailsByConfigRule request as sent (the SDK's paginator reuses one input object). */
  readonly reads: GetComplianceDetailsByConfigRuleCommandInput[] = [];
  private rows: readonly QueryRow[] = [];
  private readonly tokens = new Map<string, string>();
  private readonly keepNotApplicable: boolean;

  constructor(mock: AwsClientStub<ConfigServiceClient>, options: { now: Date; keepNotApplicable?: boolean }) {
    this.now = options.now;
    this.keepNotApplicable = options.keepNotApplicable ?? false;
    mock.on(SelectResourceConfigCommand).callsFake((input: SelectResourceConfigCommandInput) => this.select(input));
    mock.on(GetComplianceDetailsByConfigRuleCommand).callsFake((input: GetComplianceDetailsByConfigRuleCommandInput) => this.read(input));
    mock.on(PutEvaluationsCommand).callsFake((input: PutEvaluationsCommandInput) => this.put(input));
  }

  /** The current inventory the advanced query sees. */
  setItems(rows: readonly QueryRow[]): void {
    this.rows = rows;
  }

  /** A result token Config would hand the rule's next invocation. */
  tokenFor(configRuleName: string): string {
    const token = `token-${this.tokens.size + 1}`;
    this.tokens.set(token, configRuleName);
    return token;
  }

  resultsOf(configRuleName: string): StoredResult[] {
    return [...(this.results.get(configRuleName)?.values() ?? [])];
  }

  /** Results as they were put at some earlier time (for re-statement and comparison scenarios). */
  hold(configRuleName: string, results: readonly Omit<StoredResult, 'orderingTimestamp'>[]): void {
    const held = this.ruleResults(configRuleName);
    for (const result of results) held.set(key(result.resourceType, result.resourceId), { ...result, orderingTimestamp: result.recordedAt });
  }

  private ruleResults(configRuleName: string): Map<string, StoredResult> {
    let held = this.results.get(configRuleName);
    if (held === undefined) this.results.set(configRuleName, (held = new Map()));
    return held;
  }

  private select(input: SelectResourceConfigCommandInput) {
    const types = new Set([...(input.Expression ?? '').matchAll(/'([^']+)'/g)].map((match) => match[1]));
    const matching = this.rows.filter((row) => types.has(row.resourceType));
    const start = Number(input.NextToken ?? 0);
    const end = start + (input.Limit || DEFAULT_PAGE.select);
    return { Results: matching.slice(start, end).map((row) => row.json), ...(end < matching.length && { NextToken: String(end) }) };
  }

  private read(input: GetComplianceDetailsByConfigRuleCommandInput) {
    this.reads.push({ ...input });
    const start = Number(input.NextToken ?? 0);
    const limit = input.Limit || DEFAULT_PAGE.results;
    if (this.readFailure !== undefined && start / limit >= this.readFailsAfterPages) throw this.readFailure;
    const wanted = new Set<string>(input.ComplianceTypes ?? []);
    const ruleName = input.ConfigRuleName ?? '';
    const matching = this.resultsOf(ruleName).filter((result) => wanted.size === 0 || wanted.has(result.compliance));
    const end = start + limit;
    const EvaluationResults: EvaluationResult[] = matching.slice(start, end).map((result) => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: { ConfigRuleName: ruleName, ResourceType: result.resourceType, ResourceId: result.resourceId, EvaluationMode: 'DETECTIVE' },
        OrderingTimestamp: result.orderingTimestamp,
      },
      ComplianceType: result.compliance as EvaluationResult['ComplianceType'],
      ResultRecordedTime: result.recordedAt,
      ConfigRuleInvokedTime: result.recordedAt,
      ...(result.annotation !== undefined && { Annotation: result.annotation }),
    }));
    return { EvaluationResults, ...(end < matching.length && { NextToken: String(end) }) };
  }

  private put(input: PutEvaluationsCommandInput) {
    const evaluations = input.Evaluations ?? [];
    if (evaluations.length > 100)
      throw Object.assign(
        new Error('1 validation error detected: Value at evaluations failed to satisfy constraint: Member must have length less than or equal to 100'),
        { name: 'ValidationException' },
      );
    if (input.TestMode === true) return { FailedEvaluations: [] };
    const ruleName = this.tokens.get(input.ResultToken ?? '');
    if (ruleName === undefined) throw Object.assign(new Error('The result token is invalid.'), { name: 'InvalidResultTokenException' });
    this.onPut?.(ruleName, evaluations);
    const held = this.ruleResults(ruleName);
    for (const evaluation of evaluations) {
      this.recorded++;
      const id = key(evaluation.ComplianceResourceType ?? '', evaluation.ComplianceResourceId ?? '');
      if (evaluation.ComplianceType === 'NOT_APPLICABLE' && !this.keepNotApplicable) {
        held.delete(id);
        continue;
      }
      held.set(id, {
        resourceType: evaluation.ComplianceResourceType ?? '',
        resourceId: evaluation.ComplianceResourceId ?? '',
        compliance: evaluation.ComplianceType ?? '',
        ...(evaluation.Annotation !== undefined && { annotation: evaluation.Annotation }),
        recordedAt: this.now,
        orderingTimestamp: evaluation.OrderingTimestamp ?? this.now,
      });
    }
    return { FailedEvaluations: [] };
  }
}
