import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  FINDINGS_CATALOGUE,
  isFindingCode,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * A finding code's section in the published findings page (`ingressAtlas.findingsDocsUrl`),
 * or undefined when none is configured or the code is not catalogued.
 */
export function useFindingDocsLink(): (code: string) => string | undefined {
  const base = useApi(configApiRef).getOptionalString(
    'ingressAtlas.findingsDocsUrl',
  );
  return code =>
    base && isFindingCode(code)
      ? `${base.replace(/#.*$/, '')}#${FINDINGS_CATALOGUE[code].docsAnchor}`
      : undefined;
}

/** The catalogue's title of a finding code, e.g. "Load balancer serving nothing". */
export function findingTitle(code: string): string | undefined {
  return isFindingCode(code) ? FINDINGS_CATALOGUE[code].title : undefined;
}
