import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClusterConnection,
  ClusterInventory,
  IngressAtlasCloudProvider,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { RunningCluster } from '@ingress-atlas/sandbox';
import { Knex } from 'knex';
import { ClusterWatches } from '../collection/ClusterWatcher';
import { CostHistoryStore } from '../costHistory/CostHistoryStore';
import { startTestCluster } from '../__testUtils__/testCluster';
import { gunzipJson } from '../inventory/compression';
import { readManifestInventory } from '../manifests';
import { AnalysisRunner } from '../analysis/AnalysisRunner';
import { AtlasModelService } from '../views/AtlasModelService';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { AtlasRefresher } from './AtlasRefresher';
import { Leases } from './Leases';
import { RefreshCycle } from './RefreshCycle';

// Several waits of up to 30 s each on a busy machine (see `eventually`).
jest.setTimeout(120_000);

// PostgreSQL runs when the test script provides it (scripts/postgres.sh); SQLite always.
const ids: TestDatabaseId[] = ['SQLITE_3'];
if (process.env.INGRESS_ATLAS_TEST_POSTGRES) {
  ids.push(process.env.INGRESS_ATLAS_TEST_POSTGRES as TestDatabaseId);
}
const databases = TestDatabases.create({ ids });

describe.each(ids)('RefreshCycle on %s', databaseId => {
  const clusters: RunningCluster[] = [];
  const connections: ClusterConnection[] = [];

  beforeAll(async () => {
    for (const name of ['fast', 'slow']) {
      const { cluster, connection } = await startTestCluster();
      clusters.push(cluster);
      connections.push({
        ...connection,
        descriptor: { ...connection.descriptor, name },
      });
    }
  });

  afterAll(async () => {
    await Promise.all(clusters.map(c => c.stop()));
  });

  afterEach(() => {
    clusters.forEach(c => c.faults.set({ latencyMs: null, expireWatch: null }));
  });

  /** The plugin's parts on one database, as two replicas of a backend would share it. */
  async function replica(
    options: {
      leaseTtlMs?: number;
      publishEarlyAfterMs?: number;
      watch?: boolean;
      knex?: Knex;
      holder?: string;
      cloudProviders?: IngressAtlasCloudProvider[];
    } = {},
  ) {
    const knex = options.knex ?? (await databases.init(databaseId));
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const logger = mockServices.logger.mock();
    const store = await SnapshotStore.create({ database });
    const analysis = AnalysisRunner.create({ logger, useWorker: false });
    const models = AtlasModelService.create({ store, analysis, logger });
    const watches = options.watch
      ? ClusterWatches.create({ logger, store })
      : undefined;
    const refresher = AtlasRefresher.create({
      logger,
      store,
      sources: [{ id: 'test', listClusters: async () => connections }],
      cloudProviders: options.cloudProviders ?? [],
      concurrency: 2,
      kindConcurrency: 4,
      clusterTimeoutMs: 20_000,
      readManifests: readManifestInventory,
      watches,
    });
    const leases = Leases.create({ db: knex });
    const costHistory = CostHistoryStore.create({ db: knex });
    const cycle = RefreshCycle.create({
      logger,
      store,
      costHistory,
      leases,
      refresher,
      analysis,
      models,
      cloudProviders: options.cloudProviders ?? [],
      prices: {},
      catalog: catalogServiceMock({ entities: [] }),
      auth: mockServices.auth(),
      leaseTtlMs: options.leaseTtlMs ?? 2_000,
      publishEarlyAfterMs: options.publishEarlyAfterMs ?? 30_000,
      watches,
      holder: options.holder,
    });
    return {
      knex,
      store,
      cycle,
      leases,
      models,
      costHistory,
      logger,
      watches,
      stop: async () => {
        await cycle.stop();
        await analysis.stop();
      },
    };
  }

  /** Changes a Service of the cluster, as kubectl would. */
  async function labelService(
    cluster: RunningCluster,
    labels: Record<string, string>,
  ) {
    const response = await fetch(
      `${cluster.url}/api/v1/namespaces/shop/services/svc-0`,
      {
        method: 'PATCH',
        headers: {
          authorization: 'Bearer sandbox-token',
          'content-type': 'application/merge-patch+json',
        },
        body: JSON.stringify({ metadata: { labels } }),
      },
    );
    expect(response.status).toBe(200);
  }

  /**
   * Polls until `holds`, for up to 30 s. A replica's watches store their first change in a
   * worker thread they start then, at a lower priority: with two busy loops on a 2-core
   * machine that took 9-15 s, and a publication follows it.
   */
  async function eventually<T>(
    read: () => Promise<T>,
    holds: (value: T) => boolean,
  ) {
    const until = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (holds(value) || Date.now() > until) return value;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  /**
   * How long after `started` this replica took `lease` from `crashed`, polled while it works:
   * the takeover itself, not the refresh that follows it (seconds more on a busy machine).
   */
  async function tookOver(
    leases: Leases,
    lease: string,
    crashed: string,
    started: number,
  ) {
    const holder = await eventually(
      async () => (await leases.state(lease))?.holder,
      h => h !== undefined && h !== crashed,
    );
    expect(holder).not.toBe(crashed);
    return Date.now() - started;
  }

  /** The labels of Service svc-0 in cluster `fast` as stored, and when that snapshot was taken. */
  async function storedService(store: SnapshotStore) {
    const snapshot = (await store.listStoredClusters()).find(
      s => s.descriptor.name === 'fast',
    );
    const inventory = await gunzipJson<ClusterInventory>(
      snapshot!.inventoryGz!,
    );
    return {
      labels: inventory.objects.services?.find(s => s.metadata.name === 'svc-0')
        ?.metadata.labels,
      collectedAt: snapshot!.collectedAt,
    };
  }

  /**
   * A replica that listed and watched the clusters, stored a change its watches saw, and died:
   * its watches ended, and its watch lease, neither renewed nor given up, runs out within a
   * lease period.
   */
  async function watcherThatDied() {
    const dead = await replica({ watch: true, holder: 'dead-replica' });
    expect(await dead.cycle.run()).toEqual({ ran: true, publications: 1 });
    await labelService(clusters[0], { tier: 'watched' });
    await eventually(
      () => storedService(dead.store),
      s => s.labels?.tier === 'watched',
    );
    await dead.stop();
    expect(await dead.leases.tryAcquire('watch', 'dead-replica', 2_000)).toBe(
      true,
    );
    return dead;
  }

  it('takes over from a replica that crashed mid-refresh within the lease, not a task timeout', async () => {
    const { cycle, leases, models, stop } = await replica({
      leaseTtlMs: 2_000,
    });
    try {
      // A replica took the lease and died: it never renews or releases it.
      expect(await leases.tryAcquire('refresh', 'crashed-replica', 2_000)).toBe(
        true,
      );
      const started = Date.now();
      const running = cycle.run();
      // Taken over once its 2 s ran out (a task timeout would be minutes away).
      const takeoverMs = await tookOver(
        leases,
        'refresh',
        'crashed-replica',
        started,
      );
      expect(await running).toEqual({ ran: true, publications: 1 });
      expect(takeoverMs).toBeLessThan(10_000);
      expect(
        (await models.summary())?.clusters.map(c => [c.name, c.status]),
      ).toEqual([
        ['fast', 'ok'],
        ['slow', 'ok'],
      ]);
      // The lease is given back, marked released.
      expect((await leases.state('refresh'))?.expiresAt).toBe(-1);
    } finally {
      await stop();
    }
  });

  it('takes back at once the lease its own process held before a restart', async () => {
    const { cycle, leases, stop } = await replica({
      leaseTtlMs: 60_000,
      holder: 'host-1:7007',
    });
    try {
      // The same replica's previous process died holding the lease for another minute.
      expect(await leases.tryAcquire('refresh', 'host-1:7007', 60_000)).toBe(
        true,
      );
      const started = Date.now();
      expect(await cycle.run()).toMatchObject({ ran: true });
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await stop();
    }
  });

  it('skips a refresh while another replica refreshes, once that one has published', async () => {
    const { cycle, leases, stop } = await replica({ leaseTtlMs: 5_000 });
    try {
      expect(await leases.tryAcquire('refresh', 'working-replica', 5_000)).toBe(
        true,
      );
      const waiting = cycle.run();
      await new Promise(resolve => setTimeout(resolve, 1_500));
      await leases.release('refresh', 'working-replica');
      expect(await waiting).toEqual({
        ran: false,
        reason: 'refreshed by another replica',
      });
    } finally {
      await stop();
    }
  });

  it('publishes the clusters read so far while a slow one is still being read', async () => {
    const { cycle, models, stop } = await replica({
      publishEarlyAfterMs: 1_000,
    });
    try {
      await cycle.run();
      const collectedAt = async () =>
        Object.fromEntries(
          ((await models.summary())?.clusters ?? []).map(c => [
            c.name,
            c.collectedAt,
          ]),
        );
      const before = await collectedAt();

      // Slow enough that the early publication (after 1 s, then its analysis and the store's
      // half-second recheck) lands well before this cluster's reading ends, on a busy machine too.
      clusters[1].faults.set({ latencyMs: 2_000 });
      let done = false;
      const running = cycle.run().finally(() => {
        done = true;
      });
      let early: Record<string, string | undefined> | undefined;
      while (!done && !early) {
        const now = await collectedAt();
        if (now.fast !== before.fast) early = now;
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      // Published before the refresh ended: the fast cluster fresh, the slow one as it was.
      expect(done).toBe(false);
      expect(early?.slow).toBe(before.slow);
      expect(await running).toEqual({ ran: true, publications: 2 });
      expect((await collectedAt()).slow).not.toBe(before.slow);
    } finally {
      await stop();
    }
  });

  it('watches from one replica only; the other serves what the watches publish, then takes over', async () => {
    const first = await replica({ watch: true });
    const second = await replica({ watch: true, knex: first.knex });
    try {
      clusters.forEach(c => c.resetStats());
      expect(await first.cycle.run()).toEqual({ ran: true, publications: 1 });
      expect(Object.keys(await first.watches!.status()).sort()).toEqual([
        'fast',
        'slow',
      ]);
      // Each watched kind's WATCH request goes out after the refresh has returned.
      const watchRequests = () => clusters.map(c => c.stats.byVerb.watch ?? 0);
      const status = await first.watches!.status();
      const kinds = ['fast', 'slow'].map(name => status[name].watching.length);
      for (const count of kinds) expect(count).toBeGreaterThan(5);
      const untilWatching = Date.now() + 15_000;
      while (
        watchRequests().some((count, i) => count < kinds[i]) &&
        Date.now() < untilWatching
      ) {
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      expect(watchRequests()).toEqual(kinds);
      const watching = watchRequests();

      // The second replica finds the watch lease held: it neither lists nor watches.
      const lists = clusters.map(c => c.stats.byVerb.list ?? 0);
      expect(await second.cycle.run()).toEqual({
        ran: false,
        reason: 'another replica watches the clusters',
      });
      expect(await second.watches!.status()).toEqual({});
      expect(watchRequests()).toEqual(watching);
      expect(clusters.map(c => c.stats.byVerb.list ?? 0)).toEqual(lists);

      // A change reaches the second replica's model through the store.
      const collectedAt = async () =>
        (await second.models.summary())?.clusters.find(c => c.name === 'fast')
          ?.collectedAt;
      const before = await collectedAt();
      await labelService(clusters[0], { tier: 'web' });
      const until = Date.now() + 30_000;
      while ((await collectedAt()) === before && Date.now() < until) {
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      expect(await collectedAt()).not.toBe(before);
      expect(clusters.map(c => c.stats.byVerb.list ?? 0)).toEqual(lists);

      // The first replica stops: the second, standing by, takes the lease over and watches.
      await first.stop();
      const until2 = Date.now() + 30_000;
      while (
        Object.keys(await second.watches!.status()).length < 2 &&
        Date.now() < until2
      ) {
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      expect(Object.keys(await second.watches!.status()).sort()).toEqual([
        'fast',
        'slow',
      ]);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('publishes a watched change with the prices of the last refresh, not asking price APIs again', async () => {
    let inquiries = 0;
    const provider: IngressAtlasCloudProvider = {
      id: 'tencent',
      collectInventory: async () => [],
      inquirePrices: async () => {
        inquiries += 1;
        return {};
      },
    };
    const { cycle, models, stop } = await replica({
      watch: true,
      cloudProviders: [provider],
    });
    try {
      expect(await cycle.run()).toEqual({ ran: true, publications: 1 });
      expect(inquiries).toBe(1);

      const collectedAt = async () =>
        (await models.summary())?.clusters.find(c => c.name === 'fast')
          ?.collectedAt;
      const before = await collectedAt();
      await labelService(clusters[0], { tier: 'api' });
      const until = Date.now() + 30_000;
      while ((await collectedAt()) === before && Date.now() < until) {
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      expect(await collectedAt()).not.toBe(before);
      expect(inquiries).toBe(1);
    } finally {
      await stop();
    }
  });

  it("records the day's cost with the model it publishes, idle resources only in the account's view", async () => {
    const idleLoadBalancer: IngressAtlasCloudProvider = {
      id: 'tencent',
      collectInventory: async () => [
        {
          provider: 'tencent',
          account: 'main',
          region: 'ap-guangzhou',
          collectedAt: new Date().toISOString(),
          loadBalancers: [
            {
              id: 'lb-idle0001',
              network: 'public',
              vips: [],
              tags: [],
              listeners: [],
            },
          ],
          addresses: [],
          vpcEndpoints: [],
          meshes: [],
          errors: [],
        },
      ],
    };
    const { cycle, costHistory, stop } = await replica({
      cloudProviders: [idleLoadBalancer],
    });
    try {
      await cycle.run();
      const today = new Date().toISOString().slice(0, 10);

      const account = await costHistory.history({
        days: 1,
        accountInventory: true,
      });
      expect(account.unit).toBe('CNY/month');
      expect(account.days).toEqual([
        {
          date: today,
          total: { amount: 144, unpriced: false },
          byCluster: { unattached: { amount: 144, unpriced: false } },
          byProvider: { tencent: { amount: 144, unpriced: false } },
        },
      ]);
      const exposures = await costHistory.history({
        days: 1,
        accountInventory: false,
      });
      expect(exposures.days).toEqual([
        {
          date: today,
          total: { amount: 0, unpriced: false },
          byCluster: {},
          byProvider: {},
        },
      ]);

      // A second refresh the same day rewrites the day: still one day.
      await cycle.run();
      expect(
        (await costHistory.history({ days: 90, accountInventory: true })).days,
      ).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  it('takes over the watches of a replica that died, within the lease, by itself', async () => {
    const { cycle, leases, watches, stop } = await replica({ watch: true });
    try {
      // A replica took the watch lease and died: it never renews or releases it.
      expect(await leases.tryAcquire('watch', 'crashed-replica', 2_000)).toBe(
        true,
      );
      expect(await cycle.run()).toEqual({
        ran: false,
        reason: 'another replica watches the clusters',
      });
      const started = Date.now();
      // The lease is taken over by itself, once the dead holder's 2 s ran out.
      const takeoverMs = await tookOver(
        leases,
        'watch',
        'crashed-replica',
        started,
      );
      expect(takeoverMs).toBeLessThan(10_000);
      // Then the clusters are listed and watched (seconds more on a busy machine).
      while (
        Object.keys(await watches!.status()).length < 2 &&
        Date.now() - started < 30_000
      ) {
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      expect(Object.keys(await watches!.status()).sort()).toEqual([
        'fast',
        'slow',
      ]);
      expect((await leases.state('watch'))?.holder).not.toBe('crashed-replica');
    } finally {
      await stop();
    }
  });

  it("takes over just after the dead replica's lease runs out, not at its next periodic check", async () => {
    // Checked every 10 s (a third of its own 30 s lease), the dead replica's lease runs out
    // after 2 s: the watches are taken over then.
    const { cycle, leases, watches, stop } = await replica({
      watch: true,
      leaseTtlMs: 30_000,
    });
    try {
      expect(await leases.tryAcquire('watch', 'crashed-replica', 2_000)).toBe(
        true,
      );
      const started = Date.now();
      expect((await cycle.run()).ran).toBe(false);
      // Taken over at the lease's expiry (2 s), well before the periodic check at 10 s: timed
      // to the takeover, not to the listing that follows it (seconds on a busy machine).
      const takeoverMs = await tookOver(
        leases,
        'watch',
        'crashed-replica',
        started,
      );
      expect(takeoverMs).toBeLessThan(9_000);
      while (
        Object.keys(await watches!.status()).length < 2 &&
        Date.now() - started < 30_000
      ) {
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      expect(Object.keys(await watches!.status()).sort()).toEqual([
        'fast',
        'slow',
      ]);
    } finally {
      await stop();
    }
  });

  it('resumes the watches of a replica that died from their stored resourceVersions, listing no cluster', async () => {
    const dead = await watcherThatDied();
    const successor = await replica({ watch: true, knex: dead.knex });
    try {
      clusters.forEach(c => c.resetStats());
      // Made while no replica watches: the watches resumed from the stored versions deliver it.
      await labelService(clusters[0], { tier: 'meanwhile' });
      expect(await successor.cycle.run()).toEqual({
        ran: false,
        reason: 'another replica watches the clusters',
      });
      const started = Date.now();
      const watched = await eventually(
        async () => Object.keys(await successor.watches!.status()).sort(),
        names => names.length === 2,
      );
      expect(watched).toEqual(['fast', 'slow']);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(
        (
          await eventually(
            () => storedService(successor.store),
            s => s.labels?.tier === 'meanwhile',
          )
        ).labels,
      ).toEqual({ tier: 'meanwhile' });

      await labelService(clusters[0], { tier: 'after' });
      const stored = await eventually(
        () => storedService(successor.store),
        s => s.labels?.tier === 'after',
      );
      expect(stored.labels).toEqual({ tier: 'after' });
      // Published by the successor: its model is the one taken after that change.
      const published = async () =>
        (await successor.models.summary())?.clusters.find(
          c => c.name === 'fast',
        )?.collectedAt;
      expect(await eventually(published, at => at === stored.collectedAt)).toBe(
        stored.collectedAt,
      );
      expect(clusters.map(c => c.stats.byVerb.list ?? 0)).toEqual([0, 0]);
    } finally {
      await successor.stop();
    }
  });

  it('lists again, on taking the watches over, only a kind whose stored resourceVersion expired', async () => {
    const dead = await watcherThatDied();
    const successor = await replica({ watch: true, knex: dead.knex });
    try {
      clusters.forEach(c => c.resetStats());
      // The first watch resumed in cluster fast finds its version compacted away.
      clusters[0].faults.set({ expireWatch: 1 });
      await successor.cycle.run();
      await eventually(
        async () => Object.keys(await successor.watches!.status()).length,
        n => n === 2,
      );
      await eventually(
        async () => clusters[0].stats.byVerb.list ?? 0,
        n => n > 0,
      );
      await new Promise(resolve => setTimeout(resolve, 1_000));
      expect(clusters.map(c => c.stats.byVerb.list ?? 0)).toEqual([1, 0]);
      expect((await successor.watches!.status()).fast.periodicOnly).toEqual({});
    } finally {
      await successor.stop();
    }
  });
});
