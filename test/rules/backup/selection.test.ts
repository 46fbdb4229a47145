import fc from 'fast-check';
import {
  BackupSelectionError,
  parseBackupSelections,
  selectedBy,
  selectionFromItem,
  selects,
  wildcardMatch,
  type BackupSelection,
  type TagCondition,
} from '../../../rules/backup/selection.js';
import { itemFrom, SHAPED, sampleJson } from '../../helpers/samples.js';

const VOLUME = 'arn:aws:ec2:us-east-1:123456789012:volume/vol-0a1b2c3d4e5f60001';
const DB = 'arn:aws:rds:us-east-1:123456789012:db:ehr-primary';
const ROLE = 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole';

function selection(parts: Partial<BackupSelection>): BackupSelection {
  return { selectionName: 'test', resources: [], notResources: [], listOfTags: [], conditions: [], tagConditionsKnown: true, source: 'test', ...parts };
}

describe('parseBackupSelections (get-backup-selection output)', () => {
  test('reads the shaped output: resources, exclusions, ListOfTags and Conditions, with the prefix stripped from tag keys', () => {
    const [parsed] = parseBackupSelections(sampleJson(SHAPED.getBackupSelection), 'selections.json');
    expect(parsed).toEqual({
      selectionName: 'clinical-data',
      selectionId: '3f7a9c1e-5b2d-4c8e-a1f0-6d4b2e9c7a15',
      backupPlanId: '8a5f3c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b',
      resources: [VOLUME, 'arn:aws:rds:us-east-1:123456789012:db:*'],
      notResources: ['arn:aws:rds:us-east-1:123456789012:db:scratch-*'],
      listOfTags: [{ key: 'backup', value: 'daily' }],
      conditions: [{ operator: 'StringNotEquals', key: 'environment', value: 'test' }],
      tagConditionsKnown: true,
      accountId: '123456789012',
      source: 'selections.json',
    });
  });

  test('the periodic evaluator gives the account and Region it read them in', () => {
    const [parsed] = parseBackupSelections(sampleJson(SHAPED.getBackupSelection), 'live', { accountId: '123456789012', region: 'eu-west-1' });
    expect(parsed).toMatchObject({ accountId: '123456789012', region: 'eu-west-1' });
  });

  test('one response object (not a list) is read too', () => {
    const [one] = sampleJson(SHAPED.getBackupSelection) as unknown[];
    expect(parseBackupSelections(one, 'one.json')).toHaveLength(1);
  });

  test.each([
    [{ Resources: ['x'] }, /the document must be get-backup-selection output with a "BackupSelection" object/],
    [
      [{ BackupSelection: { SelectionName: 'a', IamRoleArn: ROLE, Resources: 'arn:aws:ec2:*' } }],
      /\[0\]\.BackupSelection\.Resources must be a list of strings, got the string/,
    ],
    [[{ BackupSelection: { SelectionName: 'a', IamRoleArn: ROLE } }, { BackupSelection: {} }], /\[1\]\.BackupSelection\.SelectionName is missing/],
    [[{ BackupSelection: { SelectionName: 'x' } }], /\[0\]\.BackupSelection\.IamRoleArn is missing; AWS Backup requires it in every selection/],
    [
      { BackupSelection: { SelectionName: 'a', IamRoleArn: ROLE, Conditions: { StringContains: [] } } },
      /BackupSelection\.Conditions\.StringContains is not a condition operator/,
    ],
    [
      { BackupSelection: { SelectionName: 'a', IamRoleArn: ROLE, Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup' }] } } },
      /Conditions\.StringEquals\[0\] must be \{"ConditionKey"/,
    ],
    [
      { BackupSelection: { SelectionName: 'a', IamRoleArn: ROLE, ListOfTags: [{ ConditionType: 'STRINGLIKE', ConditionKey: 'a', ConditionValue: 'b' }] } },
      /ListOfTags\[0\]\.ConditionType "STRINGLIKE" is not STRINGEQUALS/,
    ],
  ])('%j is rejected, naming where', (doc, message) => {
    expect(() => parseBackupSelections(doc, 'f')).toThrow(BackupSelectionError);
    expect(() => parseBackupSelections(doc, 'f')).toThrow(message);
  });

  test('the Config item of a selection gives resources and exclusions but says its tag conditions are unknown', () => {
    expect(selectionFromItem(itemFrom(SHAPED.backupSelection))).toEqual({
      selectionName: 'clinical-data',
      selectionId: '3f7a9c1e-5b2d-4c8e-a1f0-6d4b2e9c7a15',
      backupPlanId: '8a5f3c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b',
      resources: [VOLUME, 'arn:aws:rds:us-east-1:123456789012:db:*'],
      notResources: ['arn:aws:rds:us-east-1:123456789012:db:scratch-*'],
      listOfTags: [],
      conditions: [],
      tagConditionsKnown: false,
      accountId: '123456789012',
      region: 'us-east-1',
      source: `AWS::Backup::BackupSelection 3f7a9c1e-5b2d-4c8e-a1f0-6d4b2e9c7a15`,
    });
  });
});

describe('selects: AWS Backup selection semantics', () => {
  const untagged = (arn: string) => ({ arn, tags: {} });
  test.each([
    ['an exact ARN in Resources', selection({ resources: [VOLUME] }), untagged(VOLUME), true],
    ['another ARN', selection({ resources: [VOLUME] }), untagged(DB), false],
    ['a resource-type wildcard', selection({ resources: ['arn:aws:ec2:*:*:volume/*'] }), untagged(VOLUME), true],
    ['a wildcard for another type', selection({ resources: ['arn:aws:ec2:*:*:volume/*'] }), untagged(DB), false],
    ['* alone', selection({ resources: ['*'] }), untagged(DB), true],
    ['NotResources wins over Resources', selection({ resources: ['*'], notResources: [DB] }), untagged(DB), false],
    ['a NotResources wildcard', selection({ resources: ['*'], notResources: ['arn:aws:rds:*:*:db:ehr-*'] }), untagged(DB), false],
    ['matching is case-sensitive', selection({ resources: [VOLUME.toUpperCase()] }), untagged(VOLUME), false],
    [
      'ListOfTags: one of the tags (OR)',
      selection({
        listOfTags: [
          { key: 'backup', value: 'daily' },
          { key: 'backup', value: 'weekly' },
        ],
      }),
      { arn: DB, tags: { backup: 'weekly' } },
      true,
    ],
    ['ListOfTags: a tag value in another case', selection({ listOfTags: [{ key: 'backup', value: 'daily' }] }), { arn: DB, tags: { backup: 'Daily' } }, false],
    [
      'Resources or ListOfTags: the tag alone is enough',
      selection({ resources: [VOLUME], listOfTags: [{ key: 'backup', value: 'daily' }] }),
      { arn: DB, tags: { backup: 'daily' } },
      true,
    ],
    [
      'Conditions: all must hold (AND)',
      selection({ resources: ['*'], conditions: [cond('StringEquals', 'backup', 'daily'), cond('StringEquals', 'phi', 'yes')] }),
      { arn: DB, tags: { backup: 'daily' } },
      false,
    ],
    [
      'Conditions: all hold',
      selection({ resources: ['*'], conditions: [cond('StringEquals', 'backup', 'daily'), cond('StringEquals', 'phi', 'yes')] }),
      { arn: DB, tags: { backup: 'daily', phi: 'yes' } },
      true,
    ],
    ['StringLike with a wildcard', selection({ conditions: [cond('StringLike', 'env', 'prod*')] }), { arn: DB, tags: { env: 'production' } }, true],
    ['StringLike needs the tag', selection({ conditions: [cond('StringLike', 'env', '*')] }), untagged(DB), false],
    [
      'StringNotEquals holds when the tag is absent',
      selection({ resources: ['*'], conditions: [cond('StringNotEquals', 'environment', 'test')] }),
      untagged(DB),
      true,
    ],
    [
      'StringNotEquals excludes the value',
      selection({ resources: ['*'], conditions: [cond('StringNotEquals', 'environment', 'test')] }),
      { arn: DB, tags: { environment: 'test' } },
      false,
    ],
    [
      'StringNotLike excludes matches',
      selection({ resources: ['*'], conditions: [cond('StringNotLike', 'name', '*scratch*')] }),
      { arn: DB, tags: { name: 'ehr-scratch-copy' } },
      false,
    ],
    ['nothing specified selects everything', selection({}), untagged(DB), true],
    [
      'only Conditions: every resource that meets them',
      selection({ conditions: [cond('StringEquals', 'backup', 'daily')] }),
      { arn: DB, tags: { backup: 'daily' } },
      true,
    ],
  ])('%s', (_name, sel, resource, expected) => {
    expect(selects(sel, resource)).toBe(expected);
  });

  function cond(operator: TagCondition['operator'], key: string, value: string): TagCondition {
    return { operator, key, value };
  }
});

describe('selectedBy: how, which decides whether the service opt-in applies', () => {
  test.each([
    ['an exact ARN', selection({ resources: [VOLUME] }), 'type'],
    ['a resource-type wildcard', selection({ resources: ['arn:aws:ec2:*:*:volume/*'] }), 'type'],
    ['a service-wide pattern', selection({ resources: ['arn:aws:ec2:*'] }), 'service'],
    ['* alone', selection({ resources: ['*'] }), 'service'],
    ['a tag', selection({ listOfTags: [{ key: 'backup', value: 'daily' }] }), 'tags'],
    ['nothing given', selection({}), 'all'],
  ])('%s', (_name, sel, by) => {
    expect(selectedBy(sel, { arn: VOLUME, tags: { backup: 'daily' } })).toBe(by);
  });

  test('an unreadable selection selects nothing', () => {
    expect(selectedBy(selection({ problem: 'bad' }), { arn: VOLUME, tags: {} })).toBeUndefined();
  });
});

describe('selects: properties', () => {
  const arnText = fc.stringMatching(/^arn:aws:[a-z]{2,8}:[a-z0-9-]{0,12}:\d{12}:[\w/:.-]{1,30}$/);
  const tags = fc.dictionary(fc.constantFrom('backup', 'env', 'phi', 'owner'), fc.constantFrom('daily', 'weekly', 'yes', 'no', 'prod'));
  const condition = fc.record({
    operator: fc.constantFrom('StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'),
    key: fc.constantFrom('backup', 'env', 'phi'),
    value: fc.constantFrom('daily', 'yes', 'prod*', '*'),
  }) as fc.Arbitrary<TagCondition>;
  const anySelection = fc.record({
    resources: fc.array(fc.oneof(arnText, fc.constant('*'), fc.constant('arn:aws:ec2:*:*:volume/*')), { maxLength: 3 }),
    notResources: fc.array(arnText, { maxLength: 2 }),
    listOfTags: fc.array(fc.record({ key: fc.constantFrom('backup', 'env'), value: fc.constantFrom('daily', 'prod') }), { maxLength: 2 }),
    conditions: fc.array(condition, { maxLength: 3 }),
  });

  test('a pattern made by replacing parts of an ARN with * matches that ARN', () => {
    fc.assert(
      fc.property(arnText, fc.array(fc.nat(), { maxLength: 4 }), (arn, cuts) => {
        let pattern = arn;
        for (const cut of cuts) {
          const start = cut % (pattern.length + 1);
          pattern = `${pattern.slice(0, start)}*${pattern.slice(start + (cut % 5))}`;
        }
        expect(wildcardMatch(pattern, arn)).toBe(true);
        expect(wildcardMatch(arn, arn)).toBe(true);
      }),
    );
  });

  test('a resource named in NotResources is never selected', () => {
    fc.assert(
      fc.property(anySelection, arnText, tags, (sel, arn, t) =>
        expect(selects(selection({ ...sel, notResources: [...sel.notResources, arn] }), { arn, tags: t })).toBe(false),
      ),
    );
  });

  test('adding a condition never selects more (Conditions are AND)', () => {
    fc.assert(
      fc.property(anySelection, condition, arnText, tags, (sel, extra, arn, t) => {
        if (selects(selection({ ...sel, conditions: [...sel.conditions, extra] }), { arn, tags: t }))
          expect(selects(selection(sel), { arn, tags: t })).toBe(true);
      }),
    );
  });

  test('adding a ListOfTags entry never selects less when Resources or ListOfTags already had entries (ListOfTags is OR)', () => {
    fc.assert(
      fc.property(
        anySelection,
        fc.record({ key: fc.constantFrom('backup', 'env'), value: fc.constantFrom('daily', 'prod') }),
        arnText,
        tags,
        (sel, extra, arn, t) => {
          fc.pre(sel.resources.length + sel.listOfTags.length > 0);
          if (selects(selection(sel), { arn, tags: t }))
            expect(selects(selection({ ...sel, listOfTags: [...sel.listOfTags, extra] }), { arn, tags: t })).toBe(true);
        },
      ),
    );
  });

  test('with only ListOfTags, a resource is selected exactly when one of its tags is listed', () => {
    const listed = fc.array(fc.record({ key: fc.constantFrom('backup', 'env'), value: fc.constantFrom('daily', 'prod') }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(listed, arnText, tags, (listOfTags, arn, t) => {
        expect(selects(selection({ listOfTags }), { arn, tags: t })).toBe(listOfTags.some((tag) => t[tag.key] === tag.value));
      }),
    );
  });

  test('Resources ["*"] without exclusions or conditions selects every resource', () => {
    fc.assert(fc.property(arnText, tags, (arn, t) => expect(selects(selection({ resources: ['*'] }), { arn, tags: t })).toBe(true)));
  });
});
