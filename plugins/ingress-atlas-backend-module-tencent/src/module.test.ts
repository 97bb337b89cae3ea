import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  IngressAtlasCloudProvider,
  ingressAtlasCloudProvidersExtensionPoint,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { startTencentCloudServer } from '@ingress-atlas/sandbox';
import { resolve as resolvePath } from 'node:path';
import { ingressAtlasModuleTencent } from './module';

const SEED = resolvePath(
  __dirname,
  '../../../examples/sandbox/cloud/tencent.yaml',
);
const credentials = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};

/** Stands in for the ingress-atlas plugin: holds what modules register. */
function capturingPlugin(providers: IngressAtlasCloudProvider[]) {
  return createBackendPlugin({
    pluginId: 'ingress-atlas',
    register(env) {
      env.registerExtensionPoint(ingressAtlasCloudProvidersExtensionPoint, {
        addCloudProvider: provider => providers.push(provider),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('ingressAtlasModuleTencent', () => {
  it('registers a provider for the configured accounts', async () => {
    const server = await startTencentCloudServer({
      seedFile: SEED,
      credentials: [credentials],
    });
    const providers: IngressAtlasCloudProvider[] = [];
    try {
      const backend = await startTestBackend({
        features: [
          capturingPlugin(providers),
          ingressAtlasModuleTencent,
          mockServices.rootConfig.factory({
            data: {
              ingressAtlas: {
                providers: {
                  tencent: [
                    {
                      name: 'sandbox',
                      regions: ['ap-guangzhou'],
                      endpoint: server.url,
                      credentials,
                    },
                  ],
                },
              },
            },
          }),
        ],
      });

      expect(providers.map(p => p.id)).toEqual(['tencent']);
      const [inventory] = await providers[0].collectInventory();
      expect(inventory).toMatchObject({
        provider: 'tencent',
        account: 'sandbox',
        region: 'ap-guangzhou',
        errors: [],
      });
      expect(inventory.loadBalancers.map(lb => lb.id).sort()).toEqual([
        'lb-blog0001',
        'lb-idle0001',
      ]);
      await backend.stop();
    } finally {
      await server.stop();
    }
  });

  it('registers nothing without accounts, and refuses a bad config at startup', async () => {
    const providers: IngressAtlasCloudProvider[] = [];
    const backend = await startTestBackend({
      features: [capturingPlugin(providers), ingressAtlasModuleTencent],
    });
    expect(providers).toEqual([]);
    await backend.stop();

    await expect(
      startTestBackend({
        features: [
          capturingPlugin([]),
          ingressAtlasModuleTencent,
          mockServices.rootConfig.factory({
            data: {
              ingressAtlas: {
                providers: {
                  tencent: [
                    {
                      name: 'x',
                      regions: ['ap-guangzhou'],
                      kubeconfigAccess: 'public',
                    },
                  ],
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow('ingressAtlas.providers.tencent[0].kubeconfigAccess');
  });
});
