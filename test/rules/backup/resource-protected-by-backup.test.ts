import { BackupSelectionError, parseBackupSelections, parseLiveBackupSelections, type BackupSelection } from '../../../rules/backup/selection.js';
import { evaluationOf, expectBadParameter, expectValidAnnotations, runInventoryRule } from '../../helpers/rules.js';
import { deletedFrom, itemFrom, SAMPLE, SHAPED, sampleJson, type ConfigurationItem } from '../../helpers/samples.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

type Json = Record<string, unknown>;
const ACCOUNT = '123456789012';
const VOLUME_ID = 'vol-0a1b2c3d4e5f60001';
const INSTANCE_ID = 'i-0a1b2c3d4e5f60009';

/** The selection of get-backup-selection.json: volume by ARN, every RDS db but scratch-*, or tag backup=daily; not environment=test. */
const FILE_SELECTIONS = parseBackupSelections(sampleJson(SHAPED.getBackupSelection), 'selections.json');

function volume(top: Json = {}, attachedTo?: string): ConfigurationItem {
  return itemFrom(SAMPLE.volume, {
    configuration: { volumeId: VOLUME_ID, attachments: attachedTo ? [{ volumeId: VOLUME_ID, instanceId: attachedTo, state: 'attached' }] : [] },
    top: { resourceId: VOLUME_ID, accountId: ACCOUNT, arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/${VOLUME_ID}`, relationships: [], ...top },
  });
}

function database(name: string, tags: Record<string, string> = {}): ConfigurationItem {
  return itemFrom(SAMPLE.dbInstance, {
    configuration: { dBInstanceIdentifier: name },
    top: { resourceId: `db-${name.toUpperCase()}`, resourceName: name, accountId: ACCOUNT, arn: `arn:aws:rds:us-east-1:${ACCOUNT}:db:${name}`, tags },
  });
}

function instance(state: string, tags: Record<string, string> = {}): ConfigurationItem {
  return itemFrom(SAMPLE.instance, {
    configuration: { instanceId: INSTANCE_ID, state: { code: state === 'running' ? 16 : 80, name: state } },
    top: { resourceId: INSTANCE_ID, accountId: ACCOUNT, arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${INSTANCE_ID}`, tags },
  });
}

function run(items: ConfigurationItem[], selections: readonly BackupSelection[] = FILE_SELECTIONS, params: Record<string, unknown> = {}, complete = false) {
  const evaluations = runInventoryRule('resource-protected-by-backup', [itemFrom(SHAPED.backupPlan), ...items], {
    params,
    extras: { backupSelections: selections, backupSelectionsComplete: complete },
  });
  expectValidAnnotations(evaluations);
  return evaluations;
}

describe('resource-protected-by-backup', () => {
  test('a volume named in Resources is COMPLIANT, naming the selection and the plan', () => {
    expect(evaluationOf(run([volume()]), VOLUME_ID)).toMatchObject({
      resourceType: 'AWS::EC2::Volume',
      compliance: 'COMPLIANT',
      annotation: 'Selected by backup selection clinical-data of plan clinic-daily.',
    });
  });

  test('a database matched by the db:* wildcard is COMPLIANT; one in NotResources (scratch-*) is NON_COMPLIANT', () => {
    const evaluations = run([database('ehr-primary'), database('scratch-restore')]);
    expect(evaluationOf(evaluations, 'db-EHR-PRIMARY').compliance).toBe('COMPLIANT');
    expect(evaluationOf(evaluations, 'db-SCRATCH-RESTORE')).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'No backup selection covers this resource (1 selection in its account and Region checked).',
    });
  });

  test('a failing condition (environment=test) excludes a database the ARN would select', () => {
    expect(run([database('ehr-staging', { environment: 'test' })])[0]?.compliance).toBe('NON_COMPLIANT');
  });

  test('the EFS sample is selected only once it carries the ListOfTags tag', () => {
    expect(run([itemFrom(SAMPLE.efs)])[0]?.compliance).toBe('NON_COMPLIANT');
    expect(run([itemFrom(SAMPLE.efs, { top: { tags: { backup: 'daily' } } })])[0]?.compliance).toBe('COMPLIANT');
  });

  test('a volume is covered through the selected instance it is attached to (an instance backup includes its volumes)', () => {
    const evaluations = run([
      instance('running', { backup: 'daily' }),
      volume({ resourceId: 'vol-0ffffffffffffffff', arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0ffffffffffffffff` }, INSTANCE_ID),
    ]);
    expect(evaluationOf(evaluations, 'vol-0ffffffffffffffff')).toMatchObject({
      compliance: 'COMPLIANT',
      annotation: `Selected through its attached instance ${INSTANCE_ID} by backup selection clinical-data of plan clinic-daily (by tag: backed up while the Region's AWS Backup opt-in for EC2 is on).`,
    });
  });

  describe('cluster members and read replicas: judged through their cluster or source, the same way in all three backup rules (issue 10, case 7)', () => {
    const cluster = () => itemFrom(SAMPLE.dbCluster);
    const member = () =>
      itemFrom(SAMPLE.dbInstance, {
        configuration: { dBClusterIdentifier: 'test' },
        top: { accountId: ACCOUNT, awsRegion: 'us-east-2', arn: `arn:aws:rds:us-east-2:${ACCOUNT}:db:test-instance-1` },
      });
    const replica = () =>
      itemFrom(SAMPLE.dbInstance, {
        configuration: { readReplicaSourceDBInstanceIdentifier: 'test-primary' },
        top: { resourceId: 'db-REPLICA', accountId: ACCOUNT, awsRegion: 'us-east-2', arn: `arn:aws:rds:us-east-2:${ACCOUNT}:db:test-replica` },
      });
    // A selection of every DB instance: before, it credited the Aurora member through db:*, which AWS Backup never backs up on its own.
    const everything = parseBackupSelections(
      {
        BackupSelection: {
          SelectionName: 'rds',
          IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`,
          Resources: ['arn:aws:rds:*:*:db:*', 'arn:aws:rds:*:*:cluster:*'],
        },
      },
      'f',
      { region: 'us-east-2' },
    );

    test.each(['resource-protected-by-backup', 'resource-recent-recovery-point', 'rds-backup-retention'])(
      '%s: the Aurora member and the read replica are NOT_APPLICABLE, naming cluster and source',
      (ruleId) => {
        const evaluations = runInventoryRule(ruleId, [cluster(), member(), replica()], { extras: { backupSelections: everything } });
        expect(evaluationOf(evaluations, member().resourceId)).toMatchObject({
          compliance: 'NOT_APPLICABLE',
          annotation: expect.stringMatching(/^RDS instance belongs to cluster test \(dBClusterIdentifier\); its data is backed up with the cluster/),
        });
        expect(evaluationOf(evaluations, 'db-REPLICA')).toMatchObject({
          compliance: 'NOT_APPLICABLE',
          annotation: expect.stringMatching(/^RDS instance is a read replica of test-primary/),
        });
      },
    );

    test('the Aurora cluster itself is covered, saying that Aurora needs the service opt-in even when named explicitly', () => {
      expect(evaluationOf(run([cluster()], everything), 'cluster-test')).toMatchObject({
        compliance: 'COMPLIANT',
        annotation: "Selected by backup selection rds (named by ARN: backed up while the Region's AWS Backup opt-in for Aurora is on).",
      });
    });
  });

  test('a stopped instance is NOT_APPLICABLE', () => {
    expect(run([instance('stopped')])[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'EC2 instance is stopped (state.name); only running instances are checked.',
    });
  });

  test('a deleted volume is NOT_APPLICABLE, not dropped', () => {
    expect(run([deletedFrom(SAMPLE.volume)])).toEqual([
      expect.objectContaining({ resourceId: 'vol-a416b170', compliance: 'NOT_APPLICABLE', annotation: 'Resource is deleted (ResourceDeleted).' }),
    ]);
  });

  test('a selection covers resources of its own Region only, taken from its plan (issue 10, case 5)', () => {
    // A us-west-2 plan that selects every volume: before, a us-east-1 volume counted as covered.
    const westPlan = itemFrom(SHAPED.backupPlan, {
      top: { awsRegion: 'us-west-2', resourceId: 'plan-west', arn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-plan:plan-west` },
      configuration: { BackupPlanId: 'plan-west' },
    });
    const allVolumes = parseBackupSelections(
      {
        BackupSelection: { SelectionName: 'all-volumes', IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`, Resources: ['arn:aws:ec2:*:*:volume/*'] },
        BackupPlanId: 'plan-west',
        SelectionId: 'sel-west',
      },
      'f',
    );
    const evaluations = runInventoryRule('resource-protected-by-backup', [westPlan, volume()], { extras: { backupSelections: allVolumes } });
    expect(evaluationOf(evaluations, VOLUME_ID)).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: 'No backup selection covers this resource (0 selections in its account and Region checked).',
    });
    const westVolume = volume({ awsRegion: 'us-west-2', arn: `arn:aws:ec2:us-west-2:${ACCOUNT}:volume/${VOLUME_ID}` });
    expect(
      evaluationOf(runInventoryRule('resource-protected-by-backup', [westPlan, westVolume], { extras: { backupSelections: allVolumes } }), VOLUME_ID)
        .compliance,
    ).toBe('COMPLIANT');
  });

  test('a selection whose plan is not in the input has an unknown Region: coverage could not be evaluated, not assumed everywhere', () => {
    const orphan = parseBackupSelections(
      {
        BackupSelection: { SelectionName: 'all-volumes', IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`, Resources: ['arn:aws:ec2:*:*:volume/*'] },
        BackupPlanId: 'plan-elsewhere',
      },
      'f',
    );
    expect(evaluationOf(run([volume()], orphan), VOLUME_ID)).toMatchObject({
      compliance: 'INSUFFICIENT_DATA',
      error: true,
      annotation: expect.stringMatching(/backup selection all-volumes may select it, but its plan is not in the input, so the Region is unknown/),
    });
    // One that would not select the resource anyway changes nothing.
    const other = parseBackupSelections(
      {
        BackupSelection: { SelectionName: 'dbs', IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`, Resources: ['arn:aws:rds:*:*:db:*'] },
        BackupPlanId: 'plan-elsewhere',
      },
      'f',
    );
    expect(evaluationOf(run([volume()], other), VOLUME_ID).compliance).toBe('NON_COMPLIANT');
  });

  describe('selection shapes, as AWS Backup documents them (issue 11)', () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/backup`;
    const inPlan = (body: Record<string, unknown>) =>
      parseBackupSelections({ BackupSelection: { SelectionName: 'x', IamRoleArn: role, ...body }, BackupPlanId: '8a5f3c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b' }, 'f');

    test('SelectionName alone is not a selection AWS Backup can return (IamRoleArn is required): rejected, naming the field', () => {
      expect(() => parseBackupSelections([{ BackupSelection: { SelectionName: 'x' } }], 'selections.json')).toThrow(BackupSelectionError);
      expect(() => parseBackupSelections([{ BackupSelection: { SelectionName: 'x' } }], 'selections.json')).toThrow(
        /\[0\]\.BackupSelection\.IamRoleArn is missing; AWS Backup requires it in every selection/,
      );
    });

    test('only NotResources: every supported resource but those, while the service opt-in is on', () => {
      const selection = inPlan({ NotResources: [`arn:aws:rds:us-east-1:${ACCOUNT}:db:scratch-*`] });
      const evaluations = run([volume(), database('scratch-restore')], selection);
      expect(evaluationOf(evaluations, VOLUME_ID)).toMatchObject({
        compliance: 'COMPLIANT',
        annotation: "Selected by backup selection x of plan clinic-daily (as all resources: backed up while the Region's AWS Backup opt-in for EBS is on).",
      });
      expect(evaluationOf(evaluations, 'db-SCRATCH-RESTORE').compliance).toBe('NON_COMPLIANT');
    });

    test('only Conditions: the resources that meet them, and no others', () => {
      const selection = inPlan({ Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'daily' }] } });
      const evaluations = run([volume(), database('ehr-primary', { backup: 'daily' })], selection);
      expect(evaluationOf(evaluations, VOLUME_ID).compliance).toBe('NON_COMPLIANT');
      expect(evaluationOf(evaluations, 'db-EHR-PRIMARY').compliance).toBe('COMPLIANT');
    });

    test('a live GetBackupSelection response without Resources or ListOfTags selects all opted-in resources of its Region, and says so', () => {
      const live = parseLiveBackupSelections([{ BackupSelection: { SelectionName: 'everything', IamRoleArn: role } }], 'AWS Backup GetBackupSelection', {
        accountId: ACCOUNT,
        region: 'us-east-1',
      });
      expect(evaluationOf(run([volume()], live, {}, true), VOLUME_ID).annotation).toMatch(
        /as all resources: backed up while the Region's AWS Backup opt-in for EBS is on/,
      );
    });

    test('a live response AWS cannot return makes coverage in its Region unknown, and loses nothing else', () => {
      const live = parseLiveBackupSelections(
        [
          { BackupSelection: { SelectionName: 'broken' } },
          { BackupSelection: { SelectionName: 'dbs', IamRoleArn: role, Resources: ['arn:aws:rds:*:*:db:*'] } },
        ],
        'AWS Backup GetBackupSelection',
        { accountId: ACCOUNT, region: 'us-east-1' },
      );
      const evaluations = run([volume(), database('ehr-primary')], live, {}, true);
      expect(evaluationOf(evaluations, 'db-EHR-PRIMARY').compliance).toBe('COMPLIANT');
      expect(evaluationOf(evaluations, VOLUME_ID)).toMatchObject({
        compliance: 'INSUFFICIENT_DATA',
        annotation: expect.stringMatching(/backup selection broken could not be read \(\[0\]\.BackupSelection\.IamRoleArn is missing/),
      });
    });

    test('a Config item of a selection whose Resources has the wrong type is unreadable, never "select everything"', () => {
      const bad = itemFrom(SHAPED.backupSelection, { configuration: { BackupSelection: { SelectionName: 'odd', Resources: 5 } } });
      expect(evaluationOf(run([bad, volume()], []), VOLUME_ID)).toMatchObject({
        compliance: 'INSUFFICIENT_DATA',
        annotation: expect.stringMatching(/backup selection odd could not be read \(configuration\.BackupSelection\.Resources must be a list of strings/),
      });
    });

    test('a Config item of a selection that records no configuration is unreadable too', () => {
      const bare = itemFrom(SHAPED.backupSelection, { top: { configuration: null, configurationItemStatus: 'OK' } });
      expect(evaluationOf(run([bare, volume()], []), VOLUME_ID)).toMatchObject({
        compliance: 'INSUFFICIENT_DATA',
        annotation: expect.stringMatching(/records no configuration/),
      });
    });

    test('when the live selections are complete (deployed), the Config items of selections are not used', () => {
      expect(evaluationOf(run([itemFrom(SHAPED.backupSelection), volume()], [], {}, true), VOLUME_ID).compliance).toBe('NON_COMPLIANT');
    });
  });

  test('a plan item without BackupPlanId is found by its resource id (the plan id), so its selections keep their Region', () => {
    const plan = itemFrom(SHAPED.backupPlan, { configuration: { BackupPlanId: null } });
    expect(
      evaluationOf(runInventoryRule('resource-protected-by-backup', [plan, volume()], { extras: { backupSelections: FILE_SELECTIONS } }), VOLUME_ID).compliance,
    ).toBe('COMPLIANT');
  });

  test('selections of a deleted plan protect nothing', () => {
    const evaluations = runInventoryRule('resource-protected-by-backup', [deletedFrom(SHAPED.backupPlan), volume()], {
      extras: { backupSelections: FILE_SELECTIONS },
    });
    expect(evaluationOf(evaluations, VOLUME_ID)).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: expect.stringMatching(/\(0 selections in its account and Region checked\)/),
    });
  });

  test("a selection applies only in its plan's account and Region", () => {
    const elsewhere = volume({ accountId: '444455556666', arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/${VOLUME_ID}` });
    expect(run([elsewhere])[0]?.compliance).toBe('NON_COMPLIANT');
  });

  test('a selection known only from its Config item cannot prove coverage (its Conditions, ANDed with Resources, are not recorded): could not be evaluated, with the hint (issue 10, case 6)', () => {
    const evaluations = run([itemFrom(SHAPED.backupSelection), volume()], []);
    expect(evaluationOf(evaluations, VOLUME_ID)).toMatchObject({
      compliance: 'INSUFFICIENT_DATA',
      error: true,
      annotation:
        'Could not evaluate: backup selection clinical-data is known only from Config, which does not record tag conditions; pass --backup-selections (get-backup-selection output).',
    });
  });

  test('a tag-based selection known only from its Config item is not guessed at either way: could not be evaluated', () => {
    const tagOnly = itemFrom(SHAPED.backupSelection, {
      configuration: { BackupSelection: { SelectionName: 'tagged-daily', Resources: [], NotResources: [] } },
    });
    expect(evaluationOf(run([tagOnly, volume()], []), VOLUME_ID)).toMatchObject({
      compliance: 'INSUFFICIENT_DATA',
      annotation: expect.stringMatching(/backup selection tagged-daily is known only from Config/),
    });
  });

  test("a Config item's NotResources, which Config does record, still excludes for certain", () => {
    const excluded = database('scratch-restore');
    expect(evaluationOf(run([itemFrom(SHAPED.backupSelection), excluded], []), 'db-SCRATCH-RESTORE').compliance).toBe('NON_COMPLIANT');
  });

  test('get-backup-selection output replaces the Config item of the same selection', () => {
    const [file] = FILE_SELECTIONS;
    const tagsOnly = file === undefined ? [] : [{ ...file, resources: [] }];
    expect(evaluationOf(run([itemFrom(SHAPED.backupSelection), volume()], tagsOnly), VOLUME_ID).compliance).toBe('NON_COMPLIANT');
  });

  test('types left out of resourceTypes are NOT_APPLICABLE, not checked', () => {
    const evaluations = run([volume(), database('ehr-primary')], FILE_SELECTIONS, { resourceTypes: 'AWS::RDS::DBInstance' });
    expect(evaluationOf(evaluations, VOLUME_ID)).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Not checked: resourceTypes does not include AWS::EC2::Volume.',
    });
    expect(evaluationOf(evaluations, 'db-EHR-PRIMARY').compliance).toBe('COMPLIANT');
  });

  test('an exempted resource is NOT_APPLICABLE with the reason', () => {
    const exempt = volume({ tags: { 'compliance:exempt': 'scratch disk, rebuilt nightly from the image' } });
    expect(evaluationOf(run([exempt], []), VOLUME_ID)).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Exempt (compliance:exempt): scratch disk, rebuilt nightly from the image',
    });
  });

  test('an item without any ARN is an error for that resource only, never COMPLIANT', () => {
    const noArn = itemFrom(SAMPLE.table, { configuration: { tableArn: null }, top: { arn: null } });
    const evaluations = run([noArn, volume()]);
    expect(evaluationOf(evaluations, 'test')).toMatchObject({
      compliance: 'INSUFFICIENT_DATA',
      error: true,
      annotation: 'Could not evaluate: the item has no ARN to match backup selections against.',
    });
    expect(evaluationOf(evaluations, VOLUME_ID).compliance).toBe('COMPLIANT');
  });

  test('every supported type is judged, in a fixed order', () => {
    const evaluations = run([itemFrom(SAMPLE.efs), itemFrom(SAMPLE.table), itemFrom(SAMPLE.dbCluster), database('ehr-primary'), instance('running'), volume()]);
    expect(evaluations.map((e) => e.resourceType)).toEqual([
      'AWS::EC2::Volume',
      'AWS::EC2::Instance',
      'AWS::RDS::DBInstance',
      'AWS::RDS::DBCluster',
      'AWS::DynamoDB::Table',
      'AWS::EFS::FileSystem',
    ]);
  });

  test.each([
    [{ resourceTypes: 'AWS::S3::Bucket' }, /resourceTypes = "AWS::S3::Bucket" is invalid \(item 0\): expected one of AWS::EC2::Volume/],
    [{ resourceTypes: 42 }, /expected a list/],
  ])('a bad parameter %j is rejected naming it', (params, message) => {
    expectBadParameter('resource-protected-by-backup', params, message);
  });
});

testOnExampleClinic(
  'resource-protected-by-backup',
  'billing-legacy, department-shares (no data-class tag), pacs-gateway and its volume, portal-sessions (NotResources) and the detached volume are not selected; old-reporting and its disk are exempt; the Aurora member is judged through its cluster',
  {
    COMPLIANT: [
      'appointment-reminders',
      'cluster-REPORTING4H5J6K7L8M9N0P (reporting-aurora)',
      'db-EHRPRIMARY7Q2W3E4R5T6Y7U8I9 (ehr-primary)',
      'fs-0c1a2b3c4d5e6f701',
      'i-0a11e4c5d6e7f8001',
      'i-0a11e4c5d6e7f8002',
      'i-0a11e4c5d6e7f8004',
      'vol-0a11e4c5d6e7f8101',
      'vol-0a11e4c5d6e7f8102',
      'vol-0a11e4c5d6e7f8104',
    ],
    NON_COMPLIANT: [
      'db-BILLINGLEGACY1A2B3C4D5E6F7G (billing-legacy)',
      'fs-0c1a2b3c4d5e6f702',
      'i-0a11e4c5d6e7f8003',
      'portal-sessions',
      'vol-0a11e4c5d6e7f8103',
      'vol-0a11e4c5d6e7f8106',
    ],
    NOT_APPLICABLE: ['db-REPORTINGINST1Q2W3E4R5T6Y7 (reporting-aurora-instance-1)', 'i-0a11e4c5d6e7f8005', 'vol-0a11e4c5d6e7f8105'],
  },
);
