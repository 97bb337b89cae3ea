import { analyzeYaml, loadBalancerService } from '../__testUtils__/analyzeYaml';

function reachOf(
  annotations: Record<string, string>,
  options: {
    provider?: 'tencent' | 'aliyun' | 'huawei' | 'generic';
    spec?: object;
    status?: object;
  } = {},
) {
  const model = analyzeYaml(loadBalancerService('web', annotations, options), {
    provider: options.provider ?? 'generic',
  });
  const [entry] = model.entries;
  return { network: entry.network, reason: entry.networkReason };
}

describe('public, internal or unknown, with the reason', () => {
  it.each([
    ['GCP legacy', { 'cloud.google.com/load-balancer-type': 'Internal' }],
    ['GKE', { 'networking.gke.io/load-balancer-type': 'Internal' }],
    [
      'AWS scheme',
      { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
    ],
    [
      'AWS in-tree',
      { 'service.beta.kubernetes.io/aws-load-balancer-internal': '0.0.0.0/0' },
    ],
    [
      'Azure',
      { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
    ],
    [
      'TKE',
      {
        'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid':
          'subnet-1',
      },
    ],
    [
      'Aliyun',
      {
        'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type':
          'intranet',
      },
    ],
    [
      'Huawei inner ELB (no EIP)',
      { 'kubernetes.io/elb.autocreate': '{"type":"inner","name":"x"}' },
    ],
  ])('%s internal annotation makes an internal entry', (_, annotations) => {
    const [[key, value]] = Object.entries(annotations);
    expect(reachOf(annotations)).toEqual({
      network: 'internal',
      reason: `annotation ${key}: ${value}`,
    });
  });

  it('an AWS scheme of internet-facing and an in-tree internal "false" are public', () => {
    expect(
      reachOf({
        'service.beta.kubernetes.io/aws-load-balancer-scheme':
          'internet-facing',
      }).network,
    ).toBe('public');
    expect(
      reachOf({
        'service.beta.kubernetes.io/aws-load-balancer-internal': 'false',
      }).network,
    ).toBe('public');
  });

  it("takes the AWS load balancer controller's documented default (internal) for its NLBs", () => {
    expect(
      reachOf({}, { spec: { loadBalancerClass: 'service.k8s.aws/nlb' } }),
    ).toEqual({
      network: 'internal',
      reason: expect.stringMatching(
        /^default: the AWS load balancer controller creates internal NLBs/,
      ),
    });
    expect(
      reachOf({
        'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      }).network,
    ).toBe('internal');
  });

  it.each([
    ['tencent', { 'service.kubernetes.io/tke-existed-lbid': 'lb-abc' }],
    [
      'aliyun',
      { 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id': 'lb-xyz' },
    ],
    [
      'huawei',
      { 'kubernetes.io/elb.id': '3c7caa5a-a641-4bff-801a-feace27424b6' },
    ],
  ] as const)(
    'a load balancer reused by id on %s is unknown without inventory',
    (provider, annotations) => {
      const [[key, id]] = Object.entries(annotations);
      expect(reachOf(annotations, { provider })).toEqual({
        network: 'unknown',
        reason: `existing load balancer ${id} (${key}), no cloud inventory`,
      });
    },
  );

  it('a reused load balancer with a reported public address is public by that address', () => {
    expect(
      reachOf(
        { 'service.kubernetes.io/tke-existed-lbid': 'lb-abc' },
        {
          provider: 'tencent',
          status: { loadBalancer: { ingress: [{ ip: '198.51.100.11' }] } },
        },
      ),
    ).toEqual({
      network: 'public',
      reason: 'reported address 198.51.100.11 is public',
    });
  });

  it("without any annotation, a provider's documented default: public", () => {
    expect(reachOf({}, { provider: 'tencent' })).toEqual({
      network: 'public',
      reason:
        'default: TKE creates a public CLB unless an internal subnet is annotated',
    });
  });

  it('a class of another controller leaves the network to it: unknown', () => {
    expect(
      reachOf(
        {},
        { spec: { loadBalancerClass: 'io.cilium/bgp-control-plane' } },
      ).network,
    ).toBe('unknown');
  });

  it('loadBalancerSourceRanges narrow a public entry, and the reason says so', () => {
    expect(
      reachOf({}, { spec: { loadBalancerSourceRanges: ['203.0.113.0/24'] } })
        .reason,
    ).toMatch(
      /; only 203\.0\.113\.0\/24 may connect \(loadBalancerSourceRanges\)$/,
    );
  });

  it('every entry carries a reason', () => {
    const model = analyzeYaml(
      [
        loadBalancerService('a'),
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'np', namespace: 'default' },
          spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] },
        }),
      ].join('\n---\n'),
    );
    expect(
      model.entries.map(e => [e.type, e.network, e.networkReason]),
    ).toEqual([
      ['load-balancer', 'public', expect.stringMatching(/^default: /)],
      ['node-port', 'unknown', 'no node address in the input'],
    ]);
  });

  it('SINGLE_REPLICA_PUBLIC_LB names the Service when the load balancer has no id or address yet', () => {
    const model = analyzeYaml(
      [
        loadBalancerService(
          'istio-ingressgateway',
          {},
          { spec: { selector: { istio: 'ingressgateway' } } },
        ),
        JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'istio-ingressgateway', namespace: 'default' },
          spec: {
            replicas: 1,
            selector: { matchLabels: { istio: 'ingressgateway' } },
            template: {
              metadata: { labels: { istio: 'ingressgateway' } },
              spec: { containers: [{ name: 'proxy' }] },
            },
          },
        }),
      ].join('\n---\n'),
    );
    const finding = model.findings.find(
      f => f.code === 'SINGLE_REPLICA_PUBLIC_LB',
    );
    expect(finding?.message).toBe(
      'Public load balancer of Service default/istio-ingressgateway in c sends all traffic to one replica of default/istio-ingressgateway',
    );
  });
});
