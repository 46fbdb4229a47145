import { getRule } from '../../rules/catalog.js';
import { ParameterError, parseParameters } from '../../rules/params.js';
import { resolveRule } from '../../functions/evaluator/rule-parameters.js';
import { parseConfigEvent } from '../../functions/config/event.js';

const s3 = getRule('s3-bucket-encrypted');
const mfa = getRule('iam-user-console-mfa');

describe('parseParameters: defaults only for parameters that are absent', () => {
  test('absent parameters (or an absent set) take their defaults', () => {
    expect(parseParameters(s3.id, s3.parameters, {})).toEqual({ requireKms: false, kmsKeyArns: [] });
    expect(parseParameters(s3.id, s3.parameters, undefined)).toEqual({ requireKms: false, kmsKeyArns: [] });
  });

  test.each([
    [null, 'null'],
    ['', '""'],
    ['   ', '"   "'],
  ])('%j is refused naming rule, parameter, value and the default it would have hidden', (value, shown) => {
    const call = () => parseParameters(mfa.id, mfa.parameters, { gracePeriodHours: value });
    expect(call).toThrow(ParameterError);
    expect(call).toThrow(
      `iam-user-console-mfa: parameter gracePeriodHours = ${shown} is invalid: give a value, or leave the parameter out to use its default (0)`,
    );
  });

  test.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])('%s, found only on the prototype, is an unknown parameter', (name) => {
    // JSON.parse makes even "__proto__" an own property, as a --params file or Config's ruleParameters would.
    const raw = JSON.parse(`{"${name}": "true"}`) as Record<string, unknown>;
    expect(() => parseParameters(s3.id, s3.parameters, raw)).toThrow(
      `s3-bucket-encrypted: unknown parameter "${name}"; known parameters: requireKms, kmsKeyArns`,
    );
  });

  test('a rule without parameters refuses prototype names too', () => {
    expect(() =>
      parseParameters('root-account-mfa', getRule('root-account-mfa').parameters, JSON.parse('{"constructor": "x"}') as Record<string, unknown>),
    ).toThrow(/unknown parameter "constructor"; this rule takes no parameters/);
  });
});

describe("the Lambdas' ruleParameters", () => {
  const event = (ruleParameters: string) =>
    parseConfigEvent({
      invokingEvent: JSON.stringify({ messageType: 'ScheduledNotification', notificationCreationTime: '2026-11-28T12:00:00.000Z' }),
      ruleParameters,
      resultToken: 'TESTMODE',
      configRuleName: 'ccm-iam-user-console-mfa',
      accountId: '123456789012',
    }).ruleParameters;

  test.each(['toString', 'constructor', '__proto__'])('%s in ruleParameters fails the invocation naming it', (name) => {
    expect(() => resolveRule(event(`{"ruleId": "iam-user-console-mfa", "${name}": "1"}`))).toThrow(`iam-user-console-mfa: unknown parameter "${name}"`);
  });

  test('an empty value in ruleParameters is refused, not read as the default', () => {
    expect(() => resolveRule(event('{"ruleId": "iam-user-console-mfa", "gracePeriodHours": ""}'))).toThrow(/gracePeriodHours = "" is invalid: give a value/);
    expect(resolveRule(event('{"ruleId": "iam-user-console-mfa"}')).params).toEqual({ gracePeriodHours: 0 });
  });
});
