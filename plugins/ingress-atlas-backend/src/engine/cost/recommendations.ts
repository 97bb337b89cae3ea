import {
  AtlasCluster,
  Cost,
  Entry,
  ExposurePath,
  Gateway,
  PriceCatalogue,
  Recommendation,
  resourceMonthlyCost,
  roundCny,
} from '@ingress-atlas/plugin-ingress-atlas-common';

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

/**
 * The one public host served through the entry, for the template's DNS step. Several hosts or
 * a wildcard leave it to the person running the template. The DNSPod domain and record are not
 * derived: the atlas does not collect DNS zones, and the zone of blog.a.example.com may be
 * example.com or a.example.com.
 */
function publicHostOf(entry: Entry, paths: ExposurePath[]): string | undefined {
  const hosts = new Set(
    paths.filter(p => p.entry === entry.id && !p.apiServer).map(p => p.host),
  );
  const [host] = [...hosts];
  return hosts.size === 1 && host && !host.includes('*') ? host : undefined;
}

/**
 * Public CLBs in front of a gateway on TKE that pod EIPs could replace: each gateway pod gets
 * its own traffic-billed EIP, which has no fixed fee while bound, and the CLB's fee goes away.
 */
export function recommendPodEips(options: {
  entries: Entry[];
  gateways: Gateway[];
  clusters: AtlasCluster[];
  costs: Cost[];
  prices: PriceCatalogue;
  /** The paths through the entries, for the public host. */
  paths?: ExposurePath[];
}): Recommendation[] {
  const { entries, gateways, clusters, costs, prices, paths = [] } = options;
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
    const loadBalancerFee = (costs.find(c => c.entry === entry.id)?.parts ?? [])
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
    const saving = roundCny(loadBalancerFee - eipFee * replicas);
    if (saving <= 0) continue;

    const trafficPrice = prices.tencent?.eipTraffic?.amount;
    const caveats = [
      `Each of the ${replicas} gateway pod(s) gets its own EIP; DNS must list them and follow when they change, as there is no load balancer health check in front.`,
      'An EIP stays with a pod across restarts only for a StatefulSet with tke.cloud.tencent.com/eip-claim-delete-policy: Never; otherwise the address changes when the pod is rescheduled.',
      `Traffic is billed per GB on each EIP${
        trafficPrice !== undefined ? ` (${trafficPrice} CNY/GB)` : ''
      }; the saving leaves traffic out.`,
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
      },
    });
  }
  return recommendations;
}
