import { testOnExampleClinic } from '../../helpers/example-clinic.js';
import { evaluate, expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { apiSample, deletedFrom, itemFrom, SAMPLE } from '../../helpers/samples.js';

type Json = Record<string, unknown>;

const RULE = 'security-group-admin-ports-restricted';

/** The RDK group (tcp 22 from 0.0.0.0/0, sources as plain strings) with other ingress rules. */
const withIngress =
  (...ipPermissions: Json[]) =>
  () =>
    itemFrom(SAMPLE.securityGroup, { configuration: { ipPermissions } });
const tcp = (from: number, to: number, sources: Json) => ({
  ipProtocol: 'tcp',
  fromPort: from,
  toPort: to,
  userIdGroupPairs: [],
  prefixListIds: [],
  ipRanges: [],
  ...sources,
});

/** The `configuration` of a select-resource-config result (ports come back as floats: 22.0) in the RDK item's envelope. */
function fromQueryResult(file: string): () => ReturnType<typeof itemFrom> {
  const [result] = apiSample(`config/${file}`).Results as string[];
  return () => itemFrom(SAMPLE.securityGroup, { top: { configuration: (JSON.parse(result ?? '{}') as Json).configuration } });
}

describe(RULE, () => {
  runItemCases(RULE, [
    // Every real shape AWS writes a group's sources in.
    {
      name: 'the RDK group: tcp 22 from 0.0.0.0/0 (ipRanges as plain strings) is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.securityGroup),
      compliance: 'NON_COMPLIANT',
      annotation: /^Security group opens admin or database ports to the internet: tcp 22 from 0\.0\.0\.0\/0 \(SSH\)\.$/,
    },
    {
      name: 'the custodian event: the same source as ipRanges strings and ipv4Ranges {cidrIp} is named once',
      item: () => itemFrom(SAMPLE.securityGroupEvent),
      compliance: 'NON_COMPLIANT',
      annotation: /^Security group opens admin or database ports to the internet: tcp 22 from 0\.0\.0\.0\/0 \(SSH\)\.$/,
    },
    {
      name: 'the Config guide group (configuration as a JSON string): tcp 1433 from the internet fails; 3389 from a /19 and 80 do not count',
      item: () => itemFrom(SAMPLE.securityGroupClassic),
      compliance: 'NON_COMPLIANT',
      annotation: /^Security group opens admin or database ports to the internet: tcp 1433 from 0\.0\.0\.0\/0 \(SQL Server\)\.$/,
    },
    {
      name: 'Config query API ports (fromPort 22.0) are read as port 22',
      item: fromQueryResult('SelectResourceConfig.SecurityGroup.custodian-test_security_group_set_permissions.json'),
      compliance: 'NON_COMPLIANT',
      annotation: /tcp 22 from 0\.0\.0\.0\/0 \(SSH\)/,
    },
    {
      name: 'the default group: all traffic (-1, no ports) from a /32 and from itself is COMPLIANT',
      item: fromQueryResult('SelectResourceConfig.SecurityGroup.custodian-test_security_group_config_source.json'),
      compliance: 'COMPLIANT',
      annotation: /^No ingress rule opens an admin or database port \(22, 1433, 1521, 3306, 3389, 5432, 6379, 9200, 27017\) to 0\.0\.0\.0\/0 or ::\/0\.$/,
    },
    {
      name: 'tcp 8080 open to the world (placebo history, egress ports null) is COMPLIANT, saying what is open',
      item: () =>
        itemFrom(SAMPLE.securityGroup, {
          top: {
            configuration: (apiSample('config/GetResourceConfigHistory.SecurityGroup.custodian-test_sg_config_diff.json').configurationItems as Json[])[0]
              ?.configuration,
          },
        }),
      compliance: 'COMPLIANT',
      annotation: /Open to the internet only on: tcp 8080 from 0\.0\.0\.0\/0\.$/,
    },
    {
      name: 'the EC2 API shape (IpPermissions, IpRanges [{CidrIp}], PascalCase) reads the same',
      item: () =>
        itemFrom(SAMPLE.securityGroup, {
          top: { configuration: (apiSample('ec2/DescribeSecurityGroups.mrredhu-2025-open-ssh.json').SecurityGroups as Json[])[0] },
        }),
      compliance: 'NON_COMPLIANT',
      annotation: /tcp 22 from 0\.0\.0\.0\/0 \(SSH\)/,
    },
    // What counts as reaching an admin port.
    {
      name: 'all traffic (-1, no ports) from 0.0.0.0/0 reaches every admin port',
      item: withIngress({ ipProtocol: '-1', ipRanges: ['0.0.0.0/0'] }),
      compliance: 'NON_COMPLIANT',
      annotation: /all traffic \(IpProtocol -1\) from 0\.0\.0\.0\/0 \(includes 22 SSH, 1433 SQL Server, 1521 Oracle, \+6 more\)/,
    },
    {
      name: 'a port range including 3306 counts',
      item: withIngress(tcp(3000, 3999, { ipRanges: ['0.0.0.0/0'] })),
      compliance: 'NON_COMPLIANT',
      annotation: /tcp 3000-3999 from 0\.0\.0\.0\/0 \(includes 3306 MySQL, 3389 RDP\)/,
    },
    {
      name: 'a range without an admin port (1000-2000) is COMPLIANT',
      item: withIngress(tcp(1000, 1400, { ipRanges: ['0.0.0.0/0'] })),
      compliance: 'COMPLIANT',
      annotation: /only on: tcp 1000-1400 from 0\.0\.0\.0\/0/,
    },
    {
      name: 'udp 3389 (RDP over UDP) counts',
      item: withIngress({ ipProtocol: 'udp', fromPort: 3389, toPort: 3389, ipRanges: ['0.0.0.0/0'] }),
      compliance: 'NON_COMPLIANT',
      annotation: /udp 3389 from 0\.0\.0\.0\/0 \(RDP\)/,
    },
    {
      name: 'protocol numbers: "6" is tcp',
      item: withIngress({ ipProtocol: '6', fromPort: 5432, toPort: 5432, ipRanges: ['0.0.0.0/0'] }),
      compliance: 'NON_COMPLIANT',
      annotation: /tcp 5432 from 0\.0\.0\.0\/0 \(PostgreSQL\)/,
    },
    {
      name: 'icmp (ports -1) from the internet reaches no service port',
      item: withIngress({ ipProtocol: 'icmp', fromPort: -1, toPort: -1, ipRanges: ['0.0.0.0/0'] }),
      compliance: 'COMPLIANT',
      annotation: /^No ingress rule/,
    },
    // IPv6: no real item has a non-empty ipv6Ranges; the {cidrIpv6} shape is the Config resource schema's (fixtures/ci/README.md).
    {
      name: 'ipv6Ranges ::/0 on 3389 is the internet',
      item: withIngress(tcp(3389, 3389, { ipv6Ranges: [{ cidrIpv6: '::/0' }] })),
      compliance: 'NON_COMPLIANT',
      annotation: /tcp 3389 from ::\/0 \(RDP\)/,
    },
    {
      name: 'an IPv6 range narrower than ::/0 is not the internet',
      item: withIngress(tcp(22, 22, { ipv6Ranges: [{ cidrIpv6: '2001:db8::/32' }] })),
      compliance: 'COMPLIANT',
      annotation: /^No ingress rule/,
    },
    {
      name: 'a group without ipv4Ranges or ipv6Ranges keys (2016 items) still reads ipRanges',
      item: withIngress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: ['10.0.0.0/8'] }),
      compliance: 'COMPLIANT',
      annotation: /^No ingress rule/,
    },
    {
      name: 'prefix lists and security-group references are not the internet',
      item: withIngress(
        tcp(22, 22, { prefixListIds: [{ prefixListId: 'pl-0a1b2c3d' }], userIdGroupPairs: [{ groupId: 'sg-0a1b2c3d4e5f67890', userId: '264683526309' }] }),
      ),
      compliance: 'COMPLIANT',
      annotation: /^No ingress rule/,
    },
    { name: 'no ingress rules at all is COMPLIANT', item: withIngress(), compliance: 'COMPLIANT', annotation: /^No ingress rule/ },
    // Parameters.
    {
      name: 'ports: a port of your own (8080) fails the placebo group',
      item: withIngress(tcp(8080, 8080, { ipRanges: ['0.0.0.0/0'] })),
      params: { ports: '8080, 8443' },
      compliance: 'NON_COMPLIANT',
      annotation: /tcp 8080 from 0\.0\.0\.0\/0 \(a watched port\)/,
    },
    {
      name: 'ports: 22 left out of the list passes SSH',
      item: () => itemFrom(SAMPLE.securityGroup),
      params: { ports: [3389] },
      compliance: 'COMPLIANT',
      annotation: /\(3389\).*only on: tcp 22 from 0\.0\.0\.0\/0/,
    },
    // Data that cannot decide.
    {
      name: 'an item without ipPermissions could not be evaluated',
      item: () => itemFrom(SAMPLE.securityGroup, { configuration: { ipPermissions: null } }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /configuration\.ipPermissions is missing/,
    },
    {
      name: 'tcp without fromPort could not be evaluated',
      item: withIngress({ ipProtocol: 'tcp', toPort: 22, ipRanges: ['0.0.0.0/0'] }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /ipPermissions\[0\] \(tcp\) has no fromPort\/toPort/,
    },
    {
      name: 'a fractional port could not be evaluated',
      item: withIngress({ ipProtocol: 'tcp', fromPort: 22.5, toPort: 22.5, ipRanges: ['0.0.0.0/0'] }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /fromPort is not a port number \(22\.5\)/,
    },
    {
      name: 'an ipProtocol that is no protocol could not be evaluated',
      item: withIngress({ ipProtocol: 'ssh', fromPort: 22, toPort: 22, ipRanges: ['0.0.0.0/0'] }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /ipProtocol "ssh" is not a protocol name or number/,
    },
    {
      name: 'a protocol number without ports (ESP, 50) reaches no service port',
      item: withIngress({ ipProtocol: '50', ipRanges: ['0.0.0.0/0'] }),
      compliance: 'COMPLIANT',
      annotation: /^No ingress rule/,
    },
    {
      name: 'a source that is no CIDR could not be evaluated',
      item: withIngress(tcp(22, 22, { ipRanges: ['anywhere'] })),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /ipRanges holds "anywhere", which is not a CIDR block/,
    },
    {
      name: 'an ipv4Ranges entry without cidrIp could not be evaluated',
      item: withIngress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipv4Ranges: [{ description: 'office' }] }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /ipv4Ranges holds an entry without cidrIp/,
    },
    // Scope.
    { name: 'a deleted group is NOT_APPLICABLE', item: () => deletedFrom(SAMPLE.securityGroup), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    {
      name: 'an exempt group is NOT_APPLICABLE with the reason',
      item: () => itemFrom(SAMPLE.securityGroup, { top: { tags: { 'compliance:exempt': 'vendor SFTP jump host, IP list pending until=2026-12-31' } } }),
      compliance: 'NOT_APPLICABLE',
      annotation: /^Exempt \(compliance:exempt until 2026-12-31\): vendor SFTP/,
    },
    { name: 'an EBS volume is NOT_APPLICABLE', item: () => itemFrom(SAMPLE.volume), compliance: 'NOT_APPLICABLE', annotation: /does not evaluate/ },
  ]);

  test('egress rules never count: the RDK group is open outbound to everything on -1', () => {
    const item = itemFrom(SAMPLE.securityGroup, { configuration: { ipPermissions: [] } });
    expect((item.configuration?.ipPermissionsEgress as Json[])[0]).toMatchObject({ ipProtocol: '-1', ipRanges: ['0.0.0.0/0'] });
    expect(evaluate(RULE, item).compliance).toBe('COMPLIANT');
  });

  test.each([
    [{ ports: 'ssh' }, /parameter ports = "ssh" is invalid \(item 0\): expected a whole number/],
    [{ ports: '22,70000' }, /parameter ports = "22,70000" is invalid \(item 1\): must be at most 65535/],
    [{ ports: [] }, /parameter ports = \[\] is invalid: expected at least one value/],
    [{ port: '22' }, /unknown parameter "port"; known parameters: ports/],
  ])('bad parameter %j', (params, message) => {
    expectBadParameter(RULE, params, message);
  });
});

testOnExampleClinic(RULE, 'the file server group open to the world on RDP fails; the web and database groups pass', {
  COMPLIANT: ['sg-0a11e4c5d6e7f8201 (ehr-web)', 'sg-0a11e4c5d6e7f8202 (ehr-db)'],
  NON_COMPLIANT: ['sg-0a11e4c5d6e7f8203 (fileserver-rdp)'],
});
