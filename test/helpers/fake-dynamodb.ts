/**
 * An in-memory DynamoDB table behind aws-sdk-client-mock, for the alert ledger: PutItem and DeleteItem
 * with ConditionExpression (attribute_not_exists, =, <>, <, <=, >, >=, AND, OR, NOT, parentheses; `#name`
 * and `:value` placeholders), ReturnValues ALL_OLD and ReturnValuesOnConditionCheckFailure ALL_OLD,
 * as the DynamoDB API reference describes them. Numbers compare as numbers, strings as strings.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  type AttributeValue,
  type DeleteItemCommandInput,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;

function tokenize(expression: string): string[] {
  return expression.match(/attribute_not_exists|attribute_exists|<>|<=|>=|[()=<>,]|[#:]?[A-Za-z_][\w]*/g) ?? [];
}

function scalar(value: AttributeValue | undefined): string | number | undefined {
  if (value === undefined) return undefined;
  if (value.N !== undefined) return Number(value.N);
  if (value.S !== undefined) return value.S;
  throw new Error('the fake table compares only N and S values');
}

/** Evaluates a condition expression against an item (undefined: no item). */
export function evaluateCondition(
  expression: string,
  item: Item | undefined,
  names: Record<string, string> = {},
  values: Record<string, AttributeValue> = {},
): boolean {
  const tokens = tokenize(expression);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token.toUpperCase() !== expected)) throw new Error(`bad condition ${expression} at ${String(token)}`);
    return token;
  };
  const attribute = (token: string) => (token.startsWith('#') ? (names[token] ?? token) : token);
  const operand = (token: string) => (token.startsWith(':') ? scalar(values[token]) : scalar(item?.[attribute(token)]));
  const primary = (): boolean => {
    const token = take();
    if (token.toUpperCase() === 'NOT') return !primary();
    if (token === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (token === 'attribute_not_exists' || token === 'attribute_exists') {
      take('(');
      const name = attribute(take());
      take(')');
      const exists = item !== undefined && item[name] !== undefined;
      return token === 'attribute_exists' ? exists : !exists;
    }
    const left = operand(token);
    const op = take();
    const right = operand(take());
    if (left === undefined || right === undefined) return op === '<>' && left !== right;
    switch (op) {
      case '=':
        return left === right;
      case '<>':
        return left !== right;
      case '<':
        return left < right;
      case '<=':
        return left <= right;
      case '>':
        return left > right;
      case '>=':
        return left >= right;
      default:
        throw new Error(`unknown operator ${op}`);
    }
  };
  const and = (): boolean => {
    let result = primary();
    while (peek()?.toUpperCase() === 'AND') {
      take();
      result = primary() && result;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (peek()?.toUpperCase() === 'OR') {
      take();
      result = and() || result;
    }
    return result;
  };
  const result = or();
  if (at !== tokens.length) throw new Error(`trailing tokens in ${expression}`);
  return result;
}

const mockDynamoDb = () => mockClient(DynamoDBClient);

export interface FakeTable {
  readonly items: Map<string, Item>;
  readonly mock: ReturnType<typeof mockDynamoDb>;
  reset(): void;
}

/** The table keyed by `hashKey`, behind a mock of every DynamoDBClient. */
export function fakeTable(hashKey = 'pk'): FakeTable {
  const items = new Map<string, Item>();
  const mock = mockDynamoDb();
  const keyOf = (item: Item | undefined) => {
    const key = item?.[hashKey]?.S;
    if (key === undefined) throw new Error(`item without its ${hashKey}`);
    return key;
  };
  const check = (input: PutItemCommandInput | DeleteItemCommandInput, old: Item | undefined) => {
    if (
      input.ConditionExpression === undefined ||
      evaluateCondition(input.ConditionExpression, old, input.ExpressionAttributeNames, input.ExpressionAttributeValues)
    )
      return;
    throw new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      ...(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old !== undefined && { Item: old }),
    });
  };
  const install = () => {
    mock.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
      const key = keyOf(input.Item);
      const old = items.get(key);
      check(input, old);
      items.set(key, structuredClone(input.Item ?? {}));
      return input.ReturnValues === 'ALL_OLD' && old !== undefined ? { Attributes: old } : {};
    });
    mock.on(DeleteItemCommand).callsFake((input: DeleteItemCommandInput) => {
      const key = keyOf(input.Key);
      const old = items.get(key);
      check(input, old);
      items.delete(key);
      return input.ReturnValues === 'ALL_OLD' && old !== undefined ? { Attributes: old } : {};
    });
  };
  install();
  return {
    items,
    mock,
    reset() {
      items.clear();
      mock.reset();
      install();
    },
  };
}
