import { CloudLoadBalancer } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  Cost,
  Entry,
  monthlyCost,
  PriceCatalogue,
  TKE_CLB_TAGS,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudIndex } from '../cloud/CloudIndex';
import {
  addressResource,
  isBound,
  loadBalancerResource,
} from '../cloud/resources';
import { ClusterObjects } from '../kube/ClusterObjects';
import { EntryTraffic } from './traffic';

/**
 * Why a load balancer no entry uses costs money for nothing: `orphaned` when it belongs to a
 * cluster we read and its Service is gone; `idle` when it has no listeners or no targets.
 * Anything else serves something outside the atlas and is left alone.
 */
export function unusedLoadBalancerState(
  lb: CloudLoadBalancer,
  clusterOf: ClusterOf,
): 'idle' | 'orphaned' | undefined {
  const clusterTag = lb.tags.find(t => t.key === TKE_CLB_TAGS.clusterId)?.value;
  const owner = clusterTag ? clusterOf(clusterTag) : undefined;
  if (owner && !owner.inventory.unavailable.services) {
    const serviceUid = lb.tags.find(
      t => t.key === TKE_CLB_TAGS.serviceUuid,
    )?.value;
    const serviceExists = owner
      .list('services')
      .some(
        s =>
          (serviceUid && s.metadata.uid === serviceUid) ||
          Object.values(s.metadata.annotations ?? {}).includes(lb.id),
      );
    if (!serviceExists) return 'orphaned';
  }
  const hasTargets =
    lb.targetCount !== undefined
      ? lb.targetCount > 0
      : lb.listeners.some(l => l.targets.length > 0);
  if (lb.listeners.length === 0 || !hasTargets) return 'idle';
  return undefined;
}

/** The cluster read by the atlas with this cloud cluster id, if any. */
export type ClusterOf = (cloudClusterId: string) => ClusterObjects | undefined;

/**
 * Monthly costs of the entries with billable resources: each resource counted once, on the
 * first entry that uses it.
 */
export function inUseCosts(options: {
  entries: Entry[];
  prices: PriceCatalogue;
  /** Each entry's monthly traffic (see `resolveTraffic`); an entry absent is not measured. */
  traffic?: Map<string, EntryTraffic>;
}): Cost[] {
  const { entries, prices, traffic = new Map() } = options;
  const costs: Cost[] = [];
  const costed = new Set<string>();

  for (const entry of entries) {
    const resources = entry.resources.filter(r => !costed.has(r.id));
    if (resources.length === 0) continue;
    resources.forEach(r => costed.add(r.id));
    const measured = traffic.get(entry.id);
    costs.push({
      id: `cost:${entry.id}`,
      entry: entry.id,
      provider: entry.provider,
      state: 'in-use',
      ...monthlyCost({ ...entry, resources }, prices, {
        trafficGbPerMonth: measured?.gbPerMonth,
        measurement: measured?.measurement,
      }),
    });
  }

  return costs;
}

/**
 * Monthly costs of the cloud resources no entry uses: idle and orphaned load balancers, EIPs
 * bound to nothing. `entries` are all the estate's: a resource used anywhere is not idle.
 */
export function unusedCosts(options: {
  entries: Entry[];
  cloud: CloudIndex;
  clusterOf: ClusterOf;
  prices: PriceCatalogue;
}): Cost[] {
  const { entries, cloud, clusterOf, prices } = options;
  const costs: Cost[] = [];
  const used = new Set(
    entries.flatMap(e => [
      ...e.resources.map(r => r.id),
      ...(e.cloudResourceId ? [e.cloudResourceId] : []),
    ]),
  );
  for (const located of cloud.loadBalancers) {
    if (used.has(located.item.id)) continue;
    const state = unusedLoadBalancerState(located.item, clusterOf);
    if (!state) continue;
    const resource = loadBalancerResource(located);
    costs.push({
      id: `cost:${located.item.id}`,
      resource: located.item.id,
      provider: resource.provider,
      state,
      ...monthlyCost(
        {
          id: located.item.id,
          provider: resource.provider,
          resources: [resource],
        },
        prices,
      ),
    });
  }
  for (const located of cloud.addresses) {
    if (used.has(located.item.id) || isBound(located.item)) continue;
    const resource = addressResource(located);
    const provider = resource.provider;
    costs.push({
      id: `cost:${located.item.id}`,
      resource: located.item.id,
      provider,
      state: 'idle',
      ...monthlyCost(
        { id: located.item.id, provider, resources: [resource] },
        prices,
      ),
    });
  }
  return costs;
}
