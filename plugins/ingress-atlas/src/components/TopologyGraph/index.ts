export { TopologyGraph } from './TopologyGraph';
export type { TopologyGraphProps } from './TopologyGraph';
export { TopologyLegend } from './TopologyLegend';
export { NODE_TYPE_LABELS, NODE_TYPE_ORDER, NODE_TYPE_PLURALS } from './types';
export type { Graph, GraphEdge, GraphNode, GraphNodeType } from './types';
