import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LAMBDA_BUNDLING, SINGLE_ACCOUNT_DEFINE } from '../bundling.js';
import { acknowledge } from '../nag.js';
import type { CentralRole } from '../org.js';
import { LeastPrivilegeRole } from './least-privilege-role.js';
import type { MemberRoleAccess } from './member-role-access.js';

/** The repository root: NodejsFunction's projectRoot, and where entries and the lock file live. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** The newest Node.js runtime this aws-cdk-lib offers (checked by test and by cdk-nag's AwsSolutions-L1). */
export const NODE_RUNTIME = Runtime.NODEJS_24_X;

/**
 * NodejsFunction bundling: the esbuild options of infra/bundling.ts (ESM, minified, the
 * createRequire banner, module/main fields, Node 22 target), which `npm run bench` measures, plus
 * source maps, the SDK bundled so the tested version ships, esbuild run locally (a dev
 * dependency), never in Docker, and saying only warnings and errors.
 */
export function monitorBundling(options: { orgWide?: boolean } = {}): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    minify: LAMBDA_BUNDLING.minify,
    sourceMap: true,
    sourcesContent: false,
    target: LAMBDA_BUNDLING.target,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    banner: LAMBDA_BUNDLING.banner.js,
    externalModules: [],
    bundleAwsSDK: true,
    ...(!options.orgWide && { define: { ...SINGLE_ACCOUNT_DEFINE } }),
    forceDockerBundling: false,
    // CDK documents WARNING as the default but passes no flag, so esbuild prints its per-file size
    // summary on every synth. Warnings and errors still print; sizes are `npm run bench`'s job.
    logLevel: LogLevel.WARNING,
  };
}

export interface MonitorFunctionProps {
  /** Entry file, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly reservedConcurrency: number;
  readonly logRetentionDays: number;
  /** Encrypts the log group and the dead-letter queue. */
  readonly key: IKey;
  /** Statements of the function's own permissions (logs, DLQ and event sources are added here). */
  readonly statements: readonly PolicyStatement[];
  /**
   * Give the function an asynchronous-invocation dead-letter queue (Config invokes evaluators
   * asynchronously). Functions invoked only by an SQS event source have none: their failed records
   * go to the source queue's redrive DLQ.
   */
  readonly asyncDeadLetterQueue: boolean;
  /**
   * Lambda's retries of a failed asynchronous invocation before the event goes to the dead-letter queue.
   * @default 2
   */
  readonly asyncRetryAttempts?: number;
  /**
   * Org-wide: the function acts in member accounts as the central `role`, under the fixed role name
   * the member roles trust, with the member-role environment and statements after `statements`; its
   * bundle keeps the member-role code, which single-account bundles leave out (see SINGLE_ACCOUNT_DEFINE).
   * @default single-account: a generated role name
   */
  readonly central?: { readonly access: MemberRoleAccess; readonly role: CentralRole };
}

/**
 * One monitor Lambda function with everything it runs on: its own role and managed policy, a KMS
 * encrypted log group with explicit retention, reserved concurrency, explicit timeout and memory, and
 * (for asynchronously invoked functions) an encrypted dead-letter queue.
 */
export class MonitorFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: LeastPrivilegeRole;
  readonly logGroup: LogGroup;
  readonly deadLetterQueue?: Queue;

  constructor(scope: Construct, id: string, props: MonitorFunctionProps) {
    super(scope, id);
    const { central } = props;
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetentionDays,
      encryptionKey: props.key,
      // Evaluation logs are audit evidence: kept when the stack is removed.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new LeastPrivilegeRole(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description}: execution role`,
      ...(central !== undefined && { roleName: central.access.roleName(central.role) }),
    });
    this.logGroup.grantWrite(this.role);
    for (const statement of [...props.statements, ...(central?.access.statements() ?? [])]) this.role.addToPrincipalPolicy(statement);

    if (props.asyncDeadLetterQueue) this.deadLetterQueue = this.addDeadLetterQueue(props.key);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: NODE_RUNTIME,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout,
      memorySize: props.memorySize,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment, ...central?.access.environment() },
      bundling: monitorBundling({ orgWide: central !== undefined }),
      ...(props.asyncDeadLetterQueue && { retryAttempts: props.asyncRetryAttempts ?? 2, maxEventAge: Duration.hours(6) }),
    });
    if (this.deadLetterQueue !== undefined) {
      // Set on the resource, not through `deadLetterQueue`, whose grant adds wildcard KMS actions (kms:ReEncrypt*, kms:GenerateDataKey*).
      (this.function.node.defaultChild as CfnFunction).deadLetterConfig = { targetArn: this.deadLetterQueue.queueArn };
    }
    // The policy must exist before the function can be invoked.
    this.function.node.addDependency(this.role.policy);
    acknowledge(
      this.function,
      'HIPAA.Security-LambdaInsideVPC',
      'The function reaches only AWS public APIs (Config, IAM, Backup, EC2, Systems Manager, CloudTrail, GuardDuty, Security Hub, SNS, S3, DynamoDB) over TLS with SigV4, and no resource of its own lives in a VPC. A VPC would need a NAT gateway or an interface endpoint per service in each AZ (~$45+/month each AZ) for a small clinic, and adds no protection to these calls.',
    );
    central?.access.acknowledgeMemberRole(this);
  }

  private addDeadLetterQueue(key: IKey): Queue {
    const queue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Lambda sends failed asynchronous events with the function's role; the queue's key must let it.
    this.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }));
    return queue;
  }
}
