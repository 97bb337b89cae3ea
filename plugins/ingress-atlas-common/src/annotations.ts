import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';

export { KUBERNETES_ANNOTATION, KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION };

/**
 * Limits an entity's Kubernetes objects to one namespace. Backstage's kubernetes backend reads
 * this key as a literal and exports no constant for it.
 *
 * @public
 */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Comma-separated hosts an entity owns (e.g. `blog.example.com, *.blog.example.com`), for
 * exposure paths whose workloads carry no Backstage label.
 *
 * @public
 */
export const INGRESS_ATLAS_HOSTS_ANNOTATION = 'ingress-atlas.io/hosts';

/**
 * An entity with any of these annotations can own exposure paths (and shows the Ingress card).
 *
 * @public
 */
export const OWNERSHIP_ANNOTATIONS = [
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
  INGRESS_ATLAS_HOSTS_ANNOTATION,
];

/**
 * Reads the hosts annotation into a list; blank entries are dropped.
 *
 * @public
 */
export function parseHostsAnnotation(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[,\s]+/)
    .map(host => host.trim().toLowerCase())
    .filter(Boolean);
}
