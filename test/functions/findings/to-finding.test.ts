import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { CATALOG, getRule } from '../../../rules/catalog.js';
import { HIPAA_CITATIONS } from '../../../rules/mapping.js';
import type { Evaluation } from '../../../rules/types.js';
import { FINDING_TYPE, findingId, LIMITS, PRODUCT_NAME, toFinding } from '../../../functions/findings/to-finding.js';
import { evaluate, NOW } from '../../helpers/rules.js';
import { deletedFrom, itemFrom, SAMPLE, sampleFiles, sampleJson } from '../../helpers/samples.js';

type Json = Record<string, unknown>;

/** Every finding in AWS's published samples (Security Hub User Guide, AWS CLI examples). */
const SAMPLES: { file: string; finding: Json }[] = sampleFiles('asff').flatMap((file) => {
  const doc = sampleJson(file);
  return (Array.isArray(doc) ? doc : [doc]).map((finding) => ({ file, finding: finding as Json }));
});
const CUSTOM = SAMPLES.filter((s) => String(s.finding.ProductArn).endsWith('/default'));

/**
 * Every top-level field of the SDK's AwsSecurityFinding. `satisfies` makes the compiler check the list
 * against the SDK type both ways, so a finding field we emit that is not in ASFF fails to compile here.
 */
const SDK_FIELDS = {
  SchemaVersion: true,
  Id: true,
  ProductArn: true,
  ProductName: true,
  CompanyName: true,
  Region: true,
  GeneratorId: true,
  AwsAccountId: true,
  Types: true,
  FirstObservedAt: true,
  LastObservedAt: true,
  CreatedAt: true,
  UpdatedAt: true,
  Severity: true,
  Confidence: true,
  Criticality: true,
  Title: true,
  Description: true,
  Remediation: true,
  SourceUrl: true,
  ProductFields: true,
  UserDefinedFields: true,
  Malware: true,
  Network: true,
  NetworkPath: true,
  Process: true,
  Threats: true,
  ThreatIntelIndicators: true,
  Resources: true,
  Compliance: true,
  VerificationState: true,
  WorkflowState: true,
  Workflow: true,
  RecordState: true,
  RelatedFindings: true,
  Note: true,
  Vulnerabilities: true,
  PatchSummary: true,
  Action: true,
  FindingProviderFields: true,
  Sample: true,
  GeneratorDetails: true,
  ProcessedAt: true,
  AwsAccountName: true,
  Detection: true,
} as const satisfies Record<keyof AwsSecurityFinding, true>;

/** Fields a provider must send (API model) plus the two the User Guide adds (docs/aws-semantics.md, "Security Hub findings"). */
const REQUIRED = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'CreatedAt',
  'UpdatedAt',
  'Title',
  'Description',
  'Resources',
  'Severity',
  'Types',
];
/** Fields Security Hub sets itself or that belong to customers (BatchUpdateFindings): a provider must not send them. */
const NOT_OURS = ['Region', 'Workflow', 'WorkflowState', 'Note', 'UserDefinedFields', 'VerificationState', 'ProcessedAt', 'Sample'];

const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const COMPLIANCE_STATUSES = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];
const RECORD_STATES = ['ACTIVE', 'ARCHIVED'];
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const PRODUCT_ARN = /^arn:(aws|aws-cn|aws-us-gov):securityhub:([a-z0-9-]+):(\d{12}):product\/(\d{12})\/default$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const LATER = new Date('2026-11-29T08:30:00.000Z');
const volume = getRule('ebs-volume-encrypted');

function failingVolume(): Evaluation {
  return evaluate('ebs-volume-encrypted', itemFrom(SAMPLE.volume, { configuration: { encrypted: false } }));
}

/** Keys of an object and of its nested objects, as dotted paths with array indices dropped. */
function paths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => paths(v, prefix));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    // ProductFields and Details.Other are free-form maps: their keys are data, not ASFF names.
    if (path === 'ProductFields' || path.endsWith('Details.Other')) return [path];
    return [path, ...paths(v, path)];
  });
}

function realFindings(): AwsSecurityFinding[] {
  return [
    toFinding(failingVolume(), volume, { now: LATER }),
    toFinding(evaluate('ebs-volume-encrypted', itemFrom(SAMPLE.volume)), volume, { now: LATER }),
    toFinding(evaluate('ebs-volume-encrypted', deletedFrom(SAMPLE.volume)), volume, { now: LATER }),
    toFinding(
      evaluate('rds-storage-encrypted', itemFrom(SAMPLE.dbInstance, { configuration: { storageEncrypted: false } })),
      getRule('rds-storage-encrypted'),
      { now: LATER },
    ),
    toFinding(evaluate('efs-filesystem-encrypted', itemFrom(SAMPLE.efs)), getRule('efs-filesystem-encrypted'), { now: LATER }),
    toFinding(evaluate('s3-bucket-encrypted', itemFrom(SAMPLE.bucketWithSse)), getRule('s3-bucket-encrypted'), { now: LATER }),
    toFinding(evaluate('dynamodb-table-encrypted', itemFrom(SAMPLE.table)), getRule('dynamodb-table-encrypted'), { now: LATER }),
  ];
}

describe('toFinding against AWS sample findings', () => {
  test('the samples are loaded (8 files, 2 custom-product findings)', () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(8);
    expect(CUSTOM).toHaveLength(2);
  });

  test('every top-level field is an ASFF field and none is one Security Hub or the customer owns', () => {
    for (const finding of realFindings()) {
      for (const key of Object.keys(finding)) expect(Object.hasOwn(SDK_FIELDS, key)).toBe(true);
      for (const key of NOT_OURS) expect(finding).not.toHaveProperty(key);
    }
  });

  test('every nested field name also appears in an AWS sample finding (same spelling, same nesting)', () => {
    const known = new Set(SAMPLES.flatMap((s) => paths(s.finding)));
    // Not in the eight samples but in the SDK type (AwsSecurityFinding.SourceUrl, ResourceDetails.Other for type Other).
    const sdkOnly = new Set(['SourceUrl', 'Resources.Details', 'Resources.Details.Other']);
    for (const finding of realFindings()) {
      for (const path of paths(finding)) {
        if (sdkOnly.has(path)) continue;
        expect({ path, known: known.has(path) }).toEqual({ path, known: true });
      }
    }
  });

  test("required fields are present, SchemaVersion equals the samples'", () => {
    const versions = new Set(SAMPLES.map((s) => s.finding.SchemaVersion));
    expect([...versions]).toEqual(['2018-10-08']);
    for (const finding of realFindings()) {
      for (const key of REQUIRED) expect(finding[key as keyof AwsSecurityFinding]).toBeDefined();
      expect(finding.SchemaVersion).toBe('2018-10-08');
    }
  });

  test("ProductArn has the custom-product form of the samples, for the finding's own account", () => {
    for (const sample of CUSTOM) expect(String(sample.finding.ProductArn)).toMatch(PRODUCT_ARN);
    const finding = toFinding(failingVolume(), volume, { now: LATER });
    expect(finding.ProductArn).toBe('arn:aws:securityhub:us-east-1:264683526309:product/264683526309/default');
    const [, , , account, productAccount] = PRODUCT_ARN.exec(finding.ProductArn ?? '') ?? [];
    expect(account).toBe(finding.AwsAccountId);
    expect(productAccount).toBe(finding.AwsAccountId);
  });

  test('enums take values the samples and the API allow', () => {
    for (const sample of SAMPLES) {
      const s = sample.finding as {
        Severity?: { Label: string };
        FindingProviderFields?: { Severity?: { Label: string } };
        Compliance?: { Status: string };
        RecordState?: string;
      };
      // The CLI sample sends Severity only inside FindingProviderFields.
      expect(SEVERITY_LABELS).toContain(s.Severity?.Label ?? s.FindingProviderFields?.Severity?.Label);
      if (s.Compliance) expect(COMPLIANCE_STATUSES).toContain(s.Compliance.Status);
      if (s.RecordState) expect(RECORD_STATES).toContain(s.RecordState);
    }
    for (const finding of realFindings()) {
      expect(SEVERITY_LABELS).toContain(finding.Severity?.Label);
      expect(SEVERITY_LABELS).toContain(finding.FindingProviderFields?.Severity?.Label);
      expect(COMPLIANCE_STATUSES).toContain(finding.Compliance?.Status);
      expect(RECORD_STATES).toContain(finding.RecordState);
      for (const resource of finding.Resources ?? []) expect(PARTITIONS).toContain(resource.Partition);
    }
  });

  test('lengths stay within ASFF limits', () => {
    for (const finding of realFindings()) {
      expect(finding.Id?.length).toBeLessThanOrEqual(LIMITS.id);
      expect(finding.GeneratorId?.length).toBeLessThanOrEqual(LIMITS.generatorId);
      expect(finding.Title?.length).toBeGreaterThan(0);
      expect(finding.Title?.length).toBeLessThanOrEqual(256);
      expect(finding.Description?.length).toBeGreaterThan(0);
      expect(finding.Description?.length).toBeLessThanOrEqual(1024);
      expect(finding.Remediation?.Recommendation?.Text?.length).toBeLessThanOrEqual(512);
      expect(finding.AwsAccountId).toMatch(/^\d{12}$/);
      expect(finding.Types?.length).toBeLessThanOrEqual(50);
      expect(finding.Resources?.length).toBeGreaterThanOrEqual(1);
      expect(finding.Resources?.length).toBeLessThanOrEqual(32);
      const fields = Object.entries(finding.ProductFields ?? {});
      expect(fields.length).toBeLessThanOrEqual(50);
      for (const [key, value] of fields) {
        expect(key.length).toBeLessThanOrEqual(128);
        expect(value.length).toBeLessThanOrEqual(2048);
      }
      expect(finding.Severity?.Original?.length).toBeLessThanOrEqual(64);
    }
  });

  test("timestamps are ISO-8601 UTC like the samples', CreatedAt ≤ UpdatedAt, observed times ≤ UpdatedAt", () => {
    for (const sample of SAMPLES) expect(String(sample.finding.UpdatedAt)).toMatch(ISO);
    for (const finding of realFindings()) {
      for (const key of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt'] as const) expect(finding[key]).toMatch(ISO);
      expect(Date.parse(finding.CreatedAt ?? '')).toBeLessThanOrEqual(Date.parse(finding.UpdatedAt ?? ''));
      expect(Date.parse(finding.LastObservedAt ?? '')).toBeLessThanOrEqual(Date.parse(finding.UpdatedAt ?? ''));
    }
  });

  test('Types sit under the samples\' "Industry and Regulatory Standards" category, also in FindingProviderFields', () => {
    const standardTypes = SAMPLES.flatMap((s) => ((s.finding.Types ?? []) as string[]).filter((t) => t.includes('Industry and Regulatory Standards')));
    expect(standardTypes.length).toBeGreaterThan(0);
    const finding = toFinding(failingVolume(), volume, { now: LATER });
    expect(finding.Types).toEqual(['Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls']);
    expect(FINDING_TYPE.startsWith('Software and Configuration Checks/Industry and Regulatory Standards/')).toBe(true);
    expect(finding.FindingProviderFields).toEqual({ Severity: finding.Severity, Types: finding.Types });
  });
});

describe('toFinding field by field', () => {
  test('a failing EBS volume from the RDK sample CI', () => {
    const evaluation = failingVolume();
    const finding = toFinding(evaluation, volume, { now: LATER });
    expect(finding).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: 'ccm/264683526309/us-east-1/ebs-volume-encrypted/AWS::EC2::Volume/vol-a416b170',
      ProductName: PRODUCT_NAME,
      GeneratorId: 'ebs-volume-encrypted',
      AwsAccountId: '264683526309',
      CreatedAt: '2026-11-29T08:30:00.000Z',
      UpdatedAt: '2026-11-29T08:30:00.000Z',
      LastObservedAt: '2016-10-28T00:41:34.826Z',
      Severity: { Label: 'HIGH', Original: 'HIGH' },
      Title: 'EBS volumes are encrypted at rest: EBS volume vol-a416b170 fails',
      Resources: [{ Type: 'AwsEc2Volume', Id: 'arn:aws:ec2:us-east-1:264683526309:volume/vol-a416b170', Partition: 'aws', Region: 'us-east-1' }],
      Compliance: { Status: 'FAILED', RelatedRequirements: ['HIPAA Security Rule 164.312(a)(2)(iv)', 'HIPAA Security Rule 164.312(e)(2)(ii)'] },
      RecordState: 'ACTIVE',
      Remediation: { Recommendation: { Url: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html' } },
    });
    expect(finding.Description).toMatch(/^EBS volume is not encrypted \(encrypted = false\)\. Rule ebs-volume-encrypted: /);
    expect(finding.Description).toContain(`164.312(a)(2)(iv) (${HIPAA_CITATIONS['164.312(a)(2)(iv)']})`);
    expect(finding.Remediation?.Recommendation?.Text).toMatch(/^An existing volume cannot be encrypted in place.* 1\. Create a snapshot/);
    expect(finding.ProductFields).toMatchObject({
      ProviderName: 'Clinic Compliance Monitor',
      'ccm/RuleId': 'ebs-volume-encrypted',
      'ccm/ResourceType': 'AWS::EC2::Volume',
      'ccm/ResourceId': 'vol-a416b170',
      'ccm/ConfigCompliance': 'NON_COMPLIANT',
      'ccm/SecurityHubControls': 'EC2.3',
    });
    expect(finding.SourceUrl).toMatch(
      /^https:\/\/console\.aws\.amazon\.com\/config\/home\?region=us-east-1#\/resources\/details\?resourceId=vol-a416b170&resourceType=AWS%3A%3AEC2%3A%3AVolume$/,
    );
    expect(finding.Compliance).not.toHaveProperty('SecurityControlId');
  });

  test.each([
    ['COMPLIANT', false, 'PASSED', 'ACTIVE', 'INFORMATIONAL'],
    ['NON_COMPLIANT', false, 'FAILED', 'ACTIVE', 'HIGH'],
    ['INSUFFICIENT_DATA', false, 'NOT_AVAILABLE', 'ACTIVE', 'HIGH'],
    ['NON_COMPLIANT', true, 'NOT_AVAILABLE', 'ACTIVE', 'HIGH'],
    ['NOT_APPLICABLE', false, 'NOT_AVAILABLE', 'ARCHIVED', 'INFORMATIONAL'],
  ] as const)('%s (error %s) → Compliance.Status %s, RecordState %s, Severity %s', (compliance, error, status, record, label) => {
    const finding = toFinding({ ...failingVolume(), compliance, ...(error && { error }) }, volume, { now: LATER });
    expect(finding.Compliance?.Status).toBe(status);
    expect(finding.RecordState).toBe(record);
    expect(finding.Severity).toEqual({ Label: label, Original: 'HIGH' });
  });

  test("a deleted resource is archived, not deleted, with the engine's reason", () => {
    const finding = toFinding(evaluate('ebs-volume-encrypted', deletedFrom(SAMPLE.volume)), volume, { now: LATER });
    expect(finding).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'NOT_AVAILABLE' }, Title: expect.stringMatching(/no longer evaluated$/) });
    expect(finding.Description).toMatch(/^Resource is deleted \(ResourceDeleted\)\./);
  });

  test.each([
    ['AWS::EC2::Volume', 'vol-1', undefined, 'AwsEc2Volume', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1'],
    ['AWS::EC2::Instance', 'i-1', undefined, 'AwsEc2Instance', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1'],
    ['AWS::RDS::DBInstance', 'db-ABC', 'ehr-db', 'AwsRdsDbInstance', 'arn:aws:rds:us-east-1:111122223333:db:ehr-db'],
    ['AWS::RDS::DBInstance', 'db-ABC', undefined, 'AwsRdsDbInstance', 'db-ABC'],
    ['AWS::RDS::DBCluster', 'cluster-ABC', 'ehr', 'AwsRdsDbCluster', 'arn:aws:rds:us-east-1:111122223333:cluster:ehr'],
    ['AWS::S3::Bucket', 'ehr-exports', undefined, 'AwsS3Bucket', 'arn:aws:s3:::ehr-exports'],
    ['AWS::DynamoDB::Table', 'Visits', undefined, 'AwsDynamoDbTable', 'arn:aws:dynamodb:us-east-1:111122223333:table/Visits'],
    ['AWS::IAM::User', 'AIDAEXAMPLE', 'frontdesk', 'AwsIamUser', 'arn:aws:iam::111122223333:user/frontdesk'],
    ['AWS::::Account', '111122223333', undefined, 'AwsAccount', 'AWS::::Account:111122223333'],
    ['AWS::Backup::BackupPlan', 'plan-1', undefined, 'AwsBackupBackupPlan', 'arn:aws:backup:us-east-1:111122223333:backup-plan:plan-1'],
    [
      'AWS::Backup::RecoveryPoint',
      'arn:aws:backup:us-east-1:111122223333:recovery-point:RP1',
      undefined,
      'AwsBackupRecoveryPoint',
      'arn:aws:backup:us-east-1:111122223333:recovery-point:RP1',
    ],
    ['AWS::SSM::PatchCompliance', 'AWS::SSM::ManagedInstanceInventory/i-1', undefined, 'AwsSsmPatchCompliance', 'AWS::SSM::ManagedInstanceInventory/i-1'],
    ['AWS::EFS::FileSystem', 'fs-1', undefined, 'Other', 'arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-1'],
  ])('%s %s (name %s) → Resources[0] %s %s', (resourceType, resourceId, resourceName, type, id) => {
    const evaluation: Evaluation = {
      ...failingVolume(),
      resourceType,
      resourceId,
      ...(resourceName !== undefined && { resourceName }),
      accountId: '111122223333',
      region: resourceType === 'AWS::IAM::User' ? 'global' : 'us-east-1',
    };
    const [resource] = toFinding(evaluation, volume, { now: LATER }).Resources ?? [];
    expect(resource).toMatchObject({ Type: type, Id: id, Partition: 'aws', Region: 'us-east-1' });
    if (type === 'Other') expect(resource?.Details).toEqual({ Other: { ConfigResourceType: resourceType, ConfigResourceId: resourceId } });
    else expect(resource?.Details).toBeUndefined();
  });

  test('a known ARN (from the configuration item) wins over the constructed one', () => {
    const finding = toFinding(failingVolume(), volume, { now: LATER, resourceArn: 'arn:aws:ec2:us-east-1:264683526309:volume/vol-a416b170' });
    expect(finding.Resources?.[0]?.Id).toBe('arn:aws:ec2:us-east-1:264683526309:volume/vol-a416b170');
  });

  test('IAM users (Region global) go to the default global Region, or the one given', () => {
    const user: Evaluation = { ...failingVolume(), resourceType: 'AWS::IAM::User', resourceId: 'AIDA1', accountId: '111122223333', region: 'global' };
    expect(toFinding(user, volume, { now: LATER }).ProductArn).toBe('arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default');
    expect(toFinding(user, volume, { now: LATER, productRegion: 'eu-west-1' }).ProductArn).toBe(
      'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
    );
    expect(toFinding(user, volume, { now: LATER }).Id).toBe('ccm/111122223333/global/ebs-volume-encrypted/AWS::IAM::User/AIDA1');
  });

  test('partition follows the Region; China and GovCloud ARNs are built accordingly', () => {
    const cn = toFinding({ ...failingVolume(), region: 'cn-north-1' }, volume, { now: LATER });
    expect(cn.ProductArn).toBe('arn:aws-cn:securityhub:cn-north-1:264683526309:product/264683526309/default');
    expect(cn.Resources?.[0]).toMatchObject({ Partition: 'aws-cn', Id: 'arn:aws-cn:ec2:cn-north-1:264683526309:volume/vol-a416b170' });
    expect(toFinding({ ...failingVolume(), region: 'us-gov-west-1' }, volume, { now: LATER }).Resources?.[0]?.Partition).toBe('aws-us-gov');
  });

  test('another importing account becomes AwsAccountId and the product; the resource account stays in ProductFields', () => {
    const finding = toFinding(failingVolume(), volume, { now: LATER, productAccountId: '999988887777' });
    expect(finding.AwsAccountId).toBe('999988887777');
    expect(finding.ProductArn).toBe('arn:aws:securityhub:us-east-1:999988887777:product/999988887777/default');
    expect(finding.ProductFields?.['ccm/ResourceAccountId']).toBe('264683526309');
    expect(finding.Id).toBe(toFinding(failingVolume(), volume, { now: LATER }).Id);
  });

  test('the same evaluation always gives the same finding', () => {
    expect(toFinding(failingVolume(), volume, { now: LATER })).toEqual(toFinding(failingVolume(), volume, { now: LATER }));
  });

  test('a long id is cut to 512 characters with a SHA-256 tail: deterministic, and distinct per resource', () => {
    const base = { accountId: '111122223333', region: 'us-east-1', ruleId: 'ebs-volume-encrypted', resourceType: 'AWS::S3::Bucket' };
    const a = findingId({ ...base, resourceId: `${'x'.repeat(600)}a` });
    const b = findingId({ ...base, resourceId: `${'x'.repeat(600)}b` });
    expect(a).toHaveLength(512);
    expect(a).toBe(findingId({ ...base, resourceId: `${'x'.repeat(600)}a` }));
    expect(a).not.toBe(b);
    expect(a).toMatch(/^ccm\/111122223333\/us-east-1\/ebs-volume-encrypted\/AWS::S3::Bucket\/x+~[0-9a-f]{64}$/);
  });

  test('UpdatedAt moves past the previous import; CreatedAt and FirstObservedAt are kept', () => {
    const previous = { CreatedAt: '2026-01-01T00:00:00.000Z', FirstObservedAt: '2015-12-31T00:00:00.000Z', UpdatedAt: '2026-11-29T08:30:00.000Z' };
    const finding = toFinding(failingVolume(), volume, { now: LATER, previous });
    expect(finding.UpdatedAt).toBe('2026-11-29T08:30:00.001Z');
    expect(finding.CreatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(finding.FirstObservedAt).toBe('2015-12-31T00:00:00.000Z');
    expect(toFinding(failingVolume(), volume, { now: new Date('2026-12-01T00:00:00Z'), previous }).UpdatedAt).toBe('2026-12-01T00:00:00.000Z');
  });

  test('Title and Description are cut to their limits; ProductField values to 2048', () => {
    const long = { ...failingVolume(), resourceId: `vol-${'9'.repeat(3000)}`, annotation: 'y'.repeat(256) };
    const finding = toFinding(long, volume, { now: LATER });
    expect(finding.Title).toHaveLength(256);
    expect(finding.Title?.endsWith('…')).toBe(true);
    expect(finding.Description?.length).toBeLessThanOrEqual(1024);
    expect(finding.ProductFields?.['ccm/ResourceId']).toHaveLength(2048);
  });

  test('every rule of the catalog, on each of its resource types, maps to a finding within ASFF limits', () => {
    for (const entry of CATALOG) {
      for (const resourceType of entry.resourceTypes) {
        const evaluation: Evaluation = {
          ...failingVolume(),
          ruleId: entry.id,
          resourceType,
          severity: entry.severity,
          hipaa: entry.hipaa,
          region: resourceType === 'AWS::IAM::User' ? 'global' : 'us-east-1',
        };
        const finding = toFinding(evaluation, entry, { now: LATER });
        expect(finding.GeneratorId).toBe(entry.id);
        expect(finding.Resources?.[0]?.Type).not.toBe('');
        expect(finding.Title?.length).toBeLessThanOrEqual(256);
        expect(finding.Description?.length).toBeLessThanOrEqual(1024);
        expect(finding.Remediation?.Recommendation?.Text?.length).toBeLessThanOrEqual(512);
        expect(finding.Compliance?.RelatedRequirements).toEqual(entry.hipaa.map((c) => `HIPAA Security Rule ${c}`));
      }
    }
  });

  test('bad input is rejected naming the field', () => {
    expect(() => toFinding({ ...failingVolume(), accountId: 'xxxx' }, volume, { now: LATER })).toThrow(/evaluation\.accountId/);
    expect(() => toFinding(failingVolume(), getRule('s3-bucket-encrypted'), { now: LATER })).toThrow(/catalog entry s3-bucket-encrypted/);
  });

  test('NOW is not used by the mapper: the same input at another time changes only UpdatedAt and CreatedAt', () => {
    const a = toFinding(failingVolume(), volume, { now: NOW });
    const b = toFinding(failingVolume(), volume, { now: LATER });
    expect({ ...a, UpdatedAt: '', CreatedAt: '' }).toEqual({ ...b, UpdatedAt: '', CreatedAt: '' });
  });
});
