export { IngressAtlasSearchResultListItem } from './IngressAtlasSearchResultListItem';
export type {
  IngressAtlasSearchDocument,
  IngressAtlasSearchResultListItemProps,
} from './IngressAtlasSearchResultListItem';
export {
  INGRESS_ATLAS_SEARCH_TYPE,
  ingressAtlasSearchResultListItem,
  ingressAtlasSearchResultType,
} from './extensions';
