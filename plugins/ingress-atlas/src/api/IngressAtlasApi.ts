import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ClustersResponse,
  CostHistoryResponse,
  CostResponse,
  EntityExposure,
  ExposuresResponse,
  FindingsFilter,
  FindingsResponse,
  Topology,
  TopologyFilter,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * Reads the exposure model from the ingress-atlas backend.
 *
 * @public
 */
export interface IngressAtlasApi {
  getClusters(): Promise<ClustersResponse>;
  getEntityExposure(entity: CompoundEntityRef): Promise<EntityExposure>;
  getTopology(filter?: TopologyFilter): Promise<Topology>;
  getFindings(filter?: FindingsFilter): Promise<FindingsResponse>;
  getCost(): Promise<CostResponse>;
  /** The cost of each of the last `days` days (UTC), all that is kept by default. */
  getCostHistory(options?: { days?: number }): Promise<CostHistoryResponse>;
  /** Every exposure path with its entries, gateways, routes and costs. */
  getExposures(): Promise<ExposuresResponse>;
  /** Schedules a refresh of all clusters and cloud inventories. */
  refresh(): Promise<void>;
}

/** @public */
export const ingressAtlasApiRef = createApiRef<IngressAtlasApi>({
  id: 'plugin.ingress-atlas.service',
});
