import path from 'node:path';
import { promises as fs } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import {
  CloudInventory,
  ClusterDescriptor,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { loadManifestCluster } from '../../manifests';
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

/** The cloud side of the fixture world, as the providers' collectors report it. */
export function fixtureClouds(): CloudInventory[] {
  const tencent = (
    region: string,
    rest: Partial<CloudInventory>,
  ): CloudInventory => ({
    provider: 'tencent',
    account: 'sandbox',
    region,
    collectedAt: COLLECTED_AT,
    loadBalancers: [],
    addresses: [],
    vpcEndpoints: [],
    meshes: [],
    errors: [],
    ...rest,
  });
  const listener = (port: number, ip: string) => ({
    id: `lbl-${port}`,
    protocol: 'TCP',
    port,
    targets: [{ type: 'ENI', ip, port }],
  });
  return [
    tencent('ap-guangzhou', {
      loadBalancers: [
        {
          id: 'lb-blog0001',
          network: 'public',
          vips: ['129.204.10.11'],
          tags: [
            { key: 'tke-createdBy-flag', value: 'yes' },
            { key: 'tke-clusterId', value: 'cls-blog0001' },
            {
              key: 'tke-lb-serviceuuid',
              value: '7d1c7a52-0000-4000-8000-000000000001',
            },
          ],
          listeners: [listener(80, '10.1.0.31'), listener(443, '10.1.0.31')],
          kind: 'clb',
        },
        {
          id: 'lb-idle0001',
          network: 'public',
          vips: ['129.204.10.99'],
          tags: [],
          listeners: [],
          kind: 'clb',
        },
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
                  vip: '129.204.10.11',
                },
              ],
            },
          ],
        },
      ],
    }),
    tencent('ap-shanghai', {
      loadBalancers: [
        {
          id: 'lb-saas0001',
          network: 'public',
          vips: ['129.204.20.21'],
          tags: [{ key: 'tke-clusterId', value: 'cls-saas0001' }],
          listeners: [listener(443, '10.20.1.5')],
          kind: 'clb',
        },
        {
          id: 'lb-saasew01',
          network: 'internal',
          vips: ['10.20.0.50'],
          tags: [{ key: 'tke-clusterId', value: 'cls-saas0001' }],
          listeners: [listener(15443, '10.20.1.6')],
          kind: 'clb',
        },
        // A CLB TKE made for a Service of the primary that has since been deleted.
        {
          id: 'lb-saasold1',
          network: 'public',
          vips: ['129.204.20.99'],
          tags: [
            { key: 'tke-clusterId', value: 'cls-saas0001' },
            { key: 'tke-lb-serviceuuid', value: 'gone-0000' },
          ],
          listeners: [listener(80, '10.20.1.7')],
          kind: 'clb',
        },
      ],
    }),
    {
      provider: 'huawei',
      account: 'sandbox',
      region: 'cn-north-4',
      collectedAt: COLLECTED_AT,
      loadBalancers: [],
      addresses: [],
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
      meshes: [],
      errors: [],
    },
  ];
}

/** The demo catalog entities (examples/entities.yaml), reduced as the backend reads them. */
export async function demoEntities(): Promise<CatalogEntityLite[]> {
  const text = await fs.readFile(
    path.join(REPO_ROOT, 'examples/entities.yaml'),
    'utf8',
  );
  return parseAllDocuments(text)
    .map(d => d.toJS())
    .filter(e => e?.metadata?.annotations)
    .map(e => ({
      ref: `${String(e.kind).toLowerCase()}:${
        e.metadata.namespace ?? 'default'
      }/${e.metadata.name}`,
      annotations: e.metadata.annotations,
    }));
}
