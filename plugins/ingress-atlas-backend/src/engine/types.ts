import {
  CloudInventory,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { PriceCatalogue } from '@ingress-atlas/plugin-ingress-atlas-common';
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
  /** Known monthly traffic in GB, by entry id or cloud resource id. */
  trafficGbPerMonth?: Record<string, number>;
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
