export {
  IngressAtlasClient,
  ingressAtlasClientServiceRef,
} from './IngressAtlasClient';
export type {
  CloudInventoryResponse,
  ClustersResponse,
  ExposuresResponse,
  IngressAtlasApi,
} from './types';
