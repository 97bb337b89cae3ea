import {
  CloudInventory,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  PriceCatalogue,
  TrafficMeasurement,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from './kube/ClusterObjects';
import { CloudIndex } from './cloud/CloudIndex';

/**
 * A catalog entity, reduced to what mapping needs: its ref and annotations.
 *
 * @public
 */
export interface CatalogEntityLite {
  /** e.g. `component:default/blog`. */
  ref: string;
  annotations?: Record<string, string>;
}

/**
 * What the exposure engine ({@link analyze}) reads.
 *
 * @public
 */
export interface AnalyzeInput {
  clusters: ClusterInventory[];
  clouds?: CloudInventory[];
  /** Defaults to the built-in catalogue. */
  prices?: PriceCatalogue;
  entities?: CatalogEntityLite[];
  /**
   * The moment certificate expiry is measured from and `generatedAt`. Defaults to the newest
   * `collectedAt` of the inputs, so the same inputs always give the same model.
   */
  now?: Date | string;
  /** Clusters whose last refresh failed: shown as stale (old inventory) or error (none). */
  clusterStates?: Record<string, { status: 'stale' | 'error'; error?: string }>;
  /**
   * Known monthly traffic in GB, by entry id or cloud resource id. It wins over what the
   * clouds' monitoring (`clouds[].traffic`) and the mesh (`gatewayTraffic`) measured.
   */
  trafficGbPerMonth?: Record<string, number>;
  /**
   * What gateway workloads sent, from the mesh's metrics; each is put on the one public
   * entry of its gateway, where the clouds measured nothing for that entry.
   */
  gatewayTraffic?: GatewayTraffic[];
}

/**
 * What one gateway workload sent, from the mesh's metrics.
 *
 * @public
 */
export interface GatewayTraffic {
  namespace: string;
  /** The workload's name, as Istio's `source_workload` gives it (a Deployment's name). */
  workload: string;
  /** The mesh's name for the cluster (`source_cluster`), when the metrics carry one. */
  cluster?: string;
  measurement: TrafficMeasurement;
}

export interface EngineContext {
  now: Date;
  prices: PriceCatalogue;
  clusters: ClusterObjects[];
  cloud: CloudIndex;
  entities: CatalogEntityLite[];
}

export const ids = {
  controlPlane: (cluster: string, revision: string) =>
    `controlPlane:${cluster}/${revision}`,
  gateway: (cluster: string, namespace: string, name: string) =>
    `gateway:${cluster}/${namespace}/${name}`,
  entry: (cluster: string, type: string, key: string) =>
    `entry:${cluster}/${type}/${key}`,
  route: (cluster: string, kind: string, namespace: string, name: string) =>
    `route:${cluster}/${kind}/${namespace}/${name}`,
};

/**
 * Keys for billable resources whose cloud id is not known (no cloud inventory, or not created
 * yet): stable from one refresh to the next and shaped like ids, `<owner>-<resource kind>`,
 * so they can name catalog entities. What they stand for is said in the entry's notes.
 */
export const resourceKeys = {
  serviceLoadBalancer: (
    cluster: string,
    namespace: string,
    name: string,
    kind = 'lb',
  ) => `service-${cluster}-${namespace}-${name}-${kind}`,
  /** The EIP created with a load balancer (`elb-<id>`, or the key of one without an id). */
  loadBalancerEip: (loadBalancer: string) => `${loadBalancer}-eip`,
  podEip: (cluster: string, namespace: string, pod: string) =>
    `pod-${cluster}-${namespace}-${pod}-eip`,
  nodeEip: (cluster: string, node: string) => `node-${cluster}-${node}-eip`,
};
