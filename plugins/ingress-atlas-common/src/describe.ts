/*
 * How the model's objects read to a person, worded once for the UI, the search index and the
 * catalog. Each function returns a phrase without a final full stop, for its caller to place
 * in a sentence, a table cell or a description of its own.
 */
import {
  AtlasClusterDescriptor,
  BillableResource,
  CloudProvider,
  Entry,
  EntryType,
  ExposurePath,
  Gateway,
  PLAINTEXT_TLS_MODE,
  Route,
  TlsInfo,
  WorkloadRef,
} from './model';
import type { TopologyEdgePort } from './graph';

/**
 * How an entry type is named to a person.
 *
 * @public
 */
export const ENTRY_TYPE_LABELS: Record<EntryType, string> = {
  'load-balancer': 'Load balancer',
  'pod-eip': 'Pod EIP',
  'host-network': 'Host network',
  'node-port': 'NodePort',
  'front-proxy': 'Front proxy',
  'external-ip': 'External IP',
  'cluster-ip': 'Cluster IP',
};

/**
 * How a cloud provider is named to a person; `generic` stands for any other Kubernetes.
 *
 * @public
 */
export const CLOUD_PROVIDER_LABELS: Record<CloudProvider, string> = {
  tencent: 'Tencent Cloud',
  aliyun: 'Alibaba Cloud',
  huawei: 'Huawei Cloud',
  generic: 'Kubernetes',
};

/** What each cloud calls its load balancers, when the inventory does not tell the kind. */
const LOAD_BALANCER_NAMES: Record<CloudProvider, string> = {
  tencent: 'CLB',
  aliyun: 'SLB',
  huawei: 'ELB',
  generic: 'Load balancer',
};

const RESOURCE_KIND_NAMES: Record<
  Exclude<BillableResource['kind'], 'load-balancer'>,
  string
> = {
  eip: 'EIP',
  'vpc-endpoint': 'VPC endpoint',
};

/**
 * A billable cloud resource by its kind and id: `CLB lb-blog0001`, `NLB nlb-1`, `EIP eip-1`,
 * `VPC endpoint vpce-1`. A load balancer of a kind the inventory does not tell is named as
 * its cloud names them (CLB, SLB, ELB).
 *
 * @public
 */
export function describeResource(
  resource: Pick<BillableResource, 'provider' | 'kind' | 'id'> & {
    loadBalancerKind?: string;
  },
): string {
  const kind =
    resource.kind === 'load-balancer'
      ? resource.loadBalancerKind?.toUpperCase() ??
        LOAD_BALANCER_NAMES[resource.provider]
      : RESOURCE_KIND_NAMES[resource.kind];
  return `${kind} ${resource.id}`.trim();
}

/** `ports 80, 443`, `port 53/UDP`: TCP, the default, goes unsaid. */
function describePorts(ports: Entry['ports']): string {
  if (ports.length === 0) return '';
  const list = ports.map(p =>
    p.protocol && p.protocol.toUpperCase() !== 'TCP'
      ? `${p.port}/${p.protocol.toUpperCase()}`
      : String(p.port),
  );
  return `${ports.length === 1 ? 'port' : 'ports'} ${list.join(', ')}`;
}

/**
 * An entry as a platform engineer names it, the cloud resource first, then its addresses,
 * the EIPs it is reached on and its ports: `CLB lb-blog0001 · 198.51.100.11 · ports 80, 443`,
 * `Pod EIP eip-1 · 192.0.2.4 · port 443`,
 * `Node IPs 203.0.113.21, 203.0.113.22 · EIP eip-1, eip-2 · ports 80, 443`,
 * `NodePort 30080, 30443 on 10.0.0.4`. Its network is not said: callers show it beside.
 *
 * @public
 */
export function describeEntry(entry: Entry): string {
  const addresses = entry.addresses.join(', ');
  const eips = entry.resources.filter(r => r.kind === 'eip').map(r => r.id);
  const parts: string[] = [];
  switch (entry.type) {
    case 'load-balancer': {
      const lb = entry.resources.find(r => r.kind === 'load-balancer');
      parts.push(
        describeResource({
          provider: entry.provider,
          kind: 'load-balancer',
          id: entry.cloudResourceId ?? lb?.id ?? '',
          loadBalancerKind: lb?.loadBalancerKind,
        }),
        addresses,
      );
      break;
    }
    case 'pod-eip':
      parts.push(
        `Pod EIP ${entry.cloudResourceId ?? eips[0] ?? ''}`.trim(),
        addresses,
      );
      break;
    case 'host-network':
      parts.push(`Node IPs ${addresses}`.trim());
      break;
    case 'node-port': {
      const nodePorts = entry.ports
        .map(p => p.nodePort)
        .filter(Boolean)
        .join(', ');
      parts.push(`NodePort ${nodePorts} on ${addresses}`);
      break;
    }
    default:
      parts.push(`${ENTRY_TYPE_LABELS[entry.type]} ${addresses}`.trim());
  }
  if (entry.type !== 'pod-eip' && eips.length > 0) {
    parts.push(`EIP ${eips.join(', ')}`);
  }
  if (entry.type !== 'node-port') parts.push(describePorts(entry.ports));
  return parts.filter(Boolean).join(' · ');
}

/**
 * A gateway by its name, kind and cluster: `istio-system/istio-ingressgateway (istio) on tke-blog`.
 *
 * @public
 */
export function describeGateway(
  gateway: Pick<Gateway, 'namespace' | 'name' | 'kind' | 'cluster'>,
): string {
  return `${gateway.namespace}/${gateway.name} (${gateway.kind}) on ${gateway.cluster}`;
}

/**
 * A cluster by its cloud, name, cloud id and region:
 * `Tencent Cloud cluster tke-blog (cls-blog0001 in ap-guangzhou)`.
 *
 * @public
 */
export function describeCluster(
  cluster: Pick<
    AtlasClusterDescriptor,
    'name' | 'provider' | 'cloudClusterId' | 'region'
  >,
): string {
  const where = [cluster.cloudClusterId, cluster.region]
    .filter(Boolean)
    .join(' in ');
  return `${CLOUD_PROVIDER_LABELS[cluster.provider]} cluster ${cluster.name}${
    where ? ` (${where})` : ''
  }`;
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** `expires 2027-01-05 (in 45 days)`, `expired 2026-01-02 (3 days ago)`, `expires in 45 days`. */
function describeExpiry(tls: TlsInfo): string | undefined {
  const { notAfter, daysToExpiry } = tls;
  if (notAfter === undefined && daysToExpiry === undefined) return undefined;
  const expired = daysToExpiry !== undefined && daysToExpiry < 0;
  let when: string | undefined;
  if (daysToExpiry !== undefined) {
    if (expired) when = `${days(-daysToExpiry)} ago`;
    else
      when = daysToExpiry === 0 ? 'within a day' : `in ${days(daysToExpiry)}`;
  }
  const verb = expired ? 'expired' : 'expires';
  if (notAfter === undefined) return `${verb} ${when}`;
  return `${verb} ${notAfter.slice(0, 10)}${when ? ` (${when})` : ''}`;
}

/**
 * The TLS a path or listener is served with: its mode, where its certificate comes from and
 * when that expires, as in
 * `SIMPLE, certificate from Secret istio-system/blog-cert, expires 2027-01-05 (in 45 days)`;
 * `none, plain HTTP` when there is no TLS.
 *
 * @public
 */
export function describeTls(tls: TlsInfo): string {
  if (
    tls.mode === PLAINTEXT_TLS_MODE ||
    (tls.certificateSource === 'none' && /^(none|plain|)$/i.test(tls.mode))
  ) {
    return 'none, plain HTTP';
  }
  const parts = [tls.mode];
  if (tls.certificateSource === 'secret') {
    parts.push(
      `certificate from Secret ${
        tls.secretRef ?? tls.credentialName ?? ''
      }`.trim(),
    );
  } else if (tls.certificateSource === 'file') {
    parts.push(
      tls.secretRef
        ? `certificate from files mounted from Secret ${tls.secretRef}`
        : 'certificate from files in the proxy',
    );
  } else if (/PASSTHROUGH$/i.test(tls.mode)) {
    parts.push('the backend holds the certificate');
  } else if (/^ISTIO_MUTUAL$/i.test(tls.mode)) {
    parts.push('certificate from the mesh');
  } else {
    parts.push('no certificate');
  }
  const expiry = describeExpiry(tls);
  if (expiry) parts.push(expiry);
  return parts.join(', ');
}

/**
 * A port along a topology edge, its protocol first, then its TLS when known:
 * `HTTPS 443, TLS SIMPLE`, `HTTP 80, no TLS`, `TCP 9000`, `port 8080`.
 *
 * @public
 */
export function describeEdgePort(port: TopologyEdgePort): string {
  const head = port.protocol
    ? `${port.protocol.toUpperCase()} ${port.port}`
    : `port ${port.port}`;
  if (port.tls === undefined) return head;
  return `${head}, ${
    port.tls === PLAINTEXT_TLS_MODE ? 'no TLS' : `TLS ${port.tls}`
  }`;
}

/**
 * A route by its kind and name: `VirtualService blog/blog`, `HTTPRoute shop/shop`.
 *
 * @public
 */
export function describeRoute(
  route: Pick<Route, 'kind' | 'namespace' | 'name'>,
): string {
  return `${route.kind} ${route.namespace}/${route.name}`;
}

/**
 * Where a path ends inside the cluster: `Service blog/blog`, or `Kubernetes API server`.
 *
 * @public
 */
export function describeTarget(
  path: Pick<ExposurePath, 'apiServer' | 'service'>,
): string {
  if (path.apiServer) return 'Kubernetes API server';
  return path.service
    ? `Service ${path.service.namespace}/${path.service.name}`
    : '';
}

/**
 * A workload by its kind and name: `Deployment blog/blog`.
 *
 * @public
 */
export function describeWorkload(workload: WorkloadRef): string {
  return `${workload.kind} ${workload.namespace}/${workload.name}`;
}

/**
 * A CNY amount as the price catalogue writes it: `144`, `12.5`, `1,234.56`.
 *
 * @public
 */
export function formatCny(amount: number): string {
  return amount.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/**
 * A monthly CNY amount: `1,234.56 CNY/month`.
 *
 * @public
 */
export function formatMonthlyCny(amount: number): string {
  return `${formatCny(amount)} CNY/month`;
}

/**
 * What a monthly cost leaves out, for {@link describeMonthlyCost}.
 *
 * @public
 */
export interface MonthlyCostOptions {
  /** Some of what bills has no price in the catalogue: the amount leaves it out. */
  unpriced?: boolean;
  /** Traffic bills too, in an amount no metric tells. */
  trafficUnknown?: boolean;
}

/**
 * A monthly cost that never passes for a full or free one when it is not: `144 CNY/month`,
 * `144 CNY/month and items not priced`, `not priced` (no amount, or nothing priced),
 * `no fixed fee, plus traffic of unknown volume`.
 *
 * @public
 */
export function describeMonthlyCost(
  amount: number | undefined,
  options: MonthlyCostOptions = {},
): string {
  const { unpriced = false, trafficUnknown = false } = options;
  if (amount === undefined || (unpriced && amount === 0)) return 'not priced';
  const traffic = trafficUnknown ? ', plus traffic of unknown volume' : '';
  if (amount === 0 && trafficUnknown) return `no fixed fee${traffic}`;
  return `${formatMonthlyCny(amount)}${
    unpriced ? ' and items not priced' : ''
  }${traffic}`;
}
