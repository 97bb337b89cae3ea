import { ClusterConnection } from '@ingress-atlas/plugin-ingress-atlas-node';
import { RunningCluster } from '@ingress-atlas/sandbox';
import { KubeCollector } from './KubeCollector';
import { startTestCluster } from './testCluster';

describe('KubeCollector', () => {
  let cluster: RunningCluster;
  let connection: ClusterConnection;

  beforeAll(async () => {
    ({ cluster, connection } = await startTestCluster());
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const collectTimed = async (kindConcurrency: number) => {
    const before = cluster.stats.requests;
    const started = Date.now();
    const { inventory, requests } = await KubeCollector.create({ kindConcurrency }).collect(
      connection,
      { signal: AbortSignal.timeout(30_000) },
    );
    return {
      ms: Date.now() - started,
      requests,
      served: cluster.stats.requests - before,
      services: inventory.objects.services?.map(s => s.metadata.name),
      kinds: [...Object.keys(inventory.objects), ...Object.keys(inventory.unavailable)].sort(),
    };
  };

  it('lists several kinds at once, with one LIST per kind, and reads the same inventory', async () => {
    cluster.faults.set({ latencyMs: 150 });
    try {
      const oneByOne = await collectTimed(1);
      const fourAtOnce = await collectTimed(4);
      expect(fourAtOnce.services).toEqual(['kubernetes', 'svc-0', 'svc-1', 'svc-2']);
      expect(fourAtOnce.kinds).toEqual(oneByOne.kinds);
      expect(fourAtOnce.requests).toBe(oneByOne.requests);
      expect(fourAtOnce.served).toBe(fourAtOnce.requests);
      // Every request waits 150 ms: one by one takes (1 + kinds) x 150 ms, four at once about a quarter.
      expect(oneByOne.ms).toBeGreaterThan(oneByOne.requests * 150);
      expect(fourAtOnce.ms).toBeLessThan(oneByOne.ms / 2);
    } finally {
      cluster.faults.set({ latencyMs: null });
    }
  });

  it('fails the whole cluster when listing a kind fails', async () => {
    // Discovery is answered; every list response is cut off halfway.
    cluster.faults.set({ dropListRate: 1 });
    try {
      await expect(
        KubeCollector.create({ kindConcurrency: 4 }).collect(connection, {
          signal: AbortSignal.timeout(30_000),
        }),
      ).rejects.toThrow(/^(reading|request failed).*/);
    } finally {
      cluster.faults.set({ dropListRate: null });
    }
  });

  it('names a kubeconfig that is not valid YAML without quoting it', async () => {
    const kubeconfig = 'users:\n- name: a\n  user:\n    token: ATLAS-CANARY-kc\n   bad: [\n';
    const failure = KubeCollector.create().collect(
      { descriptor: { name: 'broken', source: 'config', provider: 'generic' }, kubeconfig },
      { signal: AbortSignal.timeout(30_000) },
    );
    await expect(failure).rejects.toThrow(
      'The kubeconfig of cluster broken could not be read: bad indentation of a mapping entry (line 5)',
    );
    await expect(failure).rejects.not.toThrow(/ATLAS-CANARY/);
  });
});
