import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  AtlasCluster,
  AtlasModel,
  Cost,
  CostSummary,
  Finding,
  Recommendation,
  Severity,
  Topology,
  TopologyFilter,
} from '@ingress-atlas/plugin-ingress-atlas-common';

export interface ClustersResponse {
  generatedAt?: string;
  clusters: AtlasCluster[];
  /** Cluster sources that could not be listed, e.g. a catalog or cloud account. */
  sourceErrors: Array<{ source: string; error: string }>;
}

/** What the atlas knows about one entity: its paths and everything on them. */
export type EntityExposure = Pick<
  AtlasModel,
  | 'paths'
  | 'entries'
  | 'gateways'
  | 'routes'
  | 'findings'
  | 'costs'
  | 'recommendations'
  | 'clusters'
> & { entityRef: string; generatedAt?: string };

export interface CostResponse {
  /** Absent until the first refresh has built a model. */
  summary?: CostSummary;
  costs: Cost[];
  recommendations: Recommendation[];
}

export interface FindingsFilter {
  cluster?: string;
  severity?: Severity;
}

/** What the signed-in user may do, so the UI only offers what will work. */
export interface IngressAtlasPermissions {
  refresh: boolean;
  cloudInventory: boolean;
}

/** Reads the exposure model from the ingress-atlas backend. */
export interface IngressAtlasApi {
  getClusters(): Promise<ClustersResponse>;
  getEntityExposure(entity: CompoundEntityRef): Promise<EntityExposure>;
  getTopology(filter?: TopologyFilter): Promise<Topology>;
  getFindings(filter?: FindingsFilter): Promise<{ findings: Finding[] }>;
  getCost(): Promise<CostResponse>;
  getPermissions(): Promise<IngressAtlasPermissions>;
  /** Schedules a refresh of all clusters and cloud inventories. */
  refresh(): Promise<void>;
}

export const ingressAtlasApiRef = createApiRef<IngressAtlasApi>({
  id: 'plugin.ingress-atlas.service',
});
