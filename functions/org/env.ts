/**
 * Org mode's environment, validated once at cold start. Org mode is on when MEMBER_ROLE_NAME is set
 * (the org stack sets it with CENTRAL_ACCOUNT_ID and HEALTH_TOPIC_ARN); the single-account stack sets
 * none of them, and then nothing org-related is built.
 */
import * as z from 'zod/mini';
import { partitionOf, type Partition } from '../shared/resources.js';
import { parseAccountOverrides, type AccountOverrides } from './overrides.js';

export interface OrgEnv {
  readonly memberRoleName: string;
  readonly centralAccountId: string;
  readonly healthTopicArn: string;
  readonly partition: Partition;
  readonly overrides: AccountOverrides;
}

const schema = z.object({
  MEMBER_ROLE_NAME: z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')),
  CENTRAL_ACCOUNT_ID: z.string({ error: 'is required in org mode' }).check(z.regex(/^\d{12}$/, 'must be a 12-digit account id')),
  HEALTH_TOPIC_ARN: z.string({ error: 'is required in org mode' }).check(z.regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN')),
  ACCOUNT_OVERRIDES: z.optional(z.string()),
  AWS_REGION: z.optional(z.string()),
});

export function loadOrgEnv(env: Readonly<Record<string, string | undefined>>): OrgEnv | undefined {
  if (env.MEMBER_ROLE_NAME === undefined || env.MEMBER_ROLE_NAME === '') return undefined;
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`org mode configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  const data = parsed.data;
  return {
    memberRoleName: data.MEMBER_ROLE_NAME,
    centralAccountId: data.CENTRAL_ACCOUNT_ID,
    healthTopicArn: data.HEALTH_TOPIC_ARN,
    partition: partitionOf(data.AWS_REGION ?? 'us-east-1'),
    overrides: parseAccountOverrides(data.ACCOUNT_OVERRIDES),
  };
}
