import type { AtlasModel, ExposurePath, Severity } from './model';

/** @public */
export type TopologyNodeType =
  | 'cluster'
  | 'controlPlane'
  | 'gateway'
  | 'entry'
  | 'route'
  | 'service'
  | 'workload';

/** @public */
export interface TopologyNode {
  id: string;
  type: TopologyNodeType;
  label: string;
  cluster?: string;
  namespace?: string;
  /** The worst severity among findings about this node. */
  severity?: Severity;
  /** e.g. `public`/`internal` for entries, the kind for routes and workloads. */
  detail?: string;
}

/** @public */
export type TopologyEdgeType =
  | 'hosts'
  | 'controls'
  | 'remote-of'
  | 'reads'
  | 'forwards-to'
  | 'proxies-to'
  | 'serves'
  | 'routes-to'
  | 'selects';

/** @public */
export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  type: TopologyEdgeType;
}

/** @public */
export interface TopologyFilter {
  cluster?: string;
  namespace?: string;
}

/** @public */
export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

const SEVERITY_RANK: Record<Severity, number> = {
  info: 0,
  warning: 1,
  error: 2,
};

/** @public */
export function clusterNodeId(cluster: string) {
  return `cluster:${cluster}`;
}

/** @public */
export function serviceNodeId(s: {
  cluster: string;
  namespace: string;
  name: string;
}) {
  return `service:${s.cluster}/${s.namespace}/${s.name}`;
}

/** @public */
export function workloadNodeId(w: {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}) {
  return `workload:${w.cluster}/${w.namespace}/${w.kind}/${w.name}`;
}

/**
 * Turns the model into a graph for drawing: clusters host control planes, control planes
 * control gateways, entries forward to gateways (or straight to services), gateways serve
 * routes, routes lead to services and services select workloads. With a namespace filter,
 * only what lies on paths through that namespace is kept.
 *
 * @public
 */
export function buildTopology(
  model: AtlasModel,
  filter: TopologyFilter = {},
): Topology {
  const nodes = new Map<string, TopologyNode>();
  const edges = new Map<string, TopologyEdge>();
  const addNode = (node: TopologyNode) => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
  };
  /** A namespaced object of a kind (gateway, route, workload), shown as namespace/name. */
  const addObjectNode = (
    id: string,
    type: TopologyNodeType,
    object: { cluster: string; namespace: string; name: string; kind: string },
  ) =>
    addNode({
      id,
      type,
      label: `${object.namespace}/${object.name}`,
      cluster: object.cluster,
      namespace: object.namespace,
      detail: object.kind,
    });
  const addEdge = (source: string, target: string, type: TopologyEdgeType) => {
    const id = `${type}:${source}->${target}`;
    if (!edges.has(id)) edges.set(id, { id, source, target, type });
  };

  const inCluster = (cluster?: string) =>
    !filter.cluster || cluster === filter.cluster;
  const byId = <T extends { id: string }>(items: T[]) =>
    new Map(items.map(i => [i.id, i]));
  const gateways = byId(model.gateways);
  const routes = byId(model.routes);
  const entries = byId(model.entries);

  const inNamespace = (path: ExposurePath) => {
    if (!filter.namespace) return true;
    const ns = filter.namespace;
    return (
      path.service?.namespace === ns ||
      (path.route !== undefined && routes.get(path.route)?.namespace === ns) ||
      (path.gateway !== undefined &&
        gateways.get(path.gateway)?.namespace === ns)
    );
  };
  const paths = model.paths.filter(p => inCluster(p.cluster) && inNamespace(p));

  let gatewayIds = new Set(
    model.gateways.filter(g => inCluster(g.cluster)).map(g => g.id),
  );
  let entryIds = new Set(
    model.entries.filter(e => inCluster(e.cluster)).map(e => e.id),
  );
  let routeIds = new Set(
    model.routes.filter(r => inCluster(r.cluster)).map(r => r.id),
  );
  if (filter.namespace) {
    const ns = filter.namespace;
    gatewayIds = new Set([
      ...paths
        .flatMap(p => [p.gateway, ...p.via])
        .filter((id): id is string => !!id),
      ...model.gateways
        .filter(g => inCluster(g.cluster) && g.namespace === ns)
        .map(g => g.id),
    ]);
    entryIds = new Set([
      ...paths.map(p => p.entry),
      ...model.entries
        .filter(e => e.gateway && gatewayIds.has(e.gateway))
        .map(e => e.id),
    ]);
    routeIds = new Set([
      ...paths.map(p => p.route).filter((id): id is string => !!id),
      ...model.routes
        .filter(r => inCluster(r.cluster) && r.namespace === ns)
        .map(r => r.id),
    ]);
  }

  const clusters = model.clusters.filter(c => inCluster(c.name));
  for (const cluster of clusters) {
    addNode({
      id: clusterNodeId(cluster.name),
      type: 'cluster',
      label: cluster.title ?? cluster.name,
      cluster: cluster.name,
      detail: cluster.provider,
    });
  }
  const hasCluster = (name: string) => nodes.has(clusterNodeId(name));

  const controlPlaneIds = new Set(
    [...gatewayIds]
      .map(id => gateways.get(id)?.controlPlane)
      .filter((id): id is string => !!id),
  );
  for (const cp of model.controlPlanes) {
    if (
      !inCluster(cp.cluster) ||
      (filter.namespace && !controlPlaneIds.has(cp.id))
    )
      continue;
    addNode({
      id: cp.id,
      type: 'controlPlane',
      label: `${cp.kind} ${cp.revision}`,
      cluster: cp.cluster,
      namespace: cp.namespace,
      detail: cp.version,
    });
    addEdge(clusterNodeId(cp.cluster), cp.id, 'hosts');
  }
  for (const cp of model.controlPlanes) {
    if (!nodes.has(cp.id)) continue;
    if (cp.primary && nodes.has(cp.primary))
      addEdge(cp.id, cp.primary, 'remote-of');
    for (const linked of cp.remoteSecretLinks) {
      if (hasCluster(linked)) addEdge(cp.id, clusterNodeId(linked), 'reads');
    }
  }

  for (const id of gatewayIds) {
    const gw = gateways.get(id);
    if (!gw) continue;
    addObjectNode(id, 'gateway', gw);
    if (gw.controlPlane && nodes.has(gw.controlPlane))
      addEdge(gw.controlPlane, id, 'controls');
    else if (hasCluster(gw.cluster))
      addEdge(clusterNodeId(gw.cluster), id, 'hosts');
  }
  for (const id of gatewayIds) {
    for (const upstream of gateways.get(id)?.upstreams ?? []) {
      if (upstream.gateway && nodes.has(upstream.gateway))
        addEdge(id, upstream.gateway, 'proxies-to');
    }
  }

  const addService = (s: {
    cluster: string;
    namespace: string;
    name: string;
  }) => {
    const id = serviceNodeId(s);
    addNode({
      id,
      type: 'service',
      label: `${s.namespace}/${s.name}`,
      cluster: s.cluster,
      namespace: s.namespace,
    });
    return id;
  };

  for (const id of entryIds) {
    const entry = entries.get(id);
    if (!entry) continue;
    addNode({
      id,
      type: 'entry',
      label: `${entry.type} ${
        entry.addresses[0] ?? entry.cloudResourceId ?? ''
      }`.trim(),
      cluster: entry.cluster,
      detail: entry.network,
    });
    if (entry.gateway && nodes.has(entry.gateway))
      addEdge(id, entry.gateway, 'forwards-to');
    else if (entry.service && !entry.gateway)
      addEdge(id, addService(entry.service), 'forwards-to');
  }

  for (const id of routeIds) {
    const route = routes.get(id);
    if (!route) continue;
    addObjectNode(id, 'route', route);
    for (const gw of route.gateways)
      if (nodes.has(gw)) addEdge(gw, id, 'serves');
    for (const dest of route.destinations) {
      if (
        dest.service &&
        (!filter.namespace || dest.service.namespace === filter.namespace)
      ) {
        addEdge(id, addService(dest.service), 'routes-to');
      }
    }
  }

  for (const path of paths) {
    if (!path.service) continue;
    const serviceId = addService(path.service);
    if (path.route && nodes.has(path.route))
      addEdge(path.route, serviceId, 'routes-to');
    if (path.workload) {
      const workloadId = workloadNodeId(path.workload);
      addObjectNode(workloadId, 'workload', path.workload);
      addEdge(serviceId, workloadId, 'selects');
    }
  }

  for (const finding of model.findings) {
    for (const object of finding.objects) {
      const node = object.id ? nodes.get(object.id) : undefined;
      if (
        node &&
        (!node.severity ||
          SEVERITY_RANK[finding.severity] > SEVERITY_RANK[node.severity])
      ) {
        node.severity = finding.severity;
      }
    }
  }

  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()].filter(
      e => nodes.has(e.source) && nodes.has(e.target),
    ),
  };
}
