import {
  BillableResource,
  CloudProvider,
  Entry,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudIndex } from '../cloud/CloudIndex';
import { loadBalancerResource } from '../cloud/resources';
import { ClusterObjects } from '../kube/ClusterObjects';
import { GatewaySet } from '../gateways/GatewaySet';
import { ids } from '../types';
import { loadBalancerOfHostname, reachOfAddresses } from './loadBalancers';
import { hostNetworkEntries, podEipEntries } from './podEntries';
import { serviceEntries } from './serviceEntries';

/** Every way into one cluster, each tied to the gateway (or Service) it reaches. */
export function classifyEntries(
  objects: ClusterObjects,
  cloud: CloudIndex,
  gateways: GatewaySet,
): Entry[] {
  const entries = [
    ...serviceEntries(objects, cloud, gateways),
    ...hostNetworkEntries(objects, cloud, gateways),
    ...podEipEntries(objects, cloud, gateways),
  ];
  const provider = objects.inventory.cluster.provider as CloudProvider;

  // Ingress controllers the cloud runs: the load balancer it creates (or the address the
  // Ingress reports) is the entry.
  for (const [gatewayId, known] of gateways.cloudIngresses) {
    const addresses = [...known.addresses];
    if (addresses.length === 0 && !known.reach) continue;
    const located = addresses
      .map(vip => cloud.loadBalancerByVip(vip))
      .find(Boolean);
    const reported = reachOfAddresses(addresses, 'address the Ingress reports');
    // The cloud inventory, else the address reported, else what the controller is known to do.
    let reach =
      reported.network === 'unknown' ? known.reach ?? reported : reported;
    if (located) {
      reach = {
        network: located.item.network,
        reason: `cloud inventory: ${located.item.id} is ${located.item.network}`,
      };
    }
    const network = reach.network;
    const named = located ? undefined : loadBalancerOfHostname(addresses);
    const resource: BillableResource | undefined = located
      ? loadBalancerResource(located)
      : named && {
          provider,
          kind: 'load-balancer',
          id: named.id,
          network,
          loadBalancerKind: named.kind,
          region: objects.inventory.cluster.region,
        };
    entries.push({
      id: `${gatewayId.replace(/^gateway:/, 'entry:')}`,
      cluster: objects.name,
      type: 'load-balancer',
      network,
      networkReason: reach.reason,
      addresses,
      cloudResourceId: resource?.id,
      provider,
      gateway: gatewayId,
      ports: [...known.ports]
        .sort((a, b) => a - b)
        .map(port => ({ port, protocol: 'TCP' })),
      resources: resource ? [resource] : [],
      notes: [
        addresses.length
          ? 'address reported by the Ingress'
          : `inferred: the ${
              known.loadBalancerKind?.toUpperCase() ?? 'load balancer'
            } the cloud's Ingress controller creates (no address reported yet)`,
      ],
    });
  }

  // A gateway with no way in from outside is still reachable inside the cluster.
  const proxied = new Set(
    gateways
      .all()
      .flatMap(g => (g.upstreams ?? []).map(u => u.gateway).filter(Boolean)),
  );
  for (const gateway of gateways.all()) {
    if (entries.some(e => e.gateway === gateway.id) || proxied.has(gateway.id))
      continue;
    for (const ref of gateway.services) {
      const service = objects.get('services', ref.namespace, ref.name);
      const clusterIp = service?.spec?.clusterIP;
      if (
        !service ||
        !clusterIp ||
        clusterIp === 'None' ||
        ref.type !== 'ClusterIP'
      )
        continue;
      entries.push({
        id: ids.entry(
          objects.name,
          'cluster-ip',
          `${ref.namespace}/${ref.name}`,
        ),
        cluster: objects.name,
        type: 'cluster-ip',
        network: 'internal',
        networkReason: 'a cluster IP is reached only inside the cluster',
        addresses: [clusterIp],
        provider,
        gateway: gateway.id,
        service: ref,
        ports: (service.spec?.ports ?? []).map((p: any) => ({
          port: Number(p.port),
          protocol: p.protocol,
        })),
        resources: [],
        notes: [],
      });
    }
  }
  return entries;
}
