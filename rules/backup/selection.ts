/**
 * AWS Backup resource assignments (backup selections) and which resources they select.
 *
 * Semantics (AWS Backup API BackupSelection, AWS-FACTS.md §7): `Resources` are ARNs, `*` matching any
 * run of characters; `ListOfTags` entries are alternatives (OR) and `Conditions` must all hold (AND);
 * a resource in `NotResources` is never selected. A resource is selected when it matches `Resources`
 * or `ListOfTags` (either, when both are given; anything, when neither is), every condition holds,
 * and `NotResources` does not name it. Matching is case-sensitive. As in IAM condition operators,
 * StringNotEquals and StringNotLike also hold when the resource lacks the tag.
 *
 * The Config item of a selection records `Resources` and `NotResources` but not the tag conditions;
 * a selection read from one says so (`tagConditionsKnown: false`) and those come from
 * GetBackupSelection (live) or its saved output (offline).
 */
import { isAccountId, parseArn } from '../arn.js';
import { field, path } from '../fields.js';
import { describe, isGone, isRecord, type ConfigurationItem } from '../inventory.js';
import type { Inventory } from '../types.js';
import { planName } from './plan.js';

export const CONDITION_OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface TagCondition {
  readonly operator: ConditionOperator;
  /** The tag key, without the `aws:ResourceTag/` prefix. */
  readonly key: string;
  readonly value: string;
}

export interface BackupSelection {
  readonly selectionName: string;
  readonly selectionId?: string;
  readonly backupPlanId?: string;
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** ListOfTags (StringEquals only): any one selects. */
  readonly listOfTags: readonly { readonly key: string; readonly value: string }[];
  /** Conditions: all must hold. */
  readonly conditions: readonly TagCondition[];
  /** False for a selection read from its Config item, which does not record ListOfTags or Conditions. */
  readonly tagConditionsKnown: boolean;
  /** Where the selection applies, when known (the Config item's account and Region, or the role's account). */
  readonly accountId?: string;
  readonly region?: string;
  /** The file or item it was read from, for messages. */
  readonly source: string;
}

export interface SelectableResource {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class BackupSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupSelectionError';
  }
}

const patternCache = new Map<string, RegExp>();

/** `*` matches any run of characters (including `:` and `/`); everything else is literal and case-sensitive. */
export function wildcardMatch(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return pattern === text;
  let regex = patternCache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    if (patternCache.size > 10_000) patternCache.clear();
    patternCache.set(pattern, regex);
  }
  return regex.test(text);
}

function conditionHolds(condition: TagCondition, tags: Readonly<Record<string, string>>): boolean {
  const value = Object.hasOwn(tags, condition.key) ? tags[condition.key] : undefined;
  switch (condition.operator) {
    case 'StringEquals':
      return value === condition.value;
    case 'StringNotEquals':
      return value !== condition.value;
    case 'StringLike':
      return value !== undefined && wildcardMatch(condition.value, value);
    case 'StringNotLike':
      return value === undefined || !wildcardMatch(condition.value, value);
  }
}

export function selects(selection: BackupSelection, resource: SelectableResource): boolean {
  if (selection.notResources.some((pattern) => wildcardMatch(pattern, resource.arn))) return false;
  if (!selection.conditions.every((condition) => conditionHolds(condition, resource.tags))) return false;
  if (selection.resources.length === 0 && selection.listOfTags.length === 0) return true;
  return (
    selection.resources.some((pattern) => wildcardMatch(pattern, resource.arn)) ||
    selection.listOfTags.some((tag) => Object.hasOwn(resource.tags, tag.key) && resource.tags[tag.key] === tag.value)
  );
}

const TAG_PREFIX = 'aws:ResourceTag/';

function tagKey(conditionKey: string): string {
  return conditionKey.startsWith(TAG_PREFIX) ? conditionKey.slice(TAG_PREFIX.length) : conditionKey;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) throw new BackupSelectionError(`${where} must be a list of strings, got ${describe(value)}`);
  return value as string[];
}

function conditionParameter(value: unknown, where: string): { key: string; value: string } {
  if (!isRecord(value) || typeof value.ConditionKey !== 'string' || typeof value.ConditionValue !== 'string') {
    throw new BackupSelectionError(`${where} must be {"ConditionKey": "...", "ConditionValue": "..."}, got ${describe(value)}`);
  }
  return { key: tagKey(value.ConditionKey), value: value.ConditionValue };
}

function listOfTags(value: unknown, where: string): { key: string; value: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BackupSelectionError(`${where} must be a list, got ${describe(value)}`);
  return value.map((entry, i) => {
    const type = isRecord(entry) ? entry.ConditionType : undefined;
    if (type !== undefined && String(type).toUpperCase() !== 'STRINGEQUALS') {
      throw new BackupSelectionError(`${where}[${i}].ConditionType ${JSON.stringify(type)} is not STRINGEQUALS, the only type ListOfTags supports`);
    }
    return conditionParameter(entry, `${where}[${i}]`);
  });
}

function conditions(value: unknown, where: string): TagCondition[] {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) throw new BackupSelectionError(`${where} must be an object of ${CONDITION_OPERATORS.join(', ')}, got ${describe(value)}`);
  const out: TagCondition[] = [];
  for (const [name, list] of Object.entries(value)) {
    const operator = CONDITION_OPERATORS.find((op) => op === name);
    if (operator === undefined) throw new BackupSelectionError(`${where}.${name} is not a condition operator (${CONDITION_OPERATORS.join(', ')})`);
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) throw new BackupSelectionError(`${where}.${name} must be a list, got ${describe(list)}`);
    list.forEach((entry, i) => out.push({ operator, ...conditionParameter(entry, `${where}.${name}[${i}]`) }));
  }
  return out;
}

function roleAccount(roleArn: unknown): string | undefined {
  const account = typeof roleArn === 'string' ? parseArn(roleArn)?.accountId : undefined;
  return isAccountId(account) ? account : undefined;
}

function fromResponse(doc: unknown, where: string, source: string): BackupSelection {
  if (!isRecord(doc) || !isRecord(doc.BackupSelection)) throw new BackupSelectionError(`${where || 'the document'} must be get-backup-selection output with a "BackupSelection" object, got ${describe(doc)}`);
  const body = doc.BackupSelection;
  const at = `${where}${where ? '.' : ''}BackupSelection`;
  if (typeof body.SelectionName !== 'string' || body.SelectionName === '') throw new BackupSelectionError(`${at}.SelectionName is missing`);
  const accountId = roleAccount(body.IamRoleArn);
  return {
    selectionName: body.SelectionName,
    ...(typeof doc.SelectionId === 'string' && { selectionId: doc.SelectionId }),
    ...(typeof doc.BackupPlanId === 'string' && { backupPlanId: doc.BackupPlanId }),
    resources: stringList(body.Resources, `${at}.Resources`),
    notResources: stringList(body.NotResources, `${at}.NotResources`),
    listOfTags: listOfTags(body.ListOfTags, `${at}.ListOfTags`),
    conditions: conditions(body.Conditions, `${at}.Conditions`),
    tagConditionsKnown: true,
    ...(accountId !== undefined && { accountId }),
    source,
  };
}

/** Reads `aws backup get-backup-selection` output: one response object or a list of them. */
export function parseBackupSelections(doc: unknown, source: string): BackupSelection[] {
  if (Array.isArray(doc)) return doc.map((entry, i) => fromResponse(entry, `[${i}]`, source));
  return [fromResponse(doc, '', source)];
}

/** The selection as its Config item records it: no tag conditions. */
export function selectionFromItem(item: ConfigurationItem): BackupSelection {
  const body = field(item.configuration, 'BackupSelection');
  const name = path(body, 'SelectionName');
  const selectionId = path(item.configuration, 'SelectionId');
  const backupPlanId = path(item.configuration, 'BackupPlanId');
  const source = `${item.resourceType} ${item.resourceId}`;
  return {
    selectionName: typeof name === 'string' && name !== '' ? name : (item.resourceName ?? item.resourceId),
    selectionId: typeof selectionId === 'string' && selectionId !== '' ? selectionId : item.resourceId,
    ...(typeof backupPlanId === 'string' && backupPlanId !== '' && { backupPlanId }),
    resources: tolerantList(field(body, 'Resources')),
    notResources: tolerantList(field(body, 'NotResources')),
    listOfTags: [],
    conditions: [],
    tagConditionsKnown: false,
    accountId: item.accountId,
    region: item.awsRegion,
    source,
  };
}

function tolerantList(value: unknown): string[] {
  if (typeof value === 'string' && value !== '') return [value];
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string' && entry !== '') : [];
}

/** A selection with the plan it belongs to, as the coverage rules use it. */
export interface SelectionInForce extends BackupSelection {
  /** The plan's name, or its id when the plan is not in the inventory. */
  readonly planName?: string;
}

/**
 * The selections that currently assign resources: those with their tag conditions (from
 * GetBackupSelection or a file), then those known only from Config items, minus selections of a
 * deleted plan. A selection applies in its plan's account and Region; when the plan is not in the
 * inventory, in the account of its role.
 */
export function selectionsInForce(inventory: Inventory): SelectionInForce[] {
  const plans = new Map<string, ConfigurationItem>();
  for (const plan of inventory.ofType('AWS::Backup::BackupPlan')) {
    const id = path(plan.configuration, 'BackupPlanId');
    plans.set(typeof id === 'string' && id !== '' ? id : plan.resourceId, plan);
  }
  const out: SelectionInForce[] = [];
  const add = (selection: BackupSelection): void => {
    const plan = selection.backupPlanId === undefined ? undefined : plans.get(selection.backupPlanId);
    if (plan !== undefined && isGone(plan)) return;
    const name = plan === undefined ? selection.backupPlanId : planName(plan.configuration, plan.resourceName ?? plan.resourceId);
    out.push({
      ...selection,
      ...(plan !== undefined && { accountId: plan.accountId, region: plan.awsRegion }),
      ...(name !== undefined && { planName: name }),
    });
  };
  const complete = new Set<string>();
  for (const selection of inventory.backupSelections) {
    if (selection.selectionId !== undefined) complete.add(selection.selectionId);
    add(selection);
  }
  for (const item of inventory.ofType('AWS::Backup::BackupSelection')) {
    if (isGone(item) || item.configuration === null) continue;
    const selection = selectionFromItem(item);
    if (selection.selectionId !== undefined && complete.has(selection.selectionId)) continue;
    add(selection);
  }
  return out;
}

/** Whether a selection applies where the resource lives. */
export function inScope(selection: BackupSelection, item: ConfigurationItem): boolean {
  return (selection.accountId === undefined || selection.accountId === item.accountId) && (selection.region === undefined || selection.region === item.awsRegion);
}
