import { parseSettings } from '../../infra/settings.js';
import { ORG, problemsOf } from './helpers.js';

describe('organization settings', () => {
  it('are absent unless enabled', () => {
    expect(parseSettings({}, 't').organization).toBeUndefined();
    expect(parseSettings({ organization: { ...ORG, enabled: false } }, 't').organization).toBeUndefined();
  });

  it('parse with defaults: member role ccm-member, home Region the first Region, no aggregator', () => {
    const org = parseSettings({ organization: ORG }, 't').organization;
    expect(org).toEqual({
      organizationId: 'o-a1b2c3d4e5',
      managementOrDelegatedAdmin: 'DELEGATED_ADMIN',
      targetOus: ['ou-ab12-cd34ef56'],
      excludeAccounts: ['999988887777'],
      regions: ['us-east-1', 'us-west-2'],
      homeRegion: 'us-east-1',
      memberRoleName: 'ccm-member',
      accountOverrides: ORG.accountOverrides,
      createFindingAggregator: false,
    });
    expect(parseSettings({ homeRegion: 'us-west-2', organization: ORG }, 't').organization?.homeRegion).toBe('us-west-2');
  });

  it('name the setting and the allowed values when wrong', () => {
    const problems = problemsOf({
      homeRegion: 'eu-west-1',
      organization: {
        ...ORG,
        organizationId: 'org-1',
        managementOrDelegatedAdmin: 'ADMIN',
        targetOus: ['sales'],
        excludeAccounts: ['12'],
        memberRoleName: 'bad role',
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'organization.organizationId: expected an organization id such as o-a1b2c3d4e5',
        'organization.managementOrDelegatedAdmin: expected one of MANAGEMENT, DELEGATED_ADMIN',
        'organization.targetOus[0]: expected an OU id (ou-…) or the root id (r-…)',
        'organization.excludeAccounts[0]: expected a 12-digit account id',
        'organization.memberRoleName: expected an IAM role name (1-64 of letters, digits and + = , . @ _ -)',
      ]),
    );
    expect(problemsOf({ homeRegion: 'eu-west-1', organization: ORG })).toEqual([
      'homeRegion: eu-west-1 is not one of organization.regions (us-east-1, us-west-2)',
    ]);
    expect(problemsOf({ region: 'us-east-1', organization: ORG })[0]).toMatch(/^region: leave it out/);
    expect(problemsOf({ organization: { ...ORG, regions: [] } })).toEqual(['organization.regions: expected at least one value']);
  });

  it('validate per-account overrides with the catalog parser, over the rule parameters', () => {
    expect(
      problemsOf({ organization: { ...ORG, accountOverrides: { '444455556666': { 'backup-plan-frequency-retention': { requiredRetentionDays: 0 } } } } })[0],
    ).toMatch(/^organization\.accountOverrides\.444455556666\.backup-plan-frequency-retention\.requiredRetentionDays: /);
    expect(problemsOf({ organization: { ...ORG, accountOverrides: { '444455556666': { 'no-such-rule': {} } } } })[0]).toMatch(/unknown rule id "no-such-rule"/);
    expect(problemsOf({ organization: { ...ORG, accountOverrides: { '444455556666': { 's3-bucket-encrypted': { requireKsm: true } } } } })[0]).toMatch(
      /unknown parameter "requireKsm"/,
    );
    expect(
      problemsOf({
        rules: { disabled: ['s3-bucket-encrypted'] },
        organization: { ...ORG, accountOverrides: { '444455556666': { 's3-bucket-encrypted': { requireKms: true } } } },
      }),
    ).toEqual(['organization.accountOverrides.444455556666.s3-bucket-encrypted: rule s3-bucket-encrypted is not enabled (rules.enabled / rules.disabled)']);
    expect(problemsOf({ organization: { ...ORG, accountOverrides: { prod: {} } } })[0]).toMatch(/^organization\.accountOverrides\.prod.*12-digit account id/);
  });

  it('refuse an account both included and excluded', () => {
    expect(problemsOf({ organization: { ...ORG, includeAccounts: ['999988887777'] } })).toEqual([
      'organization.includeAccounts: 999988887777 is also in organization.excludeAccounts',
    ]);
  });
});

describe('organization settings that would not fit in Lambda environment', () => {
  it('a list of 300 excluded accounts is refused with the size and the way out', () => {
    const excludeAccounts = Array.from({ length: 300 }, (_, i) => String(100000000000 + i));
    expect(problemsOf({ organization: { ...ORG, excludeAccounts } })).toContainEqual(
      expect.stringMatching(
        /^organization: excludeAccounts, includeAccounts and accountOverrides take 3\d{3} bytes of Lambda environment, over the 2500 available .*targetOus/,
      ),
    );
  });

  it('a few dozen excluded accounts are fine', () => {
    const excludeAccounts = Array.from({ length: 40 }, (_, i) => String(100000000000 + i));
    expect(() => parseSettings({ organization: { ...ORG, excludeAccounts } }, 't')).not.toThrow();
  });
});
