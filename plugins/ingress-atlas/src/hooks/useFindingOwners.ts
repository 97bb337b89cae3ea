import useAsync from 'react-use/esm/useAsync';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import { Finding } from '@ingress-atlas/plugin-ingress-atlas-common';
import { ingressAtlasApiRef } from '../api';
import { findingEntityRefs } from '../utils/findingOwners';

export const NO_OWNER = 'No owning entity';

/** `sre` for group:default/sre, `user:jane` for a user: never one name for two owners. */
const ownerName = (owner: string) =>
  humanizeEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }),
    { defaultKind: 'group' },
  );

/**
 * The owners of the entities each finding concerns, read only when asked for (grouping by
 * owner): the exposure paths tie findings to entities, the catalog entities to owners. An
 * entity the catalog does not answer for stands for its own owner.
 */
export function useFindingOwners(findings: Finding[], enabled: boolean) {
  const atlasApi = useApi(ingressAtlasApiRef);
  const catalogApi = useApiHolder().get(catalogApiRef);
  return useAsync(async () => {
    if (!enabled) return undefined;
    const exposures = await atlasApi.getExposures();
    const refsOf = new Map(
      findings.map(f => [f.id, findingEntityRefs(f, exposures)]),
    );
    const refs = [...new Set([...refsOf.values()].flat())];
    const ownerOf = new Map<string, string>();
    if (catalogApi && refs.length > 0) {
      const { items } = await catalogApi.getEntitiesByRefs({
        entityRefs: refs,
        fields: ['kind', 'metadata.namespace', 'metadata.name', 'spec.owner'],
      });
      items.forEach((entity, i) => {
        const owner = entity?.spec?.owner;
        if (typeof owner === 'string') ownerOf.set(refs[i], ownerName(owner));
      });
    }
    return new Map(
      findings.map(f => {
        const owners = (refsOf.get(f.id) ?? []).map(r => ownerOf.get(r) ?? r);
        return [f.id, owners.length > 0 ? [...new Set(owners)] : [NO_OWNER]];
      }),
    );
  }, [atlasApi, catalogApi, findings, enabled]);
}
