import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApiHolder, useRouteRef } from '@backstage/core-plugin-api';
import { useRouteRef as useOptionalRouteRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  Finding,
  ObjectRef,
  objectResourceRef,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { rootRouteRef } from '../routes';
import { topologyNodeLink } from '../utils/topologyLink';

/**
 * Where each object the findings name is shown: its catalog Resource when the catalog holds
 * one the user may read, else its node on the atlas's topology, else nowhere (undefined).
 * The catalog is asked once for all the Resources the findings could have.
 */
export function useObjectLinks(
  findings: Finding[],
): (object: ObjectRef) => string | undefined {
  const catalogApi = useApiHolder().get(catalogApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const atlasRoute = useOptionalRouteRef(rootRouteRef);
  const refs = useMemo(
    () =>
      [
        ...new Set(
          findings.flatMap(f =>
            f.objects
              .map(objectResourceRef)
              .filter((ref): ref is string => ref !== undefined),
          ),
        ),
      ].sort(),
    [findings],
  );
  const key = refs.join(' ');
  const lookup = useAsync(async () => {
    if (!catalogApi || refs.length === 0) return new Set<string>();
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
    });
    return new Set(refs.filter((_, i) => items[i]));
    // The refs are compared by their text: a new array of the same refs asks nothing again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);
  // A catalog that cannot answer holds none of them: the topology is linked instead.
  const published = lookup.error ? new Set<string>() : lookup.value;

  return (object: ObjectRef) => {
    const ref = objectResourceRef(object);
    if (ref) {
      // Until the catalog answers, no link rather than one that changes under the pointer.
      if (!published) return undefined;
      if (published.has(ref)) return entityRoute(parseEntityRef(ref));
    }
    return atlasRoute && object.id
      ? topologyNodeLink(atlasRoute(), object)
      : undefined;
  };
}
