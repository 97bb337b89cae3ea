import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { gunzipJson } from '../inventory/compression';
import { ModelGzip } from '../analysis/ModelGzip';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { AnalysisRunner } from '../analysis/AnalysisRunner';
import { AtlasModelService } from './AtlasModelService';
import { costDayOf } from '../costHistory/costDay';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function model(generatedAt: string): AtlasModel {
  return {
    generatedAt,
    clusters: [],
    controlPlanes: [],
    gateways: [],
    entries: [],
    routes: [],
    paths: [
      {
        id: 'path:blog',
        host: 'blog.example.com',
        cluster: 'tke-blog',
        entry: 'entry:lb-blog0001',
        via: [],
        entityRefs: ['component:default/blog'],
        network: 'public',
        tls: { mode: 'SIMPLE', certificateSource: 'secret' },
      },
    ],
    findings: [
      {
        id: `TLS_MISSING:${generatedAt}`,
        code: 'TLS_MISSING',
        severity: 'warning',
        message: `Found in the model of ${generatedAt}`,
        objects: [
          {
            kind: 'Service',
            cluster: 'tke-blog',
            namespace: 'blog',
            name: 'blog',
          },
        ],
        fix: 'Serve it over TLS',
      },
    ],
    costs: [],
    recommendations: [],
  };
}

/** A model as the analysis sends it, for a replica to store and serve. */
async function analysed(stored: AtlasModel) {
  return {
    id: 0,
    summary: {
      generatedAt: stored.generatedAt,
      clusters: stored.clusters,
      paths: stored.paths.length,
      findings: stored.findings.length,
    },
    exposures: new Map(),
    modelParts: await new ModelGzip().gzip(stored),
    costDay: costDayOf(stored),
  };
}

/** A replica's store on a fresh database, its logger and its analysis runner. */
async function replicaParts(options: { useWorker?: boolean } = {}) {
  const knex = await databases.init('SQLITE_3');
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const logger = mockServices.logger.mock();
  const analysis = AnalysisRunner.create({ logger, ...options });
  return { knex, store, logger, analysis };
}

const findingsView = {
  view: { route: 'findings' as const, filter: {} },
  accountInventory: true,
};

describe('AtlasModelService', () => {
  it('serves, on another replica, the model one replica stored (read in a worker thread) and its source errors', async () => {
    const { store, logger, analysis } = await replicaParts();
    const refreshing = AtlasModelService.create({ store, analysis, logger });
    const stored = model('2026-11-22T00:00:00Z');
    const sourceErrors = [
      { source: 'catalog', error: 'the catalog answered HTTP 503' },
    ];
    await refreshing.publish(await analysed(stored), sourceErrors);

    const other = AtlasModelService.create({ store, analysis, logger });
    const body = await other.entityExposure('component:default/blog');
    const view = await gunzipJson(body.gzip);
    expect(view).toMatchObject({
      entityRef: 'component:default/blog',
      generatedAt: '2026-11-22T00:00:00Z',
      paths: [{ host: 'blog.example.com' }],
    });
    expect(body.etag).toMatch(/^W\/"/);
    expect((await other.summary())?.paths).toBe(1);
    // The sources that failed in that refresh show on every replica, not only the one that ran it.
    expect(await other.sourceErrors()).toEqual(sourceErrors);
    expect(
      await gunzipJson(
        (await other.allExposures({ accountInventory: true }))!.gzip,
      ),
    ).toMatchObject({
      generatedAt: '2026-11-22T00:00:00Z',
      paths: [{ host: 'blog.example.com' }],
    });
    expect(
      await gunzipJson(
        (await other.allExposures({ accountInventory: true, page: 0 }))!.gzip,
      ),
    ).toMatchObject({
      page: 0,
      pages: 1,
      paths: [{ host: 'blog.example.com' }],
    });
    expect(
      await other.allExposures({ accountInventory: true, page: 1 }),
    ).toBeUndefined();

    const nothing = await other.entityExposure('component:default/unknown');
    expect(JSON.parse(Buffer.from(nothing.json!).toString())).toMatchObject({
      entityRef: 'component:default/unknown',
      generatedAt: '2026-11-22T00:00:00Z',
      paths: [],
    });
    expect(logger.debug).not.toHaveBeenCalledWith(
      expect.stringMatching(/No worker thread/),
      expect.anything(),
    );
  });

  it('writes a view of the whole model once per revision, in the worker that holds the model, loading it there when it holds none', async () => {
    const { store, logger, analysis } = await replicaParts({
      useWorker: false,
    });
    const models = AtlasModelService.create({ store, analysis, logger });
    const messages = async () =>
      JSON.parse(
        Buffer.from((await models.derived(findingsView)).json!).toString(),
      ).findings.map((f: { message: string }) => f.message);

    // Before any model: an empty body.
    expect(await messages()).toEqual([]);

    // Published by another replica's analysis: this replica's worker holds no model yet.
    await models.publish(await analysed(model('2026-11-22T00:00:00Z')), []);
    expect(await messages()).toEqual([
      'Found in the model of 2026-11-22T00:00:00Z',
    ]);
    const first = await models.derived(findingsView);
    expect((await models.derived(findingsView)).etag).toBe(first.etag);
    // Written once for the revision: the same body, not a copy.
    expect(await models.derived(findingsView)).toBe(first);

    await models.publish(await analysed(model('2026-11-23T00:00:00Z')), []);
    expect(await messages()).toEqual([
      'Found in the model of 2026-11-23T00:00:00Z',
    ]);
    expect((await models.derived(findingsView)).etag).not.toBe(first.etag);
    await analysis.stop();
  });

  it('drops a body of the whole model nobody asked for in a while, and writes it again when asked', async () => {
    const { store, logger, analysis } = await replicaParts({
      useWorker: false,
    });
    const models = AtlasModelService.create({
      store,
      analysis,
      logger,
      bodyIdleMs: 300,
    });
    try {
      await models.publish(await analysed(model('2026-11-22T00:00:00Z')), []);
      const first = await models.derived(findingsView);
      // Asked for within the period: kept.
      for (let i = 0; i < 4; i++) {
        await new Promise(resolve => setTimeout(resolve, 100));
        expect(await models.derived(findingsView)).toBe(first);
      }
      // Not asked for: dropped, then written again (the same bytes).
      await new Promise(resolve => setTimeout(resolve, 800));
      const again = await models.derived(findingsView);
      expect(again).not.toBe(first);
      expect(again.etag).toBe(first.etag);
    } finally {
      await analysis.stop();
    }
  });

  it('keeps serving the model it has when the latest stored one cannot be read, reading again at each check only', async () => {
    const { knex, store, logger, analysis } = await replicaParts({
      useWorker: false,
    });
    try {
      const publishing = AtlasModelService.create({ store, analysis, logger });
      await publishing.publish(
        await analysed(model('2026-11-22T00:00:00Z')),
        [],
      );
      const other = AtlasModelService.create({ store, analysis, logger });
      await other.entityExposure('component:default/blog');

      // The next revision is stored, then loses a part (a restore from an incomplete backup).
      const broken = await analysed(model('2026-11-23T00:00:00Z'));
      await publishing.publish(broken, []);
      await knex('model_parts')
        .where('sha1', broken.modelParts[0].sha1)
        .delete();
      await new Promise(resolve => setTimeout(resolve, 600));

      // 40 requests, 5 ms apart: one check of the store per half second, not one per request.
      const started = Date.now();
      for (let i = 0; i < 40; i++) {
        const view = await gunzipJson<{ generatedAt: string }>(
          (
            await other.entityExposure('component:default/blog')
          ).gzip,
        );
        expect(view.generatedAt).toBe('2026-11-22T00:00:00Z');
        await new Promise(resolve => setTimeout(resolve, 5));
      }
      const checks = 1 + Math.floor((Date.now() - started) / 500);
      const failedReads = logger.warn.mock.calls.filter(
        ([message]) => message === 'Reading the stored model failed',
      );
      expect(failedReads.length).toBeGreaterThanOrEqual(1);
      expect(failedReads.length).toBeLessThanOrEqual(checks);
      // Read at every request, the store would fail 40 times.
      expect(failedReads.length).toBeLessThan(40);
      expect(failedReads[0][1]).toEqual({
        error: expect.stringMatching(
          /^Model revision \d+ lacks 1 of its \d+ stored parts$/,
        ),
      });
    } finally {
      await analysis.stop();
    }
  });
});
