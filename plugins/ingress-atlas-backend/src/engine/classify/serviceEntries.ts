import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  BillableResource,
  CloudProvider,
  Entry,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudIndex } from '../cloud/CloudIndex';
import { ClusterObjects } from '../kube/ClusterObjects';
import { GatewaySet, serviceRef } from '../gateways/GatewaySet';
import { loadBalancerResource } from '../cloud/resources';
import { ids, resourceKeys } from '../types';
import {
  autocreatedEip,
  joinLoadBalancer,
  loadBalancerAddresses,
  loadBalancerKind,
  loadBalancerReach,
  reachOfAddresses,
} from './loadBalancers';
import { nodePublicIps } from './nodePublicIps';

function ports(service: KubeObject): Entry['ports'] {
  return (service.spec?.ports ?? []).map((p: any) => ({
    port: Number(p.port),
    protocol: p.protocol,
    nodePort: p.nodePort,
  }));
}

/** Where a Service is reachable from outside the cluster: cloud LB, node ports, external IPs. */
export function serviceEntries(
  objects: ClusterObjects,
  cloud: CloudIndex,
  gateways: GatewaySet,
): Entry[] {
  const cluster = objects.name;
  const provider = objects.inventory.cluster.provider as CloudProvider;
  const entries: Entry[] = [];

  const services = [
    ...objects.list('services').map(service => ({ service, note: undefined })),
    ...gateways.provisioned,
  ];
  for (const { service, note: provisioned } of services) {
    const type = service.spec?.type ?? 'ClusterIP';
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    const base = {
      cluster,
      provider,
      gateway: gateways.byService(service)?.id,
      service: serviceRef(cluster, service),
      ports: ports(service),
    };

    if (type === 'LoadBalancer') {
      const { id, located } = joinLoadBalancer(service, cloud);
      const addresses = loadBalancerAddresses(service);
      if (located) {
        for (const vip of located.item.vips)
          if (!addresses.includes(vip)) addresses.push(vip);
      }
      const reach = loadBalancerReach(
        service,
        provider,
        located && { id: located.item.id, network: located.item.network },
        addresses,
      );
      const network = reach.network;
      const kind =
        located?.item.kind ?? loadBalancerKind(service, provider, id);
      const resources: BillableResource[] = [];
      const notes: string[] = provisioned ? [provisioned] : [];
      const loadBalancerKey =
        id ??
        resourceKeys.serviceLoadBalancer(
          cluster,
          service.metadata.namespace!,
          service.metadata.name,
          kind,
        );
      if (provider !== 'generic') {
        resources.push(
          located
            ? { ...loadBalancerResource(located), loadBalancerKind: kind }
            : {
                provider,
                kind: 'load-balancer',
                id: loadBalancerKey,
                network,
                loadBalancerKind: kind,
                region: objects.inventory.cluster.region,
              },
        );
        if (!id) {
          notes.push(
            `${loadBalancerKey}: ${
              kind?.toUpperCase() ?? 'load balancer'
            } known only from the Service (no id annotated or found in the cloud inventory)`,
          );
        }
      }
      const eip = autocreatedEip(
        service,
        id ? `${kind ?? 'lb'}-${id}` : loadBalancerKey,
      );
      if (eip) {
        resources.push(eip.resource);
        notes.push(eip.note);
      }
      for (const endpoint of id ? cloud.vpcEndpointsFor(id) : []) {
        resources.push({
          provider: endpoint.provider as CloudProvider,
          kind: 'vpc-endpoint',
          id: endpoint.item.id,
          network: 'internal',
          region: endpoint.region,
        });
        notes.push(
          `reached from VPC ${
            endpoint.item.vpcId ?? '?'
          } through VPC endpoint ${endpoint.item.id}${
            endpoint.item.vip ? ` (${endpoint.item.vip})` : ''
          }`,
        );
      }
      if (service.spec?.loadBalancerSourceRanges?.length) {
        notes.push(
          `source ranges ${service.spec.loadBalancerSourceRanges.join(', ')}`,
        );
      }
      entries.push({
        ...base,
        id: ids.entry(cluster, 'load-balancer', key),
        type: 'load-balancer',
        network,
        networkReason: reach.reason,
        addresses,
        cloudResourceId: id,
        resources,
        notes,
      });
    }

    if (type === 'NodePort') {
      const { addresses, resources, notes } = nodePublicIps(
        objects,
        objects.list('nodes'),
        cloud,
      );
      const reach = reachOfAddresses(addresses, 'node address');
      entries.push({
        ...base,
        id: ids.entry(cluster, 'node-port', key),
        type: 'node-port',
        network: reach.network,
        networkReason: reach.reason,
        addresses,
        resources,
        notes: provisioned ? [provisioned, ...notes] : notes,
      });
    }

    const externalIps: string[] = service.spec?.externalIPs ?? [];
    if (externalIps.length > 0) {
      const reach = reachOfAddresses(externalIps, 'external IP');
      entries.push({
        ...base,
        id: ids.entry(cluster, 'external-ip', key),
        type: 'external-ip',
        network: reach.network,
        networkReason: reach.reason,
        addresses: externalIps,
        resources: [],
        notes: [],
      });
    }
  }
  return entries;
}
