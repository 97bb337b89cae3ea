import { CloudAddress } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  CloudProvider,
  Entry,
  TKE,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudIndex, Located } from '../cloud/CloudIndex';
import { addressResource, isBound } from '../cloud/resources';
import { ClusterObjects, Workload } from '../kube/ClusterObjects';
import { GatewaySet } from '../gateways/GatewaySet';
import { ids, resourceKeys } from '../types';
import { reachOfAddresses } from './loadBalancers';
import { NodePublicIps, nodePublicIps } from './nodePublicIps';

function containerPorts(
  workload: Workload,
  hostNetwork: boolean,
): Entry['ports'] {
  return (workload.podSpec?.containers ?? []).flatMap((c: any) =>
    (c.ports ?? [])
      .filter((p: any) => hostNetwork || p.hostPort)
      .map((p: any) => ({
        port: Number(hostNetwork ? p.hostPort ?? p.containerPort : p.hostPort),
        protocol: p.protocol ?? 'TCP',
      })),
  );
}

/** Virtual IPs keepalived moves between the pods' nodes (the HA pattern for host-network proxies). */
function keepalivedVips(workload: Workload): string[] {
  const values: string[] = (workload.podSpec?.containers ?? []).flatMap(
    (c: any) =>
      (c.env ?? [])
        .filter((e: any) => e.name === 'KEEPALIVED_VIRTUAL_IPS' && e.value)
        .map((e: any) => String(e.value)),
  );
  return [
    ...new Set(values.flatMap(v => v.match(/\d+\.\d+\.\d+\.\d+/g) ?? [])),
  ];
}

/** The keepalived VIPs, and the EIPs bound to them in front. */
function vipAddresses(
  vips: string[],
  objects: ClusterObjects,
  cloud: CloudIndex,
): NodePublicIps {
  const eips = vips
    .map(vip =>
      cloud.address({ privateIp: vip }, objects.inventory.cluster.region),
    )
    .filter((l): l is Located<CloudAddress> => !!l && isBound(l.item));
  return {
    addresses: [...eips.map(l => l.item.ip), ...vips],
    resources: eips.map(addressResource),
    notes: [],
  };
}

/** Pods on the host network (or with host ports): reachable at their nodes' addresses. */
export function hostNetworkEntries(
  objects: ClusterObjects,
  cloud: CloudIndex,
  gateways: GatewaySet,
): Entry[] {
  const entries: Entry[] = [];
  for (const workload of objects.workloads) {
    const hostNetwork = workload.podSpec?.hostNetwork === true;
    const ports = containerPorts(workload, hostNetwork);
    const gateway = gateways.byWorkload(workload);
    // Node agents (CNI, kube-proxy) run on the host network too; they are not ways in.
    const exposes =
      gateway || (ports.length > 0 && workload.namespace !== 'kube-system');
    if (!(hostNetwork || ports.length > 0) || !exposes) continue;
    const nodes = objects.nodesOf(workload);
    const type =
      gateway?.kind === 'front-proxy' ? 'front-proxy' : 'host-network';
    // Behind keepalived, traffic arrives at the VIP (and an EIP bound to it), not the nodes.
    const vips = keepalivedVips(workload);
    const { addresses, resources, notes } =
      vips.length > 0
        ? vipAddresses(vips, objects, cloud)
        : nodePublicIps(objects, nodes, cloud);
    const reach = reachOfAddresses(
      addresses,
      vips.length > 0 ? 'keepalived VIP address' : 'node address',
    );
    entries.push({
      id: ids.entry(
        objects.name,
        type,
        `${workload.namespace}/${workload.name}`,
      ),
      cluster: objects.name,
      type,
      network: reach.network,
      networkReason: reach.reason,
      addresses: [...new Set(addresses)],
      provider: objects.inventory.cluster.provider as CloudProvider,
      gateway: gateway?.id,
      target: {
        kind: workload.kind,
        name: workload.name,
        namespace: workload.namespace,
        cluster: objects.name,
      },
      ports,
      resources,
      notes: [
        hostNetwork ? 'host network' : 'host ports',
        ...(vips.length
          ? [`keepalived VIP ${vips.join(', ')} (an HAVIP on a Tencent VPC)`]
          : []),
        ...(nodes.length
          ? [`nodes ${nodes.map(n => n.metadata.name).join(', ')}`]
          : []),
        ...notes,
      ],
    });
  }
  return entries;
}

function eipAttributes(annotations: Record<string, string>): {
  chargeType?: string;
  bandwidth?: number;
} {
  try {
    const parsed = JSON.parse(annotations[TKE.eipAttributes] ?? '{}');
    const bandwidth = Number(
      parsed.Bandwidth ?? parsed.InternetMaxBandwidthOut,
    );
    return {
      chargeType: parsed.InternetChargeType,
      bandwidth:
        Number.isFinite(bandwidth) && bandwidth > 0 ? bandwidth : undefined,
    };
  } catch {
    return {};
  }
}

export function requestsEip(workload: Workload): boolean {
  const containers = workload.podSpec?.containers ?? [];
  return (
    workload.templateAnnotations[TKE.eipAttributes] !== undefined ||
    containers.some(
      (c: any) =>
        c.resources?.requests?.[TKE.eipResource] ||
        c.resources?.limits?.[TKE.eipResource],
    )
  );
}

/**
 * Pods with their own EIP (TKE VPC-CNI): one entry per pod that has one, or one pending entry
 * for a workload that asks for EIPs when no pod shows an address (e.g. offline manifests).
 */
export function podEipEntries(
  objects: ClusterObjects,
  cloud: CloudIndex,
  gateways: GatewaySet,
): Entry[] {
  const entries: Entry[] = [];
  const provider = objects.inventory.cluster.provider as CloudProvider;
  for (const workload of objects.workloads) {
    const withEip = workload.pods.filter(
      p => p.metadata.annotations?.[TKE.eipPublicIp],
    );
    if (withEip.length === 0 && !requestsEip(workload)) continue;
    const gateway = gateways.byWorkload(workload)?.id;
    const attributes = eipAttributes(workload.templateAnnotations);
    const ports = (workload.podSpec?.containers ?? []).flatMap((c: any) =>
      (c.ports ?? []).map((p: any) => ({
        port: Number(p.containerPort),
        protocol: p.protocol ?? 'TCP',
      })),
    );
    const base = {
      cluster: objects.name,
      type: 'pod-eip' as const,
      network: 'public' as const,
      networkReason: 'an EIP is a public address bound to the pod',
      provider,
      gateway,
      ports,
    };

    for (const pod of withEip) {
      const ip = pod.metadata.annotations![TKE.eipPublicIp];
      const address =
        cloud.address({ ip }) ??
        cloud.address(
          { privateIp: pod.status?.podIP },
          objects.inventory.cluster.region,
        );
      const key = resourceKeys.podEip(
        objects.name,
        workload.namespace,
        pod.metadata.name,
      );
      entries.push({
        ...base,
        id: ids.entry(
          objects.name,
          'pod-eip',
          `${workload.namespace}/${pod.metadata.name}`,
        ),
        addresses: [ip],
        cloudResourceId: address?.item.id,
        target: {
          kind: 'Pod',
          name: pod.metadata.name,
          namespace: workload.namespace,
          cluster: objects.name,
        },
        resources: [
          {
            ...(address
              ? addressResource(address)
              : { provider, kind: 'eip', id: key, network: 'public' }),
            bound: true,
            chargeType: address?.item.chargeType ?? attributes.chargeType,
            bandwidthMbps: address?.item.bandwidthMbps ?? attributes.bandwidth,
          },
        ],
        notes: address
          ? []
          : [`${key}: the pod's EIP ${ip}, not in the cloud inventory`],
      });
    }
    if (withEip.length === 0) {
      entries.push({
        ...base,
        id: ids.entry(
          objects.name,
          'pod-eip',
          `${workload.namespace}/${workload.name}`,
        ),
        addresses: [],
        target: {
          kind: workload.kind,
          name: workload.name,
          namespace: workload.namespace,
          cluster: objects.name,
        },
        resources: [],
        notes: [
          `${workload.replicas} pod EIP(s) requested; no address assigned yet`,
        ],
      });
    }
  }
  return entries;
}
