import type {
  ClustersResponse,
  ExposuresResponse,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { CloudInventory } from '../inventory';

/**
 * `GET /cloud-inventory`. Declared here, not in -common with the other bodies: its items are
 * the node-side inventory that cloud modules produce, and only backend plugins read it.
 *
 * @public
 */
export interface CloudInventoryResponse {
  inventories: CloudInventory[];
}

/**
 * Read access to the Ingress Atlas backend for other backend plugins, as their own service.
 *
 * @public
 */
export interface IngressAtlasApi {
  getExposures(): Promise<ExposuresResponse>;
  getClusters(): Promise<ClustersResponse>;
  /** Needs `ingress-atlas.cloud-inventory.read`, which services are granted. */
  getCloudInventory(): Promise<CloudInventoryResponse>;
}
