import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import { TKE, installerOf } from '@ingress-atlas/plugin-ingress-atlas-common';

/** Served by every Istio from 1.5 on; `v1` only from 1.22. */
export const ISTIO_NETWORKING = 'networking.istio.io/v1beta1';
export const ISTIO_OPERATOR = 'install.istio.io/v1alpha1';
export const ISTIO_NAMESPACE = 'istio-system';
export const EAST_WEST_LABEL = { istio: 'eastwestgateway' };
export const EAST_WEST_GATEWAY = 'istio-eastwestgateway';
/** The network a cluster's (or a gateway's) workloads are on. */
export const NETWORK_LABEL = 'topology.istio.io/network';
/** On a remote's istio-system: the primary cluster whose istiod manages it. */
export const CONTROL_PLANE_CLUSTERS_ANNOTATION =
  'topology.istio.io/controlPlaneClusters';
/** The ingress gateway the default profile installs, behind a public LoadBalancer Service. */
export const DEFAULT_INGRESS_GATEWAY = 'istio-ingressgateway';

export interface MeshIdentity {
  meshId: string;
  /** The cluster's name inside the mesh (on TKE, its cluster id). */
  clusterName: string;
  network: string;
  /** Control-plane revision, e.g. 1-18-5; unset for the default revision. */
  revision?: string;
  /** Istio version tag of the images, e.g. 1.18.5. */
  tag?: string;
  hub?: string;
}

/** Where the east-west gateway's internal CLB comes from on TKE: a subnet, or an existing CLB. */
export interface InternalLoadBalancer {
  subnetId?: string;
  loadBalancerId?: string;
}

function operator(
  name: string,
  identity: Pick<MeshIdentity, 'revision' | 'tag' | 'hub'>,
  spec: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: ISTIO_OPERATOR,
    kind: 'IstioOperator',
    metadata: { name, namespace: ISTIO_NAMESPACE },
    spec: {
      ...(identity.revision && { revision: identity.revision }),
      ...(identity.hub && { hub: identity.hub }),
      ...(identity.tag && { tag: identity.tag }),
      ...spec,
    },
  };
}

/**
 * The name `istioctl install` stores the IstioOperator of a revision under in istio-system:
 * the cluster holds one per revision, where istioctl, its upgrades and the atlas look for it.
 */
export function installedStateName(revision?: string): string {
  return revision ? `installed-state-${revision}` : 'installed-state';
}

/**
 * A primary control plane that also serves remote clusters (istiod reached through the
 * east-west gateway), as one IstioOperator: `istioctl install` stores one per revision
 * (`installed-state[-<rev>]`) and reconciles the cluster to it, so istiod and its east-west
 * gateway are installed, upgraded and pruned together. The default profile's
 * `istio-ingressgateway` is turned off: it comes with a public CLB, the very cost a move to pod
 * EIPs or a host-network gateway removes.
 */
export function primaryOperator(
  identity: MeshIdentity,
  lb: InternalLoadBalancer,
): KubeObject {
  const serviceAnnotations = {
    ...(lb.loadBalancerId && { [TKE.existedLbId]: lb.loadBalancerId }),
    ...(lb.subnetId && { [TKE.internalSubnetId]: lb.subnetId }),
  };
  return operator(installedStateName(identity.revision), identity, {
    profile: 'default',
    components: {
      pilot: { enabled: true },
      ingressGateways: [
        { name: DEFAULT_INGRESS_GATEWAY, enabled: false },
        {
          name: EAST_WEST_GATEWAY,
          enabled: true,
          label: {
            ...EAST_WEST_LABEL,
            app: EAST_WEST_GATEWAY,
            [NETWORK_LABEL]: identity.network,
          },
          k8s: {
            env: [
              {
                name: 'ISTIO_META_REQUESTED_NETWORK_VIEW',
                value: identity.network,
              },
            ],
            serviceAnnotations,
            service: {
              ports: [
                { name: 'status-port', port: 15021, targetPort: 15021 },
                { name: 'tls', port: 15443, targetPort: 15443 },
                { name: 'tls-istiod', port: 15012, targetPort: 15012 },
                { name: 'tls-webhook', port: 15017, targetPort: 15017 },
              ],
            },
          },
        },
      ],
    },
    values: {
      global: {
        meshID: identity.meshId,
        multiCluster: { clusterName: identity.clusterName },
        network: identity.network,
        externalIstiod: true,
      },
      // Releases before 1.19 read the env var; later ones derive it from global.externalIstiod.
      pilot: { env: { EXTERNAL_ISTIOD: true } },
      gateways: { 'istio-ingressgateway': { injectionTemplate: 'gateway' } },
    },
  });
}

/** istiod's discovery (15012) and webhook (15017) ports, passed through the east-west gateway. */
export function exposeIstiod(revision?: string): KubeObject[] {
  const istiod = `${
    revision ? `istiod-${revision}` : 'istiod'
  }.${ISTIO_NAMESPACE}.svc.cluster.local`;
  const server = (name: string, number: number) => ({
    port: { name, number, protocol: 'tls' },
    tls: { mode: 'PASSTHROUGH' },
    hosts: ['*'],
  });
  const route = (port: number, targetPort: number) => ({
    match: [{ port, sniHosts: ['*'] }],
    route: [{ destination: { host: istiod, port: { number: targetPort } } }],
  });
  return [
    {
      apiVersion: ISTIO_NETWORKING,
      kind: 'Gateway',
      metadata: { name: 'istiod-gateway', namespace: ISTIO_NAMESPACE },
      spec: {
        selector: EAST_WEST_LABEL,
        servers: [
          server('tls-istiod', 15012),
          server('tls-istiodwebhook', 15017),
        ],
      },
    },
    {
      apiVersion: ISTIO_NETWORKING,
      kind: 'VirtualService',
      metadata: { name: 'istiod-vs', namespace: ISTIO_NAMESPACE },
      spec: {
        hosts: ['*'],
        gateways: ['istiod-gateway'],
        tls: [route(15012, 15012), route(15017, 443)],
      },
    },
  ];
}

/** Services of this network, reachable from other networks by SNI (mTLS end to end). */
export function exposeServices(): KubeObject {
  return {
    apiVersion: ISTIO_NETWORKING,
    kind: 'Gateway',
    metadata: { name: 'cross-network-gateway', namespace: ISTIO_NAMESPACE },
    spec: {
      selector: EAST_WEST_LABEL,
      servers: [
        {
          port: { number: 15443, name: 'tls', protocol: 'TLS' },
          tls: { mode: 'AUTO_PASSTHROUGH' },
          hosts: ['*.local'],
        },
      ],
    },
  };
}

/**
 * A member cluster without istiod: its proxies and webhook use the primary's, through the
 * east-west gateway. The injection path names the member's cluster and network, so that the
 * primary's injector gives the member's pods their own cluster id and network (Istio's
 * "primary-remote on different networks" install).
 */
export function remoteOperator(
  identity: MeshIdentity & { remotePilotAddress: string },
): KubeObject {
  return operator('remote', identity, {
    profile: 'remote',
    values: {
      istiodRemote: {
        injectionPath: `/inject/cluster/${identity.clusterName}/net/${identity.network}`,
      },
      global: {
        meshID: identity.meshId,
        multiCluster: { clusterName: identity.clusterName },
        network: identity.network,
        remotePilotAddress: identity.remotePilotAddress,
      },
    },
  });
}

/**
 * The istio-system namespace as Istio's multi-network installs want it: labelled with the
 * cluster's network, and on a remote annotated with the primary that manages it.
 */
export function istioNamespace(options: {
  network: string;
  primaryClusterName?: string;
}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ISTIO_NAMESPACE,
      labels: { [NETWORK_LABEL]: options.network },
      ...(options.primaryClusterName && {
        annotations: {
          [CONTROL_PLANE_CLUSTERS_ANNOTATION]: options.primaryClusterName,
        },
      }),
    },
  };
}

export const REMOTE_SECRET_LABEL = 'istio/multiCluster';
export const REMOTE_SECRET_CLUSTER_ANNOTATION = 'networking.istio.io/cluster';

/**
 * What `istioctl create-remote-secret` makes: a Secret in the primary holding a kubeconfig for
 * the member cluster. Holds a token: never log, output or diff its data.
 */
export function remoteSecret(options: {
  clusterName: string;
  server: string;
  caData?: string;
  token: string;
  insecureSkipTlsVerify?: boolean;
}): KubeObject {
  const { clusterName } = options;
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: clusterName,
        cluster: {
          server: options.server,
          ...(options.caData && {
            'certificate-authority-data': options.caData,
          }),
          ...(options.insecureSkipTlsVerify && {
            'insecure-skip-tls-verify': true,
          }),
        },
      },
    ],
    contexts: [
      {
        name: clusterName,
        context: { cluster: clusterName, user: clusterName },
      },
    ],
    'current-context': clusterName,
    users: [{ name: clusterName, user: { token: options.token } }],
    preferences: {},
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: `istio-remote-secret-${clusterName}`,
      namespace: ISTIO_NAMESPACE,
      labels: { [REMOTE_SECRET_LABEL]: 'true' },
      annotations: { [REMOTE_SECRET_CLUSTER_ANNOTATION]: clusterName },
    },
    data: {
      [clusterName]: Buffer.from(stringify(kubeconfig), 'utf8').toString(
        'base64',
      ),
    },
  };
}

export const INSTALLER_LABEL = 'ingress-atlas.io/installer';
const INSTALLER_FILE = 'istio-operator.yaml';
const INSTALLER_DIR = '/etc/istio-installer';

/**
 * What installs an IstioOperator on a cluster now that Istio's in-cluster operator is gone
 * (removed in 1.24; an IstioOperator object alone installs nothing): a Job running `istioctl
 * install` of the requested version with the operator from a ConfigMap. Named after a hash of
 * the operator, so a changed operator runs a new Job (a Job's template cannot change) and an
 * unchanged one is left alone. istioctl needs cluster-wide rights (CRDs, webhooks, RBAC).
 */
export function installerObjects(options: {
  operator: KubeObject;
  tag: string;
  hub?: string;
  labels: Record<string, string>;
}): KubeObject[] {
  const { operator: iop, tag, labels } = options;
  const hub = options.hub ?? 'docker.io/istio';
  const content = stringify(iop);
  const revision = iop.spec?.revision ?? 'default';
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 8);
  const name = `istio-install-${revision}-${hash}`;
  const account = 'istio-installer';
  const installerLabels = { ...labels, [INSTALLER_LABEL]: 'istioctl' };
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: account, namespace: ISTIO_NAMESPACE, labels },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${account}-${ISTIO_NAMESPACE}`, labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'cluster-admin',
      },
      subjects: [
        { kind: 'ServiceAccount', name: account, namespace: ISTIO_NAMESPACE },
      ],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: ISTIO_NAMESPACE, labels },
      data: { [INSTALLER_FILE]: content },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: ISTIO_NAMESPACE, labels: installerLabels },
      spec: {
        backoffLimit: 2,
        ttlSecondsAfterFinished: 7 * 24 * 3600,
        template: {
          metadata: { labels: installerLabels },
          spec: {
            serviceAccountName: account,
            restartPolicy: 'Never',
            containers: [
              {
                name: 'istioctl',
                image: `${hub}/istioctl:${tag}`,
                args: [
                  'install',
                  '-y',
                  '-f',
                  `${INSTALLER_DIR}/${INSTALLER_FILE}`,
                ],
                volumeMounts: [{ name: 'operator', mountPath: INSTALLER_DIR }],
              },
            ],
            volumes: [{ name: 'operator', configMap: { name } }],
          },
        },
      },
    },
  ];
}

/**
 * What puts a gateway object back after an action changed or retired it: its installer, at its
 * next install or upgrade (the Deployment behind a LoadBalancer Service, so a CLB that bills
 * again). Undefined when no installer marked it (applied by hand, or by a GitOps tool).
 */
export function reinstallWarning(object: KubeObject): string | undefined {
  const { namespace, name, labels = {} } = object.metadata ?? {};
  const what = `${object.kind} ${namespace}/${name}`;
  switch (installerOf(object.metadata ?? {})) {
    case 'tcm':
      return `TCM installed ${what} and may put it back as it was: remove the gateway from the mesh's TCM configuration, or move the mesh off TCM`;
    case 'asm':
      return `ASM installed ${what} from an IstioGateway of the ASM instance, and puts it back as that IstioGateway declares: make the same change there`;
    case 'istioctl':
      return `istioctl installed ${what} from an IstioOperator (${labels['install.operator.istio.io/owning-resource']}): its next istioctl install or upgrade puts it back as it was; make the same change in the IstioOperator (or disable the gateway there: components.ingressGateways[].enabled: false)`;
    case 'helm':
      return `Helm installed ${what} (release ${
        labels['app.kubernetes.io/instance'] ?? 'unknown'
      }): its next helm upgrade puts it back as it was; make the same change in the release's values`;
    default:
      return undefined;
  }
}
