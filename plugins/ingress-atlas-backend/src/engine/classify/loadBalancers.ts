import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  BillableResource,
  CloudProvider,
  NetworkReach,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudIndex } from '../cloud/CloudIndex';
import { isPrivateAddress } from '../kube/addresses';
import { resourceKeys } from '../types';

const ALIYUN_ANNOTATION =
  'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';
const ALIYUN_NLB_CLASS = 'alibabacloud.com/nlb';

/** Annotations naming the cloud load balancer a Service uses (read-only id first, then reuse). */
const LOAD_BALANCER_ID_ANNOTATIONS = [
  'service.kubernetes.io/loadbalance-id',
  'service.kubernetes.io/tke-existed-lbid',
  `${ALIYUN_ANNOTATION}id`,
  'kubernetes.io/elb.id',
];

/** Labels cloud controllers set with the load balancer id (Aliyun's CCM uses a label). */
const LOAD_BALANCER_ID_LABELS = ['service.k8s.alibaba/loadbalancer-id'];

/** Annotations asking the cloud for an internal load balancer. */
const INTERNAL_ANNOTATIONS: Array<{ key: string; value?: RegExp }> = [
  { key: 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid' },
  {
    key: `${ALIYUN_ANNOTATION}address-type`,
    value: /^intranet$/i,
  },
  { key: 'kubernetes.io/elb.autocreate', value: /"type"\s*:\s*"inner"/ },
  {
    key: 'service.beta.kubernetes.io/aws-load-balancer-internal',
    value: /^true$/i,
  },
  { key: 'networking.gke.io/load-balancer-type', value: /^internal$/i },
];

export function loadBalancerAddresses(service: KubeObject): string[] {
  return (service.status?.loadBalancer?.ingress ?? [])
    .map((i: any) => i.ip ?? i.hostname)
    .filter(Boolean);
}

/**
 * The cloud load balancer behind a LoadBalancer Service: by the id the cloud controller
 * annotates, then by VIP, then by TKE's `tke-lb-serviceuuid` tag.
 */
export function joinLoadBalancer(service: KubeObject, cloud: CloudIndex) {
  const annotations = service.metadata.annotations ?? {};
  const labels = service.metadata.labels ?? {};
  const annotated =
    LOAD_BALANCER_ID_ANNOTATIONS.map(k => annotations[k]).find(Boolean) ??
    LOAD_BALANCER_ID_LABELS.map(k => labels[k]).find(Boolean);
  const located =
    cloud.loadBalancer(annotated) ??
    loadBalancerAddresses(service)
      .map(vip => cloud.loadBalancerByVip(vip))
      .find(Boolean) ??
    (service.metadata.uid
      ? cloud.loadBalancerByTag('tke-lb-serviceuuid', service.metadata.uid)
      : undefined);
  return { id: located?.item.id ?? annotated, located };
}

export function loadBalancerNetwork(
  service: KubeObject,
  cloudNetwork: NetworkReach | undefined,
  addresses: string[],
): NetworkReach {
  if (cloudNetwork) return cloudNetwork;
  const annotations = service.metadata.annotations ?? {};
  const internal = INTERNAL_ANNOTATIONS.some(
    ({ key, value }) =>
      annotations[key] !== undefined &&
      (!value || value.test(annotations[key])),
  );
  if (internal) return 'internal';
  if (addresses.length > 0 && addresses.every(isPrivateAddress))
    return 'internal';
  return 'public';
}

export function networkOfAddresses(addresses: string[]): NetworkReach {
  return addresses.some(a => !isPrivateAddress(a)) ? 'public' : 'internal';
}

/**
 * The kind of load balancer the cloud gives a Service (clb, nlb, alb, elb), read from the
 * cluster objects for when the cloud inventory does not say. Aliyun's controller makes a CLB
 * unless the Service asks for an NLB (its load balancer class, or the NLB-only zone maps); a
 * reused one tells its kind by its id.
 */
export function loadBalancerKind(
  service: KubeObject,
  provider: CloudProvider,
  id: string | undefined,
): string | undefined {
  switch (provider) {
    case 'tencent':
      return 'clb';
    case 'huawei':
      return 'elb';
    case 'aliyun': {
      const prefix = id?.match(/^(nlb|alb)-/)?.[1];
      if (prefix) return prefix;
      const annotations = service.metadata.annotations ?? {};
      return service.spec?.loadBalancerClass === ALIYUN_NLB_CLASS ||
        annotations[`${ALIYUN_ANNOTATION}zone-maps`] !== undefined
        ? 'nlb'
        : 'clb';
    }
    default:
      return undefined;
  }
}

/**
 * The load balancer an Aliyun ALB or NLB address names (e.g.
 * `alb-xyz.cn-hangzhou.alb.aliyuncs.com`): the cloud's ALB Ingress reports no IP, only that.
 */
export function loadBalancerOfHostname(
  addresses: string[],
): { id: string; kind: string } | undefined {
  for (const address of addresses) {
    const match = address.match(/^((alb|nlb)-[a-z0-9]+)\.[a-z0-9-]+\.\2\./);
    if (match) return { id: match[1], kind: match[2] };
  }
  return undefined;
}

/**
 * The EIP a Huawei ELB was created with (`kubernetes.io/elb.autocreate` type public): billed
 * apart from the ELB, by bandwidth or by traffic. The cloud inventory does not list it, so it
 * takes a key from its ELB's.
 */
export function autocreatedEip(
  service: KubeObject,
  loadBalancerKey: string,
): { resource: BillableResource; note: string } | undefined {
  const raw = service.metadata.annotations?.['kubernetes.io/elb.autocreate'];
  if (!raw) return undefined;
  let spec: any;
  try {
    spec = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (spec?.type !== 'public') return undefined;
  const mbps = Number(spec.bandwidth_size);
  const byBandwidth = spec.bandwidth_chargemode === 'bandwidth';
  const resource: BillableResource = {
    provider: 'huawei',
    kind: 'eip',
    id: resourceKeys.loadBalancerEip(loadBalancerKey),
    network: 'public',
    bound: true,
    chargeType: byBandwidth
      ? 'BANDWIDTH_POSTPAID_BY_HOUR'
      : 'TRAFFIC_POSTPAID_BY_HOUR',
    bandwidthMbps: Number.isFinite(mbps) ? mbps : undefined,
  };
  return {
    resource,
    note: `${resource.id}: the public EIP the ELB was created with (${
      resource.bandwidthMbps ?? '?'
    } Mbit/s, billed by ${byBandwidth ? 'bandwidth' : 'traffic'})`,
  };
}
