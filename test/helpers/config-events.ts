/** Config rule Lambda events built from AWS's sample events and items. */
import { parse as parseYaml } from 'yaml';
import { rawSampleItem, sampleJson, sampleText } from './samples.js';

type Json = Record<string, unknown>;

/** A sample Lambda event with our rule parameters in place of the sample's. */
export function sampleEvent(file: string, ruleParameters: Json): Json {
  const event = file.endsWith('.yaml')
    ? (parseYaml(sampleText(`config-events/${file}`)) as Json)
    : (structuredClone(sampleJson(`config-events/${file}`)) as Json);
  return { ...event, ruleParameters: JSON.stringify(ruleParameters) };
}

/** A change notification for an item, wrapped the way Config invokes the Lambda. */
export function changeEvent(item: Json, ruleParameters: Json, overrides: Json = {}): Json {
  const base = sampleJson('config-events/configdg-ConfigurationItemChangeNotification.json') as Json;
  const invokingEvent = {
    configurationItem: item,
    configurationItemDiff: null,
    notificationCreationTime: '2026-11-28T11:59:00.000Z',
    messageType: 'ConfigurationItemChangeNotification',
    recordVersion: '1.3',
  };
  return { ...base, invokingEvent: JSON.stringify(invokingEvent), ruleParameters: JSON.stringify(ruleParameters), ...overrides };
}

/** A sample item in the event style Config puts in invoking events. */
export function eventStyleItem(sample: string, changes: Json = {}): Json {
  const raw = rawSampleItem(sample);
  const configuration = typeof raw.configuration === 'string' ? JSON.parse(raw.configuration) : raw.configuration;
  return {
    ...raw,
    ARN: raw.ARN ?? raw.arn,
    awsAccountId: raw.awsAccountId ?? raw.accountId,
    configurationItemVersion: '1.3',
    arn: undefined,
    accountId: undefined,
    version: undefined,
    configuration,
    ...changes,
  };
}

/** The item as GetResourceConfigHistory returns it (API style: configuration as a JSON string, Date objects). */
export function historyItem(sample: string): Json {
  const raw = rawSampleItem(sample);
  return {
    version: '1.3',
    accountId: raw.accountId ?? raw.awsAccountId,
    configurationItemCaptureTime: new Date(String(raw.configurationItemCaptureTime)),
    configurationItemStatus: 'OK',
    configurationStateId: String(raw.configurationStateId),
    configurationItemMD5Hash: '',
    arn: raw.arn ?? raw.ARN,
    resourceType: raw.resourceType,
    resourceId: raw.resourceId,
    resourceName: raw.resourceName,
    awsRegion: raw.awsRegion,
    availabilityZone: raw.availabilityZone,
    resourceCreationTime: raw.resourceCreationTime ? new Date(String(raw.resourceCreationTime)) : undefined,
    tags: raw.tags,
    relatedEvents: [],
    relationships: [],
    configuration: typeof raw.configuration === 'string' ? raw.configuration : JSON.stringify(raw.configuration),
    supplementaryConfiguration: Object.fromEntries(
      Object.entries((raw.supplementaryConfiguration as Json) ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    ),
  };
}

/** One advanced-query result row: a JSON string with tags as [{key, value}]. */
export function queryResult(sample: string, changes: Json = {}): string {
  const item = eventStyleItem(sample, changes);
  const tags = Object.entries((item.tags as Record<string, string>) ?? {}).map(([key, value]) => ({ key, value }));
  return JSON.stringify({
    accountId: item.awsAccountId,
    awsRegion: item.awsRegion,
    arn: item.ARN,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    resourceType: item.resourceType,
    configurationItemCaptureTime: item.configurationItemCaptureTime,
    configurationItemStatus: item.configurationItemStatus,
    tags,
    relationships: [],
    configuration: item.configuration,
    supplementaryConfiguration: item.supplementaryConfiguration ?? {},
  });
}
