import { Gateway } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Analyzer, TEMPLATES, finding, gatewayRef } from './types';

/**
 * The host-network template fixes a gateway or front-proxy Deployment in place (dnsPolicy, one
 * pod per node, tolerations, binding ports below 1024), on the nodes its nodeSelector picks
 * today when it has one.
 */
export function hostNetworkTemplate(g: Gateway) {
  const workload = g.workload!;
  if (
    (g.kind !== 'istio' && g.kind !== 'front-proxy') ||
    workload.kind !== 'Deployment'
  ) {
    return {};
  }
  return {
    templateRef: TEMPLATES.moveGatewayToHostNetwork,
    parameters: {
      cluster: g.cluster,
      namespace: workload.namespace,
      gateway: workload.name,
      ...(workload.nodeSelector && { nodeSelector: workload.nodeSelector }),
    },
  };
}

/**
 * A gateway on the host network with the default DNS policy resolves names with the node's
 * resolver: it cannot find istiod (or the Services it forwards to) and fails to start.
 */
export const hostNetworkDnsPolicy: Analyzer = {
  codes: ['HOSTNETWORK_DNS_POLICY'],
  analyze: ({ model }) =>
    model.gateways
      .filter(
        g =>
          g.workload?.hostNetwork &&
          g.workload.dnsPolicy !== 'ClusterFirstWithHostNet' &&
          (g.kind !== 'front-proxy' ||
            (g.upstreams ?? []).some(u =>
              /[a-z]/i.test(u.target.split(':')[0]),
            )),
      )
      .map(g =>
        finding({
          code: 'HOSTNETWORK_DNS_POLICY',
          severity: 'error',
          message: `${g.workload!.kind} ${g.namespace}/${g.name} in ${
            g.cluster
          } runs on the host network with dnsPolicy ${
            g.workload!.dnsPolicy ?? 'ClusterFirst (default)'
          }: it cannot resolve in-cluster names such as ${
            g.kind === 'front-proxy'
              ? (g.upstreams ?? [])[0]?.target
              : 'istiod.istio-system.svc'
          }`,
          objects: [gatewayRef(g)],
          fix: 'Set spec.template.spec.dnsPolicy: ClusterFirstWithHostNet on the workload.',
          ...hostNetworkTemplate(g),
        }),
      ),
};
