import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import ingressAtlasPlugin from '@ingress-atlas/plugin-ingress-atlas-backend';
import tencentModule from '@ingress-atlas/plugin-ingress-atlas-backend-module-tencent';
import {
  SandboxAtlasOptions,
  startSandboxAtlas,
  stoppedAfterEach,
  usersOnlyPermissions,
} from '@ingress-atlas/sandbox/testUtils';
import { IngressAtlasApi } from './types';
import { ingressAtlasClientServiceRef } from './IngressAtlasClient';

jest.setTimeout(180_000);

/** A plugin that depends on the client, handing it out to the test. */
function probe() {
  let client: IngressAtlasApi | undefined;
  const plugin = createBackendPlugin({
    pluginId: 'probe',
    register(env) {
      env.registerInit({
        deps: { atlas: ingressAtlasClientServiceRef },
        async init({ atlas }) {
          client = atlas;
        },
      });
    },
  });
  return { plugin, client: () => client! };
}

/** The real ingress-atlas backend on the sandbox, next to the probe plugin. */
async function startAtlasWithClient(
  options: Partial<SandboxAtlasOptions<any[]>> = {},
) {
  const { plugin, client } = probe();
  const atlas = await startSandboxAtlas({
    ...options,
    features: [
      ingressAtlasPlugin,
      tencentModule,
      plugin,
      ...(options.features ?? []),
    ],
  });
  return { atlas, client: client() };
}

describe('ingressAtlasClientServiceRef', () => {
  const start = stoppedAfterEach(startAtlasWithClient);

  it('reads exposures, clusters and cloud inventory as the calling plugin', async () => {
    const { atlas, client } = await start();

    const exposures = await client.getExposures();
    expect(exposures).toEqual(await atlas.get('/exposures'));
    expect(exposures.generatedAt).toBeDefined();
    expect(
      exposures.paths.find(p => p.host === 'blog.example.com'),
    ).toMatchObject({
      cluster: 'tke-blog',
      network: 'public',
      entityRefs: ['component:default/blog'],
      monthlyCostShareCny: 144,
    });

    const { clusters } = await client.getClusters();
    expect(clusters.map(c => [c.name, c.status])).toEqual([
      ['aliyun-asm', 'ok'],
      ['aliyun-asm-mesh', 'ok'],
      ['edge', 'ok'],
      ['huawei-cce', 'ok'],
      ['tke-blog', 'ok'],
      ['tke-next', 'ok'],
      ['tke-next-remote', 'ok'],
      ['tke-saas-primary', 'ok'],
      ['tke-saas-remote', 'ok'],
    ]);

    const { inventories } = await client.getCloudInventory();
    const guangzhou = inventories.find(i => i.region === 'ap-guangzhou')!;
    expect(guangzhou.loadBalancers.map(lb => lb.id)).toEqual(
      expect.arrayContaining(['lb-blog0001', 'lb-idle0001']),
    );
    expect(guangzhou.addresses.map(a => a.id)).toContain('eip-idle0001');
  });

  it('throws the backend error with its status and message', async () => {
    const started = await start({ features: [usersOnlyPermissions()] });

    const error = await started.client.getExposures().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause).toMatchObject({
      name: 'NotAllowedError',
      message: 'Missing permission ingress-atlas.read',
    });
  });

  it('fails clearly when the ingress-atlas backend is not installed', async () => {
    const { plugin, client } = probe();
    await startTestBackend({ features: [plugin] });

    const error = await client()
      .getClusters()
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
  });
});
