import {
  INGRESS_ATLAS_HOSTS_ANNOTATION,
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  parseHostsAnnotation,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { matchesLabelSelectorQuery } from '../kube/labels';
import { hostMatches } from '../routes/hosts';
import { CatalogEntityLite } from '../types';

/** Labels of an object on a path (workload pods, Service), with its namespace. */
export interface Labelled {
  namespace: string;
  labels: Record<string, string> | undefined;
}

function selects(entity: CatalogEntityLite, objects: Labelled[]): boolean {
  const annotations = entity.annotations ?? {};
  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION];
  const candidates = objects.filter(
    o => !namespace || o.namespace === namespace,
  );
  // As Backstage's kubernetes plugin: a label selector, else `backstage.io/kubernetes-id=<id>`.
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION];
  if (selector) {
    try {
      return candidates.some(o =>
        matchesLabelSelectorQuery(selector, o.labels),
      );
    } catch {
      return false;
    }
  }
  const id = annotations[KUBERNETES_ANNOTATION];
  return !!id && candidates.some(o => o.labels?.[KUBERNETES_ANNOTATION] === id);
}

/** Catalog entities owning a path: by their Kubernetes annotations, or by the hosts they claim. */
export function entityRefsFor(
  entities: CatalogEntityLite[],
  objects: Labelled[],
  host: string,
): string[] {
  return entities
    .filter(
      entity =>
        selects(entity, objects) ||
        parseHostsAnnotation(
          entity.annotations?.[INGRESS_ATLAS_HOSTS_ANNOTATION],
        ).some(h => hostMatches(h, host)),
    )
    .map(entity => entity.ref)
    .sort();
}
