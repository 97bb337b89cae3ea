import { refOf } from '../kube/ClusterObjects';
import { gatewayReference } from '../routes/buildRoutes';
import { Analyzer, finding } from './types';

/** A VirtualService naming a Gateway that does not exist. */
export const vsMissingGateway: Analyzer = {
  codes: ['VS_MISSING_GATEWAY'],
  analyze: ({ clusters }) =>
    clusters.flatMap(objects => {
      if (objects.inventory.unavailable.istioGateways) return [];
      return objects.list('virtualServices').flatMap(vs => {
        const namespace = vs.metadata.namespace ?? 'default';
        return (vs.spec?.gateways ?? [])
          .filter((g: string) => g !== 'mesh')
          .filter((g: string) => {
            const { namespace: ns, name } = gatewayReference(g, namespace);
            return !objects.get('istioGateways', ns, name);
          })
          .map((g: string) => {
            const { namespace: ns, name } = gatewayReference(g, namespace);
            return finding({
              code: 'VS_MISSING_GATEWAY',
              severity: 'error',
              message: `VirtualService ${namespace}/${vs.metadata.name} in ${objects.name} is bound to Gateway ${ns}/${name}, which does not exist`,
              objects: [
                refOf(vs, objects.name, 'VirtualService'),
                { kind: 'Gateway', namespace: ns, name, cluster: objects.name },
              ],
              fix: `Create Gateway ${ns}/${name}, or reference an existing one as <namespace>/<name> in spec.gateways (a bare name means the VirtualService's own namespace).`,
            });
          });
      });
    }),
};
