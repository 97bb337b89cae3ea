import { privilegedPortsBlocked } from '@ingress-atlas/plugin-ingress-atlas-common';
import { hostNetworkTemplate } from './hostNetworkDnsPolicy';
import { Analyzer, finding, gatewayRef } from './types';

/**
 * A gateway or front proxy on the host network whose container declares ports below 1024 but
 * runs as a user that cannot bind them there (see `privilegedPortsBlocked`): it never starts.
 */
export const hostNetworkPrivilegedPort: Analyzer = {
  codes: ['HOSTNETWORK_PRIVILEGED_PORT'],
  analyze: ({ model, clusters }) =>
    model.gateways.flatMap(g => {
      const { workload } = g;
      if (!workload?.hostNetwork) return [];
      const podSpec = clusters
        .find(c => c.inventory.cluster.name === g.cluster)
        ?.workload(workload.kind, workload.namespace, workload.name)?.podSpec;
      return (podSpec?.containers ?? []).flatMap((container: any) => {
        const blocked = privilegedPortsBlocked(
          podSpec.securityContext,
          container,
        );
        if (!blocked) return [];
        return [
          finding({
            code: 'HOSTNETWORK_PRIVILEGED_PORT',
            severity: 'error',
            message: `Container ${container.name} of ${workload.kind} ${
              workload.namespace
            }/${workload.name} in ${
              g.cluster
            } listens on the host network's port${
              blocked.ports.length > 1 ? 's' : ''
            } ${blocked.ports.join(', ')}, but ${
              blocked.reason
            }: it cannot bind ${
              blocked.ports.length > 1 ? 'them' : 'it'
            } and does not start`,
            objects: [gatewayRef(g)],
            fix: `Run container ${
              container.name
            } as root with NET_BIND_SERVICE the only capability added${
              blocked.reason.includes('ENVOY_UID')
                ? ', and set ENVOY_UID=0'
                : ''
            }.`,
            ...hostNetworkTemplate(g),
          }),
        ];
      });
    }),
};
