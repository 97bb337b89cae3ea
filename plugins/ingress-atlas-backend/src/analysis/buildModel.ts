import { PriceCatalogue } from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  ClusterInventory,
  CloudInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { CatalogEntityLite, GatewayTraffic } from '../engine';
import type { CompactModel } from '../engine/CompressedList';
import {
  IncrementalAnalysis,
  IncrementalInput,
} from '../engine/IncrementalAnalysis';
import { gunzipJsonSync } from '../inventory/compression';
import { inventorySha1 } from '../inventory/compressedInventory';
import { StoredClusterSnapshot } from '../snapshots/SnapshotStore';

/**
 * Runs the engine over the stored snapshots. Each cluster carries the outcome of its latest
 * refresh (a stale one shows its error next to its last good data; one never read shows only
 * its error), and the facts its cloud reports (e.g. VPC-CNI) when its own config has none.
 * `engine` keeps what it analysed: only the clusters whose snapshot changed since its last
 * run (and those coupled to them) are read and analysed again.
 */
export function buildModel(
  input: {
    snapshots: StoredClusterSnapshot[];
    clouds: CloudInventory[];
    prices: PriceCatalogue;
    entities: CatalogEntityLite[];
    gatewayTraffic?: GatewayTraffic[];
    now: Date;
  },
  engine: IncrementalAnalysis,
  /** Told, before the analysis, how many clusters it analyses again, of how many. */
  planned?: (clusters: number, of: number) => void,
): CompactModel {
  const cloudFacts = new Map(
    input.clouds
      .flatMap(cloud => cloud.clusters ?? [])
      .filter(c => c.cloudClusterId && c.facts)
      .map(c => [c.cloudClusterId!, c.facts!]),
  );
  const withFacts = (inventory: ClusterInventory): ClusterInventory => {
    const { cloudClusterId, facts } = inventory.cluster;
    const known = cloudClusterId ? cloudFacts.get(cloudClusterId) : undefined;
    return known
      ? {
          ...inventory,
          cluster: { ...inventory.cluster, facts: { ...known, ...facts } },
        }
      : inventory;
  };

  const analysis: IncrementalInput = {
    clusters: input.snapshots.flatMap(
      ({ descriptor, inventoryGz, ...stored }) =>
        inventoryGz
          ? [
              {
                name: descriptor.name,
                key: stored.inventorySha1 ?? inventorySha1(inventoryGz),
                inventory: () =>
                  withFacts(gunzipJsonSync<ClusterInventory>(inventoryGz)),
                istioConfigCluster: descriptor.istioConfigCluster,
              },
            ]
          : [],
    ),
    clouds: input.clouds,
    prices: input.prices,
    entities: input.entities,
    gatewayTraffic: input.gatewayTraffic,
    now: input.now,
    clusterStates: Object.fromEntries(
      input.snapshots
        .filter(s => s.status !== 'ok')
        .map(s => [
          s.descriptor.name,
          { status: s.status as 'stale' | 'error', error: s.error },
        ]),
    ),
  };
  planned?.(engine.toAnalyse(analysis), analysis.clusters.length);
  const model = engine.analyze(analysis);
  for (const snapshot of input.snapshots) {
    if (!snapshot.inventoryGz) {
      model.clusters.push({
        ...snapshot.descriptor,
        status: 'error',
        error: snapshot.error,
        unavailableKinds: [],
      });
    }
  }
  return model;
}
