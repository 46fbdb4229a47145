/**
 * The event AWS Config sends a custom-rule Lambda (docs/aws-semantics.md, "Config rule events"): `invokingEvent` and
 * `ruleParameters` arrive as JSON strings; `ruleParameters` may be "" or absent.
 */
import * as z from 'zod/mini';
import { parseAwsJson } from '../../rules/json.js';

export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

const nonEmpty = () => z.string().check(z.minLength(1));

const configRuleEventSchema = () =>
  z.object({
    invokingEvent: z.string(),
    ruleParameters: z.optional(z.nullable(z.string())),
    resultToken: nonEmpty(),
    eventLeftScope: z._default(z.optional(z.boolean()), false),
    executionRoleArn: z.optional(z.string()),
    configRuleArn: z.optional(z.string()),
    configRuleName: nonEmpty(),
    configRuleId: z.optional(z.string()),
    accountId: nonEmpty(),
    version: z.optional(z.string()),
    evaluationMode: z.optional(z.string()),
  });

export type ConfigRuleEvent = z.infer<ReturnType<typeof configRuleEventSchema>>;

export const MESSAGE_TYPES = ['ConfigurationItemChangeNotification', 'OversizedConfigurationItemChangeNotification', 'ScheduledNotification'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

const invokingEventSchema = () =>
  z.discriminatedUnion('messageType', [
    z.object({
      messageType: z.literal('ConfigurationItemChangeNotification'),
      configurationItem: z.record(z.string(), z.unknown()),
      notificationCreationTime: z.optional(z.string()),
    }),
    z.object({
      messageType: z.literal('OversizedConfigurationItemChangeNotification'),
      configurationItemSummary: z.object({
        resourceType: z.string(),
        resourceId: z.string(),
        configurationItemCaptureTime: z.string(),
        configurationItemStatus: z.optional(z.string()),
        awsAccountId: z.optional(z.string()),
        awsRegion: z.optional(z.string()),
      }),
      notificationCreationTime: z.optional(z.string()),
    }),
    z.object({
      messageType: z.literal('ScheduledNotification'),
      awsAccountId: z.optional(z.string()),
      notificationCreationTime: z.optional(z.string()),
    }),
  ]);

export type InvokingEvent = z.infer<ReturnType<typeof invokingEventSchema>>;

/** Built on first use, not at import: a Lambda cold start pays for what it runs. */
let schemas: { event: ReturnType<typeof configRuleEventSchema>; invoking: ReturnType<typeof invokingEventSchema> } | undefined;

export interface ParsedConfigEvent {
  readonly event: ConfigRuleEvent;
  readonly invoking: InvokingEvent;
  readonly ruleParameters: Readonly<Record<string, unknown>>;
}

function issues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`).join('; ');
}

function parseJson(text: string, field: string): unknown {
  try {
    return parseAwsJson(text);
  } catch (error) {
    throw new InvalidEventError(`${field} is not valid JSON: ${(error as Error).message}`);
  }
}

export function parseConfigEvent(raw: unknown): ParsedConfigEvent {
  schemas ??= { event: configRuleEventSchema(), invoking: invokingEventSchema() };
  const event = schemas.event.safeParse(raw);
  if (!event.success) throw new InvalidEventError(`not an AWS Config rule event: ${issues(event.error)}`);
  const invokingRaw = parseJson(event.data.invokingEvent, 'invokingEvent');
  const messageType = (invokingRaw as { messageType?: unknown } | null)?.messageType;
  if (typeof messageType !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(messageType)) {
    throw new InvalidEventError(`invokingEvent.messageType ${JSON.stringify(messageType)} is not one of ${MESSAGE_TYPES.join(', ')}`);
  }
  const invoking = schemas.invoking.safeParse(invokingRaw);
  if (!invoking.success) throw new InvalidEventError(`invokingEvent (${messageType}) is malformed: ${issues(invoking.error)}`);
  const parametersText = event.data.ruleParameters ?? '';
  const parameters = parametersText.trim() === '' ? {} : parseJson(parametersText, 'ruleParameters');
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new InvalidEventError('ruleParameters must be a JSON object of name: value');
  }
  return { event: event.data, invoking: invoking.data, ruleParameters: parameters as Record<string, unknown> };
}
