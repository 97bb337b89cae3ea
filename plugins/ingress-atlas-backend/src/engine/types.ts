import {
  CloudInventory,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { PriceCatalogue } from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from './kube/ClusterObjects';
import { CloudIndex } from './cloud/CloudIndex';

/** A catalog entity, reduced to what mapping needs: its ref and annotations. */
export interface CatalogEntityLite {
  /** e.g. `component:default/blog`. */
  ref: string;
  annotations?: Record<string, string>;
}

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
