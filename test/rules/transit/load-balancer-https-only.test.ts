import { testOnExampleClinic } from '../../helpers/example-clinic.js';
import { expectBadParameter, runItemCases } from '../../helpers/rules.js';
import { apiSample, deletedFrom, itemFrom, rawSampleItem, SAMPLE } from '../../helpers/samples.js';

type Json = Record<string, unknown>;

const RULE = 'load-balancer-https-only';

/** A listener as DescribeListeners / ModifyListener return it (the same PascalCase keys as Config's item), in the RDK listener item. */
function listenerFrom(file: string, index = 0, changes: Json = {}) {
  return () => {
    const listener = { ...(apiSample(`elbv2/${file}`).Listeners as Json[])[index], ...changes };
    return itemFrom(SAMPLE.listener, { top: { configuration: listener, resourceId: listener.ListenerArn } });
  };
}

/** The RDK listener (HTTP:80, forward) with its configuration changed. */
const rdkListener = (changes: Json) => () => itemFrom(SAMPLE.listener, { configuration: changes });

const HTTPS = 'DescribeListeners.awscli-2-https-and-http.json';
const REDIRECT = 'ModifyListener.awscli-redirect.json';
const redirectTo = (RedirectConfig: Json) => [{ Type: 'redirect', RedirectConfig }];

/**
 * A Classic load balancer (the RDK item) with listeners and the SSL negotiation policies Config records
 * in supplementaryConfiguration.LoadBalancerPolicies. No real item with that entry filled exists: its
 * shape is the Config resource schema's (fixtures/ci/README.md); the attribute names are Elastic Load
 * Balancing's SSL negotiation attributes.
 */
function classic(listeners: Json[], policies?: Json[]) {
  return () => {
    const supplementary = { ...(rawSampleItem(SAMPLE.classicLoadBalancer).supplementaryConfiguration as Json) };
    if (policies === undefined) delete supplementary.LoadBalancerPolicies;
    else supplementary.LoadBalancerPolicies = policies;
    return itemFrom(SAMPLE.classicLoadBalancer, { configuration: { listenerDescriptions: listeners }, top: { supplementaryConfiguration: supplementary } });
  };
}
const httpsListener = (port: number, policyNames: string[], protocol = 'HTTPS') => ({
  listener: { protocol, loadBalancerPort: port, instanceProtocol: 'HTTP', instancePort: 80 },
  policyNames,
});
const negotiation = (name: string, attributes: Record<string, string>) => ({
  policyName: name,
  policyTypeName: 'SSLNegotiationPolicyType',
  policyAttributeDescriptions: Object.entries(attributes).map(([attributeName, attributeValue]) => ({ attributeName, attributeValue })),
});
const TLS12_ONLY = {
  'Protocol-SSLv3': 'false',
  'Protocol-TLSv1': 'false',
  'Protocol-TLSv1.1': 'false',
  'Protocol-TLSv1.2': 'true',
  'Server-Defined-Cipher-Order': 'true',
};

describe(RULE, () => {
  runItemCases(RULE, [
    // ELBv2 listeners, from AWS's items and API responses.
    {
      name: 'the RDK listener: HTTP:80 forwarding is NON_COMPLIANT',
      item: () => itemFrom(SAMPLE.listener),
      compliance: 'NON_COMPLIANT',
      annotation: /^HTTP listener on port 80 serves requests unencrypted \(default action forward\); redirect it to HTTPS\.$/,
    },
    {
      name: 'the CLI HTTPS listener with ELBSecurityPolicy-2015-05 (TLS 1.0) is NON_COMPLIANT',
      item: listenerFrom(HTTPS, 0),
      compliance: 'NON_COMPLIANT',
      annotation: /^HTTPS listener on port 443 uses ELBSecurityPolicy-2015-05, which is not in allowedSslPolicies \(TLS 1\.2\+ only\)\.$/,
    },
    {
      name: 'the same listener with ELBSecurityPolicy-TLS13-1-2-2021-06 is COMPLIANT',
      item: listenerFrom(HTTPS, 0, { SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }),
      compliance: 'COMPLIANT',
      annotation: /^HTTPS listener on port 443 uses ELBSecurityPolicy-TLS13-1-2-2021-06 \(TLS 1\.2\+\)\.$/,
    },
    {
      name: 'ELBSecurityPolicy-2016-08 (the API default) is NON_COMPLIANT',
      item: listenerFrom(HTTPS, 0, { SslPolicy: 'ELBSecurityPolicy-2016-08' }),
      compliance: 'NON_COMPLIANT',
      annotation: /ELBSecurityPolicy-2016-08, which is not in allowedSslPolicies/,
    },
    {
      name: 'the CLI HTTP:80 forward listener beside it is NON_COMPLIANT',
      item: listenerFrom(HTTPS, 1),
      compliance: 'NON_COMPLIANT',
      annotation: /HTTP listener on port 80 serves requests unencrypted/,
    },
    {
      name: 'the CLI forward-only listener',
      item: listenerFrom('DescribeListeners.awscli-1-http-forward.json'),
      compliance: 'NON_COMPLIANT',
      annotation: /serves requests unencrypted/,
    },
    {
      name: "Custodian's recorded HTTP listener",
      item: listenerFrom('DescribeListeners.custodian-test_appelb_is_https.json'),
      compliance: 'NON_COMPLIANT',
      annotation: /serves requests unencrypted/,
    },
    {
      name: 'the CLI redirect (Protocol HTTPS, Port "#{port}" as a string) is COMPLIANT',
      item: listenerFrom(REDIRECT),
      compliance: 'COMPLIANT',
      annotation: /^HTTP listener on port 80 redirects every request to HTTPS \(RedirectConfig\.Protocol = HTTPS\)\.$/,
    },
    {
      name: 'a redirect to port "443"',
      item: rdkListener({ DefaultActions: redirectTo({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' }) }),
      compliance: 'COMPLIANT',
      annotation: /redirects every request to HTTPS/,
    },
    {
      name: 'a redirect keeping the protocol (#{protocol}) stays on HTTP',
      item: rdkListener({ DefaultActions: redirectTo({ Protocol: '#{protocol}', Port: '#{port}', StatusCode: 'HTTP_301' }) }),
      compliance: 'NON_COMPLIANT',
      annotation: /redirects without switching to HTTPS \(RedirectConfig\.Protocol = #\{protocol\}\)/,
    },
    {
      name: 'a redirect to HTTP',
      item: rdkListener({ DefaultActions: redirectTo({ Protocol: 'HTTP', Port: '8080', StatusCode: 'HTTP_302' }) }),
      compliance: 'NON_COMPLIANT',
      annotation: /RedirectConfig\.Protocol = HTTP\)/,
    },
    {
      name: 'a fixed response over HTTP is still plain HTTP',
      item: rdkListener({ DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } }] }),
      compliance: 'NON_COMPLIANT',
      annotation: /default action fixed-response/,
    },
    // Network and Gateway Load Balancer protocols.
    {
      name: 'TLS with a TLS 1.3 policy (NLB) is COMPLIANT',
      item: rdkListener({ Protocol: 'TLS', Port: 443, SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' }),
      compliance: 'COMPLIANT',
      annotation: /^TLS listener on port 443 uses ELBSecurityPolicy-TLS13-1-3-2021-06/,
    },
    {
      name: 'TLS with ELBSecurityPolicy-TLS13-1-1-2021-06 (TLS 1.1) is NON_COMPLIANT',
      item: rdkListener({ Protocol: 'TLS', Port: 443, SslPolicy: 'ELBSecurityPolicy-TLS13-1-1-2021-06' }),
      compliance: 'NON_COMPLIANT',
      annotation: /not in allowedSslPolicies/,
    },
    {
      name: 'TCP passes traffic unencrypted',
      item: rdkListener({ Protocol: 'TCP', Port: 104 }),
      compliance: 'NON_COMPLIANT',
      annotation: /^TCP listener on port 104: the load balancer passes traffic on without TLS; .*exempt the listener/,
    },
    {
      name: 'UDP likewise',
      item: rdkListener({ Protocol: 'UDP', Port: 514 }),
      compliance: 'NON_COMPLIANT',
      annotation: /^UDP listener on port 514: the load balancer passes traffic on without TLS/,
    },
    { name: 'TCP_UDP likewise', item: rdkListener({ Protocol: 'TCP_UDP', Port: 53 }), compliance: 'NON_COMPLIANT', annotation: /^TCP_UDP listener on port 53/ },
    {
      name: 'GENEVE (Gateway Load Balancer) is no client endpoint: NOT_APPLICABLE',
      item: rdkListener({ Protocol: 'GENEVE', Port: 6081 }),
      compliance: 'NOT_APPLICABLE',
      annotation: /^GENEVE listener on port 6081 belongs to a Gateway Load Balancer/,
    },
    {
      name: 'allowedSslPolicies: a TLS 1.3-only list fails a TLS 1.2 policy',
      item: listenerFrom(HTTPS, 0, { SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }),
      params: { allowedSslPolicies: 'ELBSecurityPolicy-TLS13-1-3-2021-06' },
      compliance: 'NON_COMPLIANT',
      annotation: /not in allowedSslPolicies/,
    },
    // Listener data that cannot decide.
    {
      name: 'a listener without Protocol could not be evaluated',
      item: rdkListener({ Protocol: null }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /configuration\.Protocol is missing/,
    },
    {
      name: 'an HTTPS listener without SslPolicy could not be evaluated',
      item: rdkListener({ Protocol: 'HTTPS', Port: 443 }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /SslPolicy of the HTTPS listener is missing/,
    },
    {
      name: 'an HTTP listener without DefaultActions could not be evaluated',
      item: rdkListener({ DefaultActions: null }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /DefaultActions is missing/,
    },
    {
      name: 'an unknown protocol could not be evaluated',
      item: rdkListener({ Protocol: 'QUIC' }),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /Protocol "QUIC" is not a listener protocol this rule knows/,
    },
    // Classic Load Balancers.
    {
      name: 'the RDK Classic load balancer: HTTP:80 is NON_COMPLIANT (Classic cannot redirect)',
      item: () => itemFrom(SAMPLE.classicLoadBalancer),
      compliance: 'NON_COMPLIANT',
      annotation: /^Classic load balancer listener HTTP:80 is unencrypted; use HTTPS or SSL listeners with a TLS 1\.2\+ policy\.$/,
    },
    {
      name: 'Classic HTTPS with a policy made from ELBSecurityPolicy-TLS-1-2-2017-01 is COMPLIANT',
      item: classic(
        [httpsListener(443, ['AWSConsole-SSLNegotiationPolicy-CLB1'])],
        [negotiation('AWSConsole-SSLNegotiationPolicy-CLB1', { 'Reference-Security-Policy': 'ELBSecurityPolicy-TLS-1-2-2017-01', ...TLS12_ONLY })],
      ),
      compliance: 'COMPLIANT',
      annotation: /^Every listener of the Classic load balancer uses TLS 1\.2\+ \(HTTPS:443 uses ELBSecurityPolicy-TLS-1-2-2017-01 \(TLS 1\.2\+\)\)\.$/,
    },
    {
      name: 'Classic SSL with a policy made from ELBSecurityPolicy-2016-08 is NON_COMPLIANT',
      item: classic(
        [httpsListener(636, ['ldaps-policy'], 'SSL')],
        [negotiation('ldaps-policy', { 'Reference-Security-Policy': 'ELBSecurityPolicy-2016-08', 'Protocol-TLSv1': 'true', 'Protocol-TLSv1.2': 'true' })],
      ),
      compliance: 'NON_COMPLIANT',
      annotation: /SSL:636 uses ELBSecurityPolicy-2016-08, which is not in allowedSslPolicies/,
    },
    {
      name: 'a custom Classic policy with TLS 1.2 only is COMPLIANT',
      item: classic([httpsListener(443, ['custom-tls12'])], [negotiation('custom-tls12', TLS12_ONLY)]),
      compliance: 'COMPLIANT',
      annotation: /HTTPS:443: custom policy allows TLS 1\.2 only/,
    },
    {
      name: 'a custom Classic policy allowing TLS 1.0 is NON_COMPLIANT',
      item: classic([httpsListener(443, ['custom-old'])], [negotiation('custom-old', { ...TLS12_ONLY, 'Protocol-TLSv1': 'true' })]),
      compliance: 'NON_COMPLIANT',
      annotation: /custom policy custom-old allows Protocol-TLSv1/,
    },
    {
      name: 'a custom Classic policy with TLS 1.2 off is NON_COMPLIANT',
      item: classic([httpsListener(443, ['custom-off'])], [negotiation('custom-off', { ...TLS12_ONLY, 'Protocol-TLSv1.2': 'false' })]),
      compliance: 'NON_COMPLIANT',
      annotation: /turns TLS 1\.2 off/,
    },
    {
      name: 'Classic TCP is unencrypted',
      item: classic([httpsListener(443, [], 'TCP')], []),
      compliance: 'NON_COMPLIANT',
      annotation: /TCP:443 is unencrypted/,
    },
    {
      name: 'one HTTP listener beside a good HTTPS one fails the load balancer, naming it',
      item: classic([httpsListener(443, ['custom-tls12']), httpsListener(80, [], 'HTTP')], [negotiation('custom-tls12', TLS12_ONLY)]),
      compliance: 'NON_COMPLIANT',
      annotation: /listener HTTP:80 is unencrypted;/,
    },
    {
      name: 'Classic HTTPS without LoadBalancerPolicies recorded could not be evaluated',
      item: classic([httpsListener(443, ['AWSConsole-SSLNegotiationPolicy-CLB1'])]),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /HTTPS:443: supplementaryConfiguration\.LoadBalancerPolicies is not recorded/,
    },
    {
      name: 'Classic HTTPS whose policy is not among those recorded could not be evaluated',
      item: classic([httpsListener(443, ['missing-policy'])], []),
      compliance: 'INSUFFICIENT_DATA',
      annotation: /its SSL negotiation policy \(missing-policy\) is not among the recorded LoadBalancerPolicies/,
    },
    {
      name: 'a Classic load balancer without listeners accepts nothing: NOT_APPLICABLE',
      item: classic([], []),
      compliance: 'NOT_APPLICABLE',
      annotation: /has no listeners/,
    },
    // Scope.
    { name: 'a deleted listener is NOT_APPLICABLE', item: () => deletedFrom(SAMPLE.listener), compliance: 'NOT_APPLICABLE', annotation: /deleted/ },
    {
      name: 'a deleted Classic load balancer is NOT_APPLICABLE',
      item: () => deletedFrom(SAMPLE.classicLoadBalancer),
      compliance: 'NOT_APPLICABLE',
      annotation: /deleted/,
    },
    {
      name: 'an exempt TCP listener (targets terminate TLS) is NOT_APPLICABLE',
      item: () =>
        itemFrom(SAMPLE.listener, {
          configuration: { Protocol: 'TCP', Port: 443 },
          top: { tags: { 'compliance:exempt': 'TLS terminated on the PACS appliance' } },
        }),
      compliance: 'NOT_APPLICABLE',
      annotation: /^Exempt \(compliance:exempt\): TLS terminated on the PACS appliance$/,
    },
    { name: 'a bucket is NOT_APPLICABLE', item: () => itemFrom(SAMPLE.bucket), compliance: 'NOT_APPLICABLE', annotation: /does not evaluate/ },
  ]);

  test.each([
    [{ allowedSslPolicies: 'TLS 1.2' }, /parameter allowedSslPolicies = "TLS 1.2" is invalid \(item 0\): expected a security policy name/],
    [{ allowedSslPolicies: 12 }, /parameter allowedSslPolicies = 12 is invalid/],
    [{ minTls: '1.2' }, /unknown parameter "minTls"; known parameters: allowedSslPolicies/],
  ])('bad parameter %j', (params, message) => {
    expectBadParameter(RULE, params, message);
  });
});

testOnExampleClinic(RULE, 'the PACS viewer serves plain HTTP; the portal listeners use TLS 1.2+ or redirect', {
  COMPLIANT: [
    'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/ehr-portal/4f1a2b3c4d5e6f70/0a1b2c3d4e5f6a01',
    'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/ehr-portal/4f1a2b3c4d5e6f70/0a1b2c3d4e5f6a02',
  ],
  NON_COMPLIANT: ['arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/pacs-viewer/5a6b7c8d9e0f1a2b/0a1b2c3d4e5f6a03'],
});
