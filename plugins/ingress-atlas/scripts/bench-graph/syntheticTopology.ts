import type {
  Topology,
  TopologyEdge,
  TopologyEdgeType,
  TopologyNode,
  TopologyNodeType,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * A mesh estate of the given size, shaped like the real ones: clusters host control planes,
 * entries forward to gateways, gateways serve routes, routes reach services, services select
 * workloads, remotes link to primaries. Deterministic, so figures compare across runs.
 */
export function syntheticTopology(
  nodeCount: number,
  edgeCount: number,
): Topology {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const nodes: TopologyNode[] = [];
  const edges = new Map<string, TopologyEdge>();
  const byType = new Map<TopologyNodeType, TopologyNode[]>();
  const add = (type: TopologyNodeType, cluster: string, label: string) => {
    const node: TopologyNode = {
      id: `${type}:${cluster}/${label}`,
      type,
      label,
      cluster,
      namespace: type === 'cluster' ? undefined : `ns-${nodes.length % 17}`,
      severity: random() < 0.03 ? 'warning' : undefined,
    };
    nodes.push(node);
    byType.set(type, [...(byType.get(type) ?? []), node]);
    return node;
  };
  const link = (
    source: TopologyNode,
    target: TopologyNode,
    type: TopologyEdgeType,
  ) => {
    const id = `${type}:${source.id}->${target.id}`;
    edges.set(id, { id, source: source.id, target: target.id, type });
  };

  const clusterCount = Math.max(1, Math.round(nodeCount / 100));
  const share: Array<[TopologyNodeType, number]> = [
    ['controlPlane', 0.02],
    ['gateway', 0.06],
    ['entry', 0.07],
    ['route', 0.2],
    ['service', 0.3],
  ];
  for (let c = 0; c < clusterCount; c++) {
    const clusterName = `cluster-${c}`;
    const cluster = add('cluster', clusterName, clusterName);
    const perCluster = nodeCount / clusterCount - 1;
    const of = (type: TopologyNodeType) =>
      Math.max(
        1,
        Math.round(perCluster * (share.find(s => s[0] === type)?.[1] ?? 0)),
      );
    const controlPlanes = Array.from({ length: of('controlPlane') }, (_, i) =>
      add('controlPlane', clusterName, `istiod 1-${18 + i}`),
    );
    controlPlanes.forEach(cp => link(cluster, cp, 'hosts'));
    const gateways = Array.from({ length: of('gateway') }, (_, i) =>
      add('gateway', clusterName, `istio-system/gw-${i}`),
    );
    gateways.forEach(gw => link(pick(controlPlanes), gw, 'controls'));
    Array.from({ length: of('entry') }, (_, i) =>
      add('entry', clusterName, `load-balancer 10.${c}.0.${i}`),
    ).forEach(entry => link(entry, pick(gateways), 'forwards-to'));
    const routes = Array.from({ length: of('route') }, (_, i) =>
      add('route', clusterName, `app-${i}/vs-${i}`),
    );
    routes.forEach(route => link(pick(gateways), route, 'serves'));
    const services = Array.from({ length: of('service') }, (_, i) =>
      add('service', clusterName, `app-${i}/svc-${i}`),
    );
    routes.forEach(route => link(route, pick(services), 'routes-to'));
    const workloadCount =
      Math.round(nodeCount / clusterCount) -
      1 -
      controlPlanes.length -
      gateways.length -
      of('entry') -
      routes.length -
      services.length;
    Array.from({ length: Math.max(1, workloadCount) }, (_, i) =>
      add('workload', clusterName, `app-${i}/deploy-${i}`),
    ).forEach(w => link(pick(services), w, 'selects'));
  }
  const clusters = byType.get('cluster')!;
  const planes = byType.get('controlPlane')!;
  for (const cluster of clusters.slice(1)) {
    if (random() < 0.5) link(pick(planes), cluster, 'reads');
  }
  const routes = byType.get('route')!;
  const services = byType.get('service')!;
  while (edges.size < edgeCount) {
    const route = pick(routes);
    const sameCluster = services.filter(s => s.cluster === route.cluster);
    link(route, pick(sameCluster), 'routes-to');
  }
  return {
    nodes: nodes.slice(0, nodeCount),
    edges: [...edges.values()].slice(0, edgeCount),
  };
}
