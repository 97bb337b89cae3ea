import { refOf } from '../kube/ClusterObjects';
import { ClusterObjects } from '../kube/ClusterObjects';
import { Analyzer, finding } from './types';

const WORKLOAD_KINDS = [
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
] as const;

/**
 * Whether a missing workload is known not to exist: only a live cluster whose workloads could
 * all be read says so. Manifests are often split across files, folders and repositories.
 */
function absenceIsKnown(objects: ClusterObjects): boolean {
  const { cluster, unavailable } = objects.inventory;
  return (
    cluster.source !== 'manifests' && WORKLOAD_KINDS.every(k => !unavailable[k])
  );
}

/**
 * An Istio Gateway whose selector matches no proxy. Live, routes bound to it serve nothing; in
 * manifests the proxy may simply be elsewhere, so its servers are kept and the finding says so.
 */
export const gatewaySelectorNoWorkload: Analyzer = {
  codes: ['GATEWAY_SELECTOR_NO_WORKLOAD'],
  analyze: ({ clusters }) =>
    clusters.flatMap(objects => {
      const known = absenceIsKnown(objects);
      return objects
        .list('istioGateways')
        .filter(gw => objects.workloadsMatching(gw.spec?.selector).length === 0)
        .map(gw => {
          const selector = Object.entries(gw.spec?.selector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
          const name = `${gw.metadata.namespace}/${gw.metadata.name}`;
          return finding({
            code: 'GATEWAY_SELECTOR_NO_WORKLOAD',
            severity: known ? 'error' : 'warning',
            message: known
              ? `Gateway ${name} in ${objects.name} selects ${
                  selector || 'nothing'
                }, and no gateway pods carry those labels`
              : `Gateway ${name} in ${objects.name} selects ${
                  selector || 'nothing'
                }, and no workload in the input carries those labels (it may be in another file or cluster); its servers are listed as declared`,
            objects: [refOf(gw, objects.name, 'Gateway')],
            fix: known
              ? `Point spec.selector at an existing gateway deployment (e.g. istio: ingressgateway), or deploy a gateway whose pods are labelled ${selector}.`
              : `Include the gateway's Deployment in the input to check it, or point spec.selector at a gateway whose pods are labelled ${selector}.`,
          });
        });
    }),
};
