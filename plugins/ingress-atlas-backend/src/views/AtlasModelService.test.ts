import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { gunzipJson, gzipJson } from '../inventory/compression';
import { SnapshotStore } from '../snapshots/SnapshotStore';
import { AnalysisRunner } from '../analysis/AnalysisRunner';
import { AtlasModelService } from './AtlasModelService';

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
    findings: [],
    costs: [],
    recommendations: [],
  };
}

describe('AtlasModelService', () => {
  it('serves, on another replica, the model one replica stored (read in a worker thread) and its source errors', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const logger = mockServices.logger.mock();
    const analysis = AnalysisRunner.create({ logger });
    const refreshing = AtlasModelService.create({ store, analysis, logger });
    const stored = model('2026-11-22T00:00:00Z');
    const sourceErrors = [{ source: 'catalog', error: 'the catalog answered HTTP 503' }];
    await refreshing.publish(
      {
        model: stored,
        exposures: new Map(),
        modelGz: await gzipJson(stored),
      },
      sourceErrors,
    );

    const other = AtlasModelService.create({ store, analysis, logger });
    const body = await other.entityExposure('component:default/blog');
    const view = await gunzipJson(body.gzip);
    expect(view).toMatchObject({
      entityRef: 'component:default/blog',
      generatedAt: '2026-11-22T00:00:00Z',
      paths: [{ host: 'blog.example.com' }],
    });
    expect(body.etag).toMatch(/^W\/"/);
    expect((await other.model())?.paths).toHaveLength(1);
    // The sources that failed in that refresh show on every replica, not only the one that ran it.
    expect(await other.sourceErrors()).toEqual(sourceErrors);
    expect(await gunzipJson((await other.allExposures({ accountInventory: true }))!.gzip)).toMatchObject({
      generatedAt: '2026-11-22T00:00:00Z',
      paths: [{ host: 'blog.example.com' }],
    });
    expect(
      await gunzipJson((await other.allExposures({ accountInventory: true, page: 0 }))!.gzip),
    ).toMatchObject({ page: 0, pages: 1, paths: [{ host: 'blog.example.com' }] });
    expect(await other.allExposures({ accountInventory: true, page: 1 })).toBeUndefined();

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

  it('builds a derived body once per model revision and key', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await SnapshotStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const logger = mockServices.logger.mock();
    const analysis = AnalysisRunner.create({ logger, useWorker: false });
    const models = AtlasModelService.create({ store, analysis, logger });
    const publish = async (generatedAt: string) => {
      const stored = model(generatedAt);
      await models.publish(
        {
          model: stored,
          exposures: new Map(),
          modelGz: await gzipJson(stored),
        },
        [],
      );
    };
    const builds: string[] = [];
    const hosts = (key: string) =>
      models.derived(key, m => {
        builds.push(`${key} ${m?.generatedAt}`);
        return m?.paths.map(p => p.host);
      });

    await publish('2026-11-22T00:00:00Z');
    const first = await hosts('topology');
    expect((await hosts('topology')).etag).toBe(first.etag);
    await hosts('findings');
    expect(builds).toEqual([
      'topology 2026-11-22T00:00:00Z',
      'findings 2026-11-22T00:00:00Z',
    ]);

    await publish('2026-11-23T00:00:00Z');
    await hosts('topology');
    expect(builds).toEqual([
      'topology 2026-11-22T00:00:00Z',
      'findings 2026-11-22T00:00:00Z',
      'topology 2026-11-23T00:00:00Z',
    ]);
    await analysis.stop();
  });
});
