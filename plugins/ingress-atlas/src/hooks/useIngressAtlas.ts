import { DependencyList, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { IngressAtlasApi, ingressAtlasApiRef } from '../api';
import { useModelChanges } from './useModelChanges';

/** Whether two dependency lists hold the same values, as React compares them. */
function sameDeps(a: DependencyList, b: DependencyList): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

/**
 * Loads something from the ingress-atlas backend, with loading, error and retry; loads it
 * again when the atlas publishes a newer model, showing what it has meanwhile (no spinner, and
 * a graph keeps its zoom and selection).
 */
export function useIngressAtlas<T>(
  load: (api: IngressAtlasApi) => Promise<T>,
  deps: DependencyList = [],
) {
  const api = useApi(ingressAtlasApiRef);
  const changes = useModelChanges();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsyncRetry(() => load(api), [api, changes, ...deps]);
  const shown = useRef<{ deps: DependencyList; value: T }>();
  const current = [api, ...deps];
  if (!state.loading && !state.error && state.value !== undefined) {
    shown.current = { deps: current, value: state.value };
  }
  if (state.loading && shown.current && sameDeps(shown.current.deps, current)) {
    return { ...state, loading: false, value: shown.current.value };
  }
  return state;
}
