import { getRule } from '../../../rules/catalog.js';
import { runRule } from '../../../rules/engine.js';
import { buildInventory } from '../../../rules/types.js';
import { scanExampleClinic } from '../../helpers/example-clinic.js';
import { NOW } from '../../helpers/rules.js';

describe('ebs-encryption-by-default', () => {
  const rule = getRule('ebs-encryption-by-default');

  test('reports each account and Region from live settings: disabled is NON_COMPLIANT, enabled COMPLIANT', () => {
    const live = buildInventory([], {
      accountSettings: [
        { accountId: '111122223333', region: 'us-east-1', ebsEncryptionByDefault: false },
        { accountId: '111122223333', region: 'us-west-2', ebsEncryptionByDefault: true },
      ],
    });
    expect(runRule(rule, live, {}, { now: NOW }).map((e) => [e.resourceType, e.resourceId, e.region, e.compliance, e.orderingTimestamp, e.annotation])).toEqual(
      [
        [
          'AWS::::Account',
          '111122223333',
          'us-east-1',
          'NON_COMPLIANT',
          NOW.toISOString(),
          'EBS encryption by default is disabled in us-east-1 (GetEbsEncryptionByDefault = false).',
        ],
        ['AWS::::Account', '111122223333', 'us-west-2', 'COMPLIANT', NOW.toISOString(), 'EBS encryption by default is enabled in us-west-2.'],
      ],
    );
  });

  test('a Region whose setting was not read is not reported, never guessed', () => {
    expect(runRule(rule, buildInventory([]), {}, { now: NOW })).toEqual([]);
    expect(runRule(rule, buildInventory([], { accountSettings: [{ accountId: '111122223333', region: 'us-east-1' }] }), {}, { now: NOW })).toEqual([]);
  });

  test('skipped offline, saying it needs the live API', async () => {
    const { evaluations, summary } = await scanExampleClinic();
    expect(evaluations.filter((e) => e.ruleId === rule.id)).toEqual([]);
    expect(summary.rulesSkipped).toContainEqual({ ruleId: rule.id, reason: 'needs a live AWS API; runs in the deployed monitor and with --live' });
  });
});
