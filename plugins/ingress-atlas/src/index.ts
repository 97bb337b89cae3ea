/**
 * Ingress Atlas: which service is reachable from where, through what, at what cost.
 *
 * The new frontend system plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  ingressAtlasPlugin,
  IngressAtlasPage,
  EntityIngressAtlasCard,
  EntityIngressAtlasContent,
} from './plugin';
export { isIngressAtlasAvailable } from './conditions';
export * from './api';
export { TopologyGraph } from './components/TopologyGraph';
export type {
  TopologyGraphProps,
  Graph,
  GraphEdge,
  GraphNode,
  GraphNodeType,
} from './components/TopologyGraph';
