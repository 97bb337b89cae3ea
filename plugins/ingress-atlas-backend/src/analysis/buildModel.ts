import {
  AtlasModel,
  PriceCatalogue,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  ClusterInventory,
  CloudInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { analyze, CatalogEntityLite, GatewayTraffic } from '../engine';
import { ClusterSnapshot } from '../snapshots/SnapshotStore';

/**
 * Runs the engine over the stored snapshots. Each cluster carries the outcome of its latest
 * refresh (a stale one shows its error next to its last good data; one never read shows only
 * its error), and the facts its cloud reports (e.g. VPC-CNI) when its own config has none.
 */
export function buildModel(input: {
  snapshots: ClusterSnapshot[];
  clouds: CloudInventory[];
  prices: PriceCatalogue;
  entities: CatalogEntityLite[];
  gatewayTraffic?: GatewayTraffic[];
  now: Date;
}): AtlasModel {
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
      ? { ...inventory, cluster: { ...inventory.cluster, facts: { ...known, ...facts } } }
      : inventory;
  };

  const model = analyze({
    clusters: input.snapshots.flatMap(s => (s.inventory ? [withFacts(s.inventory)] : [])),
    clouds: input.clouds,
    prices: input.prices,
    entities: input.entities,
    gatewayTraffic: input.gatewayTraffic,
    now: input.now,
    clusterStates: Object.fromEntries(
      input.snapshots
        .filter(s => s.status !== 'ok')
        .map(s => [s.descriptor.name, { status: s.status as 'stale' | 'error', error: s.error }]),
    ),
  });
  for (const snapshot of input.snapshots) {
    if (!snapshot.inventory) {
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
