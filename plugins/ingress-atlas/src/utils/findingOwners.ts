import {
  ExposuresResponse,
  Finding,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * The catalog entities a finding concerns: those whose exposure paths pass through an entry,
 * gateway or route the finding names, or through a gateway of a control plane it names.
 */
export function findingEntityRefs(
  finding: Finding,
  exposures: ExposuresResponse,
): string[] {
  const ids = new Set(finding.objects.flatMap(o => (o.id ? [o.id] : [])));
  for (const gateway of exposures.gateways) {
    if (gateway.controlPlane && ids.has(gateway.controlPlane)) {
      ids.add(gateway.id);
    }
  }
  const refs = new Set<string>();
  for (const path of exposures.paths) {
    const touched = [path.entry, path.gateway, path.route, ...path.via].some(
      id => id !== undefined && ids.has(id),
    );
    if (touched) path.entityRefs.forEach(ref => refs.add(ref));
  }
  return [...refs].sort();
}
