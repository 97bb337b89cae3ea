import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { TencentCloudProvider } from '@ingress-atlas/plugin-ingress-atlas-backend-module-tencent';
import {
  loadEstates,
  nodeObject,
  startTencentCloudServer,
} from '@ingress-atlas/sandbox';
import {
  CloudInventory,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { toInventory } from '../../manifests';

export const SANDBOX = path.resolve(
  __dirname,
  '../../../../../examples/sandbox',
);

const CREDENTIALS = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};

const COLLECTED_AT = '2026-11-22T00:00:00.000Z';

/**
 * The sandbox estates read offline, as the sandbox reads estates.yaml: each cluster's
 * manifests with the nodes its API server registers and the addresses its cloud gives
 * LoadBalancer Services.
 */
export async function sandboxClusters(): Promise<ClusterInventory[]> {
  return loadEstates(SANDBOX).clusters.map(({ spec, objects }) =>
    toInventory(
      [
        ...spec.nodes.map(node => nodeObject(spec, node, COLLECTED_AT)),
        ...objects.map(object => {
          const address =
            object.kind === 'Service' &&
            spec.loadBalancers?.[`${object.metadata.namespace}/${object.metadata.name}`];
          return address && !object.status?.loadBalancer?.ingress?.length
            ? { ...object, status: { ...object.status, loadBalancer: { ingress: [{ ip: address }] } } }
            : object;
        }),
      ],
      {
        name: spec.name,
        source: 'manifests',
        url: path.join(SANDBOX, spec.name),
        readOnly: true,
        provider: spec.provider,
        region: spec.region,
        cloudClusterId: spec.cloudClusterId,
        ...(spec.istioConfigCluster ? { istioConfigCluster: spec.istioConfigCluster } : {}),
        ...(spec.vpcCni !== undefined ? { facts: { vpcCni: spec.vpcCni } } : {}),
      },
      COLLECTED_AT,
    ).inventory,
  );
}

/**
 * The sandbox's Tencent Cloud side, collected by the real Tencent provider from the Tencent
 * Cloud API stand-in serving the estates' seed.
 */
export async function sandboxTencentCloud(): Promise<CloudInventory[]> {
  const server = await startTencentCloudServer({
    seedFile: path.join(SANDBOX, 'cloud/tencent.yaml'),
    credentials: [CREDENTIALS],
  });
  try {
    const provider = TencentCloudProvider.create({
      accounts: [
        {
          name: 'sandbox',
          regions: ['ap-guangzhou', 'ap-shanghai'],
          credentials: CREDENTIALS,
          endpoint: server.url,
          kubeconfigAccess: 'none',
        },
      ],
      logger: mockServices.logger.mock(),
    });
    return await provider.collectInventory();
  } finally {
    await server.stop();
  }
}
