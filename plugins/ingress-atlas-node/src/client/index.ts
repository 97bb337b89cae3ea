export {
  IngressAtlasClient,
  ingressAtlasClientServiceRef,
} from './IngressAtlasClient';
export type { CloudInventoryResponse, IngressAtlasApi } from './types';
