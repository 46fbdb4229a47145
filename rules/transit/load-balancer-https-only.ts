import * as z from 'zod/mini';
import { field, optionalString, RuleInputError } from '../fields.js';
import { isRecord } from '../inventory.js';
import { HIPAA_IN_TRANSIT } from '../mapping.js';
import { stringListParam } from '../params.js';
import { defineItemRule, type ActiveItem, type Verdict } from '../types.js';
import { compliant, nonCompliant, notApplicable } from '../verdicts.js';

/**
 * Elastic Load Balancing's predefined security policies that negotiate TLS 1.2 or newer only
 * ("Security policies for your Application Load Balancer" and "... Network Load Balancer", Elastic
 * Load Balancing user guides): the TLS13-1-2 and TLS13-1-3 families (with their Res, Ext, FIPS and
 * post-quantum variants), TLS-1-2 and FS-1-2. Left out: ELBSecurityPolicy-2016-08 (the API's default),
 * 2015-05, TLS-1-0/1-1, FS-2018-06, FS-1-1 and TLS13-1-0/1-1, which accept TLS 1.0 or 1.1.
 * ELBSecurityPolicy-TLS-1-2-2017-01 is also a predefined policy of Classic Load Balancers.
 */
export const TLS12_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-1-2-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
] as const;

/** Classic SSL negotiation attributes of protocols older than TLS 1.2 (Elastic Load Balancing, "SSL negotiation configurations for Classic Load Balancers"). */
const LEGACY_PROTOCOLS = ['Protocol-SSLv2', 'Protocol-SSLv3', 'Protocol-TLSv1', 'Protocol-TLSv1.1'];

/** One listener's standing: TLS 1.2+, not, or not decidable from what Config recorded. */
interface Outcome {
  readonly status: 'ok' | 'bad' | 'unknown';
  readonly text: string;
}

const good = (text: string): Outcome => ({ status: 'ok', text });
const bad = (text: string): Outcome => ({ status: 'bad', text });
const unknown = (text: string): Outcome => ({ status: 'unknown', text });

function policyVerdict(name: string, allowed: readonly string[], what: string): Outcome {
  return allowed.includes(name) ? good(`${what} uses ${name} (TLS 1.2+)`) : bad(`${what} uses ${name}, which is not in allowedSslPolicies (TLS 1.2+ only)`);
}

/** An ELBv2 listener item: PascalCase keys (Protocol, Port, SslPolicy, DefaultActions) as AWS records them. */
function judgeListener(item: ActiveItem, allowed: readonly string[]): Verdict {
  const configuration = item.configuration;
  const protocol = optionalString(configuration, 'Protocol')?.toUpperCase();
  if (protocol === undefined) throw new RuleInputError('configuration.Protocol is missing');
  const port = field(configuration, 'Port');
  const what = `${protocol} listener on port ${typeof port === 'number' || typeof port === 'string' ? String(port) : '?'}`;
  switch (protocol) {
    case 'HTTPS':
    case 'TLS': {
      const policy = optionalString(configuration, 'SslPolicy');
      if (policy === undefined) throw new RuleInputError(`configuration.SslPolicy of the ${protocol} listener is missing`);
      const outcome = policyVerdict(policy, allowed, what);
      return outcome.status === 'ok' ? compliant(`${outcome.text}.`) : nonCompliant(`${outcome.text}.`);
    }
    case 'HTTP': {
      const actions = field(configuration, 'DefaultActions');
      if (!Array.isArray(actions)) throw new RuleInputError('configuration.DefaultActions is missing');
      const redirect = actions.find((action) => String(field(action, 'Type')).toLowerCase() === 'redirect');
      const target = optionalString(field(redirect, 'RedirectConfig'), 'Protocol');
      // The redirect's Port may be a literal ("443") or the placeholder "#{port}": only the protocol decides.
      if (target?.toUpperCase() === 'HTTPS') return compliant(`${what} redirects every request to HTTPS (RedirectConfig.Protocol = HTTPS).`);
      const types = actions.map((action) => String(field(action, 'Type'))).join(', ') || 'none';
      return nonCompliant(
        redirect === undefined
          ? `${what} serves requests unencrypted (default action ${types}); redirect it to HTTPS.`
          : `${what} redirects without switching to HTTPS (RedirectConfig.Protocol = ${target ?? 'not set'}).`,
      );
    }
    case 'TCP':
    case 'UDP':
    case 'TCP_UDP':
      return nonCompliant(
        `${what}: the load balancer passes traffic on without TLS; use a TLS listener, or exempt the listener if its targets terminate TLS themselves.`,
      );
    case 'GENEVE':
      return notApplicable(`${what} belongs to a Gateway Load Balancer, which hands packets to inspection appliances and is no client endpoint to encrypt.`);
    default:
      throw new RuleInputError(
        `configuration.Protocol ${JSON.stringify(protocol)} is not a listener protocol this rule knows (HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE)`,
      );
  }
}

/** The attributes of a Classic policy as a map: `policyAttributeDescriptions` [{attributeName, attributeValue}]. */
function attributesOf(policy: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const descriptions = field(policy, 'policyAttributeDescriptions');
  for (const description of Array.isArray(descriptions) ? descriptions : []) {
    const name = field(description, 'attributeName');
    const value = field(description, 'attributeValue');
    if (typeof name === 'string') out.set(name, String(value));
  }
  return out;
}

/**
 * A Classic HTTPS or SSL listener is judged by its SSL negotiation policy, which Config records among
 * `supplementaryConfiguration.LoadBalancerPolicies`: a policy made from a predefined one names it in
 * `Reference-Security-Policy` (judged by allowedSslPolicies, like ELBv2); a custom one by its
 * `Protocol-*` attributes (TLS 1.2 on, SSLv2/SSLv3/TLS 1.0/TLS 1.1 off). Without the policy the data
 * cannot decide.
 */
function classicTlsListener(what: string, policyNames: readonly string[], policies: unknown, allowed: readonly string[]): Outcome {
  if (!Array.isArray(policies)) return unknown(`${what}: supplementaryConfiguration.LoadBalancerPolicies is not recorded`);
  const negotiation = policies.filter(
    (policy) =>
      policyNames.includes(String(field(policy, 'policyName'))) &&
      (String(field(policy, 'policyTypeName')) === 'SSLNegotiationPolicyType' || attributesOf(policy).size > 0),
  );
  const chosen = negotiation.find((policy) => String(field(policy, 'policyTypeName')) === 'SSLNegotiationPolicyType') ?? negotiation[0];
  if (chosen === undefined)
    return unknown(`${what}: its SSL negotiation policy (${policyNames.join(', ') || 'none named'}) is not among the recorded LoadBalancerPolicies`);
  const attributes = attributesOf(chosen);
  const reference = attributes.get('Reference-Security-Policy');
  if (reference !== undefined && reference !== '') return policyVerdict(reference, allowed, what);
  if (!attributes.has('Protocol-TLSv1.2'))
    return unknown(`${what}: policy ${String(field(chosen, 'policyName'))} records neither Reference-Security-Policy nor Protocol-* attributes`);
  const legacy = LEGACY_PROTOCOLS.filter((name) => attributes.get(name)?.toLowerCase() === 'true');
  if (attributes.get('Protocol-TLSv1.2')?.toLowerCase() !== 'true')
    return bad(`${what}: custom policy ${String(field(chosen, 'policyName'))} turns TLS 1.2 off`);
  return legacy.length > 0
    ? bad(`${what}: custom policy ${String(field(chosen, 'policyName'))} allows ${legacy.join(', ')}`)
    : good(`${what}: custom policy allows TLS 1.2 only`);
}

/** A Classic Load Balancer: every listener must be HTTPS or SSL with a TLS 1.2+ policy; Classic cannot redirect HTTP. */
function judgeClassic(item: ActiveItem, allowed: readonly string[]): Verdict {
  const descriptions = field(item.configuration, 'listenerDescriptions');
  if (!Array.isArray(descriptions)) throw new RuleInputError('configuration.listenerDescriptions is missing');
  if (descriptions.length === 0) return notApplicable('Classic load balancer has no listeners, so it accepts no connections.');
  const policies = field(item.supplementaryConfiguration, 'LoadBalancerPolicies');
  const outcomes = descriptions.map((description, i): Outcome => {
    const listener = field(description, 'listener');
    const protocol = optionalString(listener, 'protocol')?.toUpperCase();
    if (!isRecord(listener) || protocol === undefined) throw new RuleInputError(`configuration.listenerDescriptions[${i}].listener.protocol is missing`);
    const what = `${protocol}:${String(field(listener, 'loadBalancerPort') ?? '?')}`;
    if (protocol === 'HTTP' || protocol === 'TCP') return bad(`${what} is unencrypted`);
    if (protocol !== 'HTTPS' && protocol !== 'SSL') throw new RuleInputError(`listener protocol ${JSON.stringify(protocol)} is not HTTP, HTTPS, TCP or SSL`);
    const names = field(description, 'policyNames');
    return classicTlsListener(what, Array.isArray(names) ? names.map(String) : [], policies, allowed);
  });
  const texts = (status: Outcome['status']): string[] => outcomes.filter((o) => o.status === status).map((o) => o.text);
  const failing = texts('bad');
  if (failing.length > 0) return nonCompliant(`Classic load balancer listener ${failing.join('; ')}; use HTTPS or SSL listeners with a TLS 1.2+ policy.`);
  const undecided = texts('unknown');
  if (undecided.length > 0) throw new RuleInputError(undecided.join('; '));
  return compliant(`Every listener of the Classic load balancer uses TLS 1.2+ (${texts('ok').join('; ')}).`);
}

/**
 * Load balancers accept only encrypted connections: each ELBv2 listener is HTTPS or TLS with a TLS 1.2+
 * security policy, or HTTP whose default action redirects to HTTPS (AWS's
 * ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK, Security Hub ELB.1); every Classic listener is HTTPS or SSL with
 * a TLS 1.2+ policy (ELB_TLS_HTTPS_LISTENERS_ONLY, ELB.3). TCP, UDP and TCP_UDP listeners pass traffic
 * on unencrypted and fail, as Classic TCP listeners fail ELB.3; a pass-through to targets that
 * terminate TLS themselves is what the exemption tag is for. Gateway Load Balancer (GENEVE) listeners
 * are not client endpoints: NOT_APPLICABLE. The items and policies: docs/aws-semantics.md, "Load
 * balancer listeners".
 */
export const loadBalancerHttpsOnly = defineItemRule({
  id: 'load-balancer-https-only',
  title: 'Load balancers accept only TLS 1.2+ connections',
  area: 'transit',
  description:
    'COMPLIANT when a listener is HTTPS or TLS with a TLS 1.2+ security policy (allowedSslPolicies), or HTTP redirecting to HTTPS; a Classic load balancer when every listener is HTTPS or SSL with such a policy.',
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancing::LoadBalancer'],
  trigger: 'change',
  severity: 'HIGH',
  hipaa: HIPAA_IN_TRANSIT,
  awsManagedRule: 'ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK',
  securityHubControls: ['ELB.1', 'ELB.3'],
  parameters: {
    allowedSslPolicies: stringListParam({
      default: TLS12_POLICIES,
      allowed: 'Elastic Load Balancing security policy names',
      item: () => z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/, { error: 'expected a security policy name (letters, digits and hyphens)' })),
      description:
        'Security policies an HTTPS, TLS or SSL listener may use (comma-separated); default every predefined policy that allows only TLS 1.2 and newer.',
    }),
  },
  remediation: {
    summary: 'Serve HTTPS (or TLS) with a TLS 1.2+ security policy, and make HTTP listeners redirect to HTTPS.',
    steps: [
      'EC2 console, Load Balancers, the load balancer, Listeners: for an HTTP listener, Edit, default action Redirect to URL, protocol HTTPS, port 443, status 301.',
      'For an HTTPS or TLS listener, Edit, Security policy: ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS 1.2+ policy).',
      'A Classic load balancer cannot redirect: replace its HTTP or TCP listeners with HTTPS or SSL ones using ELBSecurityPolicy-TLS-1-2-2017-01, or migrate it to an Application Load Balancer.',
    ],
    url: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html',
  },
  evaluate(item, { allowedSslPolicies }) {
    return item.resourceType === 'AWS::ElasticLoadBalancing::LoadBalancer' ? judgeClassic(item, allowedSslPolicies) : judgeListener(item, allowedSslPolicies);
  },
});
