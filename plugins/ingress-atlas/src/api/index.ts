export { ingressAtlasApiRef } from './IngressAtlasApi';
export type {
  ClustersResponse,
  CostResponse,
  EntityExposure,
  FindingsFilter,
  IngressAtlasApi,
  IngressAtlasPermissions,
} from './IngressAtlasApi';
export type { CostSummary } from '@ingress-atlas/plugin-ingress-atlas-common';
export { IngressAtlasClient } from './IngressAtlasClient';
