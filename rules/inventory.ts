/**
 * The inventory: configuration items normalized from every shape AWS emits, so rules see one model.
 *
 * Shapes accepted (docs/aws-semantics.md, "Configuration items"):
 *  - Lambda event / S3 snapshot style: `ARN`, `awsAccountId`, `configurationItemVersion`, `configuration` object.
 *  - API style (GetResourceConfigHistory, BatchGetResourceConfig, RDK examples): `arn`, `accountId`,
 *    `version`, `configuration` as a JSON string, `supplementaryConfiguration` values as JSON strings,
 *    relationships named `relationshipName`.
 *  - Advanced query style (select-resource-config): tags as `[{key, value}]`.
 */
import { parseAwsJson } from './json.js';

export const ITEM_STATUSES = ['OK', 'ResourceDiscovered', 'ResourceNotRecorded', 'ResourceDeleted', 'ResourceDeletedNotRecorded'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface Relationship {
  readonly resourceType: string;
  readonly resourceId?: string;
  readonly resourceName?: string;
  readonly name?: string;
}

export interface ConfigurationItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly arn?: string;
  readonly accountId: string;
  readonly awsRegion: string;
  readonly availabilityZone?: string;
  /** ISO-8601; Config's `configurationItemCaptureTime`. */
  readonly captureTime: string;
  readonly status: ItemStatus;
  readonly resourceCreationTime?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly relationships: readonly Relationship[];
  /** Orders the items of one resource captured at the same time: a number in events, a string in the API. */
  readonly configurationStateId?: string | number;
  /** `null` for deleted or not-recorded resources. */
  readonly configuration: Readonly<Record<string, unknown>> | null;
  readonly supplementaryConfiguration: Readonly<Record<string, unknown>>;
}

export class InvalidItemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidItemError';
  }
}

type Raw = Record<string, unknown>;

export function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(raw: Raw, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

function requiredString(raw: Raw, ...keys: string[]): string {
  const value = optionalString(raw, ...keys);
  if (value === undefined) throw new InvalidItemError(`missing ${keys.join(' / ')}`);
  return value;
}

function parseJsonField(value: string, field: string): unknown {
  try {
    return parseAwsJson(value);
  } catch (error) {
    throw new InvalidItemError(`${field} is not valid JSON: ${(error as Error).message}`);
  }
}

function normalizeConfiguration(value: unknown): Raw | null {
  if (value === null || value === undefined || value === '' || value === 'null') return null;
  const parsed = typeof value === 'string' ? parseJsonField(value, 'configuration') : value;
  if (parsed === null) return null;
  if (!isRecord(parsed)) throw new InvalidItemError(`configuration must be an object, got ${describe(parsed)}`);
  return parsed;
}

/** Supplementary values are objects in events and JSON strings in the API; some are strings even in events (S3 AccessControlList). */
function normalizeSupplementary(value: unknown): Raw {
  if (value === null || value === undefined || value === '') return {};
  const parsed = typeof value === 'string' ? parseJsonField(value, 'supplementaryConfiguration') : value;
  if (!isRecord(parsed)) throw new InvalidItemError(`supplementaryConfiguration must be an object, got ${describe(parsed)}`);
  // Values are JSON strings in the API and objects in events, except the odd string AWS sends even in
  // events (S3 AccessControlList): decode whichever strings hold JSON. Nothing to decode, nothing copied.
  let decode = false;
  for (const key in parsed) {
    const entry = parsed[key];
    if (typeof entry === 'string' && looksLikeJsonContainer(entry)) {
      decode = true;
      break;
    }
  }
  if (!decode) return parsed;
  const out: Raw = {};
  for (const [key, entry] of Object.entries(parsed)) {
    out[key] = typeof entry === 'string' && looksLikeJsonContainer(entry) ? tryParse(entry) : entry;
  }
  return out;
}

function looksLikeJsonContainer(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

function tryParse(text: string): unknown {
  try {
    return parseAwsJson(text);
  } catch {
    return text;
  }
}

function normalizeTags(value: unknown): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (Array.isArray(value)) {
    const tags: Record<string, string> = {};
    for (const tag of value) {
      if (isRecord(tag)) {
        const key = tag.key ?? tag.Key;
        const tagValue = tag.value ?? tag.Value;
        if (typeof key === 'string') tags[key] = typeof tagValue === 'string' ? tagValue : '';
      }
    }
    return tags;
  }
  if (isRecord(value)) {
    // The usual map of strings is kept as it is; only a map holding other values is copied.
    let allStrings = true;
    for (const key in value) {
      if (typeof value[key] !== 'string') {
        allStrings = false;
        break;
      }
    }
    if (allStrings) return value as Record<string, string>;
    const tags: Record<string, string> = {};
    for (const [key, tagValue] of Object.entries(value)) tags[key] = typeof tagValue === 'string' ? tagValue : String(tagValue ?? '');
    return tags;
  }
  throw new InvalidItemError(`tags must be a map or a list of {key, value}, got ${describe(value)}`);
}

function normalizeRelationships(value: unknown): Relationship[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidItemError(`relationships must be a list, got ${describe(value)}`);
  const out: Relationship[] = [];
  for (const rel of value) {
    if (!isRecord(rel) || typeof rel.resourceType !== 'string') continue;
    if (isEventStyleRelationship(rel)) {
      out.push(rel);
      continue;
    }
    const relationship: { -readonly [K in keyof Relationship]: Relationship[K] } = { resourceType: rel.resourceType };
    const resourceId = optionalString(rel, 'resourceId');
    if (resourceId !== undefined) relationship.resourceId = resourceId;
    const resourceName = optionalString(rel, 'resourceName');
    if (resourceName !== undefined) relationship.resourceName = resourceName;
    const name = optionalString(rel, 'name', 'relationshipName');
    if (name !== undefined) relationship.name = name;
    out.push(relationship);
  }
  return out;
}

/** Event-style relationships already have the normalized shape: reused as they are, not copied. */
function isEventStyleRelationship(rel: Raw): rel is Raw & Relationship {
  return (
    typeof rel.name === 'string' &&
    rel.name !== '' &&
    (typeof rel.resourceId === 'string' || rel.resourceId === undefined) &&
    (typeof rel.resourceName === 'string' || rel.resourceName === undefined) &&
    !('relationshipName' in rel)
  );
}

function normalizeStatus(value: unknown, configuration: Raw | null): ItemStatus {
  if (value === undefined || value === null || value === '') return configuration === null ? 'ResourceDeleted' : 'OK';
  if (typeof value === 'string' && (ITEM_STATUSES as readonly string[]).includes(value)) return value as ItemStatus;
  throw new InvalidItemError(`configurationItemStatus ${JSON.stringify(value)} is not one of ${ITEM_STATUSES.join(', ')}`);
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

function normalizeTime(raw: Raw, key: string): string | undefined {
  const value = raw[key];
  if (value === null || value === undefined || value === '') return undefined;
  // The API returns epoch seconds where the CLI returns ISO strings.
  if (typeof value === 'number') return new Date(value < 1e11 ? value * 1000 : value).toISOString();
  if (typeof value === 'string') {
    if (ISO_DATE_TIME.test(value)) return value;
    if (Number.isNaN(Date.parse(value))) throw new InvalidItemError(`${key} ${JSON.stringify(value)} is not a date`);
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  throw new InvalidItemError(`${key} must be a date, got ${describe(value)}`);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/**
 * The Region an ARN names, for the oldest API-style items, which lack `awsRegion` (the Config
 * Developer Guide's 2014 get-resource-config-history output); undefined for ARNs without one (S3, IAM).
 */
function regionOfArn(arn: string | undefined): string | undefined {
  const region = arn?.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

/** Builds the normalized item from any of AWS's shapes; throws InvalidItemError naming the bad field. */
export function normalizeConfigurationItem(raw: unknown): ConfigurationItem {
  if (!isRecord(raw)) throw new InvalidItemError(`a configuration item must be an object, got ${describe(raw)}`);
  const resourceType = requiredString(raw, 'resourceType');
  if (!resourceType.includes('::')) throw new InvalidItemError(`resourceType ${JSON.stringify(resourceType)} is not an AWS resource type (AWS::Service::Type)`);
  const resourceId = requiredString(raw, 'resourceId');
  const configuration = normalizeConfiguration(raw.configuration);
  const captureTime = normalizeTime(raw, 'configurationItemCaptureTime');
  if (captureTime === undefined) throw new InvalidItemError('missing configurationItemCaptureTime');
  // Plain assignments, not conditional spreads: this runs once per item of a 100k-item snapshot.
  const item: { -readonly [K in keyof ConfigurationItem]: ConfigurationItem[K] } = {
    resourceType,
    resourceId,
    accountId: requiredString(raw, 'awsAccountId', 'accountId'),
    awsRegion: optionalString(raw, 'awsRegion') ?? regionOfArn(optionalString(raw, 'ARN', 'arn')) ?? requiredString(raw, 'awsRegion'),
    captureTime,
    status: normalizeStatus(raw.configurationItemStatus, configuration),
    tags: normalizeTags(raw.tags),
    relationships: normalizeRelationships(raw.relationships),
    configuration,
    supplementaryConfiguration: normalizeSupplementary(raw.supplementaryConfiguration),
  };
  const resourceName = optionalString(raw, 'resourceName');
  if (resourceName !== undefined) item.resourceName = resourceName;
  const arn = optionalString(raw, 'ARN', 'arn');
  if (arn !== undefined) item.arn = arn;
  const availabilityZone = optionalString(raw, 'availabilityZone');
  if (availabilityZone !== undefined) item.availabilityZone = availabilityZone;
  const stateId = raw.configurationStateId;
  if ((typeof stateId === 'string' && stateId !== '') || typeof stateId === 'number') item.configurationStateId = stateId;
  const resourceCreationTime = normalizeTime(raw, 'resourceCreationTime');
  if (resourceCreationTime !== undefined) item.resourceCreationTime = resourceCreationTime;
  return item;
}

/** A resource that no longer exists (or is no longer recorded) has nothing to evaluate. */
export function isGone(item: ConfigurationItem): boolean {
  return item.status === 'ResourceDeleted' || item.status === 'ResourceDeletedNotRecorded' || item.status === 'ResourceNotRecorded';
}

/** An item that could not be read, reported and skipped so the rest of its file is still evaluated. */
export interface SkippedItem {
  readonly source: string;
  /** Where in the source: `configurationItems[12]`, `Results[3]`. */
  readonly location: string;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly reason: string;
}

export interface ItemBatch {
  readonly items: ConfigurationItem[];
  readonly skipped: SkippedItem[];
}

/**
 * Thrown when a document is not any shape of configuration items at all (as opposed to one bad
 * item inside a good document, which is skipped).
 */
export class UnrecognizedDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnrecognizedDocumentError';
  }
}

function collect(list: unknown[], path: string, source: string, batch: ItemBatch, decode?: (entry: unknown) => unknown): void {
  for (let i = 0; i < list.length; i++) {
    let entry: unknown = list[i];
    try {
      if (decode) entry = decode(entry);
      batch.items.push(normalizeConfigurationItem(entry));
    } catch (error) {
      const hint = isRecord(entry) ? entry : {};
      const resourceType = typeof hint.resourceType === 'string' ? hint.resourceType : undefined;
      const resourceId = typeof hint.resourceId === 'string' ? hint.resourceId : undefined;
      batch.skipped.push({
        source,
        location: `${path}[${i}]`,
        ...(resourceType !== undefined && { resourceType }),
        ...(resourceId !== undefined && { resourceId }),
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function decodeQueryResult(entry: unknown): unknown {
  if (typeof entry !== 'string') return entry;
  return parseJsonField(entry, 'query result');
}

/**
 * Extracts configuration items from a parsed document of any shape AWS produces:
 * a Config snapshot (`{fileVersion, configurationItems}`), GetResourceConfigHistory output
 * (`{configurationItems}`), BatchGetResourceConfig output (`{baseConfigurationItems}`),
 * select-resource-config output (`{Results: ["<json>", …]}`), an invoking event body
 * (`{configurationItem}`), a whole Config rule Lambda event (`{invokingEvent: "<json>"}`),
 * an EventBridge "Config Configuration Item Change" event, a list of items or a single item.
 */
export function itemsFromDocument(doc: unknown, source: string): ItemBatch {
  const batch: ItemBatch = { items: [], skipped: [] };
  if (Array.isArray(doc)) {
    collect(doc, '', source, batch);
    return batch;
  }
  if (!isRecord(doc)) throw new UnrecognizedDocumentError(`expected a JSON object or list of configuration items, got ${describe(doc)}`);
  const listKey = ['configurationItems', 'baseConfigurationItems', 'Results'].find((key) => key in doc);
  if (listKey !== undefined) {
    const list = doc[listKey];
    if (!Array.isArray(list)) throw new UnrecognizedDocumentError(`"${listKey}" must be a list, got ${describe(list)}`);
    collect(list, listKey, source, batch, listKey === 'Results' ? decodeQueryResult : undefined);
    return batch;
  }
  if (typeof doc.invokingEvent === 'string') {
    return itemsFromDocument(parseJsonField(doc.invokingEvent, 'invokingEvent'), source);
  }
  if (isRecord(doc.detail) && doc.source === 'aws.config') {
    return itemsFromDocument(doc.detail, source);
  }
  if ('configurationItem' in doc) {
    collect([doc.configurationItem], 'configurationItem', source, batch);
    return batch;
  }
  if ('configurationItemSummary' in doc) {
    throw new UnrecognizedDocumentError('an oversized-item notification carries no configuration; fetch the item with GetResourceConfigHistory');
  }
  if ('messageType' in doc && doc.messageType === 'ScheduledNotification') return batch;
  if ('resourceType' in doc) {
    collect([doc], '', source, batch);
    return batch;
  }
  throw new UnrecognizedDocumentError(
    'not a Config snapshot or query result: expected "configurationItems", "baseConfigurationItems", "Results", "configurationItem" or a configuration item',
  );
}

function compareStateIds(a: string | number | undefined, b: string | number | undefined): number {
  if (a === undefined || b === undefined) return 0;
  const [x, y] = [Number(a), Number(b)];
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/**
 * Whether `item` replaces `seen` as the resource's state: the later capture time; at the same time the
 * higher configurationStateId (Config: "indicates the ordering of the configuration items of a
 * resource"); failing both, the item given later. (`version` is the item's schema version, "1.3",
 * not an ordering.)
 */
function supersedes(item: ConfigurationItem, seen: ConfigurationItem): boolean {
  const byTime = Date.parse(item.captureTime) - Date.parse(seen.captureTime);
  if (byTime !== 0) return byTime > 0;
  return compareStateIds(item.configurationStateId, seen.configurationStateId) >= 0;
}

/**
 * A resource counts once, at its newest item, whatever the input: get-resource-config-history output
 * holds every version of a resource, a snapshot may be given twice or repeat an item, and several
 * snapshots overlap. The survivors keep their input order. Resources are indexed by nested maps of
 * the item's own strings: no key string is built per item, which a 100k-item snapshot would pay for.
 */
export function latestPerResource(items: readonly ConfigurationItem[]): readonly ConfigurationItem[] {
  const accounts: ResourceIndex = new Map();
  let duplicates = 0;
  for (const item of items) {
    const byId = resourcesOf(accounts, item);
    const seen = byId.get(item.resourceId);
    if (seen === undefined) {
      byId.set(item.resourceId, item);
      continue;
    }
    duplicates++;
    if (supersedes(item, seen)) byId.set(item.resourceId, item);
  }
  if (duplicates === 0) return items;
  const kept = new Set<ConfigurationItem>();
  for (const item of items) if (resourcesOf(accounts, item).get(item.resourceId) === item) kept.add(item);
  return [...kept];
}

/** account → Region → resource type → resource id → item. */
type ResourceIndex = Map<string, Map<string, Map<string, Map<string, ConfigurationItem>>>>;

function resourcesOf(accounts: ResourceIndex, item: ConfigurationItem): Map<string, ConfigurationItem> {
  let regions = accounts.get(item.accountId);
  if (regions === undefined) accounts.set(item.accountId, (regions = new Map()));
  let types = regions.get(item.awsRegion);
  if (types === undefined) regions.set(item.awsRegion, (types = new Map()));
  let byId = types.get(item.resourceType);
  if (byId === undefined) types.set(item.resourceType, (byId = new Map()));
  return byId;
}
