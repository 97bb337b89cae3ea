import { TKE_CLB_TAGS } from '@ingress-atlas/plugin-ingress-atlas-common';
import { Analyzer, finding } from './types';

/**
 * Cloud resources billed for nothing: load balancers with no listeners or targets, load
 * balancers whose Service is gone, elastic IPs bound to nothing.
 */
export const idleResources: Analyzer = {
  codes: ['IDLE_LOAD_BALANCER', 'ORPHAN_LOAD_BALANCER', 'IDLE_EIP'],
  analyze: ({ model, cloud }) =>
    model.costs
      .filter(c => c.resource && c.state !== 'in-use')
      .map(cost => {
        const id = cost.resource!;
        const lb = cloud.loadBalancer(id);
        const address = cloud.addresses.find(a => a.item.id === id);
        const where = lb
          ? `${lb.provider} ${lb.region}`
          : `${address?.provider} ${address?.region}`;
        const waste = `${cost.monthlyCny} CNY/month`;
        if (address) {
          return finding({
            code: 'IDLE_EIP',
            severity: 'warning',
            message: `EIP ${id} (${address.item.ip}, ${where}) is bound to nothing and costs ${waste}`,
            objects: [{ kind: 'Address', name: id, id: cost.id }],
            fix: `Release it (ReleaseAddresses) unless an address must be kept for DNS or allow-lists; then bind it where it is needed.`,
            monthlyWasteCny: cost.monthlyCny,
          });
        }
        const orphaned = cost.state === 'orphaned';
        return finding({
          code: orphaned ? 'ORPHAN_LOAD_BALANCER' : 'IDLE_LOAD_BALANCER',
          severity: 'warning',
          message: orphaned
            ? `Load balancer ${id} (${where}) was made for a Service of cluster ${
                lb?.item.tags.find(t => t.key === TKE_CLB_TAGS.clusterId)?.value
              } that no longer exists, and still costs ${waste}`
            : `Load balancer ${id} (${where}) has ${
                lb?.item.listeners.length ? 'no targets' : 'no listeners'
              } and costs ${waste}`,
          objects: [{ kind: 'LoadBalancer', name: id, id: cost.id }],
          fix: `Delete it (DeleteLoadBalancer) after checking nothing outside the clusters uses ${
            lb?.item.vips.join(', ') || 'its address'
          }.`,
          monthlyWasteCny: cost.monthlyCny,
        });
      }),
};
