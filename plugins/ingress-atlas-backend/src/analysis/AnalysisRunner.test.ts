import { mockServices } from '@backstage/backend-test-utils';
import type { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { gunzipJson, gzipJson } from '../inventory/compression';
import { AnalysisRunner } from './AnalysisRunner';

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

describe('AnalysisRunner', () => {
  it.each([
    ['a worker thread', true],
    ['the main thread', false],
  ])('loads a stored model in %s, whole, with each entity view serialized', async (_, useWorker) => {
    const logger = mockServices.logger.mock();
    const runner = AnalysisRunner.create({ logger, useWorker });
    try {
      const loaded = await runner.load(await gzipJson(model));
      expect(loaded.model).toEqual(model);
      expect([...loaded.exposures.keys()].sort()).toEqual([
        'component:default/app-0',
        'component:default/app-1',
        'component:default/app-2',
      ]);
      const view = await gunzipJson<any>(loaded.exposures.get('component:default/app-1')!.gzip);
      expect(view.paths).toHaveLength(833);
      expect(
        (await gunzipJson<any>(loaded.allExposures.withAccountInventory.gzip)).paths,
      ).toHaveLength(2_500);
      // The same runner takes the next job.
      const again = await runner.load(await gzipJson({ ...model, paths: [] }));
      expect(again.model.paths).toEqual([]);
      expect(logger.debug).not.toHaveBeenCalled();
    } finally {
      await runner.stop();
    }
  });

  it('reports a job that fails, and runs the next one', async () => {
    const runner = AnalysisRunner.create({ logger: mockServices.logger.mock() });
    try {
      await expect(runner.load(new Uint8Array([1, 2, 3]))).rejects.toThrow(/Analysis failed: .*header/);
      expect((await runner.load(await gzipJson(model))).model.paths).toHaveLength(2_500);
    } finally {
      await runner.stop();
    }
  });
});
