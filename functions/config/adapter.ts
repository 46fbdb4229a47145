/** AWS Config calls the evaluators make, behind one small adapter that takes its client (STYLE 4). */
import {
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  paginateGetComplianceDetailsByConfigRule,
  paginateSelectResourceConfig,
  type ConfigServiceClient,
  type Evaluation as ConfigEvaluation,
} from '@aws-sdk/client-config-service';
import { itemsFromDocument, type ConfigurationItem, type SkippedItem } from '../../rules/inventory.js';

export const MAX_EVALUATIONS_PER_CALL = 100;
/** SelectResourceConfig's Limit is at most 100 (AWS Config API reference). */
export const MAX_QUERY_PAGE = 100;
/** PutEvaluations stores nothing in test mode; the token then needs no valid value (docs/aws-semantics.md, "Config rule events"). */
export const TEST_MODE_TOKEN = 'TESTMODE';

export class FailedEvaluationsError extends Error {
  constructor(readonly failed: readonly ConfigEvaluation[]) {
    super(
      `PutEvaluations rejected ${failed.length} evaluation(s): ${failed
        .slice(0, 5)
        .map((e) => `${e.ComplianceResourceType} ${e.ComplianceResourceId}`)
        .join(', ')}${failed.length > 5 ? ', …' : ''}`,
    );
    this.name = 'FailedEvaluationsError';
  }
}

/** A result Config holds for the rule: what the last evaluation put for the resource said, and when. */
export interface PreviousResult {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly compliance: string;
  readonly annotation?: string;
  /** ResultRecordedTime (else ConfigRuleInvokedTime, else the OrderingTimestamp): when the result was stated. */
  readonly recordedAt?: Date;
}

/** Fields of an advanced query that rebuild a whole configuration item. */
const ITEM_FIELDS = [
  'accountId',
  'awsRegion',
  'arn',
  'availabilityZone',
  'resourceId',
  'resourceName',
  'resourceType',
  'resourceCreationTime',
  'configurationItemCaptureTime',
  'configurationItemStatus',
  'tags',
  'relationships',
  'configuration',
  'supplementaryConfiguration',
].join(', ');

export function selectExpression(resourceTypes: readonly string[]): string {
  for (const type of resourceTypes) if (!/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/.test(type)) throw new Error(`not a resource type: ${type}`);
  return `SELECT ${ITEM_FIELDS} WHERE resourceType IN (${resourceTypes.map((t) => `'${t}'`).join(', ')})`;
}

export class ConfigAdapter {
  constructor(private readonly client: ConfigServiceClient) {}

  /**
   * Sends evaluations in chunks of 100; any FailedEvaluations is an error, never dropped. Nothing to
   * send is still one call with an empty list: every invocation reports back, as AWS's rdklib does
   * (docs/aws-semantics.md, "Config rule results").
   */
  async putEvaluations(resultToken: string, evaluations: readonly ConfigEvaluation[]): Promise<number> {
    const testMode = resultToken === TEST_MODE_TOKEN;
    let calls = 0;
    for (let start = 0; start === 0 || start < evaluations.length; start += MAX_EVALUATIONS_PER_CALL) {
      const chunk = evaluations.slice(start, start + MAX_EVALUATIONS_PER_CALL);
      const response = await this.client.send(new PutEvaluationsCommand({ ResultToken: resultToken, Evaluations: chunk, ...(testMode && { TestMode: true }) }));
      calls++;
      if (response.FailedEvaluations !== undefined && response.FailedEvaluations.length > 0) throw new FailedEvaluationsError(response.FailedEvaluations);
    }
    return calls;
  }

  /**
   * The item an oversized notification stands for: the newest history entry at or before the
   * capture time, in the API shape (the inventory normalizer converts it).
   */
  async getItemAt(resourceType: string, resourceId: string, captureTime: string): Promise<unknown> {
    const response = await this.client.send(
      new GetResourceConfigHistoryCommand({ resourceType: resourceType as never, resourceId, laterTime: new Date(captureTime), limit: 1 }),
    );
    return response.configurationItems?.[0];
  }

  /**
   * Every current item of the given types, via an advanced query (tags included, which batch-get lacks),
   * in pages of 100, the API's largest; `onPage` is told the running count of rows read.
   */
  async selectItems(resourceTypes: readonly string[], onPage?: (rowsRead: number) => void): Promise<{ items: ConfigurationItem[]; skipped: SkippedItem[] }> {
    const items: ConfigurationItem[] = [];
    const skipped: SkippedItem[] = [];
    if (resourceTypes.length === 0) return { items, skipped };
    const pages = paginateSelectResourceConfig({ client: this.client, pageSize: MAX_QUERY_PAGE }, { Expression: selectExpression(resourceTypes) });
    for await (const page of pages) {
      const batch = itemsFromDocument({ Results: page.Results ?? [] }, 'SelectResourceConfig');
      items.push(...batch.items);
      skipped.push(...batch.skipped);
      onPage?.(items.length + skipped.length);
    }
    return { items, skipped };
  }

  /**
   * Every result Config holds for the rule, all pages (reads are not billed): to retire results of
   * resources that are gone and to put only what changed. NOT_APPLICABLE results are read too, for
   * as long as Config keeps them (it marks them for deletion).
   */
  async previousResults(configRuleName: string): Promise<PreviousResult[]> {
    const results: PreviousResult[] = [];
    const pages = paginateGetComplianceDetailsByConfigRule(
      { client: this.client, pageSize: 100 },
      { ConfigRuleName: configRuleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'] },
    );
    for await (const page of pages) {
      for (const result of page.EvaluationResults ?? []) {
        const identifier = result.EvaluationResultIdentifier;
        const qualifier = identifier?.EvaluationResultQualifier;
        if (!qualifier?.ResourceType || !qualifier.ResourceId) continue;
        const recordedAt = result.ResultRecordedTime ?? result.ConfigRuleInvokedTime ?? identifier?.OrderingTimestamp;
        results.push({
          resourceType: qualifier.ResourceType,
          resourceId: qualifier.ResourceId,
          compliance: result.ComplianceType ?? 'NOT_APPLICABLE',
          ...(result.Annotation !== undefined && { annotation: result.Annotation }),
          ...(recordedAt !== undefined && { recordedAt }),
        });
      }
    }
    return results;
  }
}
