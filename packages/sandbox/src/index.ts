/**
 * Local stand-ins for the Kubernetes and Tencent Cloud APIs of the Ingress Atlas sandbox.
 *
 * @packageDocumentation
 */
export * from './tencent';
export {
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from './startSandbox';
export { startCluster, type RunningCluster } from './kube/startCluster';
export { TKE } from './controller/NetworkController';
export {
  istioctlInstall,
  istioctlInstallFile,
} from './controller/istioInstaller';
export type { FaultSettings, ClusterStats } from './kube/faults';
export type { KubeObject } from './kube/store';
export {
  loadEstates,
  nodeObject,
  readManifests,
  type ClusterSpec,
  type EstateFile,
  type NodeSpec,
} from './estate';
export { sandboxKubeconfig } from './kubeconfig';
export { generateEstate, type ScaleOptions } from './scale/generateEstate';
