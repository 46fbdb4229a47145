import { CATALOG, offlineTypes, recordedTypes } from '../../rules/catalog.js';
import { declarationOf, isResourceType, RESOURCE_TYPES, type ArnParts, type ResourceType } from '../../rules/resource-types.js';

const PARTS: ArnParts = { partition: 'aws', region: 'eu-west-1', account: '111122223333', id: 'id-1', name: 'name-1' };
const ALL = Object.entries(RESOURCE_TYPES) as [ResourceType, (typeof RESOURCE_TYPES)[ResourceType]][];

describe('resource types', () => {
  test('every type a rule reports on or reads, live or offline, is declared once, in rules/resource-types.ts', () => {
    const used = [...new Set(CATALOG.flatMap((entry) => [...entry.resourceTypes, ...(entry.reads ?? []), ...offlineTypes(entry)]))];
    expect(used.filter((type: string) => !isResourceType(type))).toEqual([]);
    expect(declarationOf('AWS::EC2::NetworkInterface')).toBeUndefined();
  });

  test('items standing in offline for a live API are exported, but the deployed monitor needs them not recorded', () => {
    const trail = CATALOG.find((entry) => entry.id === 'cloudtrail-multi-region-logging');
    expect(trail && recordedTypes(trail)).toEqual([]);
    expect(trail && offlineTypes(trail)).toEqual(['AWS::CloudTrail::Trail']);
  });

  test.each(ALL)('%s names itself for people, Security Hub and the console', (type, declared) => {
    expect(type).toMatch(/^AWS::([A-Za-z0-9]+)?::[A-Za-z0-9]+$/);
    expect(declared.label).toMatch(/^[A-Za-z][\w -]+$/);
    expect(declared.label).not.toBe('resource');
    expect(declared.asffType).toMatch(/^(Aws[A-Za-z0-9]+|Other)$/);
    const arn = declared.arn?.(PARTS);
    if (arn !== undefined)
      expect(arn).toMatch(declared.recordedByConfig ? /^arn:aws:[a-z0-9-]+:(eu-west-1)?:(111122223333)?:.*(id-1|name-1)$/ : /^AWS::::Account:111122223333$/);
    const path = declared.console?.(PARTS);
    if (path !== undefined) expect(path).toMatch(/^[a-z0-9]+\/[^ ]*(id-1|name-1)/);
  });

  test('only the account pseudo-type is not recorded by Config; recordedTypes leaves it out', () => {
    expect(ALL.filter(([, declared]) => !declared.recordedByConfig).map(([type]) => type)).toEqual(['AWS::::Account']);
    for (const entry of CATALOG) expect(recordedTypes(entry)).not.toContain('AWS::::Account');
    const rootMfa = CATALOG.find((entry) => entry.id === 'root-account-mfa');
    expect(rootMfa && recordedTypes(rootMfa)).toEqual([]);
  });
});
