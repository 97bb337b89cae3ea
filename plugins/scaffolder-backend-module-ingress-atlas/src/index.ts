/**
 * Scaffolder actions of Ingress Atlas: move an ingress gateway from a CLB to pod EIPs, remove
 * the load balancer, cut DNS over, install or join a self-managed Istio control plane.
 *
 * @packageDocumentation
 */
export { scaffolderModuleIngressAtlas as default } from './module';
export * from './actions';
export { ClusterDirectory } from './clusters';
export type { ConnectedCluster } from './clusters';
export { httpProbe, tcpProbe } from './reachability';
export type { ReachabilityProbe } from './reachability';
export type { Clock } from './clock';
