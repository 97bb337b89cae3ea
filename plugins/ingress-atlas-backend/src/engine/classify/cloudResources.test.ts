import {
  AtlasModel,
  CloudProvider,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  CloudAddress,
  ClusterInventory,
  KubeObject,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { toInventory } from '../../manifests';
import { analyze } from '../analyze';
import { cloudInventory, COLLECTED_AT } from '../__testUtils__/fixtureEstates';

function cluster(
  name: string,
  provider: CloudProvider,
  region: string,
  objects: KubeObject[],
): ClusterInventory {
  return toInventory(
    objects,
    { name, source: 'manifests', provider, region },
    COLLECTED_AT,
  ).inventory;
}

const node = (
  name: string,
  role: string,
  internal: string,
  external?: string,
): KubeObject => ({
  kind: 'Node',
  metadata: { name, labels: { role } },
  status: {
    addresses: [
      { type: 'InternalIP', address: internal },
      ...(external ? [{ type: 'ExternalIP', address: external }] : []),
    ],
  },
});

const service = (
  name: string,
  metadata: Partial<KubeObject['metadata']>,
  more: Pick<KubeObject, 'spec' | 'status'> = {},
): KubeObject => ({
  kind: 'Service',
  metadata: { name, namespace: 'shop', ...metadata },
  spec: { type: 'LoadBalancer', ports: [{ port: 443 }], ...more.spec },
  status: more.status,
});

const reported = (address: { ip: string } | { hostname: string }) => ({
  loadBalancer: { ingress: [address] },
});

function entryOf(model: AtlasModel, id: string) {
  const entry = model.entries.find(e => e.id === id);
  expect(entry).toBeDefined();
  return entry!;
}

const costOf = (model: AtlasModel, entryId: string) =>
  model.costs.find(c => c.entry === entryId);

describe('cloud resources behind entries', () => {
  it('tells Aliyun CLBs, NLBs and ALBs apart from the cluster objects, and prices each kind', () => {
    const model = analyze({
      clusters: [
        cluster('ack', 'aliyun', 'cn-hangzhou', [
          service(
            'classic',
            {
              labels: {
                'service.k8s.alibaba/loadbalancer-id': 'lb-bp1classic',
              },
              annotations: {
                'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec':
                  'slb.s1.small',
              },
            },
            { status: reported({ ip: '203.0.113.101' }) },
          ),
          service(
            'network',
            {
              annotations: {
                'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-zone-maps':
                  'cn-hangzhou-k:vsw-1,cn-hangzhou-j:vsw-2',
              },
            },
            {
              spec: { loadBalancerClass: 'alibabacloud.com/nlb' },
              status: reported({
                hostname: 'nlb-abc123.cn-hangzhou.nlb.aliyuncsslb.com',
              }),
            },
          ),
          {
            kind: 'Ingress',
            apiVersion: 'networking.k8s.io/v1',
            metadata: { name: 'web', namespace: 'shop' },
            spec: {
              ingressClassName: 'alb',
              rules: [{ host: 'web.example.cn' }],
            },
            status: reported({
              hostname: 'alb-xyz789.cn-hangzhou.alb.aliyuncs.com',
            }),
          },
        ]),
      ],
    });

    const billed = (entryId: string) => {
      const entry = entryOf(model, entryId);
      return {
        resources: entry.resources.map(r => `${r.loadBalancerKind} ${r.id}`),
        parts: costOf(model, entryId)?.parts.map(p => [p.item, p.amountCny]),
      };
    };
    // 0.147 CNY/h for each kind; the 0.02 CNY/h public IP fee only for the CLB.
    expect(billed('entry:ack/load-balancer/shop/classic')).toEqual({
      resources: ['clb lb-bp1classic'],
      parts: [
        ['loadBalancer', 105.84],
        ['loadBalancerPublicIp', 14.4],
      ],
    });
    expect(billed('entry:ack/load-balancer/shop/network')).toEqual({
      resources: ['nlb service-ack-shop-network-nlb'],
      parts: [['networkLoadBalancer', 105.84]],
    });
    expect(billed('entry:ack/ingress-class/alb')).toEqual({
      resources: ['alb alb-xyz789'],
      parts: [['applicationLoadBalancer', 105.84]],
    });
  });

  it('keys a Huawei ELB and the EIP it was created with by the ELB, and describes the EIP in the notes', () => {
    const autocreate = (chargemode: string) => ({
      'kubernetes.io/elb.autocreate': JSON.stringify({
        type: 'public',
        bandwidth_chargemode: chargemode,
        bandwidth_size: 5,
      }),
    });
    const model = analyze({
      clusters: [
        cluster('cce', 'huawei', 'cn-north-4', [
          service('named', {
            annotations: {
              'kubernetes.io/elb.id': '4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07',
              ...autocreate('bandwidth'),
            },
          }),
          service('pending', { annotations: autocreate('traffic') }),
        ]),
      ],
    });

    const named = entryOf(model, 'entry:cce/load-balancer/shop/named');
    expect(
      named.resources.map(r => [r.kind, r.loadBalancerKind, r.id]),
    ).toEqual([
      ['load-balancer', 'elb', '4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07'],
      ['eip', undefined, 'elb-4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07-eip'],
    ]);
    expect(named.notes).toContain(
      'elb-4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07-eip: the public EIP the ELB was created with (5 Mbit/s, billed by bandwidth)',
    );
    // 5 Mbit/s at 0.063 CNY/Mbps-h; the catalogue has no figure for the ELB itself.
    expect(costOf(model, named.id)).toMatchObject({
      monthlyCny: 226.8,
      unpriced: ['huawei loadBalancer (4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07)'],
    });

    const pending = entryOf(model, 'entry:cce/load-balancer/shop/pending');
    expect(pending.resources.map(r => r.id)).toEqual([
      'service-cce-shop-pending-elb',
      'service-cce-shop-pending-elb-eip',
    ]);
    expect(pending.notes).toEqual([
      'service-cce-shop-pending-elb: ELB known only from the Service (no id annotated or found in the cloud inventory)',
      'service-cce-shop-pending-elb-eip: the public EIP the ELB was created with (5 Mbit/s, billed by traffic)',
    ]);
  });

  describe('host network and node ports', () => {
    const gateway: KubeObject = {
      kind: 'DaemonSet',
      apiVersion: 'apps/v1',
      metadata: { name: 'gateway', namespace: 'web' },
      spec: {
        selector: { matchLabels: { app: 'gateway' } },
        template: {
          metadata: { labels: { app: 'gateway' } },
          spec: {
            hostNetwork: true,
            nodeSelector: { role: 'edge' },
            containers: [{ name: 'proxy', ports: [{ containerPort: 443 }] }],
          },
        },
      },
    };
    const nodes = [
      node('edge-1', 'edge', '10.1.0.11', '203.0.113.21'),
      node('edge-2', 'edge', '10.1.0.12', '203.0.113.22'),
      node('worker-1', 'worker', '10.1.0.13'),
    ];
    const edge = cluster('edge', 'tencent', 'ap-guangzhou', [
      ...nodes,
      gateway,
    ]);
    const eip = (more: Partial<CloudAddress>): CloudAddress => ({
      id: 'eip-x',
      ip: '0.0.0.0',
      status: 'BIND',
      instanceType: 'CVM',
      chargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
      tags: [],
      ...more,
    });
    const clouds = [
      // The same private IP in another region's VPC: not the node's.
      cloudInventory('tencent', 'ap-shanghai', {
        addresses: [
          eip({ id: 'eip-sh0001', ip: '192.0.2.9', privateIp: '10.1.0.13' }),
        ],
      }),
      cloudInventory('tencent', 'ap-guangzhou', {
        addresses: [
          eip({
            id: 'eip-edge0001',
            ip: '203.0.113.21',
            privateIp: '10.1.0.11',
            chargeType: 'BANDWIDTH_POSTPAID_BY_HOUR',
            bandwidthMbps: 10,
          }),
          // The node still reports it, but the cloud has it bound to nothing.
          eip({ id: 'eip-edge0002', ip: '203.0.113.22', status: 'UNBIND' }),
          eip({
            id: 'eip-edge0003',
            ip: '192.0.2.13',
            privateIp: '10.1.0.13',
          }),
        ],
      }),
    ];

    it('costs the EIPs bound to the nodes a host-network gateway runs on, and leaves an unbound one idle', () => {
      const model = analyze({ clusters: [edge], clouds });
      const entry = entryOf(model, 'entry:edge/host-network/web/gateway');
      expect(entry.addresses).toEqual(['203.0.113.21', '203.0.113.22']);
      expect(entry.resources.map(r => r.id)).toEqual(['eip-edge0001']);
      expect(entry.notes).toContain(
        '203.0.113.22 of node edge-2 is EIP eip-edge0002, which the cloud reports bound to nothing',
      );
      // 5 Mbps at 0.063 and 5 more at 0.25 CNY/Mbps-h; traffic needs metrics.
      expect(costOf(model, entry.id)).toMatchObject({
        state: 'in-use',
        monthlyCny: 1126.8,
        traffic: 'unknown',
      });
      expect(
        model.costs
          .filter(c => c.state === 'idle')
          .map(c => [c.resource, c.monthlyCny]),
      ).toEqual([['eip-edge0002', 144]]);
      expect(
        model.findings.filter(f => f.code === 'IDLE_EIP').map(f => f.message),
      ).toEqual([expect.stringContaining('EIP eip-edge0002 (203.0.113.22')]);
    });

    it('reaches a NodePort on every node, a node without an ExternalIP at the EIP bound to it in its region', () => {
      const withNodePort = cluster('edge', 'tencent', 'ap-guangzhou', [
        ...nodes,
        service(
          'web',
          {},
          {
            spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] },
          },
        ),
      ]);
      const model = analyze({ clusters: [withNodePort], clouds });
      const entry = entryOf(model, 'entry:edge/node-port/shop/web');
      expect(entry.addresses).toEqual([
        '203.0.113.21',
        '203.0.113.22',
        '192.0.2.13',
      ]);
      expect(entry.resources.map(r => r.id)).toEqual([
        'eip-edge0001',
        'eip-edge0003',
      ]);
    });

    it('keys the public IPs the cloud inventory does not list by their node, and still costs them', () => {
      const model = analyze({ clusters: [edge] });
      const entry = entryOf(model, 'entry:edge/host-network/web/gateway');
      expect(entry.resources.map(r => r.id)).toEqual([
        'node-edge-edge-1-eip',
        'node-edge-edge-2-eip',
      ]);
      expect(entry.notes).toContain(
        'node-edge-edge-1-eip: public IP 203.0.113.21 of node edge-1, not in the cloud inventory',
      );
      expect(costOf(model, entry.id)).toMatchObject({
        monthlyCny: 0,
        traffic: 'unknown',
      });
    });
  });
});
