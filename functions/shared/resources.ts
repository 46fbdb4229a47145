/**
 * What the findings and the alerts say about a resource: its label ("EBS volume"), ASFF resource
 * type, a best-effort ARN and console links, all read from the declarations in
 * rules/resource-types.ts (one place per resource type).
 */
import { declarationOf, type ArnParts, type Partition, type ResourceTypeDeclaration } from '../../rules/resource-types.js';

export type { Partition };

export interface ResourceRef {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly accountId: string;
  readonly region: string;
}

const enc = encodeURIComponent;

/**
 * A type no rule declares reaches us only from a malformed or foreign event. It is named by its
 * own Config type (`AWS::Foo::Bar vol-1 …` in the alert, ASFF type `Other` with the Config type in
 * Details), never disguised as a generic "resource".
 */
function undeclared(resourceType: string): ResourceTypeDeclaration {
  return { label: resourceType, asffType: 'Other', recordedByConfig: true, arn: null, console: null };
}

function kindOf(resourceType: string): ResourceTypeDeclaration {
  return declarationOf(resourceType) ?? undeclared(resourceType);
}

/** The partition a Region belongs to (the ProductArn carries it: docs/aws-semantics.md, "Security Hub findings"). */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const CONSOLE_HOST: Readonly<Record<Partition, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** IAM users are recorded in Region `global`; links and ProductArns need a real Region. */
export const GLOBAL_REGION = 'global';

function parts(ref: ResourceRef, partition: Partition, region: string): ArnParts {
  return { partition, region, account: ref.accountId, id: ref.resourceId, name: ref.resourceName };
}

export function resourceLabel(resourceType: string): string {
  return kindOf(resourceType).label;
}

export function asffResourceType(resourceType: string): string {
  return kindOf(resourceType).asffType;
}

/** The resource's name when it has one that differs from its id, else its id. */
export function displayName(ref: Pick<ResourceRef, 'resourceId' | 'resourceName'>): string {
  return ref.resourceName && ref.resourceName !== ref.resourceId ? ref.resourceName : ref.resourceId;
}

/**
 * The resource's ARN when it can be built from what Config reports (an id that already is an ARN is
 * kept), else undefined: RDS and IAM need the resource name, which change events do not carry.
 */
export function resourceArn(ref: ResourceRef, options: { partition?: Partition; region?: string } = {}): string | undefined {
  if (ref.resourceId.startsWith('arn:')) return ref.resourceId;
  const region = options.region ?? ref.region;
  return kindOf(ref.resourceType).arn?.(parts(ref, options.partition ?? partitionOf(region), region));
}

/** AWS Config's page for the resource (configuration timeline and compliance): works for every type. */
export function configConsoleUrl(ref: ResourceRef, region: string): string {
  const host = CONSOLE_HOST[partitionOf(region)];
  return `https://${host}/config/home?region=${region}#/resources/details?resourceId=${enc(ref.resourceId)}&resourceType=${enc(ref.resourceType)}`;
}

/** The service console page of the resource, when its id is enough to build one. */
export function serviceConsoleUrl(ref: ResourceRef, region: string): string | undefined {
  const partition = partitionOf(region);
  const path = kindOf(ref.resourceType).console?.(parts(ref, partition, region));
  return path === undefined ? undefined : `https://${CONSOLE_HOST[partition]}/${path}`;
}

/** The account a function runs in, from its invoked ARN (arn:aws:lambda:<region>:<account>:function:<name>). */
export function accountOfFunctionArn(arn: string): string {
  const account = arn.split(':')[4] ?? '';
  if (!/^\d{12}$/.test(account)) throw new Error(`cannot read the account from the invoked function ARN ${JSON.stringify(arn)}`);
  return account;
}
