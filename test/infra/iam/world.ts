/**
 * The deployed monitor as IAM sees it: each deployed template's functions with their roles' policies,
 * and every resource policy (topics, queues, the key, Lambda permissions, role trust policies, the event
 * bus policy), looked up by the ARN a request names.
 */
import type { CfnResource, DeployedTemplate, Json } from './cfn.js';
import type { PolicyDocument } from './simulate.js';

export interface DeployedFunction {
  readonly logicalId: string;
  readonly deployment: DeployedTemplate;
  readonly arn: string;
  readonly roleArn: string;
  readonly roleLogicalId: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly policies: readonly PolicyDocument[];
  readonly logGroupArn: string;
  readonly deadLetterQueueArn?: string;
  /** Queues that feed it through an event source mapping. */
  readonly eventSourceArns: readonly string[];
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Json;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export function statementsOf(policy: PolicyDocument): Statement[] {
  return asList(policy.Statement as Statement | Statement[]);
}

export function actionsOf(statement: Statement): string[] {
  return asList(statement.Action);
}

/** Every action the policies allow. */
export function allowedActions(policies: readonly PolicyDocument[]): Set<string> {
  return new Set(
    policies
      .flatMap(statementsOf)
      .filter((s) => s.Effect === 'Allow')
      .flatMap(actionsOf),
  );
}

export class World {
  constructor(readonly deployments: readonly DeployedTemplate[]) {}

  functions(deployment: DeployedTemplate): DeployedFunction[] {
    return deployment.ofType('AWS::Lambda::Function').map(([logicalId]) => this.functionOf(deployment, logicalId));
  }

  functionOf(deployment: DeployedTemplate, logicalId: string): DeployedFunction {
    const props = deployment.properties(logicalId);
    const roleLogicalId = roleIdOf(deployment.resources[logicalId]);
    const roleArn = deployment.text(props.Role);
    const env = ((props.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {}) as Record<string, string>;
    const dlq = (props.DeadLetterConfig as { TargetArn?: string } | undefined)?.TargetArn;
    const logGroupName = (props.LoggingConfig as { LogGroup?: string } | undefined)?.LogGroup;
    const { partition, region, account } = deployment.env;
    return {
      logicalId,
      deployment,
      arn: `arn:${partition}:lambda:${region}:${account}:function:${String(props.FunctionName ?? deployment.physicalName(logicalId))}`,
      roleArn,
      roleLogicalId,
      environment: env,
      policies: this.rolePolicies(deployment, roleLogicalId),
      logGroupArn: `arn:${partition}:logs:${region}:${account}:log-group:${String(logGroupName)}:*`,
      ...(dlq !== undefined && { deadLetterQueueArn: dlq }),
      eventSourceArns: deployment
        .ofType('AWS::Lambda::EventSourceMapping')
        .map(([id]) => deployment.properties(id))
        .filter((p) => p.FunctionName === deployment.physicalName(logicalId))
        .map((p) => String(p.EventSourceArn)),
    };
  }

  /** The role's policies: customer managed ones attached to it, and inline ones (the member template's forwarder role). */
  rolePolicies(deployment: DeployedTemplate, roleLogicalId: string): PolicyDocument[] {
    const roleName = deployment.physicalName(roleLogicalId);
    const inline = ((deployment.properties(roleLogicalId).Policies as { PolicyDocument: PolicyDocument }[] | undefined) ?? []).map((p) => p.PolicyDocument);
    return [
      ...deployment
        .ofType('AWS::IAM::ManagedPolicy')
        .map(([id]) => deployment.properties(id))
        .filter((p) => asList(p.Roles as string[]).includes(roleName))
        .map((p) => p.PolicyDocument as PolicyDocument),
      ...inline,
    ];
  }

  private deploymentOf(arn: string): DeployedTemplate | undefined {
    const [, , service = '', region = '', account = ''] = arn.split(':');
    return this.deployments.find((d) => d.env.account === account && (d.env.region === region || service === 'iam'));
  }

  /** A bucket of any deployment, by the bucket or object ARN (S3 ARNs name neither account nor Region). */
  private bucketOf(arn: string): { deployment: DeployedTemplate; logicalId: string; name: string } | undefined {
    const name = arn.split(':::')[1]?.split('/')[0];
    for (const deployment of this.deployments) {
      const found = deployment.ofType('AWS::S3::Bucket').find(([id]) => deployment.physicalName(id) === name);
      if (found !== undefined && name !== undefined) return { deployment, logicalId: found[0], name };
    }
    return undefined;
  }

  /** The resource policy CloudFormation attached to this ARN, if any. */
  resourcePolicy(arn: string): PolicyDocument | undefined {
    const service = arn.split(':')[2];
    if (service === 's3') {
      const bucket = this.bucketOf(arn);
      if (bucket === undefined) return undefined;
      const { deployment } = bucket;
      return merged(
        deployment
          .ofType('AWS::S3::BucketPolicy')
          .map(([id]) => deployment.properties(id))
          .filter((p) => p.Bucket === bucket.name),
      );
    }
    const deployment = this.deploymentOf(arn);
    if (deployment === undefined) return undefined;
    switch (service) {
      case 'sns':
        return merged(
          deployment
            .ofType('AWS::SNS::TopicPolicy')
            .map(([id]) => deployment.properties(id))
            .filter((p) => asList(p.Topics as string[]).includes(arn)),
        );
      case 'sqs':
        return merged(
          deployment
            .ofType('AWS::SQS::QueuePolicy')
            .map(([id]) => deployment.properties(id))
            .filter((p) => asList(p.Queues as string[]).some((url) => queueArnOf(url) === arn)),
        );
      case 'kms': {
        const key = deployment.ofType('AWS::KMS::Key').find(([id]) => deployment.text({ 'Fn::GetAtt': [id, 'Arn'] }) === arn);
        return key === undefined ? undefined : (deployment.properties(key[0]).KeyPolicy as PolicyDocument);
      }
      case 'lambda':
        return lambdaPolicy(deployment, arn);
      case 'iam': {
        // IAM is global: the role may come from any of the account's deployments.
        for (const d of this.deployments.filter((x) => x.env.account === deployment.env.account)) {
          const role = d.ofType('AWS::IAM::Role').find(([id]) => d.text({ 'Fn::GetAtt': [id, 'Arn'] }) === arn);
          if (role !== undefined) return d.properties(role[0]).AssumeRolePolicyDocument as PolicyDocument;
        }
        return undefined;
      }
      case 'events': {
        const statements = deployment.ofType('AWS::Events::EventBusPolicy').map(([id]) => deployment.properties(id).Statement);
        return statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: statements };
      }
      default:
        return undefined;
    }
  }

  /** The KMS key a topic, queue or bucket (or an object in it) is encrypted with, if any. */
  keyOf(arn: string): string | undefined {
    if (arn.split(':')[2] === 's3') {
      const bucket = this.bucketOf(arn);
      if (bucket === undefined) return undefined;
      const encryption = bucket.deployment.properties(bucket.logicalId).BucketEncryption as
        { ServerSideEncryptionConfiguration?: { ServerSideEncryptionByDefault?: { KMSMasterKeyID?: string } }[] } | undefined;
      return encryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
    }
    const deployment = this.deploymentOf(arn);
    if (deployment === undefined) return undefined;
    for (const [id, resource] of [...deployment.ofType('AWS::SNS::Topic'), ...deployment.ofType('AWS::SQS::Queue')]) {
      const own = resource.Type === 'AWS::SNS::Topic' ? deployment.text({ Ref: id }) : deployment.text({ 'Fn::GetAtt': [id, 'Arn'] });
      if (own === arn) {
        const key = deployment.properties(id).KmsMasterKeyId;
        return key === undefined ? undefined : String(key);
      }
    }
    return undefined;
  }
}

function roleIdOf(fn: CfnResource | undefined): string {
  const role = fn?.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const id = role?.['Fn::GetAtt']?.[0];
  if (id === undefined) throw new Error('function without a role in this template');
  return id;
}

function queueArnOf(url: string): string {
  const match = /^https:\/\/sqs\.([\w-]+)\.amazonaws\.com\/(\d{12})\/(.+)$/.exec(url);
  if (match === null) throw new Error(`not a queue URL: ${url}`);
  const [, region, account, name] = match;
  return `arn:aws:sqs:${String(region)}:${String(account)}:${String(name)}`;
}

function merged(policies: Json[]): PolicyDocument | undefined {
  if (policies.length === 0) return undefined;
  return { Version: '2012-10-17', Statement: policies.flatMap((p) => statementsOf(p.PolicyDocument as PolicyDocument)) };
}

/** A function's resource policy as Lambda builds it from AddPermission (SourceAccount, SourceArn, PrincipalOrgID). */
function lambdaPolicy(deployment: DeployedTemplate, functionArn: string): PolicyDocument | undefined {
  const functionName = functionArn.split(':').at(-1);
  const statements = deployment
    .ofType('AWS::Lambda::Permission')
    .map(([id]) => deployment.properties(id))
    .filter((p) => p.FunctionName === functionArn || p.FunctionName === functionName)
    .map((p) => {
      const principal = String(p.Principal);
      const conditions: Json = {};
      if (p.SourceAccount !== undefined) conditions.StringEquals = { 'AWS:SourceAccount': p.SourceAccount };
      if (p.SourceArn !== undefined) conditions.ArnLike = { 'AWS:SourceArn': p.SourceArn };
      if (p.PrincipalOrgID !== undefined)
        conditions.StringEquals = { ...(conditions.StringEquals as Json | undefined), 'aws:PrincipalOrgID': p.PrincipalOrgID };
      return {
        Effect: 'Allow',
        Principal: principal.includes('.amazonaws.com') ? { Service: principal } : { AWS: principal },
        Action: p.Action,
        Resource: functionArn,
        ...(Object.keys(conditions).length > 0 && { Condition: conditions }),
      };
    });
  return statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: statements };
}
