import { Entity } from '@backstage/catalog-model';
import { FilterPredicate } from '@backstage/filter-predicates';
import { OWNERSHIP_ANNOTATIONS } from '@ingress-atlas/plugin-ingress-atlas-common';

/** Entities the atlas can match to workloads or hosts: those it shows a card and tab for. */
export const ingressAtlasEntityFilter: FilterPredicate = {
  $any: OWNERSHIP_ANNOTATIONS.map(
    // A computed key is typed `string`, which could start with `$`; these never do.
    annotation =>
      ({ [`metadata.annotations.${annotation}`]: { $exists: true } }) as FilterPredicate,
  ),
};

/**
 * For `EntitySwitch` in apps on the legacy frontend system.
 *
 * @public
 */
export function isIngressAtlasAvailable(entity: Entity): boolean {
  return OWNERSHIP_ANNOTATIONS.some(a => Boolean(entity.metadata.annotations?.[a]));
}
