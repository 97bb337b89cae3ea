import useAsync from 'react-use/esm/useAsync';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { CatalogApi, catalogApiRef } from '@backstage/plugin-catalog-react';
import { parseTemplateRef } from './useTemplateLink';

// One catalog request per template and page, however many buttons name it.
const titles = new WeakMap<
  CatalogApi,
  Map<string, Promise<string | undefined>>
>();

/** `move-gateway-to-pod-eip` → `Move gateway to pod eip`: a name a person can read. */
function humaniseTemplateName(templateRef: string) {
  const words = parseTemplateRef(templateRef).name.split(/[-_]+/).join(' ');
  return words.charAt(0).toLocaleUpperCase('en-US') + words.slice(1);
}

/**
 * The template's title from the catalog; its humanised name while the catalog answers, or
 * when it has no title or cannot be read.
 */
export function useTemplateTitle(templateRef: string): string {
  // An app without the catalog still gets readable buttons.
  const catalogApi = useApiHolder().get(catalogApiRef);
  const ref = stringifyEntityRef(parseTemplateRef(templateRef));
  const { value } = useAsync(async () => {
    if (!catalogApi) return undefined;
    let cache = titles.get(catalogApi);
    if (!cache) {
      cache = new Map();
      titles.set(catalogApi, cache);
    }
    let title = cache.get(ref);
    if (!title) {
      title = catalogApi.getEntityByRef(ref).then(
        entity => entity?.metadata.title,
        () => undefined,
      );
      cache.set(ref, title);
    }
    return title;
  }, [catalogApi, ref]);
  return value ?? humaniseTemplateName(templateRef);
}
