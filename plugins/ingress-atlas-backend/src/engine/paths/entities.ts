import {
  INGRESS_ATLAS_HOSTS_ANNOTATION,
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  parseHostsAnnotation,
  Labels,
  hostMatches,
  labelSelectorQueryMatcher,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CatalogEntityLite } from '../types';

/** Labels of an object on a path (workload pods, Service), with its namespace. */
export interface Labelled {
  namespace: string;
  labels: Labels;
}

interface Claim {
  ref: string;
  /** `backstage.io/kubernetes-namespace`: the entity's objects are in this namespace only. */
  namespace?: string;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Which catalog entities own a path: those whose Kubernetes annotations select an object on
 * it, as Backstage's Kubernetes plugin does (a label selector, else
 * `backstage.io/kubernetes-id=<id>`, within `backstage.io/kubernetes-namespace` if set), and
 * those that claim its host. The entities are indexed once (ids and exact hosts by value,
 * selectors parsed), so that each of the many paths costs lookups, not a pass over the catalog.
 */
export function entityMatcher(
  entities: CatalogEntityLite[],
): (objects: Labelled[], host: string) => string[] {
  const byId = new Map<string, Claim[]>();
  const bySelector: Array<Claim & { matches: (labels: Labels) => boolean }> =
    [];
  const byHost = new Map<string, string[]>();
  const byHostPattern: Array<{ ref: string; pattern: string }> = [];
  for (const entity of entities) {
    const annotations = entity.annotations ?? {};
    const claim = {
      ref: entity.ref,
      namespace: annotations[KUBERNETES_NAMESPACE_ANNOTATION],
    };
    const selector = annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION];
    const id = annotations[KUBERNETES_ANNOTATION];
    if (selector) {
      try {
        bySelector.push({
          ...claim,
          matches: labelSelectorQueryMatcher(selector),
        });
      } catch {
        // An invalid selector selects nothing (and the id is not a fallback for it).
      }
    } else if (id) {
      push(byId, id, claim);
    }
    for (const host of parseHostsAnnotation(
      annotations[INGRESS_ATLAS_HOSTS_ANNOTATION],
    )) {
      if (host.includes('*'))
        byHostPattern.push({ ref: entity.ref, pattern: host });
      else push(byHost, host, entity.ref);
    }
  }

  return (objects, host) => {
    const refs = new Set<string>();
    const inNamespace = (claim: Claim, object: Labelled) =>
      !claim.namespace || claim.namespace === object.namespace;
    for (const object of objects) {
      const id = object.labels?.[KUBERNETES_ANNOTATION];
      for (const claim of (id && byId.get(id)) || []) {
        if (inNamespace(claim, object)) refs.add(claim.ref);
      }
      for (const claim of bySelector) {
        if (inNamespace(claim, object) && claim.matches(object.labels))
          refs.add(claim.ref);
      }
    }
    byHost.get(host.toLowerCase())?.forEach(ref => refs.add(ref));
    for (const { ref, pattern } of byHostPattern) {
      if (hostMatches(pattern, host)) refs.add(ref);
    }
    return [...refs].sort();
  };
}
