import { TKE } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Analyzer, finding, TEMPLATES } from './types';

const DELETE_POLICY = TKE.eipClaimDeletePolicy;

/**
 * Pod EIPs that change when a pod is replaced: TKE keeps an EIP across restarts only for a
 * StatefulSet pod (stable name) with eip-claim-delete-policy: Never.
 */
export const podEipNotStable: Analyzer = {
  codes: ['POD_EIP_NOT_STABLE'],
  analyze: ({ model, clusters }) => {
    const seen = new Set<string>();
    return model.entries.flatMap(entry => {
      if (entry.type !== 'pod-eip') return [];
      const objects = clusters.find(c => c.name === entry.cluster);
      const gateway = model.gateways.find(g => g.id === entry.gateway);
      const workload = objects?.workloads.find(
        w =>
          (gateway?.workload &&
            w.kind === gateway.workload.kind &&
            w.namespace === gateway.namespace &&
            w.name === gateway.name) ||
          (entry.target &&
            w.namespace === entry.target.namespace &&
            (w.name === entry.target.name ||
              w.pods.some(p => p.metadata.name === entry.target!.name))),
      );
      if (
        !workload ||
        seen.has(`${entry.cluster}/${workload.namespace}/${workload.name}`)
      )
        return [];
      seen.add(`${entry.cluster}/${workload.namespace}/${workload.name}`);
      const policy = workload.templateAnnotations[DELETE_POLICY];
      const problems = [
        ...(workload.kind !== 'StatefulSet'
          ? [`it is a ${workload.kind}, whose pods get new names`]
          : []),
        ...(policy !== 'Never'
          ? [`${DELETE_POLICY} is ${policy ?? 'unset'}`]
          : []),
      ];
      if (problems.length === 0) return [];
      return [
        finding({
          code: 'POD_EIP_NOT_STABLE',
          severity: 'warning',
          message: `The EIPs of ${workload.kind} ${workload.namespace}/${
            workload.name
          } in ${
            entry.cluster
          } change when its pods are replaced: ${problems.join('; ')}`,
          objects: [
            {
              kind: workload.kind,
              namespace: workload.namespace,
              name: workload.name,
              cluster: entry.cluster,
              id: gateway?.id,
            },
          ],
          fix: `Run it as a StatefulSet with pod annotation ${DELETE_POLICY}: "Never" so each pod keeps its EIP; DNS must still follow if a pod is deleted for good.`,
          templateRef: TEMPLATES.moveGatewayToPodEip,
          parameters: {
            cluster: entry.cluster,
            namespace: workload.namespace,
            gateway: workload.name,
          },
        }),
      ];
    });
  },
};
