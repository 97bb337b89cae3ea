/*
 * The inventory contract: what collectors hand to the exposure engine.
 * Cluster collectors (live API, offline manifests) produce ClusterInventory;
 * cloud providers produce CloudInventory. The engine is a pure function of both.
 */
import type {
  AtlasClusterDescriptor,
  CloudProvider,
  TrafficMeasurement,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * A Kubernetes object as plain JSON, as the API server sends it. The fields the engine reads
 * are named; the scaffolder actions read and write any other field of any kind.
 *
 * @public
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    /** Set once the object is being deleted (finalizers or a graceful stop hold it). */
    deletionTimestamp?: string;
    resourceVersion?: string;
    ownerReferences?: Array<{ kind: string; name: string; uid?: string }>;
  };
  spec?: any;
  status?: any;
  subsets?: any;
  /** ConfigMap and Secret data; a Secret's is dropped once its certificate is read. */
  data?: any;
  type?: string;
  webhooks?: any;
  [field: string]: any;
}

/**
 * The kinds one refresh lists, each with one paged LIST.
 *
 * @public
 */
export const COLLECTED_KINDS = {
  namespaces: { kind: 'Namespace', group: '', versions: ['v1'], plural: 'namespaces', namespaced: false },
  nodes: { kind: 'Node', group: '', versions: ['v1'], plural: 'nodes', namespaced: false },
  services: { kind: 'Service', group: '', versions: ['v1'], plural: 'services', namespaced: true },
  endpoints: { kind: 'Endpoints', group: '', versions: ['v1'], plural: 'endpoints', namespaced: true },
  pods: { kind: 'Pod', group: '', versions: ['v1'], plural: 'pods', namespaced: true },
  /** Metadata only: data is dropped at collection; see `certificates`. */
  secrets: { kind: 'Secret', group: '', versions: ['v1'], plural: 'secrets', namespaced: true },
  configmaps: { kind: 'ConfigMap', group: '', versions: ['v1'], plural: 'configmaps', namespaced: true },
  deployments: { kind: 'Deployment', group: 'apps', versions: ['v1'], plural: 'deployments', namespaced: true },
  statefulsets: { kind: 'StatefulSet', group: 'apps', versions: ['v1'], plural: 'statefulsets', namespaced: true },
  daemonsets: { kind: 'DaemonSet', group: 'apps', versions: ['v1'], plural: 'daemonsets', namespaced: true },
  /** `extensions/v1beta1` Ingresses in manifests are read as these too (no cluster serves that group since 1.22). */
  ingresses: { kind: 'Ingress', group: 'networking.k8s.io', versions: ['v1', 'v1beta1'], plural: 'ingresses', namespaced: true },
  ingressClasses: { kind: 'IngressClass', group: 'networking.k8s.io', versions: ['v1', 'v1beta1'], plural: 'ingressclasses', namespaced: false },
  /** Aliyun's ALB Ingress controller: an IngressClass's parameters name one; it says Internet or Intranet. */
  albConfigs: { kind: 'AlbConfig', group: 'alibabacloud.com', versions: ['v1'], plural: 'albconfigs', namespaced: false },
  mutatingwebhookconfigurations: { kind: 'MutatingWebhookConfiguration',
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    plural: 'mutatingwebhookconfigurations',
    namespaced: false,
  },
  istioGateways: { kind: 'Gateway', group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], plural: 'gateways', namespaced: true },
  virtualServices: { kind: 'VirtualService', group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], plural: 'virtualservices', namespaced: true },
  destinationRules: { kind: 'DestinationRule', group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], plural: 'destinationrules', namespaced: true },
  k8sGateways: { kind: 'Gateway', group: 'gateway.networking.k8s.io', versions: ['v1', 'v1beta1', 'v1alpha2'], plural: 'gateways', namespaced: true },
  httpRoutes: { kind: 'HTTPRoute', group: 'gateway.networking.k8s.io', versions: ['v1', 'v1beta1', 'v1alpha2'], plural: 'httproutes', namespaced: true },
  grpcRoutes: { kind: 'GRPCRoute', group: 'gateway.networking.k8s.io', versions: ['v1', 'v1alpha2'], plural: 'grpcroutes', namespaced: true },
  tlsRoutes: { kind: 'TLSRoute', group: 'gateway.networking.k8s.io', versions: ['v1', 'v1alpha3', 'v1alpha2'], plural: 'tlsroutes', namespaced: true },
  tcpRoutes: { kind: 'TCPRoute', group: 'gateway.networking.k8s.io', versions: ['v1', 'v1alpha2'], plural: 'tcproutes', namespaced: true },
  referenceGrants: { kind: 'ReferenceGrant', group: 'gateway.networking.k8s.io', versions: ['v1', 'v1beta1', 'v1alpha2'], plural: 'referencegrants', namespaced: true },
  /** Alibaba Cloud Service Mesh: the gateways an ASM instance runs in its data-plane clusters. */
  asmIstioGateways: { kind: 'IstioGateway', group: 'istio.alibabacloud.com', versions: ['v1beta1'], plural: 'istiogateways', namespaced: true },
  istioOperators: { kind: 'IstioOperator', group: 'install.istio.io', versions: ['v1alpha1'], plural: 'istiooperators', namespaced: true },
  eipClaims: { kind: 'EIPClaim', group: 'networking.tke.cloud.tencent.com', versions: ['v1'], plural: 'eipclaims', namespaced: true },
} as const;

/** @public */
export type CollectedKind = keyof typeof COLLECTED_KINDS;

/** @public */

/**
 * How a cluster is known to the atlas (no credentials in here: safe to store and serve).
 *
 * @public
 */
export type ClusterDescriptor = AtlasClusterDescriptor;

/** @public */
export interface CertificateInfo {
  /** `namespace/name` of the Secret. */
  secret: string;
  notAfter?: string;
  subject?: string;
  dnsNames?: string[];
  error?: string;
}

/** @public */
export interface ClusterInventory {
  cluster: ClusterDescriptor;
  collectedAt: string;
  objects: Partial<Record<CollectedKind, KubeObject[]>>;
  /** Kinds that could not be read (missing CRD, RBAC 403, ...) with the reason. */
  unavailable: Partial<Record<CollectedKind, string>>;
  /** Expiry of certificates in TLS Secrets named by `credentialName` (key material never kept). */
  certificates: CertificateInfo[];
  /** Objects left out because a field the engine reads has the wrong type. */
  rejected?: RejectedObject[];
}

/**
 * An object left out of the atlas because a field the engine reads has the wrong type (as
 * `kubectl apply --validate=false` lets through): reported instead of read.
 *
 * @public
 */
export interface RejectedObject {
  kind: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  /** What is wrong, e.g. `{ field: 'spec.hosts', problem: 'is a number, not a list' }`. */
  problems: Array<{ field: string; problem: string }>;
}

/** @public */
export interface CloudTag {
  key: string;
  value: string;
}

/** @public */
export interface CloudLoadBalancer {
  id: string;
  name?: string;
  /** Public (OPEN) or internal. */
  network: 'public' | 'internal';
  vips: string[];
  vpcId?: string;
  chargeType?: string;
  tags: CloudTag[];
  listeners: Array<{ id: string; protocol: string; port: number; targets: Array<{ type: string; ip?: string; port: number; instanceId?: string }> }>;
  targetCount?: number;
  createdAt?: string;
  /** e.g. 'clb', 'nlb', 'alb', 'elb'. */
  kind?: string;
}

/** @public */
export interface CloudAddress {
  id: string;
  ip: string;
  status: string;
  /** Bound to: instance (CVM, ENI, CLB...), ENI and its private IP. */
  instanceId?: string;
  instanceType?: string;
  networkInterfaceId?: string;
  privateIp?: string;
  chargeType?: string;
  bandwidthMbps?: number;
  tags: CloudTag[];
}

/** @public */
export interface CloudVpcEndpoint {
  id: string;
  vpcId?: string;
  serviceId?: string;
  vip?: string;
  /** The load balancer behind the endpoint service, when known. */
  serviceLoadBalancerId?: string;
  state?: string;
}

/** @public */
export interface ManagedMesh {
  id: string;
  name?: string;
  /** e.g. 'tcm', 'asm'. */
  kind: string;
  version?: string;
  state?: string;
  clusters: Array<{
    cloudClusterId: string;
    role: 'primary' | 'remote';
    ingressGateways: Array<{ name: string; namespace: string; loadBalancerId?: string; vip?: string }>;
  }>;
}

/** @public */
export interface CloudInventory {
  provider: CloudProvider;
  /** Account label from config (never a credential). */
  account: string;
  region: string;
  collectedAt: string;
  loadBalancers: CloudLoadBalancer[];
  addresses: CloudAddress[];
  vpcEndpoints: CloudVpcEndpoint[];
  meshes: ManagedMesh[];
  /** Clusters the cloud knows in this region, with their facts (e.g. VPC-CNI); no credentials. */
  clusters?: ClusterDescriptor[];
  /**
   * Outbound public traffic the provider's monitoring measured, by resource id (`lb-…`,
   * `eip-…`). A resource left out was not measured: its traffic stays unknown.
   */
  traffic?: Record<string, TrafficMeasurement>;
  /**
   * The DNS zones the account hosts with the provider's DNS service (DNSPod on Tencent Cloud),
   * lower-case, e.g. `example.com`. DNS is not regional: every region of the account carries
   * the same list. Absent when it was not read (no rights, a failure: see `errors`).
   */
  dnsZones?: string[];
  /** Parts that failed, e.g. `{ part: 'clb', message: 'RequestLimitExceeded ...' }`. */
  errors: Array<{ part: string; message: string }>;
}
