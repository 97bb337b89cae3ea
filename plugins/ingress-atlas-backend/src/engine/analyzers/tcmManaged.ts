import { Analyzer, finding, TEMPLATES } from './types';

/** Istio run by Tencent's managed mesh (TCM), which is being retired: plan the move off it. */
export const tcmManaged: Analyzer = {
  codes: ['TCM_MANAGED'],
  analyze: ({ model }) =>
    model.controlPlanes
      .filter(p => p.managed === 'tcm')
      .map(p =>
        finding({
          code: 'TCM_MANAGED',
          severity: 'warning',
          message: `Istio ${p.version ?? p.revision} for ${
            p.cluster
          } is run by TCM${
            p.managedMeshId ? ` (mesh ${p.managedMeshId})` : ''
          }, which is being retired`,
          objects: [
            {
              kind: 'ControlPlane',
              name: p.revision,
              cluster: p.cluster,
              id: p.id,
            },
            ...p.evidence.slice(0, 3),
          ],
          fix: 'Install a self-managed istiod next to it (new revision, its own root CA), move gateways and workloads over namespace by namespace, and shift traffic with DNS; both meshes run side by side meanwhile because workloads under different roots cannot talk mTLS.',
          templateRef: TEMPLATES.migrateTcmToIstiod,
          // Not TCM's revision: it names the new istiod, which runs another version.
          parameters: {
            cluster: p.cluster,
            ...(p.version ? { currentVersion: p.version } : {}),
            ...(p.managedMeshId ? { meshId: p.managedMeshId } : {}),
          },
        }),
      ),
};
