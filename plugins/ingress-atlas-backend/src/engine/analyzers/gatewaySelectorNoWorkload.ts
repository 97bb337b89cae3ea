import { refOf } from '../kube/ClusterObjects';
import { Analyzer, finding } from './types';

/** An Istio Gateway whose selector matches no proxy: routes bound to it serve nothing. */
export const gatewaySelectorNoWorkload: Analyzer = {
  codes: ['GATEWAY_SELECTOR_NO_WORKLOAD'],
  analyze: ({ clusters }) =>
    clusters.flatMap(objects =>
      objects
        .list('istioGateways')
        .filter(gw => objects.workloadsMatching(gw.spec?.selector).length === 0)
        .map(gw => {
          const selector = Object.entries(gw.spec?.selector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
          return finding({
            code: 'GATEWAY_SELECTOR_NO_WORKLOAD',
            severity: 'error',
            message: `Gateway ${gw.metadata.namespace}/${gw.metadata.name} in ${
              objects.name
            } selects ${
              selector || 'nothing'
            }, and no gateway pods carry those labels`,
            objects: [refOf(gw, objects.name, 'Gateway')],
            fix: `Point spec.selector at an existing gateway deployment (e.g. istio: ingressgateway), or deploy a gateway whose pods are labelled ${selector}.`,
          });
        }),
    ),
};
