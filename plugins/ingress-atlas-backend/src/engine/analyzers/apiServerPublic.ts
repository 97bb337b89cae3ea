import { INTERNAL_LOAD_BALANCER_ANNOTATIONS } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Analyzer, TEMPLATES, finding } from './types';

/** The Kubernetes API server reachable from the internet through a proxy or a load balancer. */
export const apiServerPublic: Analyzer = {
  codes: ['APISERVER_PUBLIC'],
  analyze: ({ model }) => {
    const byEntry = new Map<string, (typeof model.paths)[number]>();
    for (const path of model.paths) {
      const reachesApi =
        path.apiServer ||
        (path.service?.namespace === 'default' &&
          path.service.name === 'kubernetes');
      if (reachesApi && path.network === 'public' && !byEntry.has(path.entry)) {
        byEntry.set(path.entry, path);
      }
    }
    return [...byEntry.values()].map(path => {
      const entry = model.entries.find(e => e.id === path.entry)!;
      const proxy = model.gateways.find(g => g.id === path.gateway);
      const provider = model.clusters.find(
        c => c.name === path.cluster,
      )?.provider;
      // The template puts a proxy of its own behind an internal load balancer, which it can
      // ask for only where the provider's internal annotation is known.
      const template =
        provider && INTERNAL_LOAD_BALANCER_ANNOTATIONS[provider]
          ? {
              templateRef: TEMPLATES.exposeApiServer,
              parameters: { cluster: path.cluster },
            }
          : {};
      return finding({
        code: 'APISERVER_PUBLIC',
        severity: 'error',
        message: `The API server of ${
          path.cluster
        } is reachable from the internet at ${
          entry.addresses.join(', ') || entry.cloudResourceId || entry.id
        }${proxy ? ` through ${proxy.namespace}/${proxy.name}` : ''}`,
        objects: [
          {
            kind: 'Entry',
            name: entry.cloudResourceId ?? entry.id,
            cluster: entry.cluster,
            id: entry.id,
          },
          ...(proxy
            ? [
                {
                  kind: proxy.workload?.kind ?? 'Proxy',
                  name: proxy.name,
                  namespace: proxy.namespace,
                  cluster: proxy.cluster,
                  id: proxy.id,
                },
              ]
            : []),
        ],
        fix: 'Put the API server behind an internal load balancer, reach it from other VPCs through a VPC endpoint (about 0.1 CNY/h), then remove the public one; or at least restrict loadBalancerSourceRanges to known addresses.',
        ...template,
      });
    });
  },
};
