import { bareHost, hostsOverlap } from './hosts';
import {
  clusterResourceRef,
  gatewayResourceRef,
  hasGatewayResource,
} from './catalogResources';
import {
  AtlasModel,
  ExposurePath,
  Gateway,
  GatewayListener,
  PLAINTEXT_TLS_MODE,
  RouteKind,
  Severity,
} from './model';

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
  /** How many findings are about this node, when any are. */
  findings?: number;
  /** e.g. `public`/`internal` for entries, the kind for routes and workloads. */
  detail?: string;
  /** Services and workloads: the catalog entities the paths through them belong to. */
  entityRefs?: string[];
  /** Clusters and gateways: the catalog Resource the atlas publishes for them. */
  resourceRef?: string;
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

/**
 * A port traffic takes along an edge, as far as the model knows it.
 *
 * @public
 */
export interface TopologyEdgePort {
  port: number;
  /** As the listener, port or route declares it: `HTTP`, `HTTPS`, `TLS`, `TCP`, `GRPC`... */
  protocol?: string;
  /** The TLS mode traffic is served with (`SIMPLE`, `PASSTHROUGH`...), `NONE` for plain HTTP. */
  tls?: string;
}

/** @public */
export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  type: TopologyEdgeType;
  /**
   * For entries to gateways, gateways to routes, routes to Services and proxies to upstreams:
   * the ports traffic takes, with their protocol and TLS where known.
   */
  ports?: TopologyEdgePort[];
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

/** The nodes and edges of a topology as it is built, each once. */
class TopologyBuilder {
  readonly nodes = new Map<string, TopologyNode>();
  readonly edges = new Map<string, TopologyEdge>();

  has(id: string) {
    return this.nodes.has(id);
  }

  addNode(node: TopologyNode) {
    if (!this.nodes.has(node.id)) this.nodes.set(node.id, node);
  }

  /** A namespaced object of a kind (gateway, route, workload), shown as namespace/name. */
  addObjectNode(
    id: string,
    type: TopologyNodeType,
    object: { cluster: string; namespace: string; name: string; kind: string },
  ) {
    this.addNode({
      id,
      type,
      label: `${object.namespace}/${object.name}`,
      cluster: object.cluster,
      namespace: object.namespace,
      detail: object.kind,
    });
  }

  /** Adds the catalog entities of a path through the node, each once. */
  addEntityRefs(id: string, refs: string[]) {
    const node = this.nodes.get(id);
    if (!node || refs.length === 0) return;
    node.entityRefs = [...new Set([...(node.entityRefs ?? []), ...refs])];
  }

  setResourceRef(id: string, ref: string) {
    const node = this.nodes.get(id);
    if (node) node.resourceRef = ref;
  }

  addService(s: { cluster: string; namespace: string; name: string }) {
    const id = serviceNodeId(s);
    this.addNode({
      id,
      type: 'service',
      label: `${s.namespace}/${s.name}`,
      cluster: s.cluster,
      namespace: s.namespace,
    });
    return id;
  }

  /** Adds an edge once; the ports of each addition join those already known. */
  addEdge(
    source: string,
    target: string,
    type: TopologyEdgeType,
    ports: TopologyEdgePort[] = [],
  ) {
    const id = `${type}:${source}->${target}`;
    let edge = this.edges.get(id);
    if (!edge) {
      edge = { id, source, target, type };
      this.edges.set(id, edge);
    }
    for (const port of ports) {
      const known = (edge.ports ??= []);
      if (
        !known.some(
          p =>
            p.port === port.port &&
            p.protocol === port.protocol &&
            p.tls === port.tls,
        )
      ) {
        known.push(port);
      }
    }
  }

  /** Each node counts the findings about it and takes the severity of the worst. */
  markFindings(findings: AtlasModel['findings']) {
    for (const finding of findings) {
      const ids = new Set(finding.objects.map(object => object.id));
      for (const id of ids) {
        const node = id ? this.nodes.get(id) : undefined;
        if (!node) continue;
        node.findings = (node.findings ?? 0) + 1;
        if (
          !node.severity ||
          SEVERITY_RANK[finding.severity] > SEVERITY_RANK[node.severity]
        ) {
          node.severity = finding.severity;
        }
      }
    }
  }

  topology(): Topology {
    return {
      nodes: [...this.nodes.values()],
      edges: [...this.edges.values()].filter(
        e => this.nodes.has(e.source) && this.nodes.has(e.target),
      ),
    };
  }
}

/**
 * What the filter keeps: the paths, and the gateways, entries and routes to draw. With a
 * namespace, those on paths through it and those in it.
 */
function selection(model: AtlasModel, filter: TopologyFilter) {
  const inCluster = (cluster?: string) =>
    !filter.cluster || cluster === filter.cluster;
  const byId = <T extends { id: string }>(items: T[]) =>
    new Map(items.map(i => [i.id, i]));
  const gateways = byId(model.gateways);
  const routes = byId(model.routes);
  const entries = byId(model.entries);
  const ns = filter.namespace;
  const inNamespace = (path: ExposurePath) =>
    !ns ||
    path.service?.namespace === ns ||
    (path.route !== undefined && routes.get(path.route)?.namespace === ns) ||
    (path.gateway !== undefined &&
      gateways.get(path.gateway)?.namespace === ns);
  const paths = model.paths.filter(p => inCluster(p.cluster) && inNamespace(p));
  const gatewayIds = ns
    ? new Set([
        ...paths
          .flatMap(p => [p.gateway, ...p.via])
          .filter((id): id is string => !!id),
        ...model.gateways
          .filter(g => inCluster(g.cluster) && g.namespace === ns)
          .map(g => g.id),
      ])
    : new Set(model.gateways.filter(g => inCluster(g.cluster)).map(g => g.id));
  const entryIds = ns
    ? new Set([
        ...paths.map(p => p.entry),
        ...model.entries
          .filter(e => e.gateway && gatewayIds.has(e.gateway))
          .map(e => e.id),
      ])
    : new Set(model.entries.filter(e => inCluster(e.cluster)).map(e => e.id));
  const routeIds = ns
    ? new Set([
        ...paths.map(p => p.route).filter((id): id is string => !!id),
        ...model.routes
          .filter(r => inCluster(r.cluster) && r.namespace === ns)
          .map(r => r.id),
      ])
    : new Set(model.routes.filter(r => inCluster(r.cluster)).map(r => r.id));
  return {
    inCluster,
    paths,
    gateways: [...gatewayIds].flatMap(id => gateways.get(id) ?? []),
    entries: [...entryIds].flatMap(id => entries.get(id) ?? []),
    routes: [...routeIds].flatMap(id => routes.get(id) ?? []),
  };
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
  const graph = new TopologyBuilder();
  const shown = selection(model, filter);
  addClustersAndControlPlanes(graph, model, filter, shown);
  const gateways = new Map(model.gateways.map(g => [g.id, g]));
  addGateways(graph, shown.gateways);
  addEntries(graph, shown.entries, gateways);
  addRoutes(graph, shown.routes, gateways, filter);
  addPaths(graph, shown.paths);
  graph.markFindings(model.findings);
  return graph.topology();
}

function addClustersAndControlPlanes(
  graph: TopologyBuilder,
  model: AtlasModel,
  filter: TopologyFilter,
  shown: ReturnType<typeof selection>,
) {
  for (const cluster of model.clusters.filter(c => shown.inCluster(c.name))) {
    graph.addNode({
      id: clusterNodeId(cluster.name),
      type: 'cluster',
      label: cluster.title ?? cluster.name,
      cluster: cluster.name,
      detail: cluster.provider,
      resourceRef: clusterResourceRef(cluster),
    });
  }
  // With a namespace, only the control planes of the gateways shown.
  const controlPlaneIds = new Set(
    shown.gateways.map(g => g.controlPlane).filter((id): id is string => !!id),
  );
  for (const cp of model.controlPlanes) {
    if (
      !shown.inCluster(cp.cluster) ||
      (filter.namespace && !controlPlaneIds.has(cp.id))
    )
      continue;
    graph.addNode({
      id: cp.id,
      type: 'controlPlane',
      label: `${cp.kind} ${cp.revision}`,
      cluster: cp.cluster,
      namespace: cp.namespace,
      detail: cp.version,
    });
    graph.addEdge(clusterNodeId(cp.cluster), cp.id, 'hosts');
  }
  for (const cp of model.controlPlanes) {
    if (!graph.has(cp.id)) continue;
    if (cp.primary && graph.has(cp.primary))
      graph.addEdge(cp.id, cp.primary, 'remote-of');
    for (const linked of cp.remoteSecretLinks) {
      if (graph.has(clusterNodeId(linked)))
        graph.addEdge(cp.id, clusterNodeId(linked), 'reads');
    }
  }
}

function addGateways(graph: TopologyBuilder, gateways: AtlasModel['gateways']) {
  for (const gw of gateways) {
    graph.addObjectNode(gw.id, 'gateway', gw);
    if (hasGatewayResource(gw))
      graph.setResourceRef(gw.id, gatewayResourceRef(gw));
    if (gw.controlPlane && graph.has(gw.controlPlane))
      graph.addEdge(gw.controlPlane, gw.id, 'controls');
    else if (graph.has(clusterNodeId(gw.cluster)))
      graph.addEdge(clusterNodeId(gw.cluster), gw.id, 'hosts');
  }
  for (const gw of gateways) {
    for (const upstream of gw.upstreams ?? []) {
      if (upstream.gateway && graph.has(upstream.gateway))
        graph.addEdge(
          gw.id,
          upstream.gateway,
          'proxies-to',
          upstream.port ? [{ port: upstream.port }] : [],
        );
    }
  }
}

/** A listener's port; a listener without TLS that speaks HTTP is plain HTTP. */
function listenerPort(listener: GatewayListener): TopologyEdgePort {
  const tls =
    listener.tls?.mode ??
    (/^http$/i.test(listener.protocol) ? PLAINTEXT_TLS_MODE : undefined);
  return { port: listener.port, protocol: listener.protocol, tls };
}

/**
 * The ports an entry forwards to its gateway: each of the entry's ports as the gateway's
 * listeners on it serve it, or all the listeners when the entry does not say its ports.
 */
function entryPorts(
  entry: AtlasModel['entries'][number],
  gateway?: Gateway,
): TopologyEdgePort[] {
  const listeners = gateway?.listeners ?? [];
  if (entry.ports.length === 0) return listeners.map(listenerPort);
  return entry.ports.flatMap(({ port, protocol }) => {
    const served = listeners.filter(l => l.port === port);
    return served.length > 0 ? served.map(listenerPort) : [{ port, protocol }];
  });
}

/** The protocol a route of a kind carries; a VirtualService may carry several. */
const ROUTE_PROTOCOLS: Partial<Record<RouteKind, string>> = {
  HTTPRoute: 'HTTP',
  GRPCRoute: 'GRPC',
  TLSRoute: 'TLS',
  TCPRoute: 'TCP',
  Ingress: 'HTTP',
};

function addEntries(
  graph: TopologyBuilder,
  entries: AtlasModel['entries'],
  gateways: Map<string, Gateway>,
) {
  for (const entry of entries) {
    graph.addNode({
      id: entry.id,
      type: 'entry',
      label: `${entry.type} ${
        entry.addresses[0] ?? entry.cloudResourceId ?? ''
      }`.trim(),
      cluster: entry.cluster,
      detail: entry.network,
    });
    if (entry.gateway && graph.has(entry.gateway))
      graph.addEdge(
        entry.id,
        entry.gateway,
        'forwards-to',
        entryPorts(entry, gateways.get(entry.gateway)),
      );
    else if (entry.service && !entry.gateway)
      graph.addEdge(
        entry.id,
        graph.addService(entry.service),
        'forwards-to',
        entryPorts(entry),
      );
  }
}

function addRoutes(
  graph: TopologyBuilder,
  routes: AtlasModel['routes'],
  gateways: Map<string, Gateway>,
  filter: TopologyFilter,
) {
  for (const route of routes) {
    graph.addObjectNode(route.id, 'route', route);
    for (const gw of route.gateways) {
      if (!graph.has(gw)) continue;
      // The listeners whose hosts the route's hosts fall under.
      const listeners = (gateways.get(gw)?.listeners ?? []).filter(
        l =>
          route.hosts.length === 0 ||
          l.hosts.length === 0 ||
          l.hosts.some(h =>
            route.hosts.some(r => hostsOverlap(bareHost(h), r)),
          ),
      );
      graph.addEdge(gw, route.id, 'serves', listeners.map(listenerPort));
    }
    for (const dest of route.destinations) {
      if (
        dest.service &&
        (!filter.namespace || dest.service.namespace === filter.namespace)
      ) {
        graph.addEdge(
          route.id,
          graph.addService(dest.service),
          'routes-to',
          dest.port
            ? [{ port: dest.port, protocol: ROUTE_PROTOCOLS[route.kind] }]
            : [],
        );
      }
    }
  }
}

function addPaths(graph: TopologyBuilder, paths: ExposurePath[]) {
  for (const path of paths) {
    if (!path.service) continue;
    const serviceId = graph.addService(path.service);
    graph.addEntityRefs(serviceId, path.entityRefs);
    if (path.route && graph.has(path.route))
      graph.addEdge(path.route, serviceId, 'routes-to');
    if (path.workload) {
      const workloadId = workloadNodeId(path.workload);
      graph.addObjectNode(workloadId, 'workload', path.workload);
      graph.addEntityRefs(workloadId, path.entityRefs);
      graph.addEdge(serviceId, workloadId, 'selects');
    }
  }
}
