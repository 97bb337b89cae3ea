import { Entity } from '@backstage/catalog-model';
import {
  AtlasCluster,
  Cost,
  Entry,
  ExposurePath,
  Finding,
  Gateway,
  Recommendation,
  Route,
  Topology,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClustersResponse, CostResponse, EntityExposure } from '../api';

// The sandbox's blog estate: TKE cluster tke-blog, TCM-managed Istio 1.10.3, public CLB
// lb-blog0001 at 0.2 CNY/h in front of the ingress gateway.

export const blogEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'blog',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'blog',
      'backstage.io/kubernetes-namespace': 'blog',
    },
  },
  spec: { type: 'website', lifecycle: 'production', owner: 'blog-team' },
};

export const tkeBlog: AtlasCluster = {
  name: 'tke-blog',
  source: 'config',
  provider: 'tencent',
  region: 'ap-guangzhou',
  cloudClusterId: 'cls-blog0001',
  status: 'ok',
  collectedAt: '2026-11-21T12:00:00.000Z',
  unavailableKinds: [],
  vpcCni: true,
};

export const saasPrimary: AtlasCluster = {
  name: 'tke-saas-primary',
  source: 'config',
  provider: 'tencent',
  region: 'ap-shanghai',
  cloudClusterId: 'cls-saas0001',
  status: 'ok',
  collectedAt: '2026-11-21T12:00:00.000Z',
  unavailableKinds: [],
};

/** Read once, then unreachable: its old snapshot is still shown. */
export const staleEdge: AtlasCluster = {
  name: 'edge',
  source: 'config',
  provider: 'tencent',
  region: 'ap-guangzhou',
  cloudClusterId: 'cls-edge0001',
  status: 'stale',
  collectedAt: '2026-11-20T12:00:00.000Z',
  error: 'connect ECONNREFUSED 127.0.0.1:6444',
  unavailableKinds: [],
};

/** Never read: the token is refused. */
export const brokenHuawei: AtlasCluster = {
  name: 'huawei-cce',
  source: 'config',
  provider: 'huawei',
  region: 'cn-north-4',
  cloudClusterId: 'cce-0001',
  status: 'error',
  error: 'Unauthorized: the service account token was rejected (401)',
  unavailableKinds: [],
};

export const blogGateway: Gateway = {
  id: 'gateway:tke-blog/istio-system/istio-ingressgateway',
  cluster: 'tke-blog',
  namespace: 'istio-system',
  name: 'istio-ingressgateway',
  kind: 'istio',
  services: [
    {
      cluster: 'tke-blog',
      namespace: 'istio-system',
      name: 'istio-ingressgateway',
      type: 'LoadBalancer',
    },
  ],
  configs: [
    {
      kind: 'Gateway',
      namespace: 'blog',
      name: 'blog-gateway',
      cluster: 'tke-blog',
    },
  ],
  listeners: [],
  controlPlane: 'controlplane:tke-blog/istio-system/1-10-3',
  eastWest: false,
};

export const blogEntry: Entry = {
  id: 'entry:tke-blog/lb-blog0001',
  cluster: 'tke-blog',
  type: 'load-balancer',
  network: 'public',
  networkReason: 'cloud inventory: lb-blog0001 is public',
  addresses: ['198.51.100.11'],
  cloudResourceId: 'lb-blog0001',
  provider: 'tencent',
  gateway: blogGateway.id,
  service: {
    cluster: 'tke-blog',
    namespace: 'istio-system',
    name: 'istio-ingressgateway',
    type: 'LoadBalancer',
  },
  ports: [
    { port: 80, protocol: 'TCP', nodePort: 30080 },
    { port: 443, protocol: 'TCP', nodePort: 30443 },
  ],
  resources: [
    {
      provider: 'tencent',
      kind: 'load-balancer',
      id: 'lb-blog0001',
      network: 'public',
      loadBalancerKind: 'clb',
      chargeType: 'POSTPAID_BY_HOUR',
      region: 'ap-guangzhou',
    },
  ],
  notes: [],
};

export const blogRoute: Route = {
  id: 'route:tke-blog/blog/VirtualService/blog',
  cluster: 'tke-blog',
  namespace: 'blog',
  name: 'blog',
  kind: 'VirtualService',
  hosts: ['blog.example.com'],
  gateways: [blogGateway.id],
  destinations: [
    {
      host: 'blog.blog.svc.cluster.local',
      port: 80,
      service: { cluster: 'tke-blog', namespace: 'blog', name: 'blog' },
    },
  ],
};

export const blogPath: ExposurePath = {
  id: 'path:blog.example.com:entry:tke-blog/lb-blog0001',
  host: 'blog.example.com',
  cluster: 'tke-blog',
  entry: blogEntry.id,
  via: [],
  gateway: blogGateway.id,
  route: blogRoute.id,
  service: {
    cluster: 'tke-blog',
    namespace: 'blog',
    name: 'blog',
    type: 'ClusterIP',
  },
  workload: {
    cluster: 'tke-blog',
    kind: 'Deployment',
    namespace: 'blog',
    name: 'blog',
  },
  entityRefs: ['component:default/blog'],
  network: 'public',
  tls: {
    mode: 'SIMPLE',
    credentialName: 'blog-cert',
    certificateSource: 'secret',
    secretRef: 'istio-system/blog-cert',
    notAfter: '2027-01-05T00:00:00.000Z',
    daysToExpiry: 45,
  },
  monthlyCostShareCny: 144,
};

export const tcmFinding: Finding = {
  id: 'finding:tcm-managed:tke-blog',
  code: 'TCM_MANAGED',
  severity: 'warning',
  message:
    'The mesh of tke-blog is run by TCM, which Tencent Cloud is retiring',
  objects: [
    {
      kind: 'ControlPlane',
      name: '1-10-3',
      namespace: 'istio-system',
      cluster: 'tke-blog',
      id: 'controlplane:tke-blog/istio-system/1-10-3',
    },
  ],
  fix: 'Install a self-managed istiod next to it and move traffic over with a DNS cutover',
  templateRef: 'template:default/migrate-tcm-to-istiod',
  parameters: { cluster: 'tke-blog', meshId: 'mesh-blog0001' },
};

/** The catalog's entity for the template the TCM finding names, as the catalog serves it. */
export const migrateTcmTemplate = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'migrate-tcm-to-istiod',
    namespace: 'default',
    title: 'Migrate from TCM to self-managed Istio',
  },
  spec: {},
};

export const blogCost: Cost = {
  id: 'cost:entry:tke-blog/lb-blog0001',
  entry: blogEntry.id,
  provider: 'tencent',
  state: 'in-use',
  monthlyCny: 144,
  parts: [
    {
      item: 'CLB instance',
      resource: 'lb-blog0001',
      amountCny: 144,
      unitPrice: 0.2,
      unit: 'hour',
      quantity: 720,
      source: 'Tencent Cloud CLB price list',
      date: '2026-11-01',
    },
  ],
  unpriced: [],
  traffic: 'unknown',
};

export const idleClbCost: Cost = {
  id: 'cost:lb-idle0001',
  resource: 'lb-idle0001',
  provider: 'tencent',
  state: 'idle',
  monthlyCny: 144,
  parts: [
    {
      item: 'CLB instance',
      resource: 'lb-idle0001',
      amountCny: 144,
      unitPrice: 0.2,
      unit: 'hour',
      quantity: 720,
      source: 'Tencent Cloud CLB price list',
      date: '2026-11-01',
    },
  ],
  unpriced: [],
  traffic: 'unknown',
};

export const podEipRecommendation: Recommendation = {
  id: 'recommendation:pod-eip:entry:tke-blog/lb-blog0001',
  entry: blogEntry.id,
  title: 'Replace CLB lb-blog0001 with an EIP on the gateway pod',
  savingMonthlyCny: 144,
  caveats: [
    'The EIP moves with the pod only when it is kept across restarts; DNS must follow otherwise.',
  ],
  templateRef: 'template:default/move-gateway-to-pod-eip',
  parameters: {
    cluster: 'tke-blog',
    namespace: 'istio-system',
    gateway: 'istio-ingressgateway',
    loadBalancerId: 'lb-blog0001',
  },
};

export const blogExposure: EntityExposure = {
  entityRef: 'component:default/blog',
  generatedAt: '2026-11-21T12:00:00.000Z',
  paths: [blogPath],
  entries: [blogEntry],
  gateways: [blogGateway],
  routes: [blogRoute],
  findings: [tcmFinding],
  costs: [blogCost],
  recommendations: [podEipRecommendation],
  clusters: [tkeBlog],
};

export const clustersResponse: ClustersResponse = {
  generatedAt: '2026-11-21T12:00:00.000Z',
  clusters: [tkeBlog, saasPrimary, staleEdge, brokenHuawei],
  sourceErrors: [],
};

export const costResponse: CostResponse = {
  summary: {
    totalMonthlyCny: 288,
    idleWasteMonthlyCny: 144,
    potentialSavingMonthlyCny: 144,
    byCluster: { 'tke-blog': 144, unattached: 144 },
    byProvider: { tencent: 288 },
    byEntryType: { 'load-balancer': 144, idle: 144 },
  },
  costs: [blogCost, idleClbCost],
  recommendations: [podEipRecommendation],
};

export const meshTopology: Topology = {
  nodes: [
    {
      id: 'cluster:tke-blog',
      type: 'cluster',
      label: 'tke-blog',
      cluster: 'tke-blog',
      detail: 'tencent',
      resourceRef: 'resource:default/tke-blog',
    },
    {
      id: 'controlplane:tke-blog/istio-system/1-10-3',
      type: 'controlPlane',
      label: 'tcm 1-10-3',
      cluster: 'tke-blog',
      namespace: 'istio-system',
      detail: '1.10.3',
      severity: 'warning',
      findings: 1,
    },
    {
      id: blogGateway.id,
      type: 'gateway',
      label: 'istio-system/istio-ingressgateway',
      cluster: 'tke-blog',
      namespace: 'istio-system',
      detail: 'istio',
      resourceRef:
        'resource:default/tke-blog-istio-system-istio-ingressgateway',
    },
    {
      id: blogEntry.id,
      type: 'entry',
      label: 'load-balancer 198.51.100.11',
      cluster: 'tke-blog',
      detail: 'public',
    },
    {
      id: blogRoute.id,
      type: 'route',
      label: 'blog/blog',
      cluster: 'tke-blog',
      namespace: 'blog',
      detail: 'VirtualService',
    },
    {
      id: 'service:tke-blog/blog/blog',
      type: 'service',
      label: 'blog/blog',
      cluster: 'tke-blog',
      namespace: 'blog',
      entityRefs: ['component:default/blog'],
    },
    {
      id: 'cluster:tke-saas-primary',
      type: 'cluster',
      label: 'tke-saas-primary',
      cluster: 'tke-saas-primary',
      detail: 'tencent',
      resourceRef: 'resource:default/tke-saas-primary',
    },
    {
      id: 'controlplane:tke-saas-primary/istio-system/1-18-5',
      type: 'controlPlane',
      label: 'istiod 1-18-5',
      cluster: 'tke-saas-primary',
      namespace: 'istio-system',
      detail: '1.18.5',
    },
    {
      id: 'cluster:tke-saas-remote',
      type: 'cluster',
      label: 'tke-saas-remote',
      cluster: 'tke-saas-remote',
      detail: 'tencent',
      resourceRef: 'resource:default/tke-saas-remote',
    },
  ],
  edges: [
    {
      id: 'e1',
      source: 'cluster:tke-blog',
      target: 'controlplane:tke-blog/istio-system/1-10-3',
      type: 'hosts',
    },
    {
      id: 'e2',
      source: 'controlplane:tke-blog/istio-system/1-10-3',
      target: blogGateway.id,
      type: 'controls',
    },
    {
      id: 'e3',
      source: blogEntry.id,
      target: blogGateway.id,
      type: 'forwards-to',
    },
    { id: 'e4', source: blogGateway.id, target: blogRoute.id, type: 'serves' },
    {
      id: 'e5',
      source: blogRoute.id,
      target: 'service:tke-blog/blog/blog',
      type: 'routes-to',
    },
    {
      id: 'e6',
      source: 'cluster:tke-saas-primary',
      target: 'controlplane:tke-saas-primary/istio-system/1-18-5',
      type: 'hosts',
    },
    {
      id: 'e7',
      source: 'controlplane:tke-saas-primary/istio-system/1-18-5',
      target: 'cluster:tke-saas-remote',
      type: 'reads',
    },
  ],
};
