import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  BillableResource,
  CloudProvider,
  Entry,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudIndex } from '../cloud/CloudIndex';
import { ClusterObjects, nodeAddresses } from '../kube/ClusterObjects';
import { GatewaySet, serviceRef } from '../gateways/GatewaySet';
import { ids } from '../types';
import {
  autocreatedEip,
  joinLoadBalancer,
  loadBalancerAddresses,
  loadBalancerNetwork,
  networkOfAddresses,
} from './loadBalancers';

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

  for (const service of objects.list('services')) {
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
      const network = loadBalancerNetwork(
        service,
        located?.item.network,
        addresses,
      );
      const resources: BillableResource[] = [];
      const notes: string[] = [];
      if (provider !== 'generic') {
        resources.push({
          provider,
          kind: 'load-balancer',
          id: id ?? `service ${key}`,
          network,
          loadBalancerKind: located?.item.kind,
          chargeType: located?.item.chargeType,
          region: located?.region ?? objects.inventory.cluster.region,
        });
      }
      const eip = autocreatedEip(service, id);
      if (eip) {
        resources.push(eip);
        notes.push(
          `created with a public EIP (${
            eip.bandwidthMbps ?? '?'
          } Mbit/s, billed by ${
            eip.chargeType === 'BANDWIDTH_POSTPAID_BY_HOUR'
              ? 'bandwidth'
              : 'traffic'
          })`,
        );
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
        addresses,
        cloudResourceId: id,
        resources,
        notes,
      });
    }

    if (type === 'NodePort') {
      const nodes = objects.list('nodes').map(nodeAddresses);
      const external = nodes.flatMap(n => n.external);
      const addresses =
        external.length > 0 ? external : nodes.flatMap(n => n.internal);
      entries.push({
        ...base,
        id: ids.entry(cluster, 'node-port', key),
        type: 'node-port',
        network: networkOfAddresses(addresses),
        addresses,
        resources: [],
        notes: [],
      });
    }

    const externalIps: string[] = service.spec?.externalIPs ?? [];
    if (externalIps.length > 0) {
      entries.push({
        ...base,
        id: ids.entry(cluster, 'external-ip', key),
        type: 'external-ip',
        network: networkOfAddresses(externalIps),
        addresses: externalIps,
        resources: [],
        notes: [],
      });
    }
  }
  return entries;
}
