import { Aws } from 'aws-cdk-lib';
import { CfnInsight } from 'aws-cdk-lib/aws-securityhub';
import { Construct, type IDependable } from 'constructs';
import { PRODUCT_NAME } from '../../functions/findings/to-finding.js';
import { HIPAA_CITATIONS, type HipaaCitation } from '../../rules/mapping.js';
import type { CatalogEntry } from '../../rules/catalog.js';

/** Security Hub: an insight name is at most 128 characters. */
const MAX_NAME = 128;

type Filters = CfnInsight.AwsSecurityFindingFiltersProperty;

/** Our findings' product: the account's default (custom) product, which the notifier imports into. */
export function defaultProductArn(): string {
  return `arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:product/${Aws.ACCOUNT_ID}/default`;
}

/** The account's Security Hub (GetFindings' resource type). */
export function hubArn(): string {
  return `arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:hub/default`;
}

/**
 * Active, failing findings of this product only. Config also sends every custom rule result to Security
 * Hub as an `aws/config` finding; the product filter keeps each problem once in the auditor's view.
 * Suppressed findings (accepted risk, recorded in the workflow) are left out.
 */
export function failingFindingsFilters(allAccounts = false): Filters {
  return {
    // Org-wide, each member imports under its own default product: select ours by name instead.
    ...(allAccounts
      ? { productName: [{ comparison: 'EQUALS', value: PRODUCT_NAME }] }
      : { productArn: [{ comparison: 'EQUALS', value: defaultProductArn() }] }),
    productFields: [{ comparison: 'EQUALS', key: 'ProviderName', value: PRODUCT_NAME }],
    complianceStatus: [{ comparison: 'EQUALS', value: 'FAILED' }],
    recordState: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    workflowStatus: [{ comparison: 'NOT_EQUALS', value: 'SUPPRESSED' }],
  };
}

function insightName(text: string): string {
  const name = `${PRODUCT_NAME}: ${text}`;
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
}

export interface AuditorInsightsProps {
  /** The enabled rules: the citation insights list only these. */
  readonly rules: readonly CatalogEntry[];
  /** The Security Hub the stack enables, when it does. */
  readonly hub?: IDependable;
  /**
   * Org-wide (the Security Hub administrator sees its members' findings): match our product by name
   * in every account instead of this account's product ARN.
   * @default false
   */
  readonly allAccounts?: boolean;
}

/**
 * The Security Hub custom insights auditors open: failing findings by HIPAA citation (one insight per
 * citation, grouped by rule), by account and by rule. Insight filters cannot match one item of a
 * list (CONTAINS is for automation rules only), so a citation's insight selects the rules mapped to
 * it by GeneratorId, which is the rule id.
 */
export class AuditorInsights extends Construct {
  readonly insights: CfnInsight[] = [];

  constructor(scope: Construct, id: string, props: AuditorInsightsProps) {
    super(scope, id);
    const filters = failingFindingsFilters(props.allAccounts ?? false);
    this.add('ByAccount', 'failing findings by account', 'AwsAccountId', filters, props.hub);
    this.add('ByRule', 'failing findings by rule', 'GeneratorId', filters, props.hub);
    for (const [citation, rules] of citationsOf(props.rules)) {
      const title = HIPAA_CITATIONS[citation];
      this.add(
        `Hipaa${citation.replace(/[^0-9a-z]/gi, '')}`,
        `failing findings for HIPAA ${citation} (${title}), by rule`,
        'GeneratorId',
        {
          ...filters,
          generatorId: rules.map((rule) => ({ comparison: 'EQUALS', value: rule })),
        },
        props.hub,
      );
    }
  }

  private add(id: string, text: string, groupBy: string, filters: Filters, hub?: IDependable): void {
    const insight = new CfnInsight(this, id, { name: insightName(text), groupByAttribute: groupBy, filters });
    if (hub !== undefined) insight.node.addDependency(hub);
    this.insights.push(insight);
  }
}

/** Citations of the enabled rules, in the mapping's order, each with its rule ids. */
export function citationsOf(rules: readonly CatalogEntry[]): Map<HipaaCitation, string[]> {
  const byCitation = new Map<HipaaCitation, string[]>();
  for (const citation of Object.keys(HIPAA_CITATIONS) as HipaaCitation[]) {
    const ids = rules.filter((rule) => rule.hipaa.includes(citation)).map((rule) => rule.id);
    if (ids.length > 0) byCitation.set(citation, ids);
  }
  return byCitation;
}
