import { Entry } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Analyzer, finding, gatewayRef } from './types';

/**
 * A load balancer by what a person can find it by: its cloud id, its address, else the
 * Service it was created for (offline manifests often have neither id nor address).
 */
function entryName(entry: Entry): string {
  if (entry.cloudResourceId) return entry.cloudResourceId;
  if (entry.addresses[0]) return entry.addresses[0];
  return entry.service
    ? `of Service ${entry.service.namespace}/${entry.service.name}`
    : entry.id;
}

/** A public load balancer in front of a single gateway pod: one restart takes the site down. */
export const singleReplicaPublicLb: Analyzer = {
  codes: ['SINGLE_REPLICA_PUBLIC_LB'],
  analyze: ({ model }) =>
    model.entries.flatMap(entry => {
      const gateway = model.gateways.find(g => g.id === entry.gateway);
      const workload = gateway?.workload;
      if (
        entry.type !== 'load-balancer' ||
        entry.network !== 'public' ||
        !gateway ||
        !workload ||
        workload.kind === 'DaemonSet' ||
        workload.replicas > 1
      ) {
        return [];
      }
      return [
        finding({
          code: 'SINGLE_REPLICA_PUBLIC_LB',
          severity: 'warning',
          message: `Public load balancer ${entryName(entry)} in ${
            entry.cluster
          } sends all traffic to one replica of ${gateway.namespace}/${
            gateway.name
          }`,
          objects: [
            gatewayRef(gateway),
            {
              kind: 'Entry',
              name: entry.cloudResourceId ?? entry.id,
              cluster: entry.cluster,
              id: entry.id,
            },
          ],
          fix: `Run at least 2 replicas of ${workload.kind} ${gateway.namespace}/${gateway.name} (HPA minReplicas: 2) with a PodDisruptionBudget.`,
        }),
      ];
    }),
};
