import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useIngressAtlas } from './useIngressAtlas';

export function useEntityExposure() {
  const { entity } = useEntity();
  const ref = getCompoundEntityRef(entity);
  return useIngressAtlas(
    api => api.getEntityExposure(ref),
    [ref.kind, ref.namespace, ref.name],
  );
}
