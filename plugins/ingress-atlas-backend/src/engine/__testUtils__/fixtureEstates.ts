import path from 'node:path';
import { CloudProvider } from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  CloudInventory,
  CloudLoadBalancer,
  ClusterDescriptor,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { loadManifestCluster, readEntities } from '../../manifests';
import { CatalogEntityLite } from '../types';

const FIXTURES = path.resolve(__dirname, '../__fixtures__');
const REPO_ROOT = path.resolve(__dirname, '../../../../..');

export const COLLECTED_AT = '2026-11-21T00:00:00.000Z';

const DESCRIPTORS: Array<Omit<ClusterDescriptor, 'source'>> = [
  {
    name: 'tke-blog',
    provider: 'tencent',
    region: 'ap-guangzhou',
    cloudClusterId: 'cls-blog0001',
  },
  {
    name: 'tke-saas-primary',
    provider: 'tencent',
    region: 'ap-shanghai',
    cloudClusterId: 'cls-saas0001',
  },
  {
    name: 'tke-saas-remote',
    provider: 'tencent',
    region: 'ap-shanghai',
    cloudClusterId: 'cls-saas0002',
  },
  {
    name: 'edge',
    provider: 'tencent',
    region: 'ap-guangzhou',
    cloudClusterId: 'cls-edge0001',
  },
  {
    name: 'aliyun-asm',
    provider: 'aliyun',
    region: 'cn-hangzhou',
    cloudClusterId: 'c-asm0001',
  },
  {
    name: 'huawei-cce',
    provider: 'huawei',
    region: 'cn-north-4',
    cloudClusterId: 'cce-0001',
  },
];

/** The fixture clusters, read through the manifest loader like offline clusters. */
export async function fixtureClusters(): Promise<ClusterInventory[]> {
  const clusters = [];
  for (const descriptor of DESCRIPTORS) {
    const { inventory } = await loadManifestCluster(
      [path.join(FIXTURES, descriptor.name)],
      descriptor,
      { collectedAt: COLLECTED_AT },
    );
    clusters.push(inventory);
  }
  return clusters;
}

/** A cloud inventory as a provider reports it; only what a test sets differs from empty. */
export function cloudInventory(
  provider: CloudProvider,
  region: string,
  rest: Partial<CloudInventory> = {},
): CloudInventory {
  return {
    provider,
    account: 'sandbox',
    region,
    collectedAt: COLLECTED_AT,
    loadBalancers: [],
    addresses: [],
    vpcEndpoints: [],
    meshes: [],
    errors: [],
    ...rest,
  };
}

/** A CLB with TCP listeners forwarding to one ENI IP each. */
function clb(
  id: string,
  vip: string,
  options: {
    network?: CloudLoadBalancer['network'];
    tags?: Record<string, string>;
    listeners?: Array<[port: number, targetIp: string]>;
  } = {},
): CloudLoadBalancer {
  return {
    id,
    kind: 'clb',
    network: options.network ?? 'public',
    vips: [vip],
    tags: Object.entries(options.tags ?? {}).map(([key, value]) => ({
      key,
      value,
    })),
    listeners: (options.listeners ?? []).map(([port, ip]) => ({
      id: `lbl-${port}`,
      protocol: 'TCP',
      port,
      targets: [{ type: 'ENI', ip, port }],
    })),
  };
}

/** The cloud side of the fixture world, as the providers' collectors report it. */
export function fixtureClouds(): CloudInventory[] {
  return [
    cloudInventory('tencent', 'ap-guangzhou', {
      loadBalancers: [
        clb('lb-blog0001', '198.51.100.11', {
          tags: {
            'tke-createdBy-flag': 'yes',
            'tke-clusterId': 'cls-blog0001',
            'tke-lb-serviceuuid': '7d1c7a52-0000-4000-8000-000000000001',
          },
          listeners: [
            [80, '10.1.0.31'],
            [443, '10.1.0.31'],
          ],
        }),
        clb('lb-idle0001', '198.51.100.99'),
      ],
      addresses: [
        {
          id: 'eip-idle0001',
          ip: '203.0.113.77',
          status: 'UNBIND',
          chargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
          tags: [],
        },
      ],
      meshes: [
        {
          id: 'mesh-blog0001',
          name: 'blog',
          kind: 'tcm',
          version: '1.10.3',
          state: 'RUNNING',
          clusters: [
            {
              cloudClusterId: 'cls-blog0001',
              role: 'primary',
              ingressGateways: [
                {
                  name: 'istio-ingressgateway',
                  namespace: 'istio-system',
                  loadBalancerId: 'lb-blog0001',
                  vip: '198.51.100.11',
                },
              ],
            },
          ],
        },
      ],
    }),
    cloudInventory('tencent', 'ap-shanghai', {
      loadBalancers: [
        clb('lb-saas0001', '198.51.100.121', {
          tags: { 'tke-clusterId': 'cls-saas0001' },
          listeners: [[443, '10.20.1.5']],
        }),
        clb('lb-saasew01', '10.20.0.50', {
          network: 'internal',
          tags: { 'tke-clusterId': 'cls-saas0001' },
          listeners: [[15443, '10.20.1.6']],
        }),
        // A CLB TKE made for a Service of the primary that has since been deleted.
        clb('lb-saasold1', '198.51.100.122', {
          tags: {
            'tke-clusterId': 'cls-saas0001',
            'tke-lb-serviceuuid': 'gone-0000',
          },
          listeners: [[80, '10.20.1.7']],
        }),
      ],
    }),
    cloudInventory('huawei', 'cn-north-4', {
      vpcEndpoints: [
        {
          id: 'vpce-cce0001',
          vpcId: 'vpc-ops',
          serviceId: 'vpces-cce',
          vip: '192.168.10.5',
          serviceLoadBalancerId: 'elb-cce0001',
          state: 'accepted',
        },
      ],
    }),
  ];
}

/** The demo catalog entities (examples/entities.yaml), read as the CLI reads them. */
export function demoEntities(): Promise<CatalogEntityLite[]> {
  return readEntities([path.join(REPO_ROOT, 'examples/entities.yaml')]);
}
