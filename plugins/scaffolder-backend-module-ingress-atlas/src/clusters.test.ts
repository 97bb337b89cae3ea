import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { createClusterApiProxyAction } from './actions/clusterApiProxy';
import { TestWorld, actionContext, startWorld } from './__testUtils__/sandbox';
import { ClusterDirectory } from './clusters';

describe('ClusterDirectory', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await startWorld(['tke-saas-remote']);
  });

  afterAll(() => world.stop());

  it('estimates costs at the prices of ingressAtlas.prices, as the atlas does', async () => {
    const clusters = ClusterDirectory.fromConfig(
      new ConfigReader({
        ingressAtlas: {
          ...world.config.getConfig('ingressAtlas').get<object>(),
          prices: { tencent: { loadBalancer: 0.5 } },
        },
      }),
    );
    const action = createClusterApiProxyAction({ ...world.options, clusters });
    const { ctx, recorded } = actionContext({
      cluster: 'tke-saas-remote',
      subnetId: 'subnet-saas0002',
    });
    await action.handler(ctx);
    expect(recorded.outputs.monthlyCostCny).toBe(360);
  });

  it('refuses the configuration the atlas refuses, naming the key', () => {
    expect(() =>
      ClusterDirectory.fromConfig(
        new ConfigReader({
          ingressAtlas: {
            clusters: [{ name: 'a', url: 'https://a' }],
            providers: { tencent: [{ name: 'main', regions: [] }] },
          },
        }),
      ),
    ).toThrow('ingressAtlas.providers.tencent[0].regions');
  });

  it('refuses a kubeconfig that does not parse without quoting its lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubeconfig-'));
    const kubeconfigPath = join(dir, 'config');
    await writeFile(
      kubeconfigPath,
      'users:\n- name: a\n  user:\n    token: s3cr3t-token\n   bad: [\n',
    );
    const clusters = ClusterDirectory.fromConfig(
      new ConfigReader({
        ingressAtlas: { clusters: [{ name: 'a', kubeconfigPath }] },
      }),
    );
    const error = await clusters.connect('a').catch(e => e);
    expect(error.message).toBe(
      'The kubeconfig of cluster "a" could not be read',
    );
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
  });
});
