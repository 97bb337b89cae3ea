import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  ClusterConnection,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { RunningCluster, startCluster } from '@ingress-atlas/sandbox';
import { canariesIn } from '../engine/__testUtils__/canary';
import { gunzipJson } from '../inventory/compression';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { ClusterWatches } from './ClusterWatcher';
import { compressInventory } from '../inventory/compressedInventory';
import { KubeCollector } from './KubeCollector';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const TOKEN = 'sandbox-token';

describe('ClusterWatches', () => {
  let cluster: RunningCluster;
  let connection: ClusterConnection;

  beforeAll(async () => {
    cluster = await startCluster({
      spec: {
        name: 'test',
        port: 0,
        provider: 'generic',
        region: 'test-1',
        podCidr: '10.1.0.0/16',
        serviceCidr: '10.2.0.0/16',
        nodes: [{ name: 'node-1', internalIp: '10.0.0.11' }],
        tokens: [TOKEN],
        // A service account that may list Pods but not watch them.
        forbidden: [{ token: TOKEN, resource: 'pods', verbs: ['watch'] }],
      },
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
        ...['svc-0', 'svc-1'].map(name => ({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: 'shop' },
          spec: { selector: { app: name }, ports: [{ port: 80 }] },
        })),
      ],
    });
    connection = {
      descriptor: {
        name: 'test',
        source: 'config',
        provider: 'generic',
        url: cluster.url,
      },
      auth: { token: TOKEN },
    };
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  afterEach(() => cluster.faults.clear());

  /** Lists the cluster, stores it and watches it, as a refresh does. */
  async function watched(options: { watchTimeoutSeconds?: number } = {}) {
    const knex = await databases.init('SQLITE_3');
    const store = await SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const logger = mockServices.logger.mock();
    let changes = 0;
    const watches = ClusterWatches.create({
      logger,
      store,
      debounceMs: 100,
      watchTimeoutSeconds: options.watchTimeoutSeconds ?? 60,
      retryPolicy: { retries: 2, baseDelayMs: 50 },
    });
    const { inventory, watchFrom } = await KubeCollector.create().collect(
      connection,
      {
        signal: AbortSignal.timeout(20_000),
      },
    );
    const compressed = { ...(await compressInventory(inventory)), watchFrom };
    await store.saveClusterSuccess(compressed, new Date().toISOString());
    watches.activate(() => {
      changes += 1;
    });
    await watches.watch(connection, compressed);
    cluster.resetStats();
    const stored = async () => {
      const [snapshot] = await store.listStoredClusters();
      return gunzipJson<ClusterInventory>(snapshot.inventoryGz!);
    };
    return { watches, logger, store, stored, changes: () => changes };
  }

  /** A request to the sandbox's API, as kubectl or the scaffolder would send it. */
  async function kube(
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
  ) {
    const response = await fetch(`${cluster.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${await response.text()}`);
    return response.json();
  }

  /**
   * Polls until `holds`, for up to 30 s: changes are applied in a worker thread that each
   * test's watcher starts anew at a lower priority, and on a busy machine that took over 10 s.
   * Still short of the 60 s after which the watches store their progress by themselves.
   */
  async function eventually<T>(
    read: () => Promise<T>,
    holds: (value: T) => boolean,
  ) {
    const until = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (holds(value) || Date.now() > until) return value;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  const names = (inventory: ClusterInventory) =>
    inventory.objects.services?.map(s => s.metadata.name).sort();

  it('stores additions, changes and deletions from the watches without listing again', async () => {
    const { watches, stored, changes } = await watched();
    try {
      await kube('POST', '/api/v1/namespaces/shop/services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc-new', namespace: 'shop' },
        spec: { selector: { app: 'new' }, ports: [{ port: 8080 }] },
      });
      await kube(
        'PATCH',
        '/api/v1/namespaces/shop/services/svc-0',
        { metadata: { annotations: { 'example.com/owner': 'team-a' } } },
        'application/merge-patch+json',
      );
      await kube('DELETE', '/api/v1/namespaces/shop/services/svc-1');

      const inventory = await eventually(
        stored,
        i => names(i)?.join() === 'kubernetes,svc-0,svc-new',
      );
      expect(names(inventory)).toEqual(['kubernetes', 'svc-0', 'svc-new']);
      expect(
        inventory.objects.services?.find(s => s.metadata.name === 'svc-0')
          ?.metadata.annotations,
      ).toEqual({ 'example.com/owner': 'team-a' });
      expect(changes()).toBeGreaterThan(0);
      expect(cluster.stats.byVerb.list ?? 0).toBe(0);
      // Pods may be listed but not watched: that kind is left to the periodic refresh.
      expect((await watches.status()).test.periodicOnly).toEqual({
        pods: expect.stringMatching(/^HTTP 403/),
      });
    } finally {
      await watches.deactivate();
    }
  });

  it("stores with each change the resourceVersion its kind's watch reached, for a successor to resume from", async () => {
    const { watches, store } = await watched();
    try {
      const patched = await kube(
        'PATCH',
        '/api/v1/namespaces/shop/services/svc-0',
        { metadata: { labels: { tier: 'db' } } },
        'application/merge-patch+json',
      );
      const servicesFrom = async () =>
        (await store.listWatchedClusters()).get('test')?.watchFrom?.services;
      expect(
        await eventually(
          servicesFrom,
          start => start?.resourceVersion === patched.metadata.resourceVersion,
        ),
      ).toEqual({
        path: '/api/v1/services',
        apiVersion: 'v1',
        resourceVersion: patched.metadata.resourceVersion,
      });
    } finally {
      await watches.deactivate();
    }
  });

  it('stores no change for the Endpoints of a Service with a selector or an unrelated ConfigMap, which are not kept', async () => {
    const { watches, stored, changes } = await watched();
    const endpoints = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace: 'shop' },
      subsets: [{ addresses: [{ ip: '10.1.0.7' }], ports: [{ port: 80 }] }],
    });
    try {
      // A first change stored tells the watcher which Services are selectorless.
      await kube(
        'PATCH',
        '/api/v1/namespaces/shop/services/svc-0',
        { metadata: { labels: { tier: 'web' } } },
        'application/merge-patch+json',
      );
      await eventually(
        async () => changes(),
        n => n > 0,
      );
      const stores = changes();

      await kube(
        'POST',
        '/api/v1/namespaces/shop/endpoints',
        endpoints('svc-1'),
      );
      // Nor for a ConfigMap that describes no exposure (a leader election's, say).
      await kube('POST', '/api/v1/namespaces/shop/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'controller-leader', namespace: 'shop' },
        data: { holder: 'pod-1' },
      });
      await new Promise(resolve => setTimeout(resolve, 600));
      expect(changes()).toBe(stores);

      // The Endpoints of a selectorless Service are kept, and stored when they change.
      await kube('POST', '/api/v1/namespaces/shop/services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'external-db', namespace: 'shop' },
        spec: { ports: [{ port: 5432 }] },
      });
      await kube(
        'POST',
        '/api/v1/namespaces/shop/endpoints',
        endpoints('external-db'),
      );
      const inventory = await eventually(stored, i =>
        Boolean(
          i.objects.endpoints?.some(e => e.metadata.name === 'external-db'),
        ),
      );
      expect(inventory.objects.endpoints?.map(e => e.metadata.name)).toEqual([
        'external-db',
      ]);
      expect(changes()).toBeGreaterThan(stores);
    } finally {
      await watches.deactivate();
    }
  });

  it('keeps no Secret data from watch events, only the certificate facts, as from a list', async () => {
    const { watches, stored } = await watched();
    try {
      const canary = Buffer.from('ATLAS-CANARY-watched-secret').toString(
        'base64',
      );
      await kube('POST', '/api/v1/namespaces/shop/secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: {
          name: 'shop-tls',
          namespace: 'shop',
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"tls.key":"${canary}"}}`,
          },
        },
        data: { 'tls.crt': canary, 'tls.key': canary },
      });
      const inventory = await eventually(stored, i =>
        Boolean(i.objects.secrets?.some(s => s.metadata.name === 'shop-tls')),
      );
      expect(
        inventory.objects.secrets?.find(s => s.metadata.name === 'shop-tls'),
      ).toEqual({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: expect.objectContaining({
          name: 'shop-tls',
          namespace: 'shop',
        }),
      });
      expect(inventory.certificates).toContainEqual({
        secret: 'shop/shop-tls',
        error: 'tls.crt is not a valid certificate',
      });
      expect(canariesIn(JSON.stringify(inventory))).toEqual([]);
    } finally {
      await watches.deactivate();
      await kube('DELETE', '/api/v1/namespaces/shop/secrets/shop-tls');
    }
  });

  it('turns a malformed object from a watch into a rejected entry, as a list does', async () => {
    const { watches, stored } = await watched();
    try {
      // Written past the API's validation, as `kubectl apply --validate=false` lets through.
      const type = cluster.store.typeOfKind('', 'Service')!;
      cluster.store.create(type, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc-bad', namespace: 'shop' },
        spec: { ports: 'eighty' },
      } as any);
      const inventory = await eventually(
        stored,
        i => (i.rejected ?? []).length > 0,
      );
      expect(inventory.rejected).toEqual([
        expect.objectContaining({
          kind: 'Service',
          apiVersion: 'v1',
          namespace: 'shop',
          name: 'svc-bad',
        }),
      ]);
      expect(names(inventory)).not.toContain('svc-bad');
      cluster.store.delete(type, 'shop', 'svc-bad');
      expect(
        (await eventually(stored, i => (i.rejected ?? []).length === 0))
          .rejected,
      ).toEqual([]);
    } finally {
      await watches.deactivate();
    }
  });

  it('lists again only the kind whose watch expired (410 Gone), then watches it on', async () => {
    // Watches end every second and resume from their last version; the next one to resume
    // finds that version compacted away.
    const { watches, stored, logger } = await watched({
      watchTimeoutSeconds: 1,
    });
    try {
      cluster.faults.set({ expireWatch: 1 });
      await eventually(
        async () => cluster.stats.byVerb.list ?? 0,
        lists => lists > 0,
      );
      await new Promise(resolve => setTimeout(resolve, 2_500));
      expect(cluster.stats.byVerb.list).toBe(1);
      expect(logger.info).toHaveBeenCalledWith(
        'Watch expired; listing that kind again',
        expect.objectContaining({ cluster: 'test' }),
      );
      // Resumed watches still deliver changes.
      await kube(
        'PATCH',
        '/api/v1/namespaces/shop/services/svc-0',
        { metadata: { annotations: { 'example.com/owner': 'team-b' } } },
        'application/merge-patch+json',
      );
      const inventory = await eventually(
        stored,
        i =>
          i.objects.services?.find(s => s.metadata.name === 'svc-0')?.metadata
            .annotations?.['example.com/owner'] === 'team-b',
      );
      expect(
        inventory.objects.services?.find(s => s.metadata.name === 'svc-0')
          ?.metadata.annotations,
      ).toEqual({ 'example.com/owner': 'team-b' });
      expect(cluster.stats.byVerb.list).toBe(1);
      expect(cluster.stats.byVerb.watch).toBeGreaterThan(10);
    } finally {
      await watches.deactivate();
    }
  });

  it('leaves a kind to the periodic refresh once its watch keeps failing past the retries', async () => {
    const { watches, logger } = await watched({ watchTimeoutSeconds: 1 });
    try {
      // Every request from now on is answered 503: a watch that cannot (re)connect is
      // retried twice with backoff, then given up.
      cluster.faults.set({ errorRate: 1, errorCode: 503 });
      const status = await eventually(
        async () => (await watches.status()).test,
        s => s.watching.length === 0,
      );
      expect(status.watching).toEqual([]);
      expect(Object.values(status.periodicOnly)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^HTTP 503/)]),
      );
      expect(logger.warn).toHaveBeenCalledWith(
        'Cannot watch a kind; it is read at the periodic refresh only',
        expect.objectContaining({ cluster: 'test', kind: 'services' }),
      );
      expect(cluster.stats.byVerb.list ?? 0).toBe(0);
    } finally {
      await watches.deactivate();
    }
  });

  it('watches nothing unless activated (the replica holds no lease)', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const watches = ClusterWatches.create({
      logger: mockServices.logger.mock(),
      store,
    });
    const { inventory, watchFrom } = await KubeCollector.create().collect(
      connection,
      {
        signal: AbortSignal.timeout(20_000),
      },
    );
    cluster.resetStats();
    await watches.watch(connection, {
      ...(await compressInventory(inventory)),
      watchFrom,
    });
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(cluster.stats.byVerb.watch ?? 0).toBe(0);
    expect(await watches.status()).toEqual({});
  });
});
