/**
 * A synthesized template as CloudFormation would deploy it into one account and Region: every
 * intrinsic (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::If, Fn::Select) resolved to concrete strings,
 * resources whose condition is false left out. Physical names follow each type's ARN format (from
 * the CloudFormation resource reference's return values), so policies can be simulated on real ARNs.
 */
export type Json = Record<string, unknown>;

export interface Deployment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly stackName: string;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Json;
  readonly Condition?: string;
  readonly DependsOn?: string | string[];
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Conditions?: Record<string, unknown>;
}

/** Lower-case physical id suffix, stable per logical id. */
function suffix(logicalId: string): string {
  let hash = 0;
  for (const char of logicalId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash.toString(36).padStart(7, '0').slice(0, 7);
}

const NO_VALUE = Symbol('AWS::NoValue');

export class DeployedTemplate {
  readonly resources: Record<string, CfnResource>;

  constructor(
    readonly template: CfnTemplate,
    readonly env: Deployment,
  ) {
    this.resources = Object.fromEntries(
      Object.entries(template.Resources).filter(([, resource]) => resource.Condition === undefined || this.condition(resource.Condition)),
    );
  }

  /** The resolved properties of a resource. */
  properties(logicalId: string): Json {
    const resource = this.resources[logicalId];
    if (resource === undefined) throw new Error(`no resource ${logicalId} in this deployment`);
    return this.resolve(resource.Properties ?? {}) as Json;
  }

  ofType(type: string): [string, CfnResource][] {
    return Object.entries(this.resources).filter(([, resource]) => resource.Type === type);
  }

  condition(name: string): boolean {
    const expression = this.template.Conditions?.[name];
    if (expression === undefined) throw new Error(`no condition ${name}`);
    return this.evaluate(expression);
  }

  private evaluate(expression: unknown): boolean {
    const object = expression as Json;
    if ('Fn::Equals' in object) {
      const [a, b] = object['Fn::Equals'] as [unknown, unknown];
      return this.resolve(a) === this.resolve(b);
    }
    if ('Fn::Not' in object) return !this.evaluate((object['Fn::Not'] as unknown[])[0]);
    if ('Fn::And' in object) return (object['Fn::And'] as unknown[]).every((e) => this.evaluate(e));
    if ('Fn::Or' in object) return (object['Fn::Or'] as unknown[]).some((e) => this.evaluate(e));
    if ('Condition' in object) return this.condition(String(object.Condition));
    throw new Error(`unsupported condition ${JSON.stringify(expression)}`);
  }

  resolve(value: unknown): unknown {
    const out = this.resolveValue(value);
    return out === NO_VALUE ? undefined : out;
  }

  /** A value that must be one string (an ARN, a name). */
  text(value: unknown): string {
    const out = this.resolve(value);
    if (typeof out !== 'string') throw new Error(`expected a string, got ${JSON.stringify(out)}`);
    return out;
  }

  private resolveValue(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolveValue(v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const object = value as Json;
    const keys = Object.keys(object);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = object[key];
      switch (key) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, attribute] = (Array.isArray(arg) ? arg : String(arg).split('.')) as [string, string];
          return this.getAtt(id, attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (this.resolveValue(parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Sub': {
          const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Json];
          return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in vars) return String(this.resolveValue(vars[name]));
            return name.includes('.') ? String(this.getAtt(...(name.split('.') as [string, string]))) : String(this.ref(name));
          });
        }
        case 'Fn::If': {
          const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
          return this.resolveValue(this.condition(condition) ? whenTrue : whenFalse);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number | string, unknown];
          return (this.resolveValue(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [separator, text] = arg as [string, unknown];
          return String(this.resolveValue(text)).split(separator);
        }
        default:
          if (key.startsWith('Fn::')) throw new Error(`unsupported intrinsic ${key}`);
      }
    }
    return Object.fromEntries(
      Object.entries(object)
        .map(([k, v]) => [k, this.resolveValue(v)])
        .filter(([, v]) => v !== NO_VALUE),
    );
  }

  private ref(name: string): unknown {
    const { account, region, partition, stackName } = this.env;
    switch (name) {
      case 'AWS::AccountId':
        return account;
      case 'AWS::Region':
        return region;
      case 'AWS::Partition':
        return partition;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stackName;
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    const resource = this.template.Resources[name];
    if (resource === undefined) throw new Error(`Ref to unknown ${name}`);
    switch (resource.Type) {
      case 'AWS::SNS::Topic':
      case 'AWS::IAM::ManagedPolicy':
        return this.getAtt(name, 'Arn');
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.amazonaws.com/${account}/${this.physicalName(name)}`;
      case 'AWS::KMS::Key':
        return `${suffix(name)}-0000-4000-8000-000000000000`;
      default:
        return this.physicalName(name);
    }
  }

  /** The resource's name: its explicit name property, else a generated one. */
  physicalName(logicalId: string): string {
    const resource = this.template.Resources[logicalId];
    if (resource === undefined) throw new Error(`unknown resource ${logicalId}`);
    const nameProperty = {
      'AWS::SNS::Topic': 'TopicName',
      'AWS::SQS::Queue': 'QueueName',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::IAM::Role': 'RoleName',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::Events::Rule': 'Name',
      'AWS::Config::ConfigRule': 'ConfigRuleName',
      'AWS::CloudWatch::Alarm': 'AlarmName',
      'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
      'AWS::DynamoDB::Table': 'TableName',
      'AWS::S3::Bucket': 'BucketName',
    }[resource.Type];
    const explicit = nameProperty === undefined ? undefined : resource.Properties?.[nameProperty];
    if (explicit !== undefined) return this.text(explicit);
    // Bucket names are lower case (S3 User Guide, bucket naming rules).
    if (resource.Type === 'AWS::S3::Bucket') return `${this.env.stackName}-${logicalId.slice(0, 30)}-${suffix(logicalId)}`.toLowerCase();
    return `${this.env.stackName}-${logicalId.slice(0, 40)}-${suffix(logicalId).toUpperCase()}`;
  }

  private getAtt(logicalId: string, attribute: string): unknown {
    const resource = this.template.Resources[logicalId];
    if (resource === undefined) throw new Error(`Fn::GetAtt on unknown ${logicalId}`);
    const { account, region, partition } = this.env;
    const name = (): string => this.physicalName(logicalId);
    const arn = (service: string, rest: string, inRegion = true): string => `arn:${partition}:${service}:${inRegion ? region : ''}:${account}:${rest}`;
    const key = `${resource.Type}.${attribute}`;
    switch (key) {
      case 'AWS::SNS::Topic.TopicArn':
      case 'AWS::SNS::Topic.Arn':
        return arn('sns', name());
      case 'AWS::SNS::Topic.TopicName':
        return name();
      case 'AWS::SQS::Queue.Arn':
        return arn('sqs', name());
      case 'AWS::SQS::Queue.QueueName':
        return name();
      case 'AWS::SQS::Queue.QueueUrl':
        return this.ref(logicalId);
      case 'AWS::DynamoDB::Table.Arn':
        return arn('dynamodb', `table/${name()}`);
      case 'AWS::KMS::Key.Arn':
        return arn('kms', `key/${String(this.ref(logicalId))}`);
      case 'AWS::Lambda::Function.Arn':
        return arn('lambda', `function:${name()}`);
      case 'AWS::IAM::Role.Arn':
        return arn('iam', `role/${name()}`, false);
      case 'AWS::IAM::ManagedPolicy.Arn':
        return arn('iam', `policy/${name()}`, false);
      case 'AWS::Logs::LogGroup.Arn':
        return arn('logs', `log-group:${name()}:*`);
      case 'AWS::Events::Rule.Arn':
        return arn('events', `rule/${name()}`);
      case 'AWS::Config::ConfigRule.Arn':
        return arn('config', `config-rule/config-rule-${suffix(logicalId)}`);
      case 'AWS::Config::ConfigRule.ConfigRuleId':
        return `config-rule-${suffix(logicalId)}`;
      case 'AWS::CloudWatch::Alarm.Arn':
        return arn('cloudwatch', `alarm:${name()}`);
      case 'AWS::S3::Bucket.Arn':
        return `arn:${partition}:s3:::${name()}`;
      case 'AWS::CloudFormation::StackSet.StackSetId':
        return `${String(resource.Properties?.StackSetName)}:${suffix(logicalId)}`;
      default:
        throw new Error(`unsupported Fn::GetAtt ${key}`);
    }
  }
}
