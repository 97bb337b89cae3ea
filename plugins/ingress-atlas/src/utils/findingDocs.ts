import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  FINDINGS_CATALOGUE,
  isFindingCode,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { rootRouteRef } from '../routes';

/** The path of a finding code's page under the atlas page's findings tab. */
export const findingCodePath = (code: string) =>
  `findings/${encodeURIComponent(code)}`;

/**
 * Where a finding code is explained: its section in the published findings page
 * (`ingressAtlas.findingsDocsUrl`), else its page on the atlas's findings tab; undefined for
 * a code the catalogue does not hold, or with neither to link to.
 */
export function useFindingDocsLink(): (code: string) => string | undefined {
  const base = useApi(configApiRef).getOptionalString(
    'ingressAtlas.findingsDocsUrl',
  );
  const atlasRoute = useRouteRef(rootRouteRef);
  return code => {
    if (!isFindingCode(code)) return undefined;
    if (base) {
      return `${base.replace(/#.*$/, '')}#${
        FINDINGS_CATALOGUE[code].docsAnchor
      }`;
    }
    return atlasRoute
      ? `${atlasRoute().replace(/\/$/, '')}/${findingCodePath(code)}`
      : undefined;
  };
}

/** The catalogue's title of a finding code, e.g. "Load balancer serving nothing". */
export function findingTitle(code: string): string | undefined {
  return isFindingCode(code) ? FINDINGS_CATALOGUE[code].title : undefined;
}
