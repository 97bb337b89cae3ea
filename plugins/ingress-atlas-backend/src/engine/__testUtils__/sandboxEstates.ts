import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { TencentCloudProvider } from '@ingress-atlas/plugin-ingress-atlas-backend-module-tencent';
import { startTencentCloudServer } from '@ingress-atlas/sandbox';
import {
  CloudInventory,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { loadEstates } from '../../manifests';

export const SANDBOX = path.resolve(
  __dirname,
  '../../../../../examples/sandbox',
);

const CREDENTIALS = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};

/** The sandbox estates, read offline through the manifest loader. */
export async function sandboxClusters(): Promise<ClusterInventory[]> {
  const loaded = await loadEstates(SANDBOX, {
    collectedAt: '2026-11-22T00:00:00.000Z',
  });
  return loaded.map(l => l.inventory);
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
