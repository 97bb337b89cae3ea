import {
  TopologyEdge,
  TopologyNode,
  TopologyNodeType,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * The topology's node types plus the DNS hosts an entity is reached by.
 *
 * @public
 */
export type GraphNodeType = TopologyNodeType | 'host';

/** @public */
export type GraphNode = Omit<TopologyNode, 'type'> & { type: GraphNodeType };

/** @public */
export type GraphEdge = Pick<
  TopologyEdge,
  'id' | 'source' | 'target' | 'ports'
> & {
  type: TopologyEdge['type'] | 'resolves-to';
};

/** @public */
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The node types in the order legends and filters list them. */
export const NODE_TYPE_ORDER: GraphNodeType[] = [
  'host',
  'cluster',
  'controlPlane',
  'entry',
  'gateway',
  'route',
  'service',
  'workload',
];

export const NODE_TYPE_LABELS: Record<GraphNodeType, string> = {
  host: 'Host',
  cluster: 'Cluster',
  controlPlane: 'Control plane',
  entry: 'Entry',
  gateway: 'Gateway',
  route: 'Route',
  service: 'Service',
  workload: 'Workload',
};

export const NODE_TYPE_PLURALS: Record<GraphNodeType, string> = {
  host: 'Hosts',
  cluster: 'Clusters',
  controlPlane: 'Control planes',
  entry: 'Entries',
  gateway: 'Gateways',
  route: 'Routes',
  service: 'Services',
  workload: 'Workloads',
};

/** What an edge says its source does to its target. */
export const EDGE_TYPE_LABELS: Record<GraphEdge['type'], string> = {
  hosts: 'Hosts',
  controls: 'Controls',
  'remote-of': 'Remote of',
  reads: 'Reads',
  'forwards-to': 'Forwards to',
  'proxies-to': 'Proxies to',
  serves: 'Serves',
  'routes-to': 'Routes to',
  selects: 'Selects',
  'resolves-to': 'Resolves to',
};

export { SEVERITY_LABELS } from '../../utils/findings';

/** Links between clusters and meshes, drawn dashed. */
export const CROSS_CLUSTER_EDGES: ReadonlySet<GraphEdge['type']> = new Set([
  'remote-of',
  'reads',
  'proxies-to',
]);
