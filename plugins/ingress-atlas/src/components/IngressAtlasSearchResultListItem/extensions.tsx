import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import { IngressAtlasIcon } from '../IngressAtlasIcon';

/** The document type of the `ingress-atlas` search collator. */
export const INGRESS_ATLAS_SEARCH_TYPE = 'ingress-atlas';

/** Renders `ingress-atlas` results on the search page. */
export const ingressAtlasSearchResultListItem =
  SearchResultListItemBlueprint.make({
    params: {
      icon: <IngressAtlasIcon />,
      predicate: result => result.type === INGRESS_ATLAS_SEARCH_TYPE,
      component: () =>
        import('./IngressAtlasSearchResultListItem').then(
          m => m.IngressAtlasSearchResultListItem,
        ),
    },
  });

/** Lets the search page's result type filter narrow results to exposed hosts. */
export const ingressAtlasSearchResultType =
  SearchFilterResultTypeBlueprint.make({
    params: {
      value: INGRESS_ATLAS_SEARCH_TYPE,
      name: 'Exposed hosts',
      icon: <IngressAtlasIcon />,
    },
  });
