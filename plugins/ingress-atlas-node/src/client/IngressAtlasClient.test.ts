import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { IngressAtlasApi } from './types';
import { ingressAtlasClientServiceRef } from './IngressAtlasClient';
import {
  createIngressAtlasTestPlugin,
  sandboxClusters,
  sandboxExposures,
} from './testUtils';

/** Boots a backend with a plugin that depends on the client, and hands the client out. */
async function clientIn(
  features: Array<ReturnType<typeof createBackendPlugin>>,
) {
  let client: IngressAtlasApi | undefined;
  await startTestBackend({
    features: [
      ...features,
      createBackendPlugin({
        pluginId: 'probe',
        register(env) {
          env.registerInit({
            deps: { atlas: ingressAtlasClientServiceRef },
            async init({ atlas }) {
              client = atlas;
            },
          });
        },
      }),
    ],
  });
  return client!;
}

describe('ingressAtlasClientServiceRef', () => {
  it('reads exposures and clusters as the calling plugin', async () => {
    const atlas = createIngressAtlasTestPlugin();
    const client = await clientIn([atlas.plugin]);

    await expect(client.getExposures()).resolves.toEqual(sandboxExposures);
    await expect(client.getClusters()).resolves.toEqual(sandboxClusters);
    expect(atlas.requests).toEqual([
      { path: '/exposures', subject: 'plugin:probe' },
      { path: '/clusters', subject: 'plugin:probe' },
    ]);
  });

  it('throws the backend error with its status and message', async () => {
    const atlas = createIngressAtlasTestPlugin({
      failWith: {
        status: 503,
        name: 'ServiceUnavailableError',
        message: 'The atlas has not been refreshed yet',
      },
    });
    const client = await clientIn([atlas.plugin]);

    const error = await client.getExposures().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(503);
    expect(error.cause).toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'The atlas has not been refreshed yet',
    });
  });

  it('fails clearly when the ingress-atlas backend is not installed', async () => {
    const client = await clientIn([]);

    const error = await client.getClusters().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
  });
});
