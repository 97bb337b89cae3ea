import { Analyzer, finding } from './types';

/** A public CLB whose fee pod EIPs on the gateway would save. */
export const clbToPodEipSaving: Analyzer = {
  codes: ['CLB_TO_POD_EIP_SAVING'],
  analyze: ({ model }) =>
    model.recommendations
      .filter(r => r.id.startsWith('recommendation:pod-eip:'))
      .map(r => {
        const entry = model.entries.find(e => e.id === r.entry)!;
        return finding({
          code: 'CLB_TO_POD_EIP_SAVING',
          severity: 'info',
          message: `${r.title} in ${entry.cluster}: saves ${r.savingMonthlyCny} CNY/month`,
          objects: [
            {
              kind: 'LoadBalancer',
              name: entry.cloudResourceId ?? entry.id,
              cluster: entry.cluster,
              id: entry.id,
            },
            ...(entry.gateway
              ? [
                  {
                    kind: 'Gateway',
                    name: String(r.parameters.gateway),
                    namespace: String(r.parameters.namespace),
                    cluster: entry.cluster,
                    id: entry.gateway,
                  },
                ]
              : []),
          ],
          fix: 'Give the gateway pods their own EIPs (VPC-CNI), point DNS at them and remove the CLB; see the caveats: address stability, DNS, per-GB traffic.',
          templateRef: r.templateRef,
          parameters: r.parameters,
        });
      }),
};
