import { buildTopology } from '@ingress-atlas/plugin-ingress-atlas-common';
import { EntityExposure } from '../../api';
import { Graph, GraphEdge, GraphNode } from '../TopologyGraph';

/**
 * The entity's own topology: the hosts it is reached by, then entries, proxies, gateways,
 * routes, Services and workloads, as the atlas' topology draws them.
 */
export function entityGraph(exposure: EntityExposure): Graph {
  const topology = buildTopology({
    generatedAt: exposure.generatedAt ?? '',
    clusters: exposure.clusters,
    controlPlanes: [],
    gateways: exposure.gateways,
    entries: exposure.entries,
    routes: exposure.routes,
    paths: exposure.paths,
    findings: exposure.findings,
    costs: exposure.costs,
    recommendations: exposure.recommendations,
  });
  const nodes: GraphNode[] = [...topology.nodes];
  const edges: GraphEdge[] = [...topology.edges];
  const nodeIds = new Set(nodes.map(n => n.id));
  const hosts = new Set<string>();
  for (const path of exposure.paths) {
    const hostId = `host:${path.host}`;
    if (!hosts.has(path.host)) {
      hosts.add(path.host);
      nodes.push({
        id: hostId,
        type: 'host',
        label: path.host,
        detail: path.network,
      });
    }
    const first = path.via[0] ?? path.entry;
    if (nodeIds.has(path.entry)) {
      edges.push({
        id: `resolves-to:${hostId}->${path.entry}`,
        source: hostId,
        target: path.entry,
        type: 'resolves-to',
      });
    }
    if (path.via.length > 0 && nodeIds.has(first) && nodeIds.has(path.entry)) {
      edges.push({
        id: `forwards-to:${path.entry}->${first}`,
        source: path.entry,
        target: first,
        type: 'forwards-to',
      });
    }
  }
  const unique = new Map(edges.map(e => [e.id, e]));
  return { nodes, edges: [...unique.values()] };
}
