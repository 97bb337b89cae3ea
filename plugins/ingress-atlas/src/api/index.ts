export { ingressAtlasApiRef } from './IngressAtlasApi';
export type {
  ClustersResponse,
  CostResponse,
  CostSummary,
  EntityExposure,
  FindingsFilter,
  IngressAtlasApi,
  IngressAtlasPermissions,
} from './IngressAtlasApi';
export { IngressAtlasClient } from './IngressAtlasClient';
