/**
 * Tencent Cloud provider for the Ingress Atlas backend: TKE clusters, CLBs, EIPs,
 * VPC endpoints, TCM meshes and prices.
 *
 * @packageDocumentation
 */
export { ingressAtlasModuleTencent as default } from './module';
export { TencentCloudProvider } from './TencentCloudProvider';
