import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  BillableResource,
  CCE,
  CloudProvider,
  NetworkReach,
  TKE,
  TKE_CLB_TAGS,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudIndex } from '../cloud/CloudIndex';
import { isIpAddress, isPrivateAddress } from '../kube/addresses';
import { resourceKeys } from '../types';

const ALIYUN_ANNOTATION =
  'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';
const ALIYUN_NLB_CLASS = 'alibabacloud.com/nlb';

/** Annotations naming the cloud load balancer a Service uses (read-only id first, then reuse). */
const LOAD_BALANCER_ID_ANNOTATIONS = [
  TKE.loadBalancerId,
  TKE.existedLbId,
  `${ALIYUN_ANNOTATION}id`,
  CCE.elbId,
];

/** Labels cloud controllers set with the load balancer id (Aliyun's CCM uses a label). */
const LOAD_BALANCER_ID_LABELS = ['service.k8s.alibaba/loadbalancer-id'];

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
      ? cloud.loadBalancerByTag(TKE_CLB_TAGS.serviceUuid, service.metadata.uid)
      : undefined);
  return { id: located?.item.id ?? annotated, located };
}

/** A network and why: what every entry carries. */
export interface Reach {
  network: NetworkReach;
  reason: string;
}

/**
 * The network of the ELB Huawei creates from a `kubernetes.io/elb.autocreate` annotation (on a
 * Service or an Ingress): `inner` has no EIP, `public` gets one.
 */
export function elbAutocreateNetwork(value: string): NetworkReach | undefined {
  if (/"type"\s*:\s*"inner"/.test(value)) return 'internal';
  if (/"type"\s*:\s*"public"/.test(value)) return 'public';
  return undefined;
}

/**
 * Annotations that set the network of the load balancer a cloud controller creates, each with
 * the values meaning internal (and, where the provider has one, public).
 */
const NETWORK_ANNOTATIONS: Array<{
  key: string;
  internal: (value: string) => boolean;
  public?: (value: string) => boolean;
}> = [
  // TKE: an internal CLB in that subnet.
  {
    key: TKE.internalSubnetId,
    internal: () => true,
  },
  // Tencent's out-of-tree cloud controller (self-built clusters on CVM).
  {
    key: 'service.beta.kubernetes.io/tencentcloud-loadbalancer-type',
    internal: v => /^private$/i.test(v),
    public: v => /^public$/i.test(v),
  },
  {
    key: 'service.beta.kubernetes.io/tencentcloud-loadbalancer-type-internal-subnet-id',
    internal: v => v !== '',
  },
  {
    key: `${ALIYUN_ANNOTATION}address-type`,
    internal: v => /^intranet$/i.test(v),
    public: v => /^internet$/i.test(v),
  },
  // Huawei CCE: an ELB created with the Service; `inner` has no EIP, `public` gets one.
  {
    key: CCE.elbAutocreate,
    internal: v => elbAutocreateNetwork(v) === 'internal',
    public: v => elbAutocreateNetwork(v) === 'public',
  },
  // Huawei's cloud controller: an ELB is reached from the internet only through an EIP, one
  // created with it or an existing one by id.
  {
    key: CCE.elbEipAutoCreateOption,
    internal: () => false,
    public: () => true,
  },
  {
    key: CCE.elbEipId,
    internal: () => false,
    public: v => v !== '',
  },
  // AWS load balancer controller; `internet-facing` is the only other value.
  {
    key: 'service.beta.kubernetes.io/aws-load-balancer-scheme',
    internal: v => /^internal$/i.test(v),
    public: v => /^internet-facing$/i.test(v),
  },
  // The in-tree AWS provider treats any value but "false" as internal.
  {
    key: 'service.beta.kubernetes.io/aws-load-balancer-internal',
    internal: v => v !== '' && v !== 'false',
  },
  {
    key: 'service.beta.kubernetes.io/azure-load-balancer-internal',
    internal: v => /^true$/i.test(v),
  },
  {
    key: 'networking.gke.io/load-balancer-type',
    internal: v => /^internal$/i.test(v),
  },
  // GKE's older spelling, still honoured.
  {
    key: 'cloud.google.com/load-balancer-type',
    internal: v => /^internal$/i.test(v),
  },
];

/** Annotations that attach a Service to a load balancer that already exists, by its id. */
const REUSED_LOAD_BALANCER_ANNOTATIONS = [
  TKE.existedLbId,
  `${ALIYUN_ANNOTATION}id`,
  CCE.elbId,
];

/**
 * The AWS load balancer controller's class, and the `aws-load-balancer-type` values that hand
 * a Service to it: unlike the in-tree provider, it creates NLBs `internal` unless the scheme
 * annotation says `internet-facing` (its documented default).
 */
const AWS_LBC_CLASS = 'service.k8s.aws/nlb';
const AWS_LBC_TYPES = ['external', 'nlb-ip'];

/** Load balancer classes whose network is known here; for the rest their controller decides. */
const KNOWN_CLASSES = [AWS_LBC_CLASS, ALIYUN_NLB_CLASS];

const PROVIDER_DEFAULTS: Record<CloudProvider, string> = {
  tencent: 'TKE creates a public CLB unless an internal subnet is annotated',
  aliyun:
    "Aliyun's cloud controller creates an internet-facing load balancer unless address-type is intranet",
  huawei: 'an ELB has no EIP unless one is asked for',
  generic:
    'cloud controllers create an internet-facing load balancer for a LoadBalancer Service unless an internal annotation says otherwise',
};

/** Who can reach a set of addresses: public if any is public, internal if all are private. */
export function reachOfAddresses(addresses: string[], what: string): Reach {
  const ips = addresses.filter(isIpAddress);
  const open = ips.find(a => !isPrivateAddress(a));
  if (open) return { network: 'public', reason: `${what} ${open} is public` };
  if (ips.length > 0) {
    return {
      network: 'internal',
      reason: `${what} ${ips.join(', ')} ${
        ips.length > 1 ? 'are' : 'is'
      } private`,
    };
  }
  return { network: 'unknown', reason: `no ${what} in the input` };
}

/** AWS names internal ELBs and NLBs `internal-...`. */
function awsInternalHostname(addresses: string[]): string | undefined {
  return addresses.find(a =>
    /^internal-.*\.elb\.([a-z0-9-]+\.)?amazonaws\.com$/.test(a),
  );
}

/**
 * The network of a LoadBalancer Service's load balancer, and why: the cloud inventory; an
 * annotation choosing the network; the address the cloud reported; a reused load balancer
 * (unknown without inventory); a non-default controller; the provider's documented default.
 * Source ranges narrow a public load balancer, and the reason says so.
 */
export function loadBalancerReach(
  service: KubeObject,
  provider: CloudProvider,
  located: { id: string; network: NetworkReach } | undefined,
  addresses: string[],
): Reach {
  const reach = unnarrowedReach(service, provider, located, addresses);
  const annotations = service.metadata.annotations ?? {};
  // Aliyun's CLB access control list: a whitelist narrows as source ranges do.
  if (
    reach.network === 'public' &&
    annotations[`${ALIYUN_ANNOTATION}acl-status`] === 'on' &&
    annotations[`${ALIYUN_ANNOTATION}acl-type`] === 'white'
  ) {
    return {
      network: 'public',
      reason: `${reach.reason}; only the sources in access control list ${
        annotations[`${ALIYUN_ANNOTATION}acl-id`] ?? '?'
      } may connect (acl-type white)`,
    };
  }
  const ranges: string[] = service.spec?.loadBalancerSourceRanges ?? [];
  const open = ranges.some(r => r === '0.0.0.0/0' || r === '::/0');
  if (reach.network === 'public' && ranges.length > 0 && !open) {
    return {
      network: 'public',
      reason: `${reach.reason}; only ${ranges.join(
        ', ',
      )} may connect (loadBalancerSourceRanges)`,
    };
  }
  return reach;
}

function unnarrowedReach(
  service: KubeObject,
  provider: CloudProvider,
  located: { id: string; network: NetworkReach } | undefined,
  addresses: string[],
): Reach {
  if (located) {
    return {
      network: located.network,
      reason: `cloud inventory: ${located.id} is ${located.network}`,
    };
  }
  const annotations = service.metadata.annotations ?? {};
  for (const rule of NETWORK_ANNOTATIONS) {
    const value = annotations[rule.key];
    if (value === undefined) continue;
    if (rule.internal(String(value))) {
      return {
        network: 'internal',
        reason: `annotation ${rule.key}: ${value}`,
      };
    }
    if (rule.public?.(String(value))) {
      return { network: 'public', reason: `annotation ${rule.key}: ${value}` };
    }
  }
  const awsInternal = awsInternalHostname(addresses);
  if (awsInternal) {
    return {
      network: 'internal',
      reason: `reported address ${awsInternal}: AWS names internal load balancers internal-...`,
    };
  }
  if (addresses.some(isIpAddress)) {
    return reachOfAddresses(addresses, 'reported address');
  }
  const reused = REUSED_LOAD_BALANCER_ANNOTATIONS.find(k => annotations[k]);
  if (reused) {
    return {
      network: 'unknown',
      reason: `existing load balancer ${annotations[reused]} (${reused}), no cloud inventory`,
    };
  }
  const loadBalancerClass: string | undefined = service.spec?.loadBalancerClass;
  if (
    loadBalancerClass === AWS_LBC_CLASS ||
    AWS_LBC_TYPES.includes(
      annotations['service.beta.kubernetes.io/aws-load-balancer-type'],
    )
  ) {
    return {
      network: 'internal',
      reason:
        'default: the AWS load balancer controller creates internal NLBs unless aws-load-balancer-scheme is internet-facing',
    };
  }
  if (loadBalancerClass && !KNOWN_CLASSES.includes(loadBalancerClass)) {
    return {
      network: 'unknown',
      reason: `load balancer class ${loadBalancerClass}: its controller decides the network`,
    };
  }
  if (provider === 'huawei' || annotations[CCE.elbClass]) {
    return {
      network: 'internal',
      reason:
        'default: an ELB created for the Service has no EIP unless kubernetes.io/elb.eip-auto-create-option or elb.eip-id asks for one, so only a private address',
    };
  }
  return {
    network: 'public',
    reason: `default: ${
      PROVIDER_DEFAULTS[provider] ?? PROVIDER_DEFAULTS.generic
    }`,
  };
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
  const raw = service.metadata.annotations?.[CCE.elbAutocreate];
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
