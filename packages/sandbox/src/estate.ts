import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { ClusterAuth } from './kube/router';
import type { KubeObject } from './kube/store';

export type Provider = 'tencent' | 'aliyun' | 'huawei' | 'generic';

export interface NodeSpec {
  /** TKE names nodes after their internal IP; other clouds use host names. */
  name: string;
  internalIp: string;
  externalIp?: string;
  zone?: string;
  instanceType?: string;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
}

/** One cluster of the estate, as described in estates.yaml. */
export interface ClusterSpec {
  name: string;
  port: number;
  provider: Provider;
  region: string;
  cloudClusterId?: string;
  /**
   * The cluster of the estate whose API server holds this one's Istio configuration (on ASM,
   * the ASM instance). The sandbox serves each as it is; the atlas and the actions read it.
   */
  istioConfigCluster?: string;
  /** TKE VPC-CNI: pods get VPC IPs, may hold EIPs, and the EIPClaim CRD is served. */
  vpcCni?: boolean;
  kubernetesVersion?: string;
  podCidr: string;
  serviceCidr: string;
  nodes: NodeSpec[];
  /** Where the `kubernetes` Service's Endpoints point (the managed control plane). */
  apiServer?: { ip: string; port: number };
  /** Fixed pod IPs by `namespace/workload`, handed to its pods in order (as the cloud's records expect them). */
  podIps?: Record<string, string[]>;
  /** Outside Tencent: the address the cloud gives each LoadBalancer Service, by `namespace/name`. */
  loadBalancers?: Record<string, string>;
  /**
   * Huawei CCE: the cluster's subnet, where a shared ELB created for a Service on the VPC only
   * (`kubernetes.io/elb.autocreate` type `inner`) takes its address.
   */
  loadBalancerSubnet?: string;
  tokens?: ClusterAuth['tokens'];
  forbidden?: ClusterAuth['forbidden'];
}

export interface EstateFile {
  /** Applied to every cluster that does not set its own tokens/forbidden. */
  defaults?: { tokens?: string[]; forbidden?: ClusterAuth['forbidden'] };
  control?: { port: number };
  cloud?: {
    port: number;
    /** Relative to the estates folder. */
    seedFile: string;
    credentials: { secretId: string; secretKey: string };
  };
  clusters: ClusterSpec[];
}

export interface LoadedCluster {
  spec: ClusterSpec;
  objects: KubeObject[];
}

export const DEFAULT_TOKEN = 'sandbox-token';

/** Reads estates.yaml and, for each cluster, the manifests in the folder named after it. */
export function loadEstates(
  estatesDir: string,
  only?: string[],
): { file: EstateFile; clusters: LoadedCluster[] } {
  const file = YAML.parse(
    fs.readFileSync(path.join(estatesDir, 'estates.yaml'), 'utf8'),
  ) as EstateFile;
  if (!Array.isArray(file?.clusters)) {
    throw new Error(
      `${path.join(estatesDir, 'estates.yaml')} has no "clusters" list`,
    );
  }
  const unknown =
    only?.filter(name => !file.clusters.some(c => c.name === name)) ?? [];
  if (unknown.length) {
    throw new Error(
      `Unknown cluster(s) ${unknown.join(
        ', ',
      )}; estates.yaml has ${file.clusters.map(c => c.name).join(', ')}`,
    );
  }
  const clusters = file.clusters
    .filter(spec => !only || only.includes(spec.name))
    .map(spec => ({
      spec: {
        ...spec,
        tokens: spec.tokens ?? file.defaults?.tokens ?? [DEFAULT_TOKEN],
        forbidden: spec.forbidden ?? file.defaults?.forbidden,
      },
      objects: readManifests(path.join(estatesDir, spec.name)),
    }));
  return { file, clusters };
}

/** All objects of the .yaml files in a folder (multi-document files and `List`s included), in file order. */
export function readManifests(dir: string): KubeObject[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .flatMap(name => {
      const file = path.join(dir, name);
      return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).flatMap(
        document => {
          if (document.errors.length) {
            throw new Error(`${file}: ${document.errors[0].message}`);
          }
          const object = document.toJS();
          if (!object) return [];
          return object.kind === 'List' ? object.items : [object];
        },
      );
    });
}

/** What every cluster has before anything is installed: system namespaces, nodes, the API Service. */
/**
 * A node as its kubelet registers it: labels, taints and a Ready status with addresses,
 * capacity (generous and the same on every node; the estates do not describe it; VPC-CNI
 * nodes advertise the ENI IPs TKE's device plugin would) and node info. `at` is the heartbeat.
 */
export function nodeObject(
  spec: ClusterSpec,
  node: NodeSpec,
  at = new Date().toISOString(),
): KubeObject {
  const capacity: Record<string, string> = {
    cpu: '16',
    memory: '64Gi',
    pods: '110',
    'ephemeral-storage': '100Gi',
    // TKE's device plugin publishes what the node's ENIs hold; the EIPs they may carry too.
    ...(spec.provider === 'tencent' && spec.vpcCni
      ? {
          'tke.cloud.tencent.com/eni-ip': '30',
          'tke.cloud.tencent.com/eip': '30',
        }
      : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/region': spec.region,
        ...(node.zone ? { 'topology.kubernetes.io/zone': node.zone } : {}),
        ...(node.instanceType
          ? { 'node.kubernetes.io/instance-type': node.instanceType }
          : {}),
        ...node.labels,
      },
    },
    spec: { ...(node.taints ? { taints: node.taints } : {}) },
    status: {
      addresses: [
        { type: 'InternalIP', address: node.internalIp },
        ...(node.externalIp
          ? [{ type: 'ExternalIP', address: node.externalIp }]
          : []),
        { type: 'Hostname', address: node.name },
      ],
      capacity,
      allocatable: capacity,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: at,
          lastTransitionTime: at,
        },
      ],
      nodeInfo: {
        kubeletVersion: spec.kubernetesVersion ?? 'v1.30.0',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: '',
        osImage: '',
        containerRuntimeVersion: '',
      },
    },
  };
}

export function clusterBasics(spec: ClusterSpec): KubeObject[] {
  const namespaces = [
    'default',
    'kube-system',
    'kube-public',
    'kube-node-lease',
  ].map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  }));
  const nodes = spec.nodes.map(node => nodeObject(spec, node));
  const apiServerIp = firstHost(spec.serviceCidr);
  const kubernetesService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: apiServerIp,
      clusterIPs: [apiServerIp],
      ports: [
        {
          name: 'https',
          port: 443,
          protocol: 'TCP',
          targetPort: spec.apiServer?.port ?? 6443,
        },
      ],
      sessionAffinity: 'None',
    },
  };
  const kubernetesEndpoints = spec.apiServer && {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [
      {
        addresses: [{ ip: spec.apiServer.ip }],
        ports: [{ name: 'https', port: spec.apiServer.port, protocol: 'TCP' }],
      },
    ],
  };
  return [
    ...namespaces,
    ...nodes,
    kubernetesService,
    ...(kubernetesEndpoints ? [kubernetesEndpoints] : []),
  ];
}

function firstHost(cidr: string): string {
  const [base] = cidr.split('/');
  const parts = base.split('.').map(Number);
  parts[3] += 1;
  return parts.join('.');
}
