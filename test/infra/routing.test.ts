import { CATALOG, type CatalogEntry } from '../../rules/catalog.js';
import { isAccountWide } from '../../rules/inputs.js';
import { ruleIdFromConfigRuleName } from '../../functions/alerts/compliance-change.js';
import { CONFIG_RULE_PREFIX, configRuleName, MAX_SCOPE_RESOURCE_TYPES, recordedTypesFor, routeRule } from '../../infra/routing.js';

const entry = (id: string): CatalogEntry => {
  const found = CATALOG.find((e) => e.id === id);
  if (found === undefined) throw new Error(`no catalog entry ${id}`);
  return found;
};

describe('Config rule names', () => {
  it('are ccm-<ruleId>, and the notifier maps every one back to its rule', () => {
    expect(CONFIG_RULE_PREFIX).toBe('ccm-');
    for (const e of CATALOG) {
      expect(configRuleName(e.id)).toBe(`ccm-${e.id}`);
      expect(configRuleName(e.id).length).toBeLessThanOrEqual(128);
      expect(ruleIdFromConfigRuleName(configRuleName(e.id))).toBe(e.id);
    }
  });
});

describe('routing a catalog entry', () => {
  it.each(CATALOG.map((e) => [e.id, e] as const))('%s', (_id, e) => {
    const route = routeRule(e);
    if (e.kind === 'inventory') {
      expect(route).toEqual({ evaluator: 'periodic', onChange: false, periodic: true, global: isAccountWide(e) });
    } else if (e.trigger === 'change') {
      expect(route).toEqual({ evaluator: 'change', onChange: true, periodic: false, scope: [...new Set(e.resourceTypes)], global: false });
    } else {
      expect(route).toMatchObject({ evaluator: 'change', onChange: false, periodic: true });
    }
  });

  it('sends an item rule with a periodic trigger to the change evaluator on a schedule', () => {
    expect(routeRule({ ...entry('ebs-volume-encrypted'), trigger: 'periodic' })).toEqual({
      evaluator: 'change',
      onChange: false,
      periodic: true,
      global: false,
    });
  });

  it('marks the account-wide rules as global (home Region only): the credential report, multi-Region trails', () => {
    expect(routeRule(entry('root-account-mfa')).global).toBe(true);
    expect(routeRule(entry('iam-user-console-mfa')).global).toBe(true);
    expect(routeRule(entry('cloudtrail-multi-region-logging')).global).toBe(true);
    // Settings of a Region: created, and evaluated, in every Region.
    expect(routeRule(entry('ebs-encryption-by-default')).global).toBe(false);
    expect(routeRule(entry('guardduty-enabled')).global).toBe(false);
    expect(routeRule(entry('guardduty-malware-protection')).global).toBe(false);
  });

  it('scopes the new change-triggered rules to their resource types', () => {
    expect(routeRule(entry('security-group-admin-ports-restricted')).scope).toEqual(['AWS::EC2::SecurityGroup']);
    expect(routeRule(entry('s3-bucket-tls-only')).scope).toEqual(['AWS::S3::Bucket']);
    expect(routeRule(entry('load-balancer-https-only')).scope).toEqual(['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancing::LoadBalancer']);
  });

  it('the deployed rules need recorded only what they read live: not the trail and detector items the offline scan falls back on', () => {
    expect(recordedTypesFor(entry('cloudtrail-multi-region-logging'))).toEqual([]);
    expect(recordedTypesFor(entry('guardduty-enabled'))).toEqual([]);
  });

  it('refuses a change-triggered scope Config cannot hold', () => {
    const base = entry('ebs-volume-encrypted');
    const many = Array.from({ length: MAX_SCOPE_RESOURCE_TYPES + 1 }, (_, i) => `AWS::Svc${i}::Thing`);
    // Undeclared types on purpose: only the count matters here.
    expect(() => routeRule({ ...base, resourceTypes: many as unknown as typeof base.resourceTypes })).toThrow(
      /101 resource types; a Config rule scope allows at most 100/,
    );
    expect(() => routeRule({ ...base, resourceTypes: ['AWS::::Account'] })).toThrow(/cannot scope a Config rule/);
  });

  it('lists the recorded types a rule reads, without the account pseudo-type', () => {
    expect(recordedTypesFor(entry('root-account-mfa'))).toEqual([]);
    expect(recordedTypesFor(entry('ebs-volume-encrypted'))).toEqual(['AWS::EC2::Volume']);
    const protectedByBackup = entry('resource-protected-by-backup');
    expect(recordedTypesFor(protectedByBackup)).toEqual([...new Set([...protectedByBackup.resourceTypes, ...(protectedByBackup.reads ?? [])])]);
  });
});
