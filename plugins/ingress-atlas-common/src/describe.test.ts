import {
  describeCluster,
  describeEdgePort,
  describeEntry,
  describeGateway,
  describeMonthlyCost,
  describeResource,
  describeRoute,
  describeTarget,
  describeTls,
  describeWorkload,
  formatMonthlyCny,
  MonthlyCostOptions,
} from './describe';
import { BillableResource, Entry, TlsInfo } from './model';

/** An entry of the given type on tke-blog, with nothing else unless given. */
const entry = (fields: Partial<Entry> & Pick<Entry, 'type'>): Entry => ({
  id: `entry:tke-blog/${fields.type}`,
  cluster: 'tke-blog',
  network: 'public',
  networkReason: 'test',
  addresses: [],
  provider: 'tencent',
  ports: [],
  resources: [],
  notes: [],
  ...fields,
});

const resource = (
  kind: BillableResource['kind'],
  id: string,
  loadBalancerKind?: string,
): BillableResource => ({
  provider: 'tencent',
  kind,
  id,
  network: 'public',
  loadBalancerKind,
});

/** Service ports 80 and 443 on node ports 30080 and 30443. */
const webPorts = [80, 443].map(port => ({
  port,
  protocol: 'TCP',
  nodePort: port + 30000,
}));

describe('describeEntry', () => {
  it.each<[string, Entry, string]>([
    [
      'a public CLB by its id, then its address and ports',
      entry({
        type: 'load-balancer',
        addresses: ['198.51.100.11'],
        cloudResourceId: 'lb-blog0001',
        resources: [resource('load-balancer', 'lb-blog0001', 'clb')],
        ports: webPorts,
      }),
      'CLB lb-blog0001 · 198.51.100.11 · ports 80, 443',
    ],
    [
      'a load balancer of no known kind as its cloud does, with a protocol other than TCP',
      entry({
        type: 'load-balancer',
        provider: 'aliyun',
        addresses: ['203.0.113.140'],
        cloudResourceId: 'lb-bp1ingress01',
        ports: [{ port: 53, protocol: 'UDP' }],
      }),
      'SLB lb-bp1ingress01 · 203.0.113.140 · port 53/UDP',
    ],
    [
      'a load balancer with no cloud id',
      entry({
        type: 'load-balancer',
        provider: 'generic',
        addresses: ['192.0.2.80'],
      }),
      'Load balancer · 192.0.2.80',
    ],
    [
      'a pod EIP as one',
      entry({
        type: 'pod-eip',
        addresses: ['192.0.2.4'],
        cloudResourceId: 'eip-pod0001',
        resources: [resource('eip', 'eip-pod0001')],
        ports: [{ port: 443 }],
      }),
      'Pod EIP eip-pod0001 · 192.0.2.4 · port 443',
    ],
    [
      'the node IPs of a host-network entry, and the EIPs they are reached on',
      entry({
        type: 'host-network',
        addresses: ['203.0.113.21', '203.0.113.22'],
        resources: [
          resource('eip', 'eip-edge0001'),
          resource('eip', 'eip-edge0002'),
        ],
        ports: webPorts,
      }),
      'Node IPs 203.0.113.21, 203.0.113.22 · EIP eip-edge0001, eip-edge0002 · ports 80, 443',
    ],
    [
      'the node ports of a NodePort entry, not its Service ports',
      entry({
        type: 'node-port',
        addresses: ['10.0.0.4', '10.0.0.5'],
        ports: webPorts,
      }),
      'NodePort 30080, 30443 on 10.0.0.4, 10.0.0.5',
    ],
    [
      'the other types by their label',
      entry({
        type: 'front-proxy',
        network: 'internal',
        addresses: ['10.1.0.100'],
        ports: [{ port: 80 }],
      }),
      'Front proxy 10.1.0.100 · port 80',
    ],
  ])('names %s', (_, given, expected) => {
    expect(describeEntry(given)).toBe(expected);
  });
});

describe('describeResource', () => {
  it('names a resource by kind and id, a load balancer as its cloud does', () => {
    expect(describeResource(resource('eip', 'eip-1'))).toBe('EIP eip-1');
    expect(describeResource(resource('vpc-endpoint', 'vpce-1'))).toBe(
      'VPC endpoint vpce-1',
    );
    expect(
      describeResource({
        ...resource('load-balancer', 'elb-1'),
        provider: 'huawei',
      }),
    ).toBe('ELB elb-1');
  });
});

describe('describeGateway', () => {
  it('says which cluster the gateway is on', () => {
    const gateway = {
      namespace: 'istio-system',
      name: 'istio-ingressgateway',
      kind: 'istio',
      cluster: 'tke-blog',
    } as const;
    expect(describeGateway(gateway)).toBe(
      'istio-system/istio-ingressgateway (istio) on tke-blog',
    );
  });
});

describe('describeCluster', () => {
  it('names the cloud, with the cloud id and region when known', () => {
    expect(
      describeCluster({
        name: 'tke-blog',
        provider: 'tencent',
        cloudClusterId: 'cls-blog0001',
        region: 'ap-guangzhou',
      }),
    ).toBe('Tencent Cloud cluster tke-blog (cls-blog0001 in ap-guangzhou)');
    expect(describeCluster({ name: 'kind', provider: 'generic' })).toBe(
      'Kubernetes cluster kind',
    );
  });
});

describe('describeTls', () => {
  const fromSecret = (expiry: Partial<TlsInfo>): TlsInfo => ({
    mode: 'SIMPLE',
    credentialName: 'blog-cert',
    certificateSource: 'secret',
    secretRef: 'istio-system/blog-cert',
    ...expiry,
  });

  const tls = (
    mode: string,
    certificateSource: TlsInfo['certificateSource'],
  ): TlsInfo => ({ mode, certificateSource });

  it.each<[string, TlsInfo, string]>([
    [
      'a certificate from a Secret, with its expiry',
      fromSecret({ notAfter: '2027-01-05T00:00:00.000Z', daysToExpiry: 45 }),
      'SIMPLE, certificate from Secret istio-system/blog-cert, expires 2027-01-05 (in 45 days)',
    ],
    [
      'an expired certificate, with how long ago',
      fromSecret({ notAfter: '2026-11-19T00:00:00.000Z', daysToExpiry: -1 }),
      'SIMPLE, certificate from Secret istio-system/blog-cert, expired 2026-11-19 (1 day ago)',
    ],
    [
      'a certificate expiring today',
      fromSecret({ daysToExpiry: 0 }),
      'SIMPLE, certificate from Secret istio-system/blog-cert, expires within a day',
    ],
    ['plain HTTP', tls('NONE', 'none'), 'none, plain HTTP'],
    [
      'a passthrough',
      tls('PASSTHROUGH', 'none'),
      'PASSTHROUGH, the backend holds the certificate',
    ],
    [
      'a certificate mounted into the proxy',
      tls('MUTUAL', 'file'),
      'MUTUAL, certificate from files in the proxy',
    ],
    [
      "a certificate mounted from a Secret the proxy's pod mounts, with its expiry",
      {
        ...tls('SIMPLE', 'file'),
        secretRef: 'istio-system/istio-ingressgateway-certs',
        notAfter: '2027-03-15T00:00:00.000Z',
        daysToExpiry: 97,
      },
      'SIMPLE, certificate from files mounted from Secret istio-system/istio-ingressgateway-certs, expires 2027-03-15 (in 97 days)',
    ],
    [
      'a gateway with no certificate',
      tls('SIMPLE', 'none'),
      'SIMPLE, no certificate',
    ],
  ])('describes %s', (_, given, expected) => {
    expect(describeTls(given)).toBe(expected);
  });
});

describe('describeEdgePort', () => {
  it.each<[string, Parameters<typeof describeEdgePort>[0], string]>([
    [
      'a TLS listener',
      { port: 443, protocol: 'HTTPS', tls: 'SIMPLE' },
      'HTTPS 443, TLS SIMPLE',
    ],
    [
      'plain HTTP',
      { port: 80, protocol: 'http', tls: 'NONE' },
      'HTTP 80, no TLS',
    ],
    ['a port of unknown TLS', { port: 9000, protocol: 'TCP' }, 'TCP 9000'],
    ['a bare port', { port: 8080 }, 'port 8080'],
  ])('describes %s', (_, given, expected) => {
    expect(describeEdgePort(given)).toBe(expected);
  });
});

describe('describeMonthlyCost', () => {
  it('writes amounts as the price catalogue does', () => {
    expect(formatMonthlyCny(1234.5)).toBe('1,234.5 CNY/month');
  });

  it.each<[number | undefined, MonthlyCostOptions, string]>([
    [144, {}, '144 CNY/month'],
    [0, {}, '0 CNY/month'],
    // An unpriced cost never passes for a free one.
    [undefined, {}, 'not priced'],
    [0, { unpriced: true }, 'not priced'],
    [144, { unpriced: true }, '144 CNY/month and items not priced'],
    // Traffic bills on top, in an amount nobody knows.
    [
      144,
      { trafficUnknown: true },
      '144 CNY/month, plus traffic of unknown volume',
    ],
    [
      0,
      { trafficUnknown: true },
      'no fixed fee, plus traffic of unknown volume',
    ],
  ])('describes %p with %p as %p', (amount, options, expected) => {
    expect(describeMonthlyCost(amount, options)).toBe(expected);
  });
});

describe('describeRoute, describeTarget and describeWorkload', () => {
  it('name what serves a path inside the cluster', () => {
    expect(
      describeRoute({
        kind: 'VirtualService',
        namespace: 'blog',
        name: 'blog',
      }),
    ).toBe('VirtualService blog/blog');
    expect(
      describeTarget({
        service: { cluster: 'tke-blog', namespace: 'blog', name: 'blog' },
      }),
    ).toBe('Service blog/blog');
    expect(describeTarget({ apiServer: true })).toBe('Kubernetes API server');
    expect(describeTarget({})).toBe('');
    expect(
      describeWorkload({
        cluster: 'tke-blog',
        kind: 'StatefulSet',
        namespace: 'istio-system',
        name: 'istio-ingressgateway',
      }),
    ).toBe('StatefulSet istio-system/istio-ingressgateway');
  });
});
