/**
 * AWS Backup resource assignments (backup selections) and which resources they select.
 *
 * Semantics (AWS Backup API reference, BackupSelection; docs/aws-semantics.md, "Backup selections"):
 * `Resources` are ARNs, `*` matching any run of characters; `ListOfTags` entries are alternatives (OR)
 * and `Conditions` must all hold (AND); a resource in `NotResources` is never selected. A resource is
 * selected when it matches `Resources` or `ListOfTags` (either, when both are given; every supported
 * resource, when neither is), every condition holds, and `NotResources` does not name it. Matching is
 * case-sensitive. As in IAM condition operators, StringNotEquals and StringNotLike also hold when the
 * resource lacks the tag.
 *
 * A selection belongs to its plan, and a plan to one account and Region: it selects resources of that
 * Region only. get-backup-selection output names no Region, so it is taken from the plan; a selection
 * whose plan is not known has an unknown Region and proves nothing anywhere.
 *
 * The Config item of a selection records `Resources` and `NotResources` but not the tag conditions,
 * which are combined with `Resources` by AND: a selection read from one (`tagConditionsKnown: false`)
 * can exclude a resource through NotResources but never prove that it is selected. The tag conditions
 * come from GetBackupSelection (live) or its saved output (offline).
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
  /** Why the selection could not be read (a live response or Config item of a shape AWS does not produce): it then selects nothing known. */
  readonly problem?: string;
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
    regex = new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      's',
    );
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

/**
 * How a selection selects a resource: `type` through a Resources ARN that names the resource type (or
 * the resource), `service` through a pattern naming only the service or `*`, `tags` through ListOfTags,
 * `all` because neither Resources nor ListOfTags is given. AWS Backup applies the Region's service
 * opt-in to all but `type` (docs/aws-semantics.md, "Backup selections").
 */
export type SelectedBy = 'type' | 'service' | 'tags' | 'all';

/** Whether an ARN pattern names a resource type (`arn:aws:ec2:*:*:volume/*`), not only a service (`arn:aws:ec2:*`, `*`). */
export function namesResourceType(pattern: string): boolean {
  const parts = pattern.split(':');
  if (parts.length < 6) return false;
  const resource = parts.slice(5).join(':');
  return resource !== '' && !resource.startsWith('*');
}

export function selectedBy(selection: BackupSelection, resource: SelectableResource): SelectedBy | undefined {
  if (selection.problem !== undefined) return undefined;
  if (selection.notResources.some((pattern) => wildcardMatch(pattern, resource.arn))) return undefined;
  if (!selection.conditions.every((condition) => conditionHolds(condition, resource.tags))) return undefined;
  if (selection.resources.length === 0 && selection.listOfTags.length === 0) return 'all';
  let byService = false;
  for (const pattern of selection.resources) {
    if (!wildcardMatch(pattern, resource.arn)) continue;
    if (namesResourceType(pattern)) return 'type';
    byService = true;
  }
  if (byService) return 'service';
  return selection.listOfTags.some((tag) => Object.hasOwn(resource.tags, tag.key) && resource.tags[tag.key] === tag.value) ? 'tags' : undefined;
}

export function selects(selection: BackupSelection, resource: SelectableResource): boolean {
  return selectedBy(selection, resource) !== undefined;
}

const TAG_PREFIX = 'aws:ResourceTag/';

function tagKey(conditionKey: string): string {
  return conditionKey.startsWith(TAG_PREFIX) ? conditionKey.slice(TAG_PREFIX.length) : conditionKey;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string'))
    throw new BackupSelectionError(`${where} must be a list of strings, got ${describe(value)}`);
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

/** What the caller knows about where the selections apply (the periodic evaluator reads them in one account and Region). */
export interface SelectionContext {
  readonly accountId?: string;
  readonly region?: string;
}

function fromResponse(doc: unknown, where: string, source: string, context: SelectionContext): BackupSelection {
  if (!isRecord(doc) || !isRecord(doc.BackupSelection))
    throw new BackupSelectionError(`${where || 'the document'} must be get-backup-selection output with a "BackupSelection" object, got ${describe(doc)}`);
  const body = doc.BackupSelection;
  const at = `${where}${where ? '.' : ''}BackupSelection`;
  if (typeof body.SelectionName !== 'string' || body.SelectionName === '') throw new BackupSelectionError(`${at}.SelectionName is missing`);
  // Both are required in every BackupSelection AWS Backup stores, so a document without them is not its output.
  if (typeof body.IamRoleArn !== 'string' || body.IamRoleArn === '')
    throw new BackupSelectionError(`${at}.IamRoleArn is missing; AWS Backup requires it in every selection`);
  if (parseArn(body.IamRoleArn)?.service !== 'iam')
    throw new BackupSelectionError(`${at}.IamRoleArn ${JSON.stringify(body.IamRoleArn)} is not an IAM role ARN`);
  const accountId = context.accountId ?? roleAccount(body.IamRoleArn);
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
    ...(context.region !== undefined && { region: context.region }),
    source,
  };
}

/** Reads `aws backup get-backup-selection` output: one response object or a list of them. A shape AWS cannot return is a BackupSelectionError. */
export function parseBackupSelections(doc: unknown, source: string, context: SelectionContext = {}): BackupSelection[] {
  if (Array.isArray(doc)) return doc.map((entry, i) => fromResponse(entry, `[${i}]`, source, context));
  return [fromResponse(doc, '', source, context)];
}

/**
 * Like parseBackupSelections, for live responses: a response that cannot be read does not stop the
 * run; it becomes an unreadable selection (`problem`), which makes coverage in its account and Region
 * unknown instead of silently covering or uncovering anything.
 */
export function parseLiveBackupSelections(responses: readonly unknown[], source: string, context: SelectionContext): BackupSelection[] {
  return responses.map((response, i) => {
    try {
      return fromResponse(response, `[${i}]`, source, context);
    } catch (error) {
      if (!(error instanceof BackupSelectionError)) throw error;
      const name =
        isRecord(response) && isRecord(response.BackupSelection) && typeof response.BackupSelection.SelectionName === 'string'
          ? response.BackupSelection.SelectionName
          : `[${i}]`;
      return { ...unreadable(name, error.message, source), ...context };
    }
  });
}

function unreadable(selectionName: string, problem: string, source: string): BackupSelection {
  return { selectionName, resources: [], notResources: [], listOfTags: [], conditions: [], tagConditionsKnown: false, problem, source };
}

/**
 * The selection as its Config item records it: no tag conditions. A field of the wrong type makes it an
 * unreadable selection (`problem`), never an empty list that would select everything or nothing.
 */
export function selectionFromItem(item: ConfigurationItem): BackupSelection {
  const source = `${item.resourceType} ${item.resourceId}`;
  const name = path(field(item.configuration, 'BackupSelection'), 'SelectionName');
  const selectionName = typeof name === 'string' && name !== '' ? name : (item.resourceName ?? item.resourceId);
  const selectionId = path(item.configuration, 'SelectionId');
  const backupPlanId = path(item.configuration, 'BackupPlanId');
  const base = {
    selectionId: typeof selectionId === 'string' && selectionId !== '' ? selectionId : item.resourceId,
    ...(typeof backupPlanId === 'string' && backupPlanId !== '' && { backupPlanId }),
    accountId: item.accountId,
    region: item.awsRegion,
  };
  try {
    const body = field(item.configuration, 'BackupSelection');
    if (!isRecord(body))
      throw new BackupSelectionError(`configuration.BackupSelection is ${body === undefined ? 'missing' : `not an object (${describe(body)})`}`);
    return {
      selectionName,
      ...base,
      resources: itemList(field(body, 'Resources'), 'configuration.BackupSelection.Resources'),
      notResources: itemList(field(body, 'NotResources'), 'configuration.BackupSelection.NotResources'),
      listOfTags: [],
      conditions: [],
      tagConditionsKnown: false,
      source,
    };
  } catch (error) {
    if (!(error instanceof BackupSelectionError)) throw error;
    return { ...unreadable(selectionName, error.message, source), ...base };
  }
}

/** Config renders a one-element list as a plain string in some items (the schema types Resources as "string"). */
function itemList(value: unknown, where: string): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  return stringList(value, where);
}

/** A selection with the plan it belongs to, as the coverage rules use it. */
export interface SelectionInForce extends BackupSelection {
  /** The plan's name, or its id when the plan is not in the inventory. */
  readonly planName?: string;
}

/** A selection that applies (`in`) or may apply (`unknown`) where a resource lives. */
export interface ScopedSelection extends SelectionInForce {
  readonly scope: 'in' | 'unknown';
}

/** The selections that apply or may apply in an account and Region. */
export function scoped(selections: readonly SelectionInForce[], item: ConfigurationItem): ScopedSelection[] {
  const out: ScopedSelection[] = [];
  for (const selection of selections) {
    const scope = scopeOf(selection, item);
    if (scope !== 'out') out.push({ ...selection, scope });
  }
  return out;
}

/**
 * The selections that currently assign resources: those with their tag conditions (from
 * GetBackupSelection or a file), then those known only from Config items (unless the former are
 * complete), minus selections of a deleted plan. A selection applies in its plan's account and Region;
 * when the plan is not in the inventory, its Region stays unknown (see `scopeOf`).
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
  if (inventory.backupSelectionsComplete) return out;
  for (const item of inventory.ofType('AWS::Backup::BackupSelection')) {
    if (isGone(item)) continue;
    const selection =
      item.configuration === null
        ? {
            ...unreadable(item.resourceName ?? item.resourceId, 'its Config item records no configuration', `${item.resourceType} ${item.resourceId}`),
            selectionId: item.resourceId,
            accountId: item.accountId,
            region: item.awsRegion,
          }
        : selectionFromItem(item);
    if (selection.selectionId !== undefined && complete.has(selection.selectionId)) continue;
    add(selection);
  }
  return out;
}

/**
 * Where a selection applies relative to a resource: `in` its account and Region, `out` of them, or
 * `unknown` (its plan, hence its Region or account, is not known).
 */
export function scopeOf(selection: BackupSelection, item: ConfigurationItem): 'in' | 'out' | 'unknown' {
  if ((selection.accountId !== undefined && selection.accountId !== item.accountId) || (selection.region !== undefined && selection.region !== item.awsRegion))
    return 'out';
  return selection.accountId === undefined || selection.region === undefined ? 'unknown' : 'in';
}

/** What the selections say about one resource (and the resources whose backups include it). */
export type Coverage =
  | { readonly kind: 'selected'; readonly selection: ScopedSelection; readonly by: SelectedBy; readonly via: string }
  | { readonly kind: 'unknown'; readonly reason: string }
  | { readonly kind: 'none' };

function names(selections: readonly ScopedSelection[]): string {
  const shown = selections.slice(0, 3).map((s) => s.selectionName);
  return `${shown.join(', ')}${selections.length > 3 ? ` and ${selections.length - 3} more` : ''}`;
}

/**
 * Whether the selections that may apply to a resource back it up. Selected by a fully known selection
 * in scope: selected. Otherwise, any selection that might select it but cannot be checked (tag
 * conditions not recorded, unreadable, Region unknown) makes the answer unknown, and the reason names
 * them and what would settle it; else no selection covers it.
 */
export function coverage(selections: readonly ScopedSelection[], candidates: readonly (SelectableResource & { readonly via: string })[]): Coverage {
  const unreadable: ScopedSelection[] = [];
  const configOnly: ScopedSelection[] = [];
  const regionUnknown: ScopedSelection[] = [];
  for (const selection of selections) {
    const known = selection.problem === undefined && selection.tagConditionsKnown;
    if (selection.scope === 'in' && known) {
      for (const candidate of candidates) {
        const by = selectedBy(selection, candidate);
        if (by !== undefined) return { kind: 'selected', selection, by, via: candidate.via };
      }
      continue;
    }
    if (selection.problem !== undefined) {
      unreadable.push(selection);
      continue;
    }
    // NotResources is recorded even in Config items, and always wins: an excluded resource is not in doubt.
    if (candidates.every((candidate) => selection.notResources.some((pattern) => wildcardMatch(pattern, candidate.arn)))) continue;
    if (selection.scope === 'unknown') {
      if (!known || candidates.some((candidate) => selects(selection, candidate))) regionUnknown.push(selection);
    } else {
      configOnly.push(selection);
    }
  }
  const reasons = [
    ...unreadable.slice(0, 1).map((s) => `backup selection ${s.selectionName} could not be read (${s.problem ?? ''})`),
    ...(configOnly.length > 0
      ? [
          `backup selection${configOnly.length === 1 ? '' : 's'} ${names(configOnly)} ${configOnly.length === 1 ? 'is' : 'are'} known only from Config, which does not record tag conditions; pass --backup-selections (get-backup-selection output)`,
        ]
      : []),
    ...(regionUnknown.length > 0
      ? [
          `backup selection${regionUnknown.length === 1 ? '' : 's'} ${names(regionUnknown)} may select it, but ${regionUnknown.length === 1 ? 'its plan is' : 'their plans are'} not in the input, so the Region is unknown`,
        ]
      : []),
  ];
  return reasons.length > 0 ? { kind: 'unknown', reason: reasons.join('; ') } : { kind: 'none' };
}
