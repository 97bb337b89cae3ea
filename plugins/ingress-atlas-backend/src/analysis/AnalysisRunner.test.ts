import { mockServices } from '@backstage/backend-test-utils';
import {
  AtlasModel,
  EXPOSURES_PAGE_ITEMS,
  joinExposuresPages,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { gunzipJson, gzipJson, sha1Hex } from '../inventory/compression';
import { inventorySha1 } from '../inventory/compressedInventory';
import { ClusterInventory } from '@ingress-atlas/plugin-ingress-atlas-node';
import { analyze } from '../engine';
import { sandboxClusters } from '../engine/__testUtils__/sandboxEstates';
import type { StoredClusterSnapshot } from '../snapshots/SnapshotStore';
import { AnalysedModel, AnalysisRunner } from './AnalysisRunner';

jest.setTimeout(60_000);

const model: AtlasModel = {
  generatedAt: '2026-11-22T00:00:00Z',
  clusters: [],
  controlPlanes: [],
  gateways: [],
  entries: [],
  routes: [],
  paths: Array.from({ length: 2_500 }, (_, i) => ({
    id: `path:${i}`,
    host: `h${i}.example.com`,
    cluster: 'tke-blog',
    entry: 'entry:lb-blog0001',
    via: [],
    entityRefs: [`component:default/app-${i % 3}`],
    network: 'public' as const,
    tls: { mode: 'NONE' as const, certificateSource: 'none' as const },
  })),
  findings: [],
  costs: [],
  recommendations: [],
};

const costView = {
  view: { route: 'cost' as const },
  accountInventory: true,
};

/**
 * A runner in a worker thread that analysed two sandbox clusters (`clusters`, by name), whose
 * worker holds their inventories; `both` are their snapshots as the store gives them.
 */
async function runnerHoldingTwoClusters() {
  const runner = AnalysisRunner.create({ logger: mockServices.logger.mock() });
  const now = '2026-11-22T06:00:00.000Z';
  const job = { clouds: [], prices: undefined as any, entities: [], now };
  const inventories: ClusterInventory[] = (await sandboxClusters()).slice(0, 2);
  const both = await Promise.all(
    inventories.map(async inventory => {
      const inventoryGz = await gzipJson(inventory);
      return {
        descriptor: inventory.cluster,
        status: 'ok' as const,
        attemptedAt: now,
        inventoryGz,
        inventorySha1: inventorySha1(inventoryGz),
      };
    }),
  );
  await runner.analyze(async () => ({ ...job, snapshots: both }));
  const clusters = inventories.map(i => i.cluster.name).sort();
  return { runner, job, both, clusters };
}

/** `GET /exposures` with the account's inventory, whole and in pages. */
const wholeBody = { accountInventory: true, paged: false };
const pagedBody = { accountInventory: true, paged: true };

/** A model stored whole, as one gzip member. */
const whole = (gz: Uint8Array) => [{ sha1: sha1Hex(gz), gz }];

describe('AnalysisRunner', () => {
  it.each([
    ['a worker thread', true],
    ['the main thread', false],
  ])(
    'loads a stored model in %s, sends its summary and each entity view serialized, and writes bodies of the whole model from it',
    async (_, useWorker) => {
      const logger = mockServices.logger.mock();
      const runner = AnalysisRunner.create({ logger, useWorker });
      try {
        const loaded = await runner.load(whole(await gzipJson(model)));
        expect(loaded.summary).toEqual({
          generatedAt: model.generatedAt,
          clusters: [],
          paths: 2_500,
          findings: 0,
        });
        expect([...loaded.exposures.keys()].sort()).toEqual([
          'component:default/app-0',
          'component:default/app-1',
          'component:default/app-2',
        ]);
        const view = await gunzipJson<any>(
          loaded.exposures.get('component:default/app-1')!.gzip,
        );
        expect(view.paths).toHaveLength(833);
        const [all] = (await runner.allExposures(loaded, wholeBody))!;
        expect((await gunzipJson<any>(all.gzip)).paths).toHaveLength(2_500);
        const pages = await Promise.all(
          (await runner.allExposures(loaded, pagedBody))!.map(page =>
            gunzipJson<any>(page.gzip),
          ),
        );
        expect(pages.map(p => [p.page, p.pages, p.paths.length])).toEqual([
          [0, 1, 2_500],
        ]);
        const cost = await runner.derived(loaded, costView);
        expect(JSON.parse(Buffer.from(cost!.json!).toString())).toEqual({
          summary: expect.objectContaining({ totalMonthlyCny: 0 }),
          costs: [],
          recommendations: [],
        });
        // The same runner takes the next job; bodies of the model it replaced are not written.
        const again = await runner.load(
          whole(await gzipJson({ ...model, paths: [] })),
        );
        expect(again.summary.paths).toBe(0);
        expect(runner.holds(loaded)).toBe(false);
        await expect(
          runner.allExposures(loaded, wholeBody),
        ).resolves.toBeUndefined();
        await expect(runner.derived(loaded, costView)).resolves.toBeUndefined();
        expect(logger.debug).not.toHaveBeenCalled();
      } finally {
        await runner.stop();
      }
    },
  );

  it('writes GET /exposures of a model of many runs whole and in pages that join into it, with and without the account inventory', async () => {
    const runner = AnalysisRunner.create({
      logger: mockServices.logger.mock(),
      useWorker: false,
    });
    // 3 clusters of 2,400 paths and routes each: each list in dozens of runs, the body in 3
    // pages, which cut the lists inside runs.
    const ids = Array.from(
      { length: 7_200 },
      (_, i) => `c${Math.floor(i / 2_400)}/${String(i).padStart(5, '0')}`,
    );
    const large = {
      ...model,
      paths: ids.map((id, i) => ({
        ...model.paths[i % 2_500],
        id: `path:${id}`,
      })),
      routes: ids.map(id => ({
        id: `route:${id}`,
        cluster: id.slice(0, 2),
        kind: 'VirtualService',
        hosts: [`${id}.example.com`],
        gateways: [],
      })),
      costs: [
        { id: 'cost:lb-idle', monthlyCny: 144 },
        { id: 'cost:lb-blog', monthlyCny: 144, entry: 'entry:lb-blog0001' },
      ],
    } as unknown as AtlasModel;
    try {
      const loaded = await runner.load(whole(await gzipJson(large)));
      for (const accountInventory of [true, false]) {
        const [body] = (await runner.allExposures(loaded, {
          accountInventory,
          paged: false,
        }))!;
        const read = await gunzipJson<any>(body.gzip);
        expect(read).toEqual(
          JSON.parse(
            JSON.stringify({
              generatedAt: large.generatedAt,
              paths: large.paths,
              entries: [],
              gateways: [],
              routes: large.routes,
              costs: accountInventory ? large.costs : [large.costs[1]],
            }),
          ),
        );
        const pages = await Promise.all(
          (await runner.allExposures(loaded, {
            accountInventory,
            paged: true,
          }))!.map(page => gunzipJson<any>(page.gzip)),
        );
        expect(pages.map(p => p.paths.length + p.routes.length)).toEqual([
          EXPOSURES_PAGE_ITEMS,
          EXPOSURES_PAGE_ITEMS,
          14_400 - 2 * EXPOSURES_PAGE_ITEMS,
        ]);
        expect(joinExposuresPages(pages)).toEqual(read);
      }
    } finally {
      await runner.stop();
    }
  });

  it('after an analysis that failed, sends the worker every inventory again', async () => {
    const { runner, job, both, clusters } = await runnerHoldingTwoClusters();
    try {
      // Sent without bytes an inventory the worker does not hold: the analysis fails and says so.
      await expect(
        runner.analyze(async () => ({
          ...job,
          snapshots: [
            both[0],
            {
              ...both[1],
              inventoryGz: undefined,
              inventorySha1: 'f'.repeat(40),
            },
          ],
        })),
      ).rejects.toThrow(
        `does not hold the inventory of cluster ${clusters[1]}`,
      );

      // The next analysis is told the worker holds nothing: it sends every inventory, and works.
      let told: ReadonlyMap<string, string> | undefined;
      const next = await runner.analyze(async held => {
        told = held;
        return { ...job, snapshots: both };
      });
      expect(told?.size).toBe(0);
      expect(next.summary.clusters.map(c => c.name).sort()).toEqual(clusters);
    } finally {
      await runner.stop();
    }
  });

  it('reads the input again for a new worker when the worker stops while it is read', async () => {
    const { runner, job, both, clusters } = await runnerHoldingTwoClusters();
    try {
      // As the store does: the bytes of an inventory the worker holds are left out. The worker
      // stops (as when it runs out of memory) while that is read.
      const told: number[] = [];
      const next = await runner.analyze(async held => {
        told.push(held.size);
        if (told.length === 1) await runner.stop();
        return {
          ...job,
          snapshots: both.map(snapshot =>
            held.get(snapshot.descriptor.name) === snapshot.inventorySha1
              ? { ...snapshot, inventoryGz: undefined }
              : snapshot,
          ),
        };
      });
      expect(told).toEqual([2, 0]);
      expect(next.summary.clusters.map(c => c.name).sort()).toEqual(clusters);
    } finally {
      await runner.stop();
    }
  });

  it('reports a job that fails, runs the next one, and still writes GET /exposures of the model served', async () => {
    const runner = AnalysisRunner.create({
      logger: mockServices.logger.mock(),
    });
    try {
      await expect(
        runner.load(whole(new Uint8Array([1, 2, 3]))),
      ).rejects.toThrow(/Analysis failed: .*header/);
      const served = await runner.load(whole(await gzipJson(model)));
      expect(served.summary.paths).toBe(2_500);
      // A failed publication leaves the model being served, and its body can still be written.
      await expect(
        runner.load(whole(new Uint8Array([4, 5, 6]))),
      ).rejects.toThrow(/Analysis failed/);
      const [all] = (await runner.allExposures(served, wholeBody))!;
      expect((await gunzipJson<any>(all.gzip)).paths).toHaveLength(2_500);
    } finally {
      await runner.stop();
    }
  });

  it.each([
    ['a worker thread', true],
    ['the main thread', false],
  ])(
    'after a change in one cluster, %s analyses that cluster again and stores and serves the whole analysis',
    async (_, useWorker) => {
      const runner = AnalysisRunner.create({
        logger: mockServices.logger.mock(),
        useWorker,
      });
      const now = '2026-11-22T06:00:00.000Z';
      // As the store gives them: without the bytes of an inventory the worker holds.
      const stored = async (
        clusters: ClusterInventory[],
        held: ReadonlyMap<string, string>,
      ): Promise<StoredClusterSnapshot[]> =>
        Promise.all(
          clusters.map(async inventory => {
            const inventoryGz = await gzipJson(inventory);
            const sha1 = inventorySha1(inventoryGz);
            return {
              descriptor: inventory.cluster,
              status: 'ok' as const,
              attemptedAt: now,
              collectedAt: inventory.collectedAt,
              inventorySha1: sha1,
              ...(held.get(inventory.cluster.name) !== sha1 && { inventoryGz }),
            };
          }),
        );
      const job = { clouds: [], prices: undefined as any, entities: [], now };
      try {
        const clusters = await sandboxClusters();
        const first = await runner.analyze(async held => {
          expect(held.size).toBe(0);
          return { ...job, snapshots: await stored(clusters, held) };
        });
        // The store as it keeps the model's parts: each once, by its SHA-1.
        const parts = new Map<string, Uint8Array>();
        const keep = (analysed: AnalysedModel) => {
          for (const { sha1, gz } of analysed.modelParts)
            if (gz) parts.set(sha1, gz);
          return Buffer.concat(
            analysed.modelParts.map(p => parts.get(p.sha1)!),
          );
        };
        expect(first.modelParts.every(p => p.gz)).toBe(true);
        keep(first);
        runner.stored(first, 1);

        const blog = structuredClone(
          clusters.find(c => c.cluster.name === 'tke-blog')!,
        );
        const vs = blog.objects.virtualServices!.find(
          v => v.metadata.name === 'blog',
        )!;
        vs.spec.hosts = [...vs.spec.hosts, 'www.blog.example.com'];
        const after = clusters.map(c =>
          c.cluster.name === 'tke-blog' ? blog : c,
        );
        let sent: StoredClusterSnapshot[] = [];
        const second = await runner.analyze(async held => {
          expect([...held.keys()].sort()).toEqual(
            clusters.map(c => c.cluster.name).sort(),
          );
          sent = await stored(after, held);
          return { ...job, snapshots: sent, latestModelRevision: 1 };
        });
        // Only the changed cluster's inventory went to the worker.
        expect(
          sent.filter(s => s.inventoryGz).map(s => s.descriptor.name),
        ).toEqual(['tke-blog']);

        const expected = analyze({ clusters: after, now });
        expect(second.run?.analysedClusters).toContain('tke-blog');
        expect(second.run!.analysedClusters.length).toBeLessThan(
          clusters.length,
        );
        // Stored: the whole model, its unchanged clusters' runs compressed and stored before
        // (sent without their bytes).
        expect(second.modelParts.some(p => !p.gz)).toBe(true);
        expect(await gunzipJson(keep(second))).toEqual(
          JSON.parse(JSON.stringify(expected)),
        );
        expect(second.summary.paths).toBe(expected.paths.length);
        // What the publication logs: the CPU the job took, and the heap holding the model.
        expect(second.cpuMs).toBeGreaterThan(0);
        expect(second.heap!.used).toBeGreaterThan(0);
        expect(second.heap!.held).toBeGreaterThanOrEqual(second.heap!.used);
        const { paths } = await gunzipJson<any>(
          (await runner.allExposures(second, wholeBody))![0].gzip,
        );
        expect(paths.some((p: any) => p.host === 'www.blog.example.com')).toBe(
          true,
        );
        expect(paths).toEqual(JSON.parse(JSON.stringify(expected.paths)));

        // Stored as revision 2; another replica then stored revision 3, whose models may have
        // replaced the parts this one's reused: the next model comes with every part's bytes.
        runner.stored(second, 2);
        const third = await runner.analyze(async held => ({
          ...job,
          snapshots: await stored(after, held),
          latestModelRevision: 3,
        }));
        expect(third.modelParts.every(p => p.gz)).toBe(true);
      } finally {
        await runner.stop();
      }
    },
  );
});
