import type {
  AtlasCluster,
  Cost,
  Entry,
  ExposurePath,
  Gateway,
  Route,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { CloudInventory } from '../inventory';

/** `GET /exposures`: every exposure path with the entries, gateways, routes and costs on them. */
export interface ExposuresResponse {
  generatedAt?: string;
  paths: ExposurePath[];
  entries: Entry[];
  gateways: Gateway[];
  routes: Route[];
  costs: Cost[];
}

/** `GET /clusters`. */
export interface ClustersResponse {
  generatedAt?: string;
  clusters: AtlasCluster[];
  /** Cluster sources that could not be listed, e.g. a catalog or a cloud account. */
  sourceErrors: Array<{ source: string; error: string }>;
}

/** `GET /cloud-inventory`. */
export interface CloudInventoryResponse {
  inventories: CloudInventory[];
}

/** Read access to the Ingress Atlas backend for other backend plugins, as their own service. */
export interface IngressAtlasApi {
  getExposures(): Promise<ExposuresResponse>;
  getClusters(): Promise<ClustersResponse>;
  /** Needs `ingress-atlas.cloud-inventory.read`, which services are granted. */
  getCloudInventory(): Promise<CloudInventoryResponse>;
}
