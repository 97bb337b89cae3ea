import { DependencyList } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { IngressAtlasApi, ingressAtlasApiRef } from '../api';
import { useModelChanges } from './useModelChanges';

/**
 * Loads something from the ingress-atlas backend, with loading, error and retry; loads it
 * again when the atlas publishes a newer model.
 */
export function useIngressAtlas<T>(
  load: (api: IngressAtlasApi) => Promise<T>,
  deps: DependencyList = [],
) {
  const api = useApi(ingressAtlasApiRef);
  const changes = useModelChanges();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsyncRetry(() => load(api), [api, changes, ...deps]);
}
