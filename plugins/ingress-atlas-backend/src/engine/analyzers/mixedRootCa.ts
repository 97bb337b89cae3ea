import { ControlPlane } from '@ingress-atlas/plugin-ingress-atlas-common';
import { rootCaFingerprint } from '../controlPlanes/rootCa';
import { Analyzer, finding } from './types';

function meshKey(plane: ControlPlane, planes: ControlPlane[]): string {
  const primary = plane.primary
    ? planes.find(p => p.id === plane.primary)
    : undefined;
  return plane.meshId ?? primary?.meshId ?? primary?.id ?? plane.id;
}

/**
 * Control planes of one mesh, or namespaces of one cluster, trusting different root CAs:
 * workloads on either side cannot talk mTLS to each other.
 */
export const mixedRootCa: Analyzer = {
  codes: ['MIXED_ROOT_CA'],
  analyze: ({ model, clusters }) => {
    const findings = [];
    const meshes = new Map<string, ControlPlane[]>();
    for (const plane of model.controlPlanes) {
      if (!plane.rootCaFingerprint) continue;
      const key = meshKey(plane, model.controlPlanes);
      meshes.set(key, [...(meshes.get(key) ?? []), plane]);
    }
    for (const [mesh, planes] of meshes) {
      const roots = new Set(planes.map(p => p.rootCaFingerprint));
      if (roots.size < 2) continue;
      findings.push(
        finding({
          code: 'MIXED_ROOT_CA',
          severity: 'error',
          message: `Control planes of mesh ${mesh} trust ${
            roots.size
          } different root CAs (${planes
            .map(
              p =>
                `${p.cluster}/${p.revision}: ${p.rootCaFingerprint!.slice(
                  0,
                  12,
                )}`,
            )
            .join(', ')}); mTLS between them fails`,
          objects: planes.map(p => ({
            kind: 'ControlPlane',
            name: p.revision,
            cluster: p.cluster,
            id: p.id,
          })),
          fix: 'Give every control plane of the mesh intermediate CAs from one root (the cacerts secret in istio-system), or keep the meshes apart and move traffic between them through gateways.',
        }),
      );
    }
    for (const objects of clusters) {
      const byRoot = new Map<string, string[]>();
      for (const cm of objects
        .list('configmaps')
        .filter(c => c.metadata.name === 'istio-ca-root-cert')) {
        const fingerprint = rootCaFingerprint(cm);
        if (fingerprint)
          byRoot.set(fingerprint, [
            ...(byRoot.get(fingerprint) ?? []),
            cm.metadata.namespace!,
          ]);
      }
      if (byRoot.size < 2) continue;
      findings.push(
        finding({
          code: 'MIXED_ROOT_CA',
          severity: 'warning',
          message: `Namespaces of ${objects.name} trust ${
            byRoot.size
          } different root CAs (${[...byRoot.values()]
            .map(ns => ns.join(', '))
            .join(' | ')}): workloads across them cannot talk mTLS`,
          objects: [...byRoot.values()].map(ns => ({
            kind: 'ConfigMap',
            name: 'istio-ca-root-cert',
            namespace: ns[0],
            cluster: objects.name,
          })),
          fix: 'Expected while moving between control planes; otherwise share one root CA across the control planes of this cluster.',
        }),
      );
    }
    return findings;
  },
};
