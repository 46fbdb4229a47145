import fc from 'fast-check';
import { InvalidItemError, itemsFromDocument, latestPerResource, normalizeConfigurationItem, UnrecognizedDocumentError } from '../../rules/inventory.js';
import { rawSampleItem, SAMPLE, sampleFiles, sampleJson } from '../helpers/samples.js';

const CI_FILES = [...sampleFiles('config-ci/rdk'), ...sampleFiles('config-ci/other')];
const EVENT_FILES = sampleFiles('config-events');

describe('normalizeConfigurationItem over every AWS sample item', () => {
  test.each(CI_FILES)('%s normalizes to one item with type, id, account and region', (file) => {
    const { items, skipped } = itemsFromDocument(sampleJson(file), file);
    expect(skipped).toEqual([]);
    expect(items).toHaveLength(1);
    const [item] = items;
    expect(item?.resourceType).toMatch(/^AWS::\w+::\w+$/);
    expect(item?.resourceId).not.toBe('');
    expect(item?.accountId).not.toBe('');
    expect(item?.awsRegion).not.toBe('');
    expect(Number.isNaN(Date.parse(item?.captureTime ?? ''))).toBe(false);
    expect(item?.configuration).not.toBeNull();
  });

  test('event style (ARN, awsAccountId, configurationItemVersion) and API style (arn, accountId, version) give the same fields', () => {
    const eventStyle = normalizeConfigurationItem(rawSampleItem(SAMPLE.bucket));
    expect(eventStyle.arn).toBe('arn:aws:s3:::mborch-test-bucket-config-item');
    expect(eventStyle.accountId).toMatch(/^\d{12}$/);
    const apiStyle = normalizeConfigurationItem(rawSampleItem(SAMPLE.volume));
    expect(apiStyle.arn).toBe('arn:aws:ec2:us-east-1:264683526309:volume/vol-a416b170');
    expect(apiStyle.accountId).toBe('264683526309');
    expect(apiStyle.relationships).toEqual([{ resourceType: 'AWS::EC2::Instance', resourceId: 'i-29e75b19', name: 'Is attached to Instance' }]);
  });

  test('API style with configuration and supplementaryConfiguration as JSON strings (GetResourceConfigHistory) is decoded', () => {
    const raw = rawSampleItem(SAMPLE.bucketWithSse);
    const api = {
      ...raw,
      configuration: JSON.stringify(raw.configuration),
      supplementaryConfiguration: Object.fromEntries(
        Object.entries(raw.supplementaryConfiguration as object).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ),
    };
    const item = normalizeConfigurationItem(api);
    expect(item.configuration).toEqual(raw.configuration);
    expect(item.supplementaryConfiguration.ServerSideEncryptionConfiguration).toEqual({
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256', kmsMasterKeyID: null } }],
    });
    // S3 AccessControlList is a JSON string even in events: it is decoded too.
    expect(item.supplementaryConfiguration.AccessControlList).toMatchObject({ grantList: expect.any(Array) });
  });

  test('advanced-query tags ([{key, value}]) become a map', () => {
    const item = normalizeConfigurationItem({
      ...rawSampleItem(SAMPLE.volume),
      tags: [
        { key: 'Name', value: 'ehr-data' },
        { key: 'env', value: 'prod' },
      ],
    });
    expect(item.tags).toEqual({ Name: 'ehr-data', env: 'prod' });
  });

  test('epoch-second capture times (API over the wire) become ISO dates', () => {
    const item = normalizeConfigurationItem({ ...rawSampleItem(SAMPLE.volume), configurationItemCaptureTime: 1477615294.826 });
    expect(item.captureTime).toBe('2016-10-28T00:41:34.826Z');
  });

  test('the deleted EC2 instance of the hands-on article keeps configuration null and status ResourceDeleted', () => {
    const { items } = itemsFromDocument(sampleJson('config-events/handson-invokingEvent-EC2-ResourceDeleted.json'), 'deleted');
    expect(items[0]).toMatchObject({ status: 'ResourceDeleted', configuration: null, resourceId: 'i-05888074e384774ef' });
    expect(items[0]?.resourceCreationTime).toBeUndefined();
  });

  test("the Config guide's 2014 item has no awsRegion: the Region comes from its ARN; an S3 ARN names none", () => {
    const raw = rawSampleItem(SAMPLE.securityGroupClassic);
    expect(raw.awsRegion).toBeUndefined();
    expect(normalizeConfigurationItem(raw).awsRegion).toBe('us-east-2');
    const { awsRegion, ...bucket } = rawSampleItem(SAMPLE.bucket);
    expect(awsRegion).toBe('us-east-1');
    expect(() => normalizeConfigurationItem(bucket)).toThrow(/missing awsRegion/);
  });

  test.each([
    [{ resourceId: 'x' }, /missing resourceType/],
    [{ resourceType: 'Volume', resourceId: 'x' }, /"Volume" is not an AWS resource type/],
    [{ resourceType: 'AWS::EC2::Volume' }, /missing resourceId/],
    [
      { resourceType: 'AWS::EC2::Volume', resourceId: 'v', awsRegion: 'us-east-1', accountId: '1', configurationItemCaptureTime: 'yesterday' },
      /configurationItemCaptureTime "yesterday" is not a date/,
    ],
    [{ ...rawSampleItem(SAMPLE.volume), configurationItemStatus: 'Gone' }, /configurationItemStatus "Gone" is not one of/],
    [{ ...rawSampleItem(SAMPLE.volume), configuration: '{"encrypted": tru' }, /configuration is not valid JSON/],
    [{ ...rawSampleItem(SAMPLE.volume), configuration: [1] }, /configuration must be an object, got a list/],
  ])('rejects %j naming the field', (raw, message) => {
    expect(() => normalizeConfigurationItem(raw)).toThrow(InvalidItemError);
    expect(() => normalizeConfigurationItem(raw)).toThrow(message);
  });
});

describe('itemsFromDocument over every AWS sample event', () => {
  test.each(EVENT_FILES)('%s yields its configuration item, or none for scheduled and oversized notifications', (file) => {
    const doc = sampleJson(file) as Record<string, unknown>;
    const invoking = typeof doc.invokingEvent === 'string' ? (JSON.parse(doc.invokingEvent) as Record<string, unknown>) : doc;
    if ('configurationItemSummary' in invoking) {
      expect(() => itemsFromDocument(doc, file)).toThrow(/oversized-item notification carries no configuration/);
      return;
    }
    const { items, skipped } = itemsFromDocument(doc, file);
    expect(skipped).toEqual([]);
    if (invoking.messageType === 'ScheduledNotification') expect(items).toEqual([]);
    else expect(items).toHaveLength(1);
  });

  test('the EventBridge change event yields the EFS item', () => {
    const { items } = itemsFromDocument(sampleJson('config-events/configdg-eventbridge-ci-change-EFS.json'), 'eb');
    expect(items[0]).toMatchObject({ resourceType: 'AWS::EFS::FileSystem', resourceId: 'fs-01f0d526165b57f95' });
  });
});

describe('itemsFromDocument over files clinics export', () => {
  const volume = rawSampleItem(SAMPLE.volume);
  const table = rawSampleItem(SAMPLE.table);

  test('a Config snapshot ({fileVersion, configurationItems}) yields every item', () => {
    const { items } = itemsFromDocument({ fileVersion: '1.0', configSnapshotId: 'abc', configurationItems: [volume, table] }, 'snap.json');
    expect(items.map((i) => i.resourceType)).toEqual(['AWS::EC2::Volume', 'AWS::DynamoDB::Table']);
  });

  test('batch-get-resource-config output (baseConfigurationItems, configuration as string) yields every item', () => {
    const base = { ...volume, configuration: JSON.stringify(volume.configuration), supplementaryConfiguration: {} };
    delete (base as Record<string, unknown>).tags;
    const { items } = itemsFromDocument({ baseConfigurationItems: [base], unprocessedResourceKeys: [] }, 'batch.json');
    expect(items[0]?.configuration).toMatchObject({ encrypted: true });
    expect(items[0]?.tags).toEqual({});
  });

  test('select-resource-config output (Results as JSON strings) yields every item', () => {
    const { items } = itemsFromDocument(
      { Results: [JSON.stringify(volume), JSON.stringify(table)], QueryInfo: { SelectFields: [{ Name: '*' }] } },
      'query.json',
    );
    expect(items).toHaveLength(2);
  });

  test('one malformed item is reported with its place and skipped; the others are kept', () => {
    const { items, skipped } = itemsFromDocument(
      { fileVersion: '1.0', configurationItems: [volume, { resourceType: 'AWS::EC2::Volume', resourceId: 'vol-bad' }, table] },
      'snap.json',
    );
    expect(items).toHaveLength(2);
    expect(skipped).toEqual([
      {
        source: 'snap.json',
        location: 'configurationItems[1]',
        resourceType: 'AWS::EC2::Volume',
        resourceId: 'vol-bad',
        reason: 'missing configurationItemCaptureTime',
      },
    ]);
  });

  test('a malformed query result string is skipped, not fatal', () => {
    const { items, skipped } = itemsFromDocument({ Results: ['{"resourceType":', JSON.stringify(volume)] }, 'q.json');
    expect(items).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ location: 'Results[0]', reason: expect.stringMatching(/query result is not valid JSON/) });
  });

  test.each([
    [42, /got number 42/],
    [{ configurationItems: {} }, /"configurationItems" must be a list/],
    [{ hello: 'world' }, /not a Config snapshot/],
  ])('a document that is no shape of items (%j) is rejected as a whole', (doc, message) => {
    expect(() => itemsFromDocument(doc, 'x')).toThrow(UnrecognizedDocumentError);
    expect(() => itemsFromDocument(doc, 'x')).toThrow(message);
  });

  test('latestPerResource keeps the newest item of a resource seen in two snapshots', () => {
    const older = normalizeConfigurationItem({ ...volume, configurationItemCaptureTime: '2026-01-01T00:00:00Z' });
    const newer = normalizeConfigurationItem({ ...volume, configurationItemCaptureTime: '2026-02-01T00:00:00Z' });
    expect(latestPerResource([newer, older])).toEqual([newer]);
    expect(latestPerResource([older, newer])).toEqual([newer]);
  });
});

describe('latestPerResource: a resource counts once, at its newest item, whatever the input', () => {
  const volume = rawSampleItem(SAMPLE.volume);
  /** Two versions of the rdk volume sample as get-resource-config-history lists them (newest first by default). */
  const version = (time: string, stateId: string | number | undefined, encrypted: boolean) =>
    normalizeConfigurationItem({
      ...volume,
      configurationItemCaptureTime: time,
      configurationStateId: stateId,
      configuration: { ...(volume.configuration as object), encrypted },
    });

  test('get-resource-config-history output, in either order: only the newest version is kept', () => {
    const older = version('2026-01-01T00:00:00Z', '1767225600000', false);
    const newer = version('2026-02-01T00:00:00Z', '1769904000000', true);
    expect(latestPerResource([newer, older])).toEqual([newer]);
    expect(latestPerResource([older, newer])).toEqual([newer]);
    expect(newer.configurationStateId).toBe('1769904000000');
  });

  test('at the same capture time the higher configurationStateId wins (string in the API, number in events), then the item given later', () => {
    const low = version('2026-01-01T00:00:00Z', '999', false);
    const high = version('2026-01-01T00:00:00Z', 1000, true);
    expect(latestPerResource([high, low])).toEqual([high]);
    expect(latestPerResource([low, high])).toEqual([high]);
    const [a, b] = [version('2026-01-01T00:00:00Z', undefined, false), version('2026-01-01T00:00:00Z', undefined, true)];
    expect(latestPerResource([a, b])).toEqual([b]);
  });

  test('the same item twice in one file counts once; other resources keep their order', () => {
    const bucket = normalizeConfigurationItem(rawSampleItem(SAMPLE.bucket));
    const item = normalizeConfigurationItem(volume);
    expect(latestPerResource([item, bucket, item])).toEqual([item, bucket]);
  });

  test('without duplicates the input comes back as it is', () => {
    const items = [normalizeConfigurationItem(volume), normalizeConfigurationItem(rawSampleItem(SAMPLE.bucket))];
    expect(latestPerResource(items)).toBe(items);
  });

  test('the same id in another account, Region or type is another resource', () => {
    const item = normalizeConfigurationItem(volume);
    const others = [
      normalizeConfigurationItem({ ...volume, accountId: '111122223333' }),
      normalizeConfigurationItem({ ...volume, awsRegion: 'eu-west-1' }),
      normalizeConfigurationItem({ ...volume, resourceType: 'AWS::EC2::Instance' }),
    ];
    expect(latestPerResource([item, ...others])).toHaveLength(4);
  });

  test('any shuffle of any number of versions keeps exactly one item per resource: the newest (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ resource: fc.integer({ min: 0, max: 3 }), time: fc.integer({ min: 0, max: 5 }), stateId: fc.integer({ min: 0, max: 1e6 }) }), {
          minLength: 1,
          maxLength: 30,
        }),
        (specs) => {
          const items = specs.map((spec) =>
            normalizeConfigurationItem({
              ...volume,
              resourceId: `vol-${spec.resource}`,
              configurationItemCaptureTime: new Date(Date.UTC(2026, 0, 1 + spec.time)).toISOString(),
              configurationStateId: String(spec.stateId),
            }),
          );
          const kept = latestPerResource(items);
          expect(new Set(kept.map((item) => item.resourceId)).size).toBe(kept.length);
          expect(kept.length).toBe(new Set(specs.map((spec) => spec.resource)).size);
          for (const item of kept) {
            for (const other of items.filter((candidate) => candidate.resourceId === item.resourceId)) {
              const [t, u] = [Date.parse(item.captureTime), Date.parse(other.captureTime)];
              expect(t > u || (t === u && Number(item.configurationStateId) >= Number(other.configurationStateId))).toBe(true);
            }
          }
        },
      ),
    );
  });
});
