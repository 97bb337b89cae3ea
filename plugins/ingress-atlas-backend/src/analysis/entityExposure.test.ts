import { ClusterInventory } from '@ingress-atlas/plugin-ingress-atlas-node';
import { analyze } from '../engine/analyze';
import { wholeModel } from '../engine/CompressedList';
import { IncrementalAnalysis } from '../engine/IncrementalAnalysis';
import { demoEntities } from '../engine/__testUtils__/fixtureEstates';
import {
  sandboxClusters,
  sandboxTencentCloud,
} from '../engine/__testUtils__/sandboxEstates';
import { indexByEntity } from './entityExposure';

const NOW = new Date('2026-11-22T06:00:00.000Z');

describe('indexByEntity', () => {
  it("gives each entity its paths and the routes they take, read from the model's compressed lists", async () => {
    const clusters = await sandboxClusters();
    const input = {
      clouds: await sandboxTencentCloud(),
      entities: await demoEntities(),
      now: NOW,
    };
    // As the analysis worker holds it: each group of clusters analysed apart, then merged.
    const compact = new IncrementalAnalysis().analyze({
      ...input,
      clusters: clusters.map((inventory: ClusterInventory) => ({
        name: inventory.cluster.name,
        key: inventory.cluster.name,
        inventory: () => structuredClone(inventory),
        istioConfigCluster: inventory.cluster.istioConfigCluster,
      })),
    });
    const whole = analyze({ ...input, clusters });
    expect(wholeModel(compact)).toEqual(whole);

    const index = indexByEntity(compact);
    const refs = [...new Set(whole.paths.flatMap(p => p.entityRefs))].sort();
    expect(refs.length).toBeGreaterThan(3);
    expect([...index.keys()].sort()).toEqual(refs);
    let routesSeen = 0;
    for (const ref of refs) {
      const view = index.get(ref)!;
      const paths = whole.paths.filter(p => p.entityRefs.includes(ref));
      expect(view.paths).toEqual(paths);
      const taken = new Set(paths.flatMap(p => [p.route, ...p.via]));
      expect(view.routes).toEqual(whole.routes.filter(r => taken.has(r.id)));
      routesSeen += view.routes.length;
      expect(view.generatedAt).toBe(whole.generatedAt);
    }
    expect(routesSeen).toBeGreaterThan(0);
  });
});
