import { itemsFromDocument } from '../../../rules/inventory.js';
import { expectBadParameter, expectValidAnnotations, runInventoryRule } from '../../helpers/rules.js';
import { deletedFrom, itemFrom, SAMPLE, sampleJson, type ConfigurationItem } from '../../helpers/samples.js';
import { testOnExampleClinic } from '../../helpers/example-clinic.js';

/** The instance the RDK SSM inventory samples describe (i-07f6b44c44bab9e8e, account 138920347130). */
const SSM_INSTANCE = 'i-07f6b44c44bab9e8e';

function instance(id: string, state = 'running', top: Record<string, unknown> = {}): ConfigurationItem {
  return itemFrom(SAMPLE.instance, {
    configuration: { instanceId: id, state: { code: state === 'running' ? 16 : 80, name: state } },
    top: { resourceId: id, accountId: '138920347130', arn: `arn:aws:ec2:us-east-1:138920347130:instance/${id}`, ...top },
  });
}

function run(items: ConfigurationItem[], options: { exemptionTagKey?: string } = {}) {
  const evaluations = runInventoryRule('instance-managed-by-ssm', items, options);
  expectValidAnnotations(evaluations);
  return evaluations;
}

describe('instance-managed-by-ssm', () => {
  test.each([SAMPLE.ssmInventory, SAMPLE.ssmInventoryWindows, SAMPLE.ssmInventoryLinux])(
    'a running instance with its managed-instance inventory (%s) is COMPLIANT',
    (sample) => {
      expect(run([instance(SSM_INSTANCE), itemFrom(sample)])).toEqual([
        expect.objectContaining({
          resourceType: 'AWS::EC2::Instance',
          resourceId: SSM_INSTANCE,
          compliance: 'COMPLIANT',
          annotation: expect.stringMatching(/managed by Systems Manager/),
        }),
      ]);
    },
  );

  test('a running instance without one is NON_COMPLIANT', () => {
    const evaluations = run([instance(SSM_INSTANCE), instance('i-0c9d8e7f6a5b4c3d2'), itemFrom(SAMPLE.ssmInventory)]);
    expect(evaluations.map((e) => [e.resourceId, e.compliance])).toEqual([
      [SSM_INSTANCE, 'COMPLIANT'],
      ['i-0c9d8e7f6a5b4c3d2', 'NON_COMPLIANT'],
    ]);
    expect(evaluations[1]?.annotation).toBe(
      'Running instance is not managed by Systems Manager: no AWS::SSM::ManagedInstanceInventory item is recorded for it.',
    );
  });

  test('the RDK instance sample as recorded (running, no SSM inventory) is NON_COMPLIANT', () => {
    expect(run([itemFrom(SAMPLE.instance)])[0]?.compliance).toBe('NON_COMPLIANT');
  });

  test.each(['stopped', 'terminated', 'stopping'])('a %s instance is NOT_APPLICABLE', (state) => {
    expect(run([instance('i-0c9d8e7f6a5b4c3d2', state)])[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: `EC2 instance is ${state} (state.name); only running instances are checked.`,
    });
  });

  test('a deleted instance (the hands-on ResourceDeleted event) is NOT_APPLICABLE, not dropped', () => {
    const { items } = itemsFromDocument(sampleJson('config-events/handson-invokingEvent-EC2-ResourceDeleted.json'), 'deleted');
    expect(run(items)).toEqual([
      expect.objectContaining({ resourceId: 'i-05888074e384774ef', compliance: 'NOT_APPLICABLE', annotation: 'Resource is deleted (ResourceDeleted).' }),
    ]);
    expect(run([deletedFrom(SAMPLE.instance)])[0]?.compliance).toBe('NOT_APPLICABLE');
  });

  test('a deleted inventory item does not count as management', () => {
    expect(run([instance(SSM_INSTANCE), deletedFrom(SAMPLE.ssmInventory)])[0]?.compliance).toBe('NON_COMPLIANT');
  });

  test('inventory recorded in another account does not count', () => {
    expect(run([instance(SSM_INSTANCE, 'running', { accountId: '111122223333' }), itemFrom(SAMPLE.ssmInventory)])[0]?.compliance).toBe('NON_COMPLIANT');
  });

  test('the inventory item is also matched through its relationship to the instance', () => {
    const inventory = itemFrom(SAMPLE.ssmInventory, { top: { resourceId: 'mi-0123456789abcdef0' } });
    expect(run([instance(SSM_INSTANCE), inventory])[0]?.compliance).toBe('COMPLIANT');
  });

  test('an exempted instance is NOT_APPLICABLE with the reason (exemptions reach inventory-wide rules)', () => {
    const exempt = instance('i-0c9d8e7f6a5b4c3d2', 'running', { tags: { 'compliance:exempt': 'vendor imaging appliance, agent not allowed' } });
    expect(run([exempt])[0]).toMatchObject({
      compliance: 'NOT_APPLICABLE',
      annotation: 'Exempt (compliance:exempt): vendor imaging appliance, agent not allowed',
    });
  });

  test('the exemption tag key is a setting here too', () => {
    const exempt = instance('i-0c9d8e7f6a5b4c3d2', 'running', { tags: { 'hipaa:waiver': 'lab machine' } });
    expect(run([exempt])[0]?.compliance).toBe('NON_COMPLIANT');
    expect(run([exempt], { exemptionTagKey: 'hipaa:waiver' })[0]?.compliance).toBe('NOT_APPLICABLE');
  });

  test('a malformed exemption is ignored, naming the problem', () => {
    const exempt = instance('i-0c9d8e7f6a5b4c3d2', 'running', { tags: { 'compliance:exempt': 'until=2027-01-01' } });
    expect(run([exempt])[0]).toMatchObject({
      compliance: 'NON_COMPLIANT',
      annotation: expect.stringMatching(/^Exemption tag compliance:exempt ignored: the tag gives no reason\./),
    });
  });

  test('the rule takes no parameters: any is rejected', () => {
    expectBadParameter(
      'instance-managed-by-ssm',
      { includeStopped: true },
      /instance-managed-by-ssm: unknown parameter "includeStopped"; this rule takes no parameters/,
    );
  });
});

testOnExampleClinic('instance-managed-by-ssm', 'pacs-gateway has no SSM agent; old-reporting is exempt', {
  COMPLIANT: ['i-0a11e4c5d6e7f8001', 'i-0a11e4c5d6e7f8002', 'i-0a11e4c5d6e7f8004'],
  NON_COMPLIANT: ['i-0a11e4c5d6e7f8003'],
  NOT_APPLICABLE: ['i-0a11e4c5d6e7f8005'],
});
