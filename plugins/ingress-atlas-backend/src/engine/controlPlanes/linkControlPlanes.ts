import {
  ControlPlane,
  Entry,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from '../kube/ClusterObjects';

/**
 * Links control planes across clusters once all are known: remote-secret names become atlas
 * cluster names, and each remote finds its primary (by the east-west address it uses, the
 * primary's remote secret for it, or a shared meshID).
 */
export function linkControlPlanes(
  planes: ControlPlane[],
  clusters: ClusterObjects[],
  entries: Entry[],
) {
  const atlasName = (istioName: string) =>
    clusters.find(
      c =>
        c.name === istioName ||
        c.inventory.cluster.cloudClusterId === istioName,
    )?.name ??
    planes.find(p => p.clusterName === istioName)?.cluster ??
    istioName;

  for (const plane of planes) {
    plane.remoteSecretLinks = [
      ...new Set(plane.remoteSecretLinks.map(atlasName)),
    ].sort();
  }

  for (const remote of planes.filter(p => p.role === 'remote')) {
    const candidates = planes.filter(
      p => p.role !== 'remote' && p.cluster !== remote.cluster,
    );
    const address = remote.remotePilotAddress;
    const byAddress = address
      ? candidates.find(p =>
          p.eastWestGateways.some(gw =>
            entries.some(
              e => e.gateway === gw && e.addresses.includes(address),
            ),
          ),
        )
      : undefined;
    const primary =
      byAddress ??
      candidates.find(p => p.remoteSecretLinks.includes(remote.cluster)) ??
      (remote.meshId
        ? candidates.find(p => p.meshId === remote.meshId)
        : undefined);
    if (!primary) continue;
    remote.primary = primary.id;
    remote.meshId ??= primary.meshId;
    remote.version ??= primary.version;
  }
}
