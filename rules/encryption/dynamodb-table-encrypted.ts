import { optionalEnum, optionalString, path, RuleInputError } from '../fields.js';
import { booleanParam } from '../params.js';
import { defineItemRule } from '../types.js';
import { compliant, nonCompliant } from '../verdicts.js';
import { kmsKeyArnsParam, keyVerdict } from './kms.js';

/**
 * DynamoDB always encrypts at rest; the question is with which key. Without `ssedescription` (or
 * with it DISABLED) a table uses an AWS owned key: COMPLIANT by default, as AWS's
 * DYNAMODB_TABLE_ENCRYPTION_ENABLED, NON_COMPLIANT with `requireKms` or a `kmsKeyArns` allow-list,
 * as DYNAMODB_TABLE_ENCRYPTED_KMS.
 */
/** SSEDescription.Status values of the DynamoDB API. */
const SSE_STATUSES = ['ENABLING', 'ENABLED', 'DISABLING', 'DISABLED', 'UPDATING'] as const;

export const dynamodbTableEncrypted = defineItemRule({
  id: 'dynamodb-table-encrypted',
  title: 'DynamoDB tables are encrypted at rest with an acceptable key',
  area: 'encryption',
  description:
    'COMPLIANT when the table is encrypted; with requireKms, only a KMS key (AWS managed or customer managed) counts, and with kmsKeyArns only those keys.',
  resourceTypes: ['AWS::DynamoDB::Table'],
  trigger: 'change',
  severity: 'MEDIUM',
  hipaa: ['164.312(a)(2)(iv)'],
  awsManagedRule: 'DYNAMODB_TABLE_ENCRYPTED_KMS',
  securityHubControls: [],
  parameters: {
    requireKms: booleanParam({ default: false, description: 'Require a KMS key; the AWS owned key (DynamoDB default) then fails.' }),
    kmsKeyArns: kmsKeyArnsParam,
  },
  remediation: {
    summary: 'Switch the table to a KMS key: the change is online and needs no downtime.',
    steps: [
      'Open the table in the DynamoDB console, Additional settings, Encryption, Manage encryption.',
      'Choose "Stored in your account, and owned and managed by you" and pick your KMS key (or the AWS managed key aws/dynamodb).',
      'Or run: aws dynamodb update-table --table-name <table> --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=<key-arn>',
    ],
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html',
  },
  evaluate(item, { requireKms, kmsKeyArns }) {
    const status = optionalEnum(item.configuration, 'ssedescription.status', SSE_STATUSES, { ignoreCase: true });
    // Config records ssedescription only for a table with SSE settings: present without a status, it cannot be read.
    const description = path(item.configuration, 'ssedescription');
    if (status === undefined && description !== undefined && description !== null && description !== '')
      throw new RuleInputError('configuration.ssedescription.status is missing');
    const usesKms = status !== undefined && status !== 'DISABLED' && status !== 'DISABLING';
    if (!usesKms) {
      if (requireKms || kmsKeyArns.length > 0) {
        return nonCompliant(`DynamoDB table is encrypted with an AWS owned key (ssedescription ${status ?? 'not set'}); a KMS key is required.`);
      }
      return compliant('DynamoDB table is encrypted with an AWS owned key (the DynamoDB default).');
    }
    const key = optionalString(item.configuration, 'ssedescription.kmsmasterKeyArn');
    if (path(item.configuration, 'ssedescription.inaccessibleEncryptionDateTime')) {
      return nonCompliant(`DynamoDB table KMS key ${key ?? ''} is inaccessible (ssedescription.inaccessibleEncryptionDateTime is set).`);
    }
    return keyVerdict('DynamoDB table', key, kmsKeyArns);
  },
});
