import {
  AtlasCluster,
  AtlasModel,
  PriceCatalogue,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudInventory } from '@ingress-atlas/plugin-ingress-atlas-node';
import { analyze, CatalogEntityLite } from '../engine';
import { ClusterSnapshot } from '../snapshots/SnapshotStore';

/**
 * Runs the engine over the stored snapshots and stamps each cluster with the outcome of its
 * latest refresh, so a stale or failed cluster shows its error next to its last good data.
 */
export function buildModel(input: {
  snapshots: ClusterSnapshot[];
  clouds: CloudInventory[];
  prices: PriceCatalogue;
  entities: CatalogEntityLite[];
  now: Date;
}): AtlasModel {
  const model = analyze({
    clusters: input.snapshots.flatMap(s => (s.inventory ? [s.inventory] : [])),
    clouds: input.clouds,
    prices: input.prices,
    entities: input.entities,
    now: input.now,
  });
  const analysed = new Map(model.clusters.map(c => [c.name, c]));
  model.clusters = input.snapshots.map((snapshot): AtlasCluster => {
    const cluster = analysed.get(snapshot.descriptor.name);
    return {
      ...snapshot.descriptor,
      unavailableKinds: [],
      ...cluster,
      status: snapshot.status,
      error: snapshot.error,
      collectedAt: snapshot.collectedAt,
    };
  });
  return model;
}
