import { ClusterConnection } from '@ingress-atlas/plugin-ingress-atlas-node';
import { RunningCluster } from '@ingress-atlas/sandbox';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CollectionRetry, KubeCollector } from './KubeCollector';
import { startTestCluster } from '../__testUtils__/testCluster';

// Reads a sandbox cluster with injected latency and retries: seconds each, more on a busy machine.
jest.setTimeout(60_000);

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
    const { inventory, requests } = await KubeCollector.create({
      kindConcurrency,
    }).collect(connection, { signal: AbortSignal.timeout(30_000) });
    return {
      ms: Date.now() - started,
      requests,
      served: cluster.stats.requests - before,
      services: inventory.objects.services?.map(s => s.metadata.name),
      kinds: [
        ...Object.keys(inventory.objects),
        ...Object.keys(inventory.unavailable),
      ].sort(),
    };
  };

  it('lists several kinds at once, with one LIST per kind, and reads the same inventory', async () => {
    cluster.faults.set({ latencyMs: 150 });
    try {
      const oneByOne = await collectTimed(1);
      const fourAtOnce = await collectTimed(4);
      expect(fourAtOnce.services).toEqual([
        'kubernetes',
        'svc-0',
        'svc-1',
        'svc-2',
      ]);
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

  it('fails the whole cluster when listing a kind keeps failing, and says how', async () => {
    // Discovery is answered; every list response is cut off halfway.
    cluster.faults.set({ dropListRate: 1 });
    try {
      await expect(
        KubeCollector.create({ kindConcurrency: 4 }).collect(connection, {
          signal: AbortSignal.timeout(30_000),
        }),
      ).rejects.toThrow(
        /^\/api\/v1\/\w+: the API server closed the connection in the middle of its answer$/,
      );
    } finally {
      cluster.faults.set({ dropListRate: null });
    }
  });

  it('names a kubeconfig that is not valid YAML without quoting it', async () => {
    const kubeconfig =
      'users:\n- name: a\n  user:\n    token: ATLAS-CANARY-kc\n   bad: [\n';
    const failure = KubeCollector.create().collect(
      {
        descriptor: { name: 'broken', source: 'config', provider: 'generic' },
        kubeconfig,
      },
      { signal: AbortSignal.timeout(30_000) },
    );
    await expect(failure).rejects.toThrow(
      'The kubeconfig of cluster broken could not be read: bad indentation of a mapping entry (line 5)',
    );
    await expect(failure).rejects.not.toThrow(/ATLAS-CANARY/);
  });

  const collect = (
    options: { kindConcurrency?: number; pageSize?: number } = {},
    deadline?: number,
  ) => {
    const retries: CollectionRetry[] = [];
    // When each retry was decided on: its wait runs from then for its delayMs.
    const retriedAt: number[] = [];
    const reading = KubeCollector.create({
      kindConcurrency: 4,
      ...options,
    }).collect(connection, {
      signal: AbortSignal.timeout(30_000),
      deadline,
      onRetry: retry => {
        retries.push(retry);
        retriedAt.push(Date.now());
      },
    });
    return { reading, retries, retriedAt };
  };

  describe('transient failures', () => {
    afterEach(() => cluster.faults.clear());

    it('retries them: 30 readings of an API server failing 5% of requests with 503 all succeed', async () => {
      cluster.faults.set({ errorRate: 0.05, errorCode: 503 });
      const faultedBefore = cluster.stats.faulted.errors;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 30 }, () => collect().reading),
      );
      expect(outcomes.filter(o => o.status === 'rejected')).toEqual([]);
      expect(cluster.stats.faulted.errors).toBeGreaterThan(faultedBefore);
    });

    it('gives up after three retries, backing off from 200 ms, and says what the server answered', async () => {
      cluster.faults.set({ errorRate: 1, errorCode: 503 });
      const before = cluster.stats.requests;
      const started = Date.now();
      const { reading, retries } = collect();
      await expect(reading).rejects.toThrow(
        'API discovery failed: HTTP 503: the server is currently unable to handle the request',
      );
      expect(cluster.stats.requests - before).toBe(4);
      expect(retries.map(r => [r.request, r.retry, r.reason])).toEqual([
        ['/apis', 1, 'HTTP 503'],
        ['/apis', 2, 'HTTP 503'],
        ['/apis', 3, 'HTTP 503'],
      ]);
      // 200, 400 and 800 ms, each jittered by -50% to +50%.
      retries.forEach(({ delayMs }, i) => {
        expect(delayMs).toBeGreaterThanOrEqual(100 * 2 ** i);
        expect(delayMs).toBeLessThanOrEqual(300 * 2 ** i);
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    });

    it('waits as long as a throttling API server asks (Retry-After)', async () => {
      cluster.faults.set({ errorRate: 1, errorCode: 429 });
      setTimeout(() => cluster.faults.clear(), 300);
      const started = Date.now();
      const { reading, retries } = collect();
      await expect(reading).resolves.toBeDefined();
      expect(retries[0]).toMatchObject({
        request: '/apis',
        reason: 'HTTP 429',
      });
      expect(retries[0].delayMs).toBeGreaterThanOrEqual(1000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    });

    it("starts no retry that would end after the cluster's timeout", async () => {
      cluster.faults.set({ errorRate: 1, errorCode: 503 });
      const before = cluster.stats.requests;
      const started = Date.now();
      const deadline = started + 500;
      const { reading, retries, retriedAt } = collect({}, deadline);
      await expect(reading).rejects.toThrow(/^API discovery failed: HTTP 503/);
      // Every retry started would end before the deadline (each is reported just after it was
      // decided on: a few ms are allowed for that). The last retry's request may itself end a
      // little after the deadline (more on a busy machine), so the whole reading is not held
      // to 500 ms; it ends well before the 100 + 200 + 400 ms three retries wait at least.
      retries.forEach(({ delayMs }, i) =>
        expect(retriedAt[i] + delayMs).toBeLessThan(deadline + 50),
      );
      expect(Date.now() - started).toBeLessThan(700);
      expect(cluster.stats.requests - before).toBeLessThan(4);
    });
  });

  describe('paged lists', () => {
    afterEach(() => cluster.faults.clear());

    it('starts a list over once when the server expired its continue token (410 Gone)', async () => {
      cluster.faults.set({ expireContinue: 1 });
      const { reading } = collect({ kindConcurrency: 1, pageSize: 2 });
      const { inventory } = await reading;
      expect(inventory.objects.namespaces?.map(n => n.metadata.name)).toEqual(
        expect.arrayContaining(['default', 'kube-system', 'shop']),
      );
      expect(inventory.objects.services?.map(s => s.metadata.name)).toEqual([
        'kubernetes',
        'svc-0',
        'svc-1',
        'svc-2',
      ]);
      expect(cluster.faults.get().expireContinue).toBe(0);
    });

    it('fails a list that expires again after starting over', async () => {
      cluster.faults.set({ expireContinue: 2 });
      await expect(
        collect({ kindConcurrency: 1, pageSize: 2 }).reading,
      ).rejects.toThrow(
        'listing namespaces failed: the list expired again after starting over (HTTP 410 Gone); the cluster changes faster than it can be listed',
      );
    });

    it('stops a list whose server hands out the same continue token again', async () => {
      cluster.faults.set({ stuckContinue: true });
      const before = cluster.stats.requests;
      await expect(
        collect({ kindConcurrency: 1, pageSize: 2 }).reading,
      ).rejects.toThrow(
        'listing namespaces failed: the API server handed out the same continue token twice, so the list would never end',
      );
      expect(cluster.stats.requests - before).toBeLessThan(10);
    });
  });

  describe('errors a person can read', () => {
    afterEach(() => cluster.faults.clear());

    it('leaves out list items that are not Kubernetes objects, naming what is wrong', async () => {
      cluster.faults.set({ garbageListRate: 1 });
      const { inventory } = await collect().reading;
      expect(inventory.rejected).toContainEqual({
        kind: 'Service',
        apiVersion: 'v1',
        problems: [{ field: 'metadata', problem: 'is missing' }],
      });
      expect(inventory.rejected).toContainEqual({
        kind: 'Service',
        apiVersion: 'v1',
        problems: [{ field: 'object', problem: 'is null, not a mapping' }],
      });
    });

    it('says that the API server rejected the credentials', async () => {
      await expect(
        KubeCollector.create().collect(
          { ...connection, auth: { token: 'not-a-sandbox-token' } },
          { signal: AbortSignal.timeout(30_000) },
        ),
      ).rejects.toThrow(
        /^API discovery failed: the API server rejected the credentials \(HTTP 401\)/,
      );
    });

    it('says why an API server cannot be reached', async () => {
      const closed = http.createServer();
      await new Promise<void>(resolve =>
        closed.listen(0, '127.0.0.1', resolve),
      );
      const { port } = closed.address() as AddressInfo;
      await new Promise(resolve => closed.close(resolve));
      await expect(
        KubeCollector.create().collect(
          {
            ...connection,
            descriptor: {
              ...connection.descriptor,
              url: `http://127.0.0.1:${port}`,
            },
          },
          {
            signal: AbortSignal.timeout(30_000),
            deadline: Date.now() + 30_000,
          },
        ),
      ).rejects.toThrow(
        '/apis: the API server refused the connection (nothing listens at that address and port) (ECONNREFUSED)',
      );
    });
  });
});
