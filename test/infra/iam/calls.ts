/**
 * The declared calls of each function (functions/<fn>/permissions.ts), and what the Lambda platform does
 * with the function's role (logs, its dead-letter queue, its SQS event source), as concrete requests
 * against a deployment: which principal, which resource, with which policies and context keys.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CHANGE_EVALUATOR_CALLS, PERIODIC_EVALUATOR_CALLS } from '../../../functions/evaluator/permissions.js';
import { MONTHLY_REPORT_CALLS } from '../../../functions/monthly-report/permissions.js';
import { NOTIFIER_CALLS } from '../../../functions/notifier/permissions.js';
import { RECORDER_HEALTH_CALLS } from '../../../functions/recorder-health/permissions.js';
import { REFRESHER_CALLS } from '../../../functions/refresher/permissions.js';
import type { DeclaredCall } from '../../../functions/shared/permissions.js';
import { routeRule } from '../../../infra/routing.js';
import type { CatalogEntry } from '../../../rules/catalog.js';
import type { DeployedTemplate } from './cfn.js';
import type { SimulatedRequest } from './simulate.js';
import type { DeployedFunction, World } from './world.js';

export const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface FunctionDeclaration {
  /** The function's logical id starts with this. */
  readonly prefix: string;
  readonly entry: string;
  readonly calls: readonly DeclaredCall[];
  /** Rules it evaluates (for `needs` and `scheduledItemRules`). */
  readonly evaluator?: 'change' | 'periodic';
}

export const DECLARATIONS: readonly FunctionDeclaration[] = [
  { prefix: 'ChangeEvaluator', entry: 'functions/evaluator/change.ts', calls: CHANGE_EVALUATOR_CALLS, evaluator: 'change' },
  { prefix: 'PeriodicEvaluator', entry: 'functions/evaluator/periodic.ts', calls: PERIODIC_EVALUATOR_CALLS, evaluator: 'periodic' },
  { prefix: 'Notifier', entry: 'functions/notifier/index.ts', calls: NOTIFIER_CALLS },
  { prefix: 'FindingsRefresher', entry: 'functions/refresher/index.ts', calls: REFRESHER_CALLS },
  { prefix: 'RecorderHealth', entry: 'functions/recorder-health/index.ts', calls: RECORDER_HEALTH_CALLS },
  { prefix: 'MonthlyReport', entry: 'functions/monthly-report/index.ts', calls: MONTHLY_REPORT_CALLS },
];

export function declarationOf(fn: DeployedFunction): FunctionDeclaration {
  const found = DECLARATIONS.find((d) => fn.logicalId.startsWith(d.prefix));
  if (found === undefined) throw new Error(`function ${fn.logicalId} has no declared calls (functions/<fn>/permissions.ts, listed in test/infra/iam/calls.ts)`);
  return found;
}

export interface Variant {
  readonly orgWide: boolean;
  /** The rules this Region's stack deploys. */
  readonly rules: readonly CatalogEntry[];
  readonly organizationId?: string;
  readonly memberAccount?: string;
  /** The member template deployed in a member account (org-wide). */
  readonly member?: DeployedTemplate;
}

export function applies(call: DeclaredCall, declaration: FunctionDeclaration, variant: Variant): boolean {
  const mine = variant.rules.filter((entry) => declaration.evaluator === undefined || routeRule(entry).evaluator === declaration.evaluator);
  const when = call.when;
  if (when === undefined) return true;
  if (when === 'orgWide') return variant.orgWide;
  if (when === 'scheduledItemRules') return mine.some((entry) => routeRule(entry).evaluator === 'change' && routeRule(entry).periodic);
  return mine.some((entry) => entry.needs?.includes(when.needs) ?? false);
}

/** A placeholder for a name learned at run time; an account field gets an account id. */
function concrete(arn: string): string {
  return arn
    .split(':')
    .map((part, index) => (index === 4 && part === '*' ? '999900001111' : part.replace(/\*/g, 'example')))
    .join(':');
}

export interface PlannedCheck {
  readonly what: string;
  readonly request: SimulatedRequest;
}

const sessionOf = (roleArn: string, session: string): string => roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + `/${session}`;

export class CallPlanner {
  constructor(
    private readonly world: World,
    private readonly variant: Variant,
  ) {}

  private orgContext(): Record<string, string> {
    return this.variant.organizationId === undefined
      ? {}
      : { 'aws:PrincipalOrgID': this.variant.organizationId, 'aws:ResourceOrgID': this.variant.organizationId };
  }

  /** The requests one declared call makes: in the function's account, and org-wide also in a member account through the member role. */
  requests(fn: DeployedFunction, call: DeclaredCall): PlannedCheck[] {
    const { account: central, region } = fn.deployment.env;
    const out: PlannedCheck[] = [];
    const member = this.variant.memberAccount;
    const withContext = (request: SimulatedRequest): SimulatedRequest =>
      call.context === undefined ? request : { ...request, context: { ...request.context, ...call.context } };
    const asFunction = (account: string): PlannedCheck[] => {
      const resource = this.resource(fn, call, account);
      return resource.map((arn) => ({
        what: `${fn.logicalId} ${call.action} on ${arn}`,
        request: withContext(this.fromRole(fn.roleArn, fn.logicalId, fn.policies, call.action, arn, central)),
      }));
    };
    if (call.account === 'own' || call.account === 'member') out.push(...asFunction(central));
    if (call.account === 'monitored') {
      out.push(...asFunction(central));
      if (this.variant.orgWide && member !== undefined) {
        const memberDeployment = this.variant.member;
        if (memberDeployment === undefined) throw new Error('org-wide variant without the member template');
        const [roleId] = memberDeployment.ofType('AWS::IAM::Role').find(([id]) => id === 'MemberRole') ?? [];
        if (roleId === undefined) throw new Error('no member role in the member template');
        const roleArn = memberDeployment.text({ 'Fn::GetAtt': [roleId, 'Arn'] });
        const policies = this.world.rolePolicies(memberDeployment, roleId);
        for (const arn of this.resource(fn, call, member)) {
          out.push({
            what: `${fn.logicalId} via ${roleArn} ${call.action} on ${arn}`,
            request: withContext(this.fromRole(roleArn, `ccm-${fn.logicalId}`, policies, call.action, arn, member)),
          });
        }
      }
    }
    // Publishing to an encrypted topic, SNS uses the caller's permissions on the topic's key.
    if (call.action === 'sns:Publish') {
      for (const topic of this.resource(fn, call, central)) {
        const key = this.world.keyOf(topic);
        if (key === undefined) continue;
        for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          out.push({
            what: `${fn.logicalId} ${action} on ${key} (for ${topic})`,
            request: {
              ...this.fromRole(fn.roleArn, fn.logicalId, fn.policies, action, key, central),
              context: { ...this.roleContext(fn.roleArn, central, key), 'kms:ViaService': `sns.${region}.amazonaws.com` },
            },
          });
        }
      }
    }
    // Writing to or reading from a bucket encrypted with a KMS key, S3 uses the caller's permissions on that key.
    const s3KeyAction = ({ 's3:PutObject': 'kms:GenerateDataKey', 's3:GetObject': 'kms:Decrypt' } as Record<string, string>)[call.action];
    if (s3KeyAction !== undefined) {
      for (const object of this.resource(fn, call, central)) {
        const key = this.world.keyOf(object);
        if (key === undefined) continue;
        out.push({
          what: `${fn.logicalId} ${s3KeyAction} on ${key} (for ${object})`,
          request: {
            ...this.fromRole(fn.roleArn, fn.logicalId, fn.policies, s3KeyAction, key, central),
            context: { ...this.roleContext(fn.roleArn, central, key), 'kms:ViaService': `s3.${region}.amazonaws.com` },
          },
        });
      }
    }
    return out;
  }

  /** What the Lambda service does with the function's role: write its logs, feed its DLQ, poll its queue. */
  platformRequests(fn: DeployedFunction): PlannedCheck[] {
    const { account, region } = fn.deployment.env;
    const stream = `${fn.logGroupArn.replace(/:\*$/, '')}:log-stream:2026/11/28/[$LATEST]0123456789abcdef`;
    const checks: [string, string][] = [
      ['logs:CreateLogStream', stream],
      ['logs:PutLogEvents', stream],
    ];
    for (const queue of [fn.deadLetterQueueArn].filter((q): q is string => q !== undefined)) {
      checks.push(['sqs:SendMessage', queue]);
      const key = this.world.keyOf(queue);
      if (key !== undefined) checks.push(['kms:GenerateDataKey', key], ['kms:Decrypt', key]);
    }
    for (const queue of fn.eventSourceArns) {
      checks.push(['sqs:ReceiveMessage', queue], ['sqs:DeleteMessage', queue], ['sqs:GetQueueAttributes', queue]);
      const key = this.world.keyOf(queue);
      if (key !== undefined) checks.push(['kms:Decrypt', key]);
    }
    return checks.map(([action, arn]) => {
      const request = this.fromRole(fn.roleArn, fn.logicalId, fn.policies, action, arn, account);
      const viaService: Record<string, string> = action.startsWith('kms:') ? { 'kms:ViaService': `sqs.${region}.amazonaws.com` } : {};
      return { what: `${fn.logicalId} (Lambda) ${action} on ${arn}`, request: { ...request, context: { ...request.context, ...viaService } } };
    });
  }

  roleContext(roleArn: string, principalAccount: string, resource: string): Record<string, string> {
    const resourceAccount = resource === '*' ? principalAccount : (resource.split(':')[4] ?? '');
    return { 'aws:PrincipalArn': roleArn, 'aws:PrincipalAccount': principalAccount, 'aws:ResourceAccount': resourceAccount, ...this.orgContext() };
  }

  private fromRole(
    roleArn: string,
    session: string,
    policies: SimulatedRequest['identityPolicies'],
    action: string,
    resource: string,
    principalAccount: string,
  ): SimulatedRequest {
    const resourceAccount = resource === '*' ? principalAccount : resource.split(':')[4] || principalAccount;
    return {
      principal: sessionOf(roleArn, session.slice(0, 64)),
      action,
      resource,
      resourceAccount,
      identityPolicies: policies ?? [],
      ...(resource !== '*' && { resourcePolicy: this.world.resourcePolicy(resource) }),
      context: this.roleContext(roleArn, principalAccount, resource),
    };
  }

  /** The concrete ARNs a call names in `account`. */
  resource(fn: DeployedFunction, call: DeclaredCall, account: string): string[] {
    const { resource } = call;
    const { partition, region } = fn.deployment.env;
    if (resource === '*') return ['*'];
    if ('env' in resource) {
      const value = fn.environment[resource.env];
      if (value === undefined) throw new Error(`${fn.logicalId} declares a call on $${resource.env}, which its environment lacks`);
      return [value];
    }
    if ('invokingConfigRule' in resource) {
      if (this.variant.orgWide) return [`arn:${partition}:config:${region}:${account}:config-rule/config-rule-orgcopy1`];
      const rules = fn.deployment
        .ofType('AWS::Config::ConfigRule')
        .filter(([id]) => (fn.deployment.properties(id).Source as { SourceIdentifier?: string }).SourceIdentifier === fn.arn)
        .filter(([id]) => call.when !== 'scheduledItemRules' || JSON.stringify(fn.deployment.properties(id).Source).includes('ScheduledNotification'))
        .map(([id]) => fn.deployment.text({ 'Fn::GetAtt': [id, 'Arn'] }));
      if (rules.length === 0) throw new Error(`${fn.logicalId} declares a call on its Config rules, and no rule invokes it`);
      return rules;
    }
    const values: Record<string, string> = {
      partition,
      region,
      account,
      organizationId: this.variant.organizationId ?? 'o-none',
      // The central account deploying as the management account; Organizations resources live there.
      managementAccount: fn.deployment.env.account,
      memberAccount: this.variant.memberAccount ?? account,
      memberRoleName: fn.environment.MEMBER_ROLE_NAME ?? 'ccm-member',
      ...(fn.environment.EVIDENCE_BUCKET !== undefined && { evidenceBucket: fn.environment.EVIDENCE_BUCKET }),
    };
    return [concrete(resource.arn.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`))];
  }
}

/** Source files reachable from an entry through relative imports (static and dynamic). */
export function importGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)\.js'/g)) visit(resolve(dirname(file), `${match[1] ?? ''}.ts`));
  };
  visit(join(ROOT, entry));
  return [...seen];
}
