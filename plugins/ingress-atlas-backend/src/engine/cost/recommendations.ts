import {
  AtlasCluster,
  Cost,
  Entry,
  ExposurePath,
  Gateway,
  PriceCatalogue,
  Recommendation,
  dnsZoneOf,
  formatMonthlyCny,
  resourceMonthlyCost,
  roundCny,
  trafficPrice,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import type { CloudIndex } from '../cloud/CloudIndex';

function vpcCniCaveat(vpcCni: boolean | undefined): string {
  if (vpcCni === false)
    return 'VPC-CNI is off on this cluster: pods need VPC IPs to hold EIPs, so enable it first.';
  const needs =
    'tke-eni-ipamd needs the CAM role IPAMDofTKE_QCSRole to allocate EIPs.';
  return vpcCni ? needs : `The cluster needs VPC-CNI; ${needs}`;
}

export const MOVE_GATEWAY_TO_POD_EIP =
  'template:default/move-gateway-to-pod-eip';

const INGRESS_KINDS = ['istio', 'gateway-api', 'ingress-controller'];

/** How traffic weighs in the saving: netted when measured, named as left out when not. */
function trafficCaveat(
  traffic: Cost['traffic'],
  eipPrice: number | undefined,
  eipTrafficCny: number | undefined,
): string {
  const eipPriced = eipPrice !== undefined ? ` at ${eipPrice} CNY/GB` : '';
  if (traffic === 'unknown' || eipTrafficCny === undefined) {
    return `Traffic not measured: the EIPs bill it per GB${eipPriced}, as the CLB does, and the saving leaves it out.`;
  }
  const volume = `${traffic.gbPerMonth} GB/month of traffic`;
  if (traffic.amountCny === eipTrafficCny) {
    return `${volume} bills ${formatMonthlyCny(
      eipTrafficCny,
    )} on the EIPs${eipPriced}, as on the CLB: the saving is net of traffic.`;
  }
  return `${volume} bills ${formatMonthlyCny(traffic.amountCny)} on the CLB${
    traffic.unitPrice !== undefined ? ` at ${traffic.unitPrice} CNY/GB` : ''
  } and ${formatMonthlyCny(
    eipTrafficCny,
  )} on the EIPs${eipPriced}: the saving is net of that difference.`;
}

/**
 * The one public host served through the entry, for the template's DNS step. Several hosts or
 * a wildcard leave it to the person running the template. Its DNSPod domain and record come
 * from dnsParametersOf.
 */
function publicHostOf(entry: Entry, paths: ExposurePath[]): string | undefined {
  const hosts = new Set(
    paths.filter(p => p.entry === entry.id && !p.apiServer).map(p => p.host),
  );
  const [host] = [...hosts];
  return hosts.size === 1 && host && !host.includes('*') ? host : undefined;
}

/**
 * The template's DNSPod domain and record for `host`: the longest of the zones the CLB's
 * account hosts on DNSPod that holds the host (blog.a.example.com goes to a.example.com when
 * both it and example.com are hosted). None when the account's zones were not read or none
 * holds the host: the person running the template names them.
 */
function dnsParametersOf(
  entry: Entry,
  host: string | undefined,
  cloud: CloudIndex | undefined,
): { dnsDomain?: string; dnsSubDomain?: string } {
  const account = cloud?.loadBalancer(entry.cloudResourceId)?.account;
  if (!host || !cloud || account === undefined) return {};
  const found = dnsZoneOf(host, cloud.dnsZones(entry.provider, account));
  return found ? { dnsDomain: found.zone, dnsSubDomain: found.record } : {};
}

/**
 * Public CLBs in front of a gateway on TKE that pod EIPs could replace: each gateway pod gets
 * its own traffic-billed EIP, which has no fixed fee while bound, and the CLB's fee goes away.
 * Measured traffic moves from the CLB to the EIPs: the saving counts what that changes.
 */
export function recommendPodEips(options: {
  entries: Entry[];
  gateways: Gateway[];
  clusters: AtlasCluster[];
  costs: Cost[];
  prices: PriceCatalogue;
  /** The paths through the entries, for the public host. */
  paths?: ExposurePath[];
  /** The cloud inventories, for the DNS zone of the public host. */
  cloud?: CloudIndex;
}): Recommendation[] {
  const {
    entries,
    gateways,
    clusters,
    costs,
    prices,
    paths = [],
    cloud,
  } = options;
  const recommendations: Recommendation[] = [];
  for (const entry of entries) {
    const gateway = gateways.find(g => g.id === entry.gateway);
    const cluster = clusters.find(c => c.name === entry.cluster);
    if (
      entry.type !== 'load-balancer' ||
      entry.provider !== 'tencent' ||
      entry.network !== 'public' ||
      !gateway?.workload ||
      gateway.eastWest ||
      !INGRESS_KINDS.includes(gateway.kind)
    ) {
      continue;
    }
    const cost = costs.find(c => c.entry === entry.id);
    const loadBalancerFee = (cost?.parts ?? [])
      .filter(p => p.item === 'loadBalancer')
      .reduce((sum, p) => sum + p.amountCny, 0);
    if (loadBalancerFee <= 0) continue;

    const replicas = Math.max(gateway.workload.replicas, 1);
    const eipFee = resourceMonthlyCost(
      {
        provider: 'tencent',
        kind: 'eip',
        id: 'pod EIP',
        network: 'public',
        bound: true,
        chargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
      },
      prices,
    ).parts.reduce((sum, p) => sum + p.amountCny, 0);
    // The same traffic leaves through the EIPs: what it bills there replaces what it bills
    // on the CLB. Unmeasured, it is left out of both sides.
    const traffic = cost?.traffic ?? 'unknown';
    const eipTrafficPrice = trafficPrice(
      'tencent',
      [{ kind: 'eip' }],
      prices,
    )?.amount;
    const eipTrafficCny =
      traffic !== 'unknown' && eipTrafficPrice !== undefined
        ? roundCny(traffic.gbPerMonth * eipTrafficPrice)
        : undefined;
    const trafficDifference =
      traffic !== 'unknown' && eipTrafficCny !== undefined
        ? traffic.amountCny - eipTrafficCny
        : 0;
    const saving = roundCny(
      loadBalancerFee - eipFee * replicas + trafficDifference,
    );
    if (saving <= 0) continue;

    const caveats = [
      `Each of the ${replicas} gateway pod(s) gets its own EIP; DNS must list them and follow when they change, as there is no load balancer health check in front.`,
      'An EIP stays with a pod across restarts only for a StatefulSet with tke.cloud.tencent.com/eip-claim-delete-policy: Never; otherwise the address changes when the pod is rescheduled.',
      trafficCaveat(traffic, eipTrafficPrice, eipTrafficCny),
      vpcCniCaveat(cluster?.vpcCni),
    ];
    const host = publicHostOf(entry, paths);
    recommendations.push({
      id: `recommendation:pod-eip:${entry.id}`,
      entry: entry.id,
      title: `Replace CLB ${
        entry.cloudResourceId ?? entry.addresses[0] ?? ''
      } with pod EIPs on ${gateway.namespace}/${gateway.name}`,
      savingMonthlyCny: saving,
      caveats,
      templateRef: MOVE_GATEWAY_TO_POD_EIP,
      parameters: {
        cluster: entry.cluster,
        namespace: gateway.namespace,
        gateway: gateway.name,
        ...(entry.service ? { service: entry.service.name } : {}),
        ...(entry.cloudResourceId
          ? { loadBalancerId: entry.cloudResourceId }
          : {}),
        replicas,
        ...(host ? { host } : {}),
        ...dnsParametersOf(entry, host, cloud),
      },
    });
  }
  return recommendations;
}
