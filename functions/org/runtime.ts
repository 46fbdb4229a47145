/**
 * Builds org mode's router for a Lambda function from its environment. Only org-mode code reaches
 * this module, behind the entries' CCM_BUNDLE check, so single-account bundles never carry STS or SNS
 * for it.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { clientSettings } from '../shared/clients.js';
import { AccountRouter } from './account-router.js';
import type { OrgEnv } from './env.js';
import { MemberAccess } from './member-access.js';
import { MemberRoleAlarm } from './role-alarm.js';

export interface RuntimeRouterOptions<A> {
  readonly env: OrgEnv;
  /** The function, for CloudTrail session names and the alarm (e.g. change-evaluator). */
  readonly source: string;
  readonly own: A;
  readonly build: (credentials: AwsCredentialIdentity, accountId: string) => A;
  readonly warn?: (message: string, details: Record<string, unknown>) => void;
  readonly accountName?: (accountId: string) => Promise<string | undefined>;
}

export function createRuntimeRouter<A>(options: RuntimeRouterOptions<A>): AccountRouter<A> {
  const { env } = options;
  return new AccountRouter<A>({
    centralAccountId: env.centralAccountId,
    own: options.own,
    access: new MemberAccess({
      sts: () => new STSClient(clientSettings()),
      roleName: env.memberRoleName,
      partition: env.partition,
      sessionName: `ccm-${options.source}`,
    }),
    build: options.build,
    alarm: new MemberRoleAlarm({
      sns: () => new SNSClient(clientSettings()),
      topicArn: env.healthTopicArn,
      source: options.source,
      ...(options.warn && { warn: options.warn }),
    }),
    ...(options.accountName && { accountName: options.accountName }),
  });
}

/** Client settings on a member's credentials: the shared retry policy, the function's Region. */
export function memberClientSettings(credentials: AwsCredentialIdentity): ReturnType<typeof clientSettings> & { credentials: AwsCredentialIdentity } {
  return { ...clientSettings(), credentials };
}
