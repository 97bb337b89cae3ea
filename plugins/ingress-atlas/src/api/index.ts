export { IngressAtlasClient, ingressAtlasApiRef } from './IngressAtlasApi';
export type { IngressAtlasApi } from './IngressAtlasApi';
export type {
  ClustersResponse,
  CostHistoryAmount,
  CostHistoryDay,
  CostHistoryResponse,
  CostResponse,
  CostSummary,
  EntityExposure,
  FindingsFilter,
  FindingsResponse,
} from '@ingress-atlas/plugin-ingress-atlas-common';
