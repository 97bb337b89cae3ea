import {
  COLLECTED_KINDS,
  ClusterInventory,
  CollectedKind,
} from '@ingress-atlas/plugin-ingress-atlas-node';

/**
 * The kinds a mesh keeps on its config cluster for its data-plane clusters: on Alibaba Cloud
 * Service Mesh, the ASM instance's API server holds the Istio configuration and the
 * IstioGateways that declare the gateway workloads ASM runs in the data-plane clusters.
 */
export const ISTIO_CONFIG_KINDS: CollectedKind[] = [
  'istioGateways',
  'virtualServices',
  'destinationRules',
  'asmIstioGateways',
];

/**
 * A data-plane cluster's inventory with the Istio configuration its config cluster holds, as
 * the cluster's gateways receive it: analysed as the cluster's own. A kind the data plane does
 * not serve but its config cluster does is available; one the config cluster cannot read is
 * unavailable with the config cluster's reason.
 */
export function withIstioConfigOf(
  inventory: ClusterInventory,
  config: ClusterInventory,
): ClusterInventory {
  const objects = { ...inventory.objects };
  const unavailable = { ...inventory.unavailable };
  for (const kind of ISTIO_CONFIG_KINDS) {
    const lent = config.objects[kind] ?? [];
    objects[kind] = [...(objects[kind] ?? []), ...lent];
    const reason = config.unavailable[kind];
    if (reason) {
      unavailable[kind] = `on ${config.cluster.name}: ${reason}`;
    } else {
      delete unavailable[kind];
    }
  }
  const configKinds = new Set<string>(
    ISTIO_CONFIG_KINDS.map(kind => COLLECTED_KINDS[kind].kind),
  );
  return {
    ...inventory,
    objects,
    unavailable,
    rejected: [
      ...(inventory.rejected ?? []),
      ...(config.rejected ?? []).filter(r => configKinds.has(r.kind)),
    ],
  };
}

/** A config cluster's inventory without what it holds for its data-plane clusters. */
export function withoutIstioConfig(
  inventory: ClusterInventory,
): ClusterInventory {
  const objects = { ...inventory.objects };
  for (const kind of ISTIO_CONFIG_KINDS) delete objects[kind];
  return { ...inventory, objects };
}

/**
 * The inventories as the engine analyses them: each cluster that names an `istioConfigCluster`
 * present among them gets that cluster's Istio configuration, which the config cluster then no
 * longer analyses as its own (it runs no gateway for it).
 */
export function withIstioConfigClusters(
  inventories: ClusterInventory[],
): ClusterInventory[] {
  const byName = new Map(inventories.map(i => [i.cluster.name, i]));
  const configs = new Set(
    inventories.flatMap(i =>
      i.cluster.istioConfigCluster && byName.has(i.cluster.istioConfigCluster)
        ? [i.cluster.istioConfigCluster]
        : [],
    ),
  );
  return inventories.map(inventory => {
    const config = inventory.cluster.istioConfigCluster
      ? byName.get(inventory.cluster.istioConfigCluster)
      : undefined;
    if (config) return withIstioConfigOf(inventory, config);
    return configs.has(inventory.cluster.name)
      ? withoutIstioConfig(inventory)
      : inventory;
  });
}
