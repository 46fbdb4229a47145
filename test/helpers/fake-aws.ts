/**
 * A local HTTP server speaking the wire protocols of the services a live scan calls, for real SDK
 * clients pointed at it with AWS_ENDPOINT_URL: awsJson1_1 for Config, Systems Manager, CloudTrail and
 * Organizations (X-Amz-Target, epoch-second timestamps), restJson1 for AWS Backup and GuardDuty (GET
 * paths, query parameters), awsQuery XML for IAM and STS, the EC2 query protocol for EC2. Requests are routed by
 * the service and Region of their SigV4 credential scope and the account of their access key, so one
 * server plays every account and Region. It counts each call, can add latency, and can refuse or
 * throttle any of them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export interface FakeRegion {
  /** Config's recorder: recording (default), stopped, or none at all. */
  readonly recorder?: 'recording' | 'stopped' | 'none';
  /** Configuration items in the S3 snapshot style (as examples/clinic/config-snapshot.json holds them). */
  readonly items: readonly Json[];
  /** Backup plans with the get-backup-selection output of each of their selections. */
  readonly backupPlans?: readonly { readonly planId: string; readonly planName: string; readonly selections: readonly Json[] }[];
  readonly ebsEncryptionByDefault?: boolean;
  /** Resource-level patch compliance summaries (ListResourceComplianceSummaries). */
  readonly patchSummaries?: readonly { readonly resourceId: string; readonly status: 'COMPLIANT' | 'NON_COMPLIANT'; readonly executionTime?: Date }[];
  /** CloudTrail: each trail DescribeTrails lists in this Region (its wire shape) with its GetTrailStatus answer. */
  readonly trails?: readonly { readonly trail: Json; readonly status: Json }[];
  /** GuardDuty: the Region's detectors, each GetDetector's answer in its wire shape (camelCase: status, features…). */
  readonly detectors?: readonly { readonly detectorId: string; readonly detector: Json }[];
}

export interface FakeAccount {
  readonly accountId: string;
  readonly regions: Readonly<Record<string, FakeRegion>>;
  readonly credentialReportCsv?: string;
  readonly credentialReportGeneratedAt?: Date;
  /** DescribeRegions' answer; default: the keys of `regions`. */
  readonly enabledRegions?: readonly string[];
}

export interface FakeCall {
  readonly service: string;
  readonly operation: string;
  readonly accountId: string;
  readonly region: string;
}

export interface FakeFault {
  readonly code: string;
  readonly status: number;
  readonly message?: string;
}

export interface FakeWorld {
  readonly caller: { readonly accountId: string; readonly arn: string };
  readonly accounts: readonly FakeAccount[];
  /** The organization's accounts (ListAccounts); default: every account of the world. */
  readonly organization?: readonly string[];
  /** Delay of every response, in milliseconds. */
  readonly latencyMs?: number;
  /** An error instead of the answer (AccessDenied, ThrottlingException…): decided per call. */
  readonly fault?: (call: FakeCall, attempt: number) => FakeFault | undefined;
}

export const CALLER_KEY = 'AKIAFAKECALLER000001';
const assumedKey = (accountId: string): string => `ASIAFAKE${accountId}`;

/** A snapshot-style item as one row of SelectResourceConfig's Results (a JSON string, tags as key/value pairs). */
export function queryRow(item: Json): string {
  const tags = Object.entries((item.tags as Record<string, string> | undefined) ?? {}).map(([key, value]) => ({ key, value }));
  return JSON.stringify({
    accountId: item.awsAccountId ?? item.accountId,
    awsRegion: item.awsRegion,
    arn: item.ARN ?? item.arn,
    availabilityZone: item.availabilityZone,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    resourceType: item.resourceType,
    resourceCreationTime: item.resourceCreationTime,
    configurationItemCaptureTime: item.configurationItemCaptureTime,
    configurationItemStatus: item.configurationItemStatus,
    tags,
    relationships: item.relationships ?? [],
    configuration: item.configuration,
    supplementaryConfiguration: item.supplementaryConfiguration ?? {},
  });
}

const xmlEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const epoch = (date: Date): number => date.getTime() / 1000;

class HttpReply {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string,
  ) {}
}

const json = (body: unknown, status = 200, errorType?: string): HttpReply =>
  new HttpReply(status, { 'content-type': 'application/x-amz-json-1.1', ...(errorType && { 'x-amzn-errortype': errorType }) }, JSON.stringify(body));
const restJson = (body: unknown, status = 200, errorType?: string): HttpReply =>
  new HttpReply(status, { 'content-type': 'application/json', ...(errorType && { 'x-amzn-errortype': errorType }) }, JSON.stringify(body));
const xml = (body: string, status = 200): HttpReply => new HttpReply(status, { 'content-type': 'text/xml' }, `<?xml version="1.0" encoding="UTF-8"?>\n${body}`);

function queryResponse(operation: string, namespace: string, result: string): HttpReply {
  return xml(
    `<${operation}Response xmlns="${namespace}"><${operation}Result>${result}</${operation}Result><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></${operation}Response>`,
  );
}

function errorReply(service: string, fault: FakeFault): HttpReply {
  const message = fault.message ?? `fake ${fault.code}`;
  if (service === 'iam' || service === 'sts') {
    return xml(
      `<ErrorResponse><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>`,
      fault.status,
    );
  }
  if (service === 'ec2')
    return xml(
      `<Response><Errors><Error><Code>${fault.code}</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>fake-request</RequestID></Response>`,
      fault.status,
    );
  if (service === 'backup' || service === 'guardduty') return restJson({ Message: message }, fault.status, fault.code);
  return json({ __type: fault.code, message }, fault.status, fault.code);
}

/** Pages a list by a numeric NextToken. */
function page<T>(list: readonly T[], token: unknown, size: number): { items: T[]; next?: string } {
  const start = typeof token === 'string' && token !== '' ? Number(token) : 0;
  const items = list.slice(start, start + size);
  return { items, ...(start + size < list.length && { next: String(start + size) }) };
}

export class FakeAws {
  readonly calls: FakeCall[] = [];
  private readonly attempts = new Map<string, number>();
  private server: Server | undefined;

  constructor(private readonly world: FakeWorld) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.serve(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Calls per `service:Operation`. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const call of this.calls) out[`${call.service}:${call.operation}`] = (out[`${call.service}:${call.operation}`] ?? 0) + 1;
    return out;
  }

  private account(accountId: string): FakeAccount | undefined {
    return this.world.accounts.find((account) => account.accountId === accountId);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const scope = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(request.headers.authorization ?? ''));
    let reply: HttpReply;
    if (scope === null) reply = json({ __type: 'MissingAuthenticationTokenException', message: 'no SigV4 credential scope' }, 403);
    else {
      const [, key = '', region = '', service = ''] = scope;
      const accountId = key === CALLER_KEY ? this.world.caller.accountId : key.startsWith('ASIAFAKE') ? key.slice('ASIAFAKE'.length) : '';
      reply = this.answer(service, region, accountId, request, body);
    }
    if (this.world.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.world.latencyMs));
    response.writeHead(reply.status, { ...reply.headers, 'x-amzn-requestid': 'fake-request', 'content-length': Buffer.byteLength(reply.body) });
    response.end(reply.body);
  }

  private answer(service: string, region: string, accountId: string, request: IncomingMessage, body: string): HttpReply {
    const url = new URL(request.url ?? '/', 'http://fake');
    const form = new URLSearchParams(service === 'iam' || service === 'sts' || service === 'ec2' ? body : '');
    const target = String(request.headers['x-amz-target'] ?? '');
    const input = target !== '' && body !== '' ? (JSON.parse(body) as Json) : {};
    const operation = target !== '' ? target.slice(target.lastIndexOf('.') + 1) : (form.get('Action') ?? restOperation(service, url.pathname));
    const call = { service, operation, accountId, region };
    this.calls.push(call);
    const key = JSON.stringify([call, input.NextToken ?? url.searchParams.get('nextToken') ?? form.get('NextToken')]);
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const fault = this.world.fault?.(call, attempt);
    if (fault !== undefined) return errorReply(service, fault);
    if (service === 'sts') return this.sts(operation, form, accountId);
    const account = this.account(accountId);
    if (account === undefined)
      return errorReply(service, { code: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' });
    const place = account.regions[region];
    switch (service) {
      case 'config':
        return this.config(operation, input, place);
      case 'ssm':
        return this.ssm(input, place);
      case 'iam':
        return this.iam(operation, account);
      case 'ec2':
        return this.ec2(operation, account, place);
      case 'backup':
        return this.backup(url, place);
      case 'organizations':
        return this.organizations(input);
      case 'cloudtrail':
        return this.cloudtrail(operation, input, place);
      case 'guardduty':
        return this.guardduty(url, place);
      default:
        return json({ __type: 'UnknownOperationException', message: `${service} ${operation}` }, 400);
    }
  }

  private sts(operation: string, form: URLSearchParams, accountId: string): HttpReply {
    const ns = 'https://sts.amazonaws.com/doc/2011-06-15/';
    if (operation === 'GetCallerIdentity') {
      const arn = accountId === this.world.caller.accountId ? this.world.caller.arn : `arn:aws:sts::${accountId}:assumed-role/assessor/ccm-live-scan`;
      return queryResponse(operation, ns, `<Arn>${arn}</Arn><UserId>AIDAFAKE</UserId><Account>${accountId}</Account>`);
    }
    if (operation === 'AssumeRole') {
      const target = /^arn:aws:iam::(\d{12}):role\//.exec(form.get('RoleArn') ?? '')?.[1];
      if (target === undefined || this.account(target) === undefined)
        return errorReply('sts', {
          code: 'AccessDenied',
          status: 403,
          message: `not authorized to perform: sts:AssumeRole on resource: ${form.get('RoleArn') ?? ''}`,
        });
      const expires = new Date(Date.now() + 3_600_000).toISOString();
      return queryResponse(
        operation,
        ns,
        `<Credentials><AccessKeyId>${assumedKey(target)}</AccessKeyId><SecretAccessKey>fake</SecretAccessKey><SessionToken>fake-token-${target}</SessionToken><Expiration>${expires}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${target}:assumed-role/assessor/${form.get('RoleSessionName') ?? ''}</Arn><AssumedRoleId>AROAFAKE:${form.get('RoleSessionName') ?? ''}</AssumedRoleId></AssumedRoleUser>`,
      );
    }
    return errorReply('sts', { code: 'InvalidAction', status: 400 });
  }

  private config(operation: string, input: Json, place: FakeRegion | undefined): HttpReply {
    if (operation === 'DescribeConfigurationRecorderStatus') {
      const state = place?.recorder ?? (place === undefined ? 'none' : 'recording');
      if (state === 'none') return json({ ConfigurationRecordersStatus: [] });
      return json({
        ConfigurationRecordersStatus: [
          {
            name: 'default',
            recording: state === 'recording',
            lastStatus: 'SUCCESS',
            lastStartTime: epoch(new Date('2025-03-01T09:00:00Z')),
            lastStatusChangeTime: epoch(new Date('2026-11-28T11:00:00Z')),
          },
        ],
      });
    }
    if (operation === 'SelectResourceConfig') {
      const types = [...String(input.Expression).matchAll(/'(AWS::[^']+)'/g)].map((match) => match[1]);
      const limit = typeof input.Limit === 'number' ? Math.min(input.Limit, 100) : 100;
      const rows = (place?.items ?? []).filter((item) => types.includes(String(item.resourceType)));
      const { items, next } = page(rows, input.NextToken, limit);
      return json({ Results: items.map(queryRow), QueryInfo: { SelectFields: [{ Name: 'resourceId' }] }, ...(next && { NextToken: next }) });
    }
    return json({ __type: 'UnknownOperationException', message: operation }, 400);
  }

  private ssm(input: Json, place: FakeRegion | undefined): HttpReply {
    const limit = typeof input.MaxResults === 'number' ? input.MaxResults : 50;
    const { items, next } = page(place?.patchSummaries ?? [], input.NextToken, limit);
    return json({
      ResourceComplianceSummaryItems: items.map((summary) => ({
        ComplianceType: 'Patch',
        ResourceType: 'ManagedInstance',
        ResourceId: summary.resourceId,
        Status: summary.status,
        OverallSeverity: 'UNSPECIFIED',
        ...(summary.executionTime && {
          ExecutionSummary: { ExecutionTime: epoch(summary.executionTime), ExecutionId: 'fake-execution', ExecutionType: 'Command' },
        }),
      })),
      ...(next && { NextToken: next }),
    });
  }

  private iam(operation: string, account: FakeAccount): HttpReply {
    const ns = 'https://iam.amazonaws.com/doc/2010-05-08/';
    if (operation === 'GenerateCredentialReport')
      return queryResponse(operation, ns, '<State>COMPLETE</State><Description>No report exists. Starting a new report generation task</Description>');
    if (operation === 'GetCredentialReport') {
      if (account.credentialReportCsv === undefined) return errorReply('iam', { code: 'ReportNotPresent', status: 410 });
      const generated = (account.credentialReportGeneratedAt ?? new Date()).toISOString();
      return queryResponse(
        operation,
        ns,
        `<Content>${Buffer.from(account.credentialReportCsv).toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>${generated}</GeneratedTime>`,
      );
    }
    return errorReply('iam', { code: 'InvalidAction', status: 400 });
  }

  private ec2(operation: string, account: FakeAccount, place: FakeRegion | undefined): HttpReply {
    const ns = 'http://ec2.amazonaws.com/doc/2016-11-15/';
    if (operation === 'GetEbsEncryptionByDefault') {
      return xml(
        `<GetEbsEncryptionByDefaultResponse xmlns="${ns}"><requestId>fake-request</requestId><ebsEncryptionByDefault>${String(place?.ebsEncryptionByDefault ?? false)}</ebsEncryptionByDefault><sseType>sse-ebs</sseType></GetEbsEncryptionByDefaultResponse>`,
      );
    }
    if (operation === 'DescribeRegions') {
      const regions = account.enabledRegions ?? Object.keys(account.regions);
      const items = regions
        .map(
          (name) =>
            `<item><regionName>${name}</regionName><regionEndpoint>ec2.${name}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`,
        )
        .join('');
      return xml(`<DescribeRegionsResponse xmlns="${ns}"><requestId>fake-request</requestId><regionInfo>${items}</regionInfo></DescribeRegionsResponse>`);
    }
    return errorReply('ec2', { code: 'InvalidAction', status: 400 });
  }

  private backup(url: URL, place: FakeRegion | undefined): HttpReply {
    const plans = place?.backupPlans ?? [];
    const size = Number(url.searchParams.get('maxResults') ?? '1000');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length === 2) {
      const { items, next } = page(plans, url.searchParams.get('nextToken'), size);
      return restJson({
        BackupPlansList: items.map((plan) => ({
          BackupPlanId: plan.planId,
          BackupPlanName: plan.planName,
          BackupPlanArn: `arn:aws:backup:us-east-1:111122223333:backup-plan:${plan.planId}`,
          VersionId: 'v1',
          CreationDate: epoch(new Date('2025-03-02T14:00:00Z')),
        })),
        ...(next && { NextToken: next }),
      });
    }
    const plan = plans.find((candidate) => candidate.planId === decodeURIComponent(parts[2] ?? ''));
    if (plan === undefined) return restJson({ Message: 'no such plan' }, 404, 'ResourceNotFoundException');
    if (parts.length === 4) {
      const { items, next } = page(plan.selections, url.searchParams.get('nextToken'), size);
      return restJson({
        BackupSelectionsList: items.map((selection) => ({
          SelectionId: selection.SelectionId,
          BackupPlanId: plan.planId,
          SelectionName: (selection.BackupSelection as Json).SelectionName,
          IamRoleArn: (selection.BackupSelection as Json).IamRoleArn,
        })),
        ...(next && { NextToken: next }),
      });
    }
    const selection = plan.selections.find((candidate) => candidate.SelectionId === decodeURIComponent(parts[4] ?? ''));
    if (selection === undefined) return restJson({ Message: 'no such selection' }, 404, 'ResourceNotFoundException');
    return restJson({
      ...selection,
      CreationDate: typeof selection.CreationDate === 'string' ? epoch(new Date(selection.CreationDate)) : selection.CreationDate,
    });
  }

  private cloudtrail(operation: string, input: Json, place: FakeRegion | undefined): HttpReply {
    const trails = place?.trails ?? [];
    if (operation === 'DescribeTrails') return json({ trailList: trails.map((entry) => entry.trail) });
    if (operation === 'GetTrailStatus') {
      const found = trails.find((entry) => entry.trail.TrailARN === input.Name || entry.trail.Name === input.Name);
      if (found === undefined)
        return errorReply('cloudtrail', { code: 'TrailNotFoundException', status: 400, message: `Unknown trail: ${String(input.Name)}` });
      return json(found.status);
    }
    return json({ __type: 'UnknownOperationException', message: operation }, 400);
  }

  private guardduty(url: URL, place: FakeRegion | undefined): HttpReply {
    const detectors = place?.detectors ?? [];
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length === 1) return restJson({ detectorIds: detectors.map((entry) => entry.detectorId) });
    const found = detectors.find((entry) => entry.detectorId === decodeURIComponent(parts[1] ?? ''));
    if (found === undefined)
      return restJson(
        { message: 'The request is rejected because the input detectorId is not owned by the current account.', __type: 'BadRequestException' },
        400,
        'BadRequestException',
      );
    return restJson(found.detector);
  }

  private organizations(input: Json): HttpReply {
    const ids = this.world.organization ?? this.world.accounts.map((account) => account.accountId);
    const { items, next } = page(ids, input.NextToken, typeof input.MaxResults === 'number' ? input.MaxResults : 20);
    return json({
      Accounts: items.map((id) => ({
        Id: id,
        Arn: `arn:aws:organizations::${this.world.caller.accountId}:account/o-fake/${id}`,
        Name: `account-${id}`,
        Email: `aws+${id}@clinic.example`,
        State: 'ACTIVE',
        Status: 'ACTIVE',
      })),
      ...(next && { NextToken: next }),
    });
  }
}

function restOperation(service: string, path: string): string {
  const parts = path.split('/').filter(Boolean);
  if (service === 'guardduty') return parts.length === 1 ? 'ListDetectors' : 'GetDetector';
  if (parts.length === 2) return 'ListBackupPlans';
  if (parts.length === 4) return 'ListBackupSelections';
  if (parts.length === 5) return 'GetBackupSelection';
  return path;
}

/** Environment for SDK clients in this process (or a child) to reach the fake with dummy credentials, and nothing else. */
export function fakeAwsEnv(endpoint: string, region = 'us-east-1'): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: CALLER_KEY,
    AWS_SECRET_ACCESS_KEY: 'fake-secret',
    AWS_REGION: region,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
