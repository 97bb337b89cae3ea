import { Entity } from '@backstage/catalog-model';
import { FilterPredicate } from '@backstage/filter-predicates';
import {
  INGRESS_ATLAS_HOSTS_ANNOTATION,
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@ingress-atlas/plugin-ingress-atlas-common';

const ANNOTATIONS = [
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
  INGRESS_ATLAS_HOSTS_ANNOTATION,
];

/** Entities the atlas can match to workloads or hosts: those it shows a card and tab for. */
export const ingressAtlasEntityFilter: FilterPredicate = {
  $any: [
    { [`metadata.annotations.${KUBERNETES_ANNOTATION}`]: { $exists: true } },
    {
      [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION}`]: {
        $exists: true,
      },
    },
    {
      [`metadata.annotations.${INGRESS_ATLAS_HOSTS_ANNOTATION}`]: {
        $exists: true,
      },
    },
  ],
};

/** For `EntitySwitch` in apps on the legacy frontend system. */
export function isIngressAtlasAvailable(entity: Entity): boolean {
  return ANNOTATIONS.some(a => Boolean(entity.metadata.annotations?.[a]));
}
