import { evaluationOf, expectBadParameter, expectValidAnnotations, NOW, runInventoryRule } from '../../helpers/rules.js';
import { deletedFrom, itemFrom, SAMPLE, SHAPED, type ConfigurationItem } from '../../helpers/samples.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

type Json = Record<string, unknown>;
const ACCOUNT = '123456789012';
const VOLUME_ID = 'vol-0a1b2c3d4e5f60001';
const VOLUME_ARN = `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/${VOLUME_ID}`;
const INSTANCE_ID = 'i-0a1b2c3d4e5f60009';
const HOUR = 3_600_000;

/** The volume the shaped recovery point backs up (the RDK volume sample, re-identified). */
function volume(top: Json = {}, attachedTo?: string): ConfigurationItem {
  return itemFrom(SAMPLE.volume, {
    configuration: { volumeId: VOLUME_ID, attachments: attachedTo ? [{ volumeId: VOLUME_ID, instanceId: attachedTo, state: 'attached' }] : [] },
    top: { resourceId: VOLUME_ID, accountId: ACCOUNT, arn: VOLUME_ARN, relationships: [], ...top },
  });
}

function instance(state: string): ConfigurationItem {
  return itemFrom(SAMPLE.instance, {
    configuration: { instanceId: INSTANCE_ID, state: { code: state === 'running' ? 16 : 80, name: state } },
    top: { resourceId: INSTANCE_ID, accountId: ACCOUNT, arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${INSTANCE_ID}` },
  });
}

/** The shaped recovery point (of the volume, COMPLETED, created 2026-11-27T05:00Z: 31 hours before NOW) with changes. */
function recoveryPoint(configuration: Json = {}, top: Json = {}): ConfigurationItem {
  return itemFrom(SHAPED.recoveryPoint, { configuration, top });
}

const hoursBeforeNow = (hours: number) => new Date(NOW.getTime() - hours * HOUR).toISOString();

function run(items: ConfigurationItem[], params: Record<string, unknown> = {}) {
  const evaluations = runInventoryRule('resource-recent-recovery-point', items, { params });
  expectValidAnnotations(evaluations);
  return evaluations;
}

describe('resource-recent-recovery-point', () => {
  test('a completed recovery point within maxAgeHours is COMPLIANT, saying when', () => {
    expect(evaluationOf(run([volume(), recoveryPoint({ CreationDate: hoursBeforeNow(7) })]), VOLUME_ID)).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: 'Newest successful recovery point (COMPLETED) was created 7 hours ago (2026-11-28T05:00:00.000Z).',
    });
  });

  test('the shaped recovery point, 31 hours old, fails the default 26 hours and passes 48', () => {
    expect(evaluationOf(run([volume(), recoveryPoint()]), VOLUME_ID)).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'Newest successful recovery point (COMPLETED) was created 31 hours ago (2026-11-27T05:00:00.000Z); maxAgeHours is 26.',
    });
    expect(evaluationOf(run([volume(), recoveryPoint()], { maxAgeHours: '48' }), VOLUME_ID).compliance).toBe('COMPLIANT');
  });

  test('the newest of several completed recovery points counts', () => {
    const older = recoveryPoint({ CreationDate: hoursBeforeNow(50) }, { resourceId: 'rp-older' });
    const newer = recoveryPoint({ CreationDate: hoursBeforeNow(2) }, { resourceId: 'rp-newer' });
    expect(evaluationOf(run([volume(), older, newer]), VOLUME_ID).compliance).toBe('COMPLIANT');
  });

  describe('every recovery point Status AWS Backup documents (issue 10, case 4)', () => {
    test.each([
      ['COMPLETED', 'COMPLIANT'],
      ['AVAILABLE', 'COMPLIANT'],
      ['PARTIAL', 'NON_COMPLIANT'],
      ['DELETING', 'NON_COMPLIANT'],
      ['EXPIRED', 'NON_COMPLIANT'],
      ['STOPPED', 'NON_COMPLIANT'],
      ['CREATING', 'NON_COMPLIANT'],
    ])('a recovery point 3 hours old with Status %s: %s', (status, compliance) => {
      const result = evaluationOf(run([volume(), recoveryPoint({ Status: status, CreationDate: hoursBeforeNow(3) })]), VOLUME_ID);
      expect(result.compliance).toBe(compliance);
      expect(result.annotation).toContain(
        compliance === 'COMPLIANT'
          ? `Newest successful recovery point (${status}) was created 3 hours ago`
          : `the newest recovery point is ${status} (2026-11-28T09:00:00.000Z)`,
      );
    });

    test.each([
      [
        '"FAILED"',
        'FAILED',
        /configuration\.Status is "FAILED", not one of the values AWS documents \(COMPLETED, PARTIAL, DELETING, EXPIRED, AVAILABLE, STOPPED, CREATING\)/,
      ],
      ['missing', null, /configuration\.Status is missing/],
      ['a number', 3, /configuration\.Status is not a string \(3\)/],
    ])('a Status %s could not be read: the resource could not be evaluated, naming the point and value (issue 11)', (_name, status, message) => {
      const result = evaluationOf(run([volume(), recoveryPoint({ Status: status, CreationDate: hoursBeforeNow(3) })]), VOLUME_ID);
      expect(result).toMatchObject({ compliance: 'INSUFFICIENT_DATA', error: true });
      expect(result.annotation).toMatch(message);
    });

    test('an unreadable point does not matter when a readable recent one exists', () => {
      const good = recoveryPoint({ CreationDate: hoursBeforeNow(2) }, { resourceId: 'rp-good' });
      const bad = recoveryPoint({ Status: 'FAILED' }, { resourceId: 'rp-bad' });
      expect(evaluationOf(run([volume(), good, bad]), VOLUME_ID).compliance).toBe('COMPLIANT');
    });

    test('a CreationDate that is not a date could not be read', () => {
      expect(evaluationOf(run([volume(), recoveryPoint({ CreationDate: 'yesterday' })]), VOLUME_ID)).toMatchObject({
        compliance: 'INSUFFICIENT_DATA',
        annotation: expect.stringMatching(/CreationDate is not a date \("yesterday"\)/),
      });
    });
  });

  describe('continuous backup (point-in-time recovery)', () => {
    const DB_ARN = 'arn:aws:rds:us-east-1:123456789012:db:ehr-primary';
    const database = () =>
      itemFrom(SAMPLE.dbInstance, {
        configuration: { dBInstanceIdentifier: 'ehr-primary' },
        top: { resourceId: 'db-EHRPRIMARY', resourceName: 'ehr-primary', accountId: ACCOUNT, arn: DB_ARN },
      });
    const continuousPoint = (status: string, resourceArn = DB_ARN, resourceType = 'RDS') => {
      const arn = `arn:aws:backup:us-east-1:${ACCOUNT}:recovery-point:continuous:db-ehrprimary-1a2b3c4d`;
      return recoveryPoint(
        { RecoveryPointArn: arn, ResourceArn: resourceArn, ResourceType: resourceType, Status: status, CreationDate: '2026-09-01T05:00:00.000Z' },
        { arn, resourceId: arn },
      );
    };

    test('one continuous point created months ago, kept updated by AWS Backup, is a current backup', () => {
      expect(evaluationOf(run([database(), continuousPoint('COMPLETED')]), 'db-EHRPRIMARY')).toMatchObject({
        compliance: 'COMPLIANT',
        annotation: 'Continuous backup is running: its point-in-time recovery point is COMPLETED.',
      });
    });

    test('a STOPPED continuous backup is not a backup', () => {
      expect(evaluationOf(run([database(), continuousPoint('STOPPED')]), 'db-EHRPRIMARY')).toMatchObject({
        compliance: 'NON_COMPLIANT',
        annotation: expect.stringMatching(/the continuous backup is STOPPED/),
      });
    });

    test('a "continuous" ARN for an EBS volume is judged as a snapshot: AWS Backup has no continuous backup for EBS', () => {
      expect(evaluationOf(run([volume(), continuousPoint('COMPLETED', VOLUME_ARN, 'EBS')]), VOLUME_ID)).toMatchObject({
        compliance: 'NON_COMPLIANT',
        annotation: expect.stringMatching(/created 2119 hours ago \(2026-09-01T05:00:00.000Z\); maxAgeHours is 26/),
      });
    });
  });

  test('a resource without any recovery point is NON_COMPLIANT', () => {
    expect(run([volume()])[0]).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'No successful recovery point (COMPLETED or AVAILABLE AWS::Backup::RecoveryPoint) of this resource was found.',
    });
  });

  test('cluster members and read replicas are NOT_APPLICABLE, judged through their cluster or source (as in rds-backup-retention)', () => {
    const member = itemFrom(SAMPLE.dbInstance, { configuration: { dBClusterIdentifier: 'reporting-aurora' } });
    const replica = itemFrom(SAMPLE.dbInstance, { configuration: { readReplicaSourceDBInstanceIdentifier: 'ehr-primary' }, top: { resourceId: 'db-REPLICA' } });
    const evaluations = run([member, replica]);
    expect(evaluationOf(evaluations, member.resourceId)).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: expect.stringMatching(/belongs to cluster reporting-aurora/),
    });
    expect(evaluationOf(evaluations, 'db-REPLICA')).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: expect.stringMatching(/read replica of ehr-primary/),
    });
  });

  test('a resource younger than maxAgeHours without a backup yet is NOT_APPLICABLE', () => {
    expect(run([volume({ resourceCreationTime: hoursBeforeNow(3) })])[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Resource was created 3 hours ago; its first backup is not due yet (maxAgeHours 26).',
    });
  });

  test('a recovery point of the attached instance counts for the volume', () => {
    const instancePoint = recoveryPoint({
      ResourceArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${INSTANCE_ID}`,
      ResourceType: 'EC2',
      CreationDate: hoursBeforeNow(10),
    });
    const evaluations = run([instance('running'), volume({}, INSTANCE_ID), instancePoint]);
    expect(evaluationOf(evaluations, VOLUME_ID)).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: `Newest successful recovery point (COMPLETED, of its attached instance ${INSTANCE_ID}) was created 10 hours ago (2026-11-28T02:00:00.000Z).`,
    });
    expect(evaluationOf(evaluations, INSTANCE_ID).compliance).toBe('COMPLIANT');
  });

  test('creation dates as epoch seconds (API over the wire) are read', () => {
    expect(evaluationOf(run([volume(), recoveryPoint({ CreationDate: (NOW.getTime() - 5 * HOUR) / 1000 })]), VOLUME_ID).compliance).toBe('COMPLIANT');
  });

  test('a stopped instance is NOT_APPLICABLE', () => {
    expect(run([instance('stopped')])[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'EC2 instance is stopped (state.name); only running instances are checked.',
    });
  });

  test('a deleted resource is NOT_APPLICABLE, and a deleted recovery point proves nothing', () => {
    expect(run([deletedFrom(SAMPLE.dbInstance)])[0]).toMatchObject({ compliance: 'NOT_APPLICABLE', annotation: 'Resource is deleted (ResourceDeleted).' });
    const gone = itemFrom(SHAPED.recoveryPoint, { top: { configurationItemStatus: 'ResourceDeleted', configuration: null } });
    expect(evaluationOf(run([volume(), gone]), VOLUME_ID).compliance).toBe('NON_COMPLIANT');
  });

  test('types left out of resourceTypes are NOT_APPLICABLE', () => {
    expect(run([volume()], { resourceTypes: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'] })[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: expect.stringMatching(/^Not checked/),
    });
  });

  test('an exempted resource is NOT_APPLICABLE with the reason', () => {
    expect(run([volume({ tags: { 'compliance:exempt': 'restored copy for a records request until=2026-12-15' } })])[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Exempt (compliance:exempt until 2026-12-15): restored copy for a records request',
    });
  });

  test.each([
    [{ maxAgeHours: 0 }, /maxAgeHours = 0 is invalid: must be at least 1/],
    [{ maxAgeHours: 'daily' }, /maxAgeHours = "daily" is invalid: expected a whole number/],
    [{ resourceTypes: ['AWS::EC2::Volume', 'AWS::Lambda::Function'] }, /resourceTypes = .* is invalid \(item 1\)/],
  ])('a bad parameter %j is rejected naming it', (params, message) => {
    expectBadParameter('resource-recent-recovery-point', params, message);
  });
});

testOnExampleClinic(
  'resource-recent-recovery-point',
  'the unprotected resources have no recovery point, scanned-documents and the pacs volume only one 31 hours old; old-reporting and its disk are exempt; the Aurora member is judged through its cluster',
  {
    COMPLIANT: [
      'appointment-reminders',
      'cluster-REPORTING4H5J6K7L8M9N0P (reporting-aurora)',
      'db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9 (ehr-primary)',
      'i-0a11e4c5d6e7f8001',
      'i-0a11e4c5d6e7f8002',
      'i-0a11e4c5d6e7f8004',
      'vol-0a11e4c5d6e7f8101',
      'vol-0a11e4c5d6e7f8102',
      'vol-0a11e4c5d6e7f8104',
    ],
    NON_COMPLIANT: [
      'db-BILLINGLEGACY1A2B3C4D5E6F7G (billing-legacy)',
      'fs-0c1a2b3c4d5e6f701',
      'fs-0c1a2b3c4d5e6f702',
      'i-0a11e4c5d6e7f8003',
      'portal-sessions',
      'vol-0a11e4c5d6e7f8103',
      'vol-0a11e4c5d6e7f8106',
    ],
    NOT_APPLICABLE: ['db-REPORTINGINST1Q2W3E4R5T6Y7 (reporting-aurora-instance-1)', 'i-0a11e4c5d6e7f8005', 'vol-0a11e4c5d6e7f8105'],
  },
);
