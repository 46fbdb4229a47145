import { field, RuleInputError } from '../fields.js';
import { HIPAA_FIREWALL } from '../mapping.js';
import { integerListParam } from '../params.js';
import { defineItemRule } from '../types.js';
import { compliant, nonCompliant } from '../verdicts.js';

/** Remote administration and database ports (AWS's RESTRICTED_INCOMING_TRAFFIC defaults plus the usual databases). */
export const ADMIN_PORTS = [22, 3389, 1433, 1521, 3306, 5432, 6379, 9200, 27017] as const;

const PORT_NAMES: Readonly<Record<number, string>> = {
  22: 'SSH',
  3389: 'RDP',
  1433: 'SQL Server',
  1521: 'Oracle',
  3306: 'MySQL',
  5432: 'PostgreSQL',
  6379: 'Redis',
  9200: 'OpenSearch',
  27017: 'MongoDB',
};

/** One ingress permission as the rule sees it: protocol, port range (undefined: every port) and its sources. */
interface Ingress {
  readonly protocol: string;
  readonly ports?: { readonly from: number; readonly to: number };
  /** IPv4 and IPv6 CIDRs, whichever way the item wrote them. */
  readonly cidrs: readonly string[];
}

/**
 * A security group's CIDR sources, written three ways in AWS's items: `ipRanges` as plain strings
 * (Config items since 2016), `ipRanges`/`ipv4Ranges` as `{cidrIp}` objects (newer items and the EC2
 * API), and `ipv6Ranges` as `{cidrIpv6}`. Prefix lists and security-group references
 * (`prefixListIds`, `userIdGroupPairs`) are addresses the account controls, not the internet.
 */
function cidrsOf(permission: unknown, at: string): string[] {
  const out = new Set<string>();
  for (const [key, inner] of [
    ['ipRanges', 'cidrIp'],
    ['ipv4Ranges', 'cidrIp'],
    ['ipv6Ranges', 'cidrIpv6'],
  ] as const) {
    const list = field(permission, key);
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new RuleInputError(`${at}.${key} is not a list`);
    for (const entry of list) {
      const cidr = typeof entry === 'string' ? entry : field(entry, inner);
      if (typeof cidr !== 'string') throw new RuleInputError(`${at}.${key} holds an entry without ${inner}`);
      if (!CIDR.test(cidr.trim())) throw new RuleInputError(`${at}.${key} holds ${JSON.stringify(cidr)}, which is not a CIDR block`);
      out.add(cidr.trim());
    }
  }
  return [...out];
}

/** A port as the item gives it: a whole number, which Config's query API returns as a float (22.0) and exporters may quote. */
function port(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw new RuleInputError(`${name} is not a port number (${JSON.stringify(value)})`);
  return number;
}

/** An IPv4 or IPv6 CIDR block as EC2 writes it (`0.0.0.0/0`, `10.20.0.0/16`, `::/0`, `2001:db8::/32`). */
const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-f:.]*:[0-9a-f:.]*\/\d{1,3})$/i;

/**
 * TCP and UDP by name or protocol number; `-1` is every protocol on every port. EC2 accepts the names
 * tcp, udp, icmp, icmpv6 and any protocol number (0–255); anything else is not a protocol.
 */
function protocolOf(value: unknown, at: string): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || text.trim() === '') throw new RuleInputError(`${at}.ipProtocol is missing`);
  const lower = text.trim().toLowerCase();
  if (lower === '6') return 'tcp';
  if (lower === '17') return 'udp';
  if (['tcp', 'udp', 'icmp', 'icmpv6', '-1'].includes(lower) || (/^\d{1,3}$/.test(lower) && Number(lower) <= 255)) return lower;
  throw new RuleInputError(`${at}.ipProtocol ${JSON.stringify(text)} is not a protocol name or number`);
}

function ingressOf(configuration: unknown): Ingress[] {
  const permissions = field(configuration, 'ipPermissions');
  if (permissions === undefined || permissions === null) throw new RuleInputError('configuration.ipPermissions is missing');
  if (!Array.isArray(permissions)) throw new RuleInputError('configuration.ipPermissions is not a list');
  return permissions.map((permission, i) => {
    const at = `configuration.ipPermissions[${i}]`;
    const protocol = protocolOf(field(permission, 'ipProtocol'), at);
    const cidrs = cidrsOf(permission, at);
    if (protocol !== 'tcp' && protocol !== 'udp') return { protocol, cidrs };
    const from = port(field(permission, 'fromPort'), `${at}.fromPort`);
    const to = port(field(permission, 'toPort'), `${at}.toPort`);
    if (from === undefined || to === undefined) throw new RuleInputError(`${at} (${protocol}) has no fromPort/toPort`);
    // EC2 writes -1 for "every port" only on ICMP; a TCP/UDP range of -1 would be malformed.
    if (from < 0 || to < from || to > 65535) throw new RuleInputError(`${at} has the port range ${from}-${to}`);
    return { protocol, ports: { from, to }, cidrs };
  });
}

/** 0.0.0.0/0 and ::/0, however written: any CIDR whose prefix length is 0 is the whole internet. */
function isInternet(cidr: string): boolean {
  const slash = cidr.lastIndexOf('/');
  return slash > 0 && /^0+$/.test(cidr.slice(slash + 1));
}

/** Protocols that carry ports: TCP, UDP and -1 (all traffic). ICMP and others reach no service port. */
function reachesPorts(ingress: Ingress): boolean {
  return ingress.protocol === 'tcp' || ingress.protocol === 'udp' || ingress.protocol === '-1';
}

function portLabel(port: number): string {
  const name = PORT_NAMES[port];
  return name === undefined ? String(port) : `${port} ${name}`;
}

/** The watched ports, once per parameter list: the same list judges every group of a run. */
const sortedCache = new WeakMap<readonly number[], readonly number[]>();
function sortedPorts(ports: readonly number[]): readonly number[] {
  let sorted = sortedCache.get(ports);
  if (sorted === undefined) sortedCache.set(ports, (sorted = [...new Set(ports)].sort((a, b) => a - b)));
  return sorted;
}

function describeIngress(ingress: Ingress, open: readonly string[]): string {
  const what =
    ingress.protocol === '-1'
      ? 'all traffic (IpProtocol -1)'
      : `${ingress.protocol} ${ingress.ports?.from === ingress.ports?.to ? String(ingress.ports?.from) : `${ingress.ports?.from}-${ingress.ports?.to}`}`;
  return `${what} from ${open.join(', ')}`;
}

/**
 * No ingress rule lets the whole internet (0.0.0.0/0 or ::/0) reach a remote-administration or
 * database port: "all traffic" (-1) and port ranges that include one count (AWS's INCOMING_SSH_DISABLED
 * and RESTRICTED_INCOMING_TRAFFIC, Security Hub EC2.13/14/19/53/54). Sources that are prefix lists or
 * other security groups are not the internet. TCP and UDP both count: RDP also listens on UDP 3389.
 * The item's shapes: docs/aws-semantics.md, "Security groups".
 */
export const securityGroupAdminPortsRestricted = defineItemRule({
  id: 'security-group-admin-ports-restricted',
  title: 'Security groups keep admin and database ports off the internet',
  area: 'firewall',
  description:
    'COMPLIANT when no ingress rule of the security group allows 0.0.0.0/0 or ::/0 to reach an admin or database port (parameter ports), counting all-traffic rules and port ranges that include one.',
  resourceTypes: ['AWS::EC2::SecurityGroup'],
  trigger: 'change',
  severity: 'HIGH',
  hipaa: HIPAA_FIREWALL,
  awsManagedRule: 'RESTRICTED_INCOMING_TRAFFIC',
  securityHubControls: ['EC2.13', 'EC2.14', 'EC2.19', 'EC2.53', 'EC2.54'],
  parameters: {
    ports: integerListParam({
      default: ADMIN_PORTS,
      min: 0,
      max: 65535,
      description:
        'Ports that must not be reachable from the internet (comma-separated); default SSH, RDP, SQL Server, Oracle, MySQL, PostgreSQL, Redis, OpenSearch, MongoDB.',
    }),
  },
  remediation: {
    summary:
      'Remove the internet-wide source from the admin or database port; reach servers through Systems Manager Session Manager, a VPN or a bastion instead.',
    steps: [
      'Open the security group in the EC2 console (Security Groups), Inbound rules, Edit inbound rules.',
      'Delete the rule with source 0.0.0.0/0 or ::/0 on the port named in the finding, or narrow it to your office or VPN range, a prefix list or another security group.',
      'For shell and RDP access use Systems Manager Session Manager (no inbound port at all), or EC2 Instance Connect Endpoint.',
    ],
    url: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
  },
  evaluate(item, { ports }) {
    const watched = sortedPorts(ports);
    const exposures: string[] = [];
    const otherOpen: string[] = [];
    for (const ingress of ingressOf(item.configuration)) {
      const open = ingress.cidrs.filter(isInternet);
      if (open.length === 0 || !reachesPorts(ingress)) continue;
      const hit = ingress.ports === undefined ? watched : watched.filter((p) => p >= (ingress.ports?.from ?? 0) && p <= (ingress.ports?.to ?? 65535));
      if (hit.length === 0) {
        otherOpen.push(describeIngress(ingress, open));
        continue;
      }
      const shown = hit.slice(0, 3).map(portLabel).join(', ') + (hit.length > 3 ? `, +${hit.length - 3} more` : '');
      exposures.push(
        `${describeIngress(ingress, open)} (${ingress.ports !== undefined && ingress.ports.from === ingress.ports.to ? (PORT_NAMES[ingress.ports.from] ?? 'a watched port') : `includes ${shown}`})`,
      );
    }
    if (exposures.length > 0) return nonCompliant(`Security group opens admin or database ports to the internet: ${exposures.join('; ')}.`);
    const also = otherOpen.length > 0 ? ` Open to the internet only on: ${otherOpen.join('; ')}.` : '';
    return compliant(`No ingress rule opens an admin or database port (${watched.join(', ')}) to 0.0.0.0/0 or ::/0.${also}`);
  },
});
