/*
 * The exposure model: what the engine derives from cluster and cloud inventories, and what
 * the API, the UI, search and the CLI all read. Plain JSON, no functions, no secrets.
 */

/**
 * The clouds the atlas knows, `generic` standing for any other Kubernetes.
 *
 * @public
 */
export const CLOUD_PROVIDERS = [
  'tencent',
  'aliyun',
  'huawei',
  'generic',
] as const;

/** @public */
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

/** @public */
export function isCloudProvider(value: unknown): value is CloudProvider {
  return CLOUD_PROVIDERS.includes(value as CloudProvider);
}

/**
 * Who can reach an entry: the internet, only the VPC (or peered networks), or `unknown` when
 * the input does not tell (e.g. an existing load balancer reused by id, with no cloud inventory).
 *
 * @public
 */
export type NetworkReach = 'public' | 'internal' | 'unknown';

/**
 * How a network reach is described to a person.
 *
 * @public
 */
export const NETWORK_REACH_LABELS: Record<NetworkReach, string> = {
  public: 'Public',
  internal: 'Internal',
  unknown: 'Network unknown',
};

/**
 * The widest of several reaches: public over unknown over internal.
 *
 * @public
 */
export function widestReach(reaches: NetworkReach[]): NetworkReach {
  if (reaches.includes('public')) return 'public';
  return reaches.includes('unknown') ? 'unknown' : 'internal';
}

/** @public */
export type Severity = 'info' | 'warning' | 'error';

/**
 * A Kubernetes object (or a cloud resource, with `cluster` unset) that something points at.
 *
 * @public
 */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
  cluster?: string;
  /** The id of the model node this object became, when it became one. */
  id?: string;
}

/**
 * How a cluster is known to the atlas (no credentials in here: safe to store and serve); the
 * inventory's ClusterDescriptor.
 *
 * @public
 */
export interface AtlasClusterDescriptor {
  /** Stable name, unique across sources. */
  name: string;
  title?: string;
  /** Where it came from: 'config', 'kubernetes-config', 'catalog', 'tencent', 'manifests'. */
  source: string;
  provider: CloudProvider;
  region?: string;
  /** The cloud's cluster id, e.g. cls-abc123 on TKE. */
  cloudClusterId?: string;
  /** API server URL (not secret) or the manifest folder for offline clusters. */
  url?: string;
  readOnly?: boolean;
  /** Facts a provider knows about the cluster, e.g. VPC-CNI enabled. */
  facts?: { vpcCni?: boolean; vpcId?: string };
  /**
   * The cluster whose API server holds this cluster's Istio configuration (Gateways,
   * VirtualServices, DestinationRules), when it is not the cluster itself: on Alibaba Cloud
   * Service Mesh, the ASM instance.
   */
  istioConfigCluster?: string;
}

/** @public */
export interface AtlasCluster extends AtlasClusterDescriptor {
  /** `stale`: the last refresh failed and an older inventory is shown; `error`: nothing to show. */
  status: 'ok' | 'stale' | 'error';
  collectedAt?: string;
  error?: string;
  /** Set when the cluster's objects were read but could not be analysed (status `error`). */
  analysisError?: string;
  /** Kinds that could not be read, with the reason (missing CRD, RBAC...). */
  unavailableKinds: Array<{ kind: string; reason: string }>;
  /** Whether pods can get their own VPC IP (TKE VPC-CNI), from cloud facts or in-cluster signs. */
  vpcCni?: boolean;
}

/** @public */
export type ControlPlaneKind = 'istiod' | 'tcm' | 'asm' | 'remote' | 'external';

/** @public */
export interface ControlPlane {
  id: string;
  cluster: string;
  kind: ControlPlaneKind;
  /** The Istio revision (`default` when unrevisioned). */
  revision: string;
  /** Revision tags pointing at this revision. */
  tags: string[];
  version?: string;
  /** Set when a cloud runs the control plane. */
  managed?: 'tcm' | 'asm';
  role: 'primary' | 'remote' | 'external';
  namespace?: string;
  meshId?: string;
  network?: string;
  /** The Istio cluster name (values.global.multiCluster.clusterName). */
  clusterName?: string;
  /** The cloud's mesh id (e.g. TCM mesh-...), when the cloud reports the mesh. */
  managedMeshId?: string;
  /** For remotes: the address of the primary's istiod they use. */
  remotePilotAddress?: string;
  /** For remotes: the control plane id serving this cluster, when found. */
  primary?: string;
  /** Gateway ids of east-west gateways of this control plane's cluster. */
  eastWestGateways: string[];
  /** Cluster names this control plane reads through remote secrets (names only, never data). */
  remoteSecretLinks: string[];
  /** SHA-256 of the root certificate in istio-ca-root-cert. */
  rootCaFingerprint?: string;
  /** Objects the control plane was recognised by. */
  evidence: ObjectRef[];
}

/** @public */
export interface WorkloadSummary {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod';
  name: string;
  namespace: string;
  /** Desired replicas; for a DaemonSet the number of pods found. */
  replicas: number;
  hostNetwork: boolean;
  dnsPolicy?: string;
  /** The pod template's nodeSelector, when it has one. */
  nodeSelector?: Record<string, string>;
  labels: Record<string, string>;
}

/** @public */
export interface ServiceRef {
  cluster: string;
  namespace: string;
  name: string;
  type?: string;
}

/** @public */
export type GatewayKind =
  | 'istio'
  | 'gateway-api'
  | 'ingress-controller'
  | 'front-proxy';

/** @public */
export interface GatewayListener {
  /** The listener's name (Gateway API) or server port name (Istio), which routes may target. */
  name?: string;
  port: number;
  protocol: string;
  hosts: string[];
  tls?: TlsInfo;
  /** The configuration object that declared it. */
  source: ObjectRef;
}

/**
 * How the atlas knows a gateway: its proxy is in the inventory (`observed`, the default), only
 * configuration names it (`declared`: an Istio Gateway whose workload is not in the input, the
 * gateways an IstioOperator installs), or it is what a controller provisions (`inferred`).
 *
 * @public
 */
export type GatewayOrigin = 'observed' | 'declared' | 'inferred';

/** @public */
export interface Gateway {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  kind: GatewayKind;
  /** Absent means `observed`. */
  origin?: GatewayOrigin;
  /** For declared and inferred gateways: the object and rule they come from. */
  originNote?: string;
  workload?: WorkloadSummary;
  services: ServiceRef[];
  /** Istio Gateway / Gateway API Gateway / ingress class objects configuring it. */
  configs: ObjectRef[];
  listeners: GatewayListener[];
  controlPlane?: string;
  eastWest: boolean;
  /** For front proxies: where they forward to. */
  upstreams?: Array<{
    target: string;
    port?: number;
    gateway?: string;
    apiServer?: boolean;
  }>;
}

/** @public */
export type EntryType =
  | 'load-balancer'
  | 'pod-eip'
  | 'host-network'
  | 'node-port'
  | 'front-proxy'
  | 'external-ip'
  | 'cluster-ip';

/**
 * A cloud resource that bills, attached to an entry or found on its own.
 *
 * @public
 */
export interface BillableResource {
  provider: CloudProvider;
  kind: 'load-balancer' | 'eip' | 'vpc-endpoint';
  id: string;
  network: NetworkReach;
  /** e.g. clb, nlb, alb, elb. */
  loadBalancerKind?: string;
  /** For EIPs: bound to an instance or idle. */
  bound?: boolean;
  chargeType?: string;
  bandwidthMbps?: number;
  region?: string;
}

/** @public */
export interface Entry {
  id: string;
  cluster: string;
  type: EntryType;
  network: NetworkReach;
  /** Why the entry has that network: the annotation, the cloud inventory, a provider's documented default... */
  networkReason: string;
  addresses: string[];
  /** lb-..., eip-..., elb id: the cloud resource the entry is, when it is one. */
  cloudResourceId?: string;
  provider: CloudProvider;
  gateway?: string;
  service?: ServiceRef;
  /** The pod or node the entry sits on (pod EIPs, host network). */
  target?: ObjectRef;
  ports: Array<{ port: number; protocol?: string; nodePort?: number }>;
  resources: BillableResource[];
  /** Free-form facts worth showing (e.g. `vpc endpoint vpce-...`). */
  notes: string[];
}

/**
 * The TLS mode of a listener or path that serves plain HTTP.
 *
 * @public
 */
export const PLAINTEXT_TLS_MODE = 'NONE';

/** @public */
export interface TlsInfo {
  /** An Istio TLS mode (SIMPLE, MUTUAL, PASSTHROUGH, ...) or {@link PLAINTEXT_TLS_MODE}. */
  mode: string;
  credentialName?: string;
  certificateSource: 'secret' | 'file' | 'none';
  /** `namespace/name` of the Secret the proxy reads. */
  secretRef?: string;
  notAfter?: string;
  daysToExpiry?: number;
}

/** @public */
export type RouteKind =
  | 'VirtualService'
  | 'HTTPRoute'
  | 'GRPCRoute'
  | 'TLSRoute'
  | 'TCPRoute'
  | 'Ingress';

/** @public */
export interface RouteDestination {
  host: string;
  port?: number;
  service?: ServiceRef;
}

/** @public */
export interface Route {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  kind: RouteKind;
  hosts: string[];
  /** Gateway ids the route is bound to. */
  gateways: string[];
  tls?: TlsInfo;
  destinations: RouteDestination[];
}

/** @public */
export interface WorkloadRef {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}

/** @public */
export interface ExposurePath {
  id: string;
  host: string;
  cluster: string;
  entry: string;
  /** Front proxies on the way, outermost first. */
  via: string[];
  gateway?: string;
  route?: string;
  service?: ServiceRef;
  workload?: WorkloadRef;
  /** Reaches the Kubernetes API server. */
  apiServer?: boolean;
  entityRefs: string[];
  network: NetworkReach;
  tls: TlsInfo;
  /** The entry's monthly cost divided over the paths through it. */
  monthlyCostShareCny?: number;
}

/**
 * A template's prefilled form values: scalars, and label maps (a nodeSelector).
 *
 * @public
 */
export type TemplateParameters = Record<
  string,
  string | number | boolean | Record<string, string>
>;

/** @public */
export interface Finding {
  id: string;
  code: string;
  severity: Severity;
  message: string;
  objects: ObjectRef[];
  fix: string;
  /** e.g. `template:default/move-gateway-to-pod-eip`, with its prefilled parameters. */
  templateRef?: string;
  parameters?: TemplateParameters;
  /** Monthly spend the finding is about (idle resources). */
  monthlyWasteCny?: number;
}

/** @public */
export interface CostPart {
  item: string;
  resource: string;
  amountCny: number;
  unitPrice: number;
  unit: string;
  quantity: number;
  source: string;
  date: string;
}

/** @public */
export interface Cost {
  id: string;
  entry?: string;
  /** The cloud resource costed, for resources with no entry (idle, orphaned). */
  resource?: string;
  provider: CloudProvider;
  state: 'in-use' | 'idle' | 'orphaned';
  monthlyCny: number;
  parts: CostPart[];
  /** Items known to bill but absent from the price catalogue. */
  unpriced: string[];
  /** Monthly traffic and what it bills: 'unknown' when no measurement reached the atlas. */
  traffic: 'unknown' | TrafficCost;
}

/** @public */
export interface TrafficCost {
  gbPerMonth: number;
  amountCny: number;
  /** CNY/GB, and where that price comes from. */
  unitPrice?: number;
  priceSource?: string;
  /** What measured the volume, over which window; absent for a volume given as such. */
  measurement?: { source: string; from: string; to: string };
}

/** @public */
export interface Recommendation {
  id: string;
  entry: string;
  title: string;
  savingMonthlyCny: number;
  caveats: string[];
  templateRef: string;
  parameters: TemplateParameters;
}

/** @public */
export interface AtlasModel {
  generatedAt: string;
  clusters: AtlasCluster[];
  controlPlanes: ControlPlane[];
  gateways: Gateway[];
  entries: Entry[];
  routes: Route[];
  paths: ExposurePath[];
  findings: Finding[];
  costs: Cost[];
  recommendations: Recommendation[];
}
