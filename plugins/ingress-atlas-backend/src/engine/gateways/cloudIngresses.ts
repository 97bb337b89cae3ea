import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import { CCE, CloudProvider } from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from '../kube/ClusterObjects';
import { elbAutocreateNetwork, Reach } from '../classify/loadBalancers';

/**
 * A cloud's Ingress controller, which runs outside the cluster and creates a load balancer for
 * an Ingress (or, for Aliyun's ALB, for each AlbConfig shared by an IngressClass).
 */
export interface CloudIngressController {
  name: string;
  provider: CloudProvider;
  /** clb, alb, elb... */
  loadBalancerKind: string;
  /** The key of the load balancer an Ingress gets: Ingresses with the same key share one. */
  loadBalancerKey(ingress: KubeObject, ingressClass: string): string;
  reach(
    ingress: KubeObject,
    objects: ClusterObjects,
    ingressClass?: KubeObject,
  ): Reach;
}

const annotation = (ingress: KubeObject, key: string) =>
  ingress.metadata.annotations?.[key];

const perIngress = (ingress: KubeObject) =>
  `${ingress.metadata.namespace ?? 'default'}/${ingress.metadata.name}`;

/** TKE's l7-lb-controller: a CLB per Ingress, public unless a subnet is given. */
const tke: CloudIngressController = {
  name: "TKE's Ingress controller (qcloud)",
  provider: 'tencent',
  loadBalancerKind: 'clb',
  loadBalancerKey: perIngress,
  reach: ingress => {
    const subnet = annotation(ingress, 'kubernetes.io/ingress.subnetId');
    if (subnet) {
      return {
        network: 'internal',
        reason: `annotation kubernetes.io/ingress.subnetId: ${subnet}`,
      };
    }
    const existing = annotation(ingress, 'kubernetes.io/ingress.existLbId');
    if (existing) {
      return {
        network: 'unknown',
        reason: `existing load balancer ${existing} (kubernetes.io/ingress.existLbId), no cloud inventory`,
      };
    }
    return {
      network: 'public',
      reason:
        "default: TKE's Ingress controller creates a public CLB unless kubernetes.io/ingress.subnetId is set",
    };
  },
};

/** Aliyun's ALB Ingress controller: the IngressClass's AlbConfig decides, Internet by default. */
const aliyunAlb: CloudIngressController = {
  name: "Aliyun's ALB Ingress controller",
  provider: 'aliyun',
  loadBalancerKind: 'alb',
  loadBalancerKey: (_, ingressClass) => `class/${ingressClass}`,
  reach: (_, objects, ingressClass) => {
    const parameters = ingressClass?.spec?.parameters;
    const albConfig =
      parameters?.kind === 'AlbConfig'
        ? objects.get('albConfigs', undefined, parameters.name)
        : undefined;
    if (!albConfig) {
      return {
        network: 'unknown',
        reason: `AlbConfig ${
          parameters?.name ?? '(not named by an IngressClass)'
        } not in the input`,
      };
    }
    const config = albConfig.spec?.config ?? {};
    if (config.id) {
      return {
        network: 'unknown',
        reason: `existing load balancer ${config.id} (AlbConfig ${albConfig.metadata.name}), no cloud inventory`,
      };
    }
    const addressType = config.addressType ?? 'Internet';
    return {
      network: /^intranet$/i.test(addressType) ? 'internal' : 'public',
      reason: config.addressType
        ? `AlbConfig ${albConfig.metadata.name} addressType: ${addressType}`
        : `default: AlbConfig ${albConfig.metadata.name} has no addressType, which means Internet`,
    };
  },
};

/** Huawei CCE's ELB Ingress: an existing ELB by id, or one created with it. */
const huaweiElb: CloudIngressController = {
  name: "CCE's ELB Ingress controller",
  provider: 'huawei',
  loadBalancerKind: 'elb',
  loadBalancerKey: ingress =>
    annotation(ingress, CCE.elbId) ?? perIngress(ingress),
  reach: ingress => {
    const autocreate = annotation(ingress, CCE.elbAutocreate) ?? '';
    const network = elbAutocreateNetwork(autocreate);
    if (network) {
      return {
        network,
        reason: `annotation ${CCE.elbAutocreate}: ${autocreate}`,
      };
    }
    const id = annotation(ingress, CCE.elbId);
    return {
      network: 'unknown',
      reason: id
        ? `existing load balancer ${id} (kubernetes.io/elb.id), no cloud inventory`
        : 'neither kubernetes.io/elb.id nor kubernetes.io/elb.autocreate is set',
    };
  },
};

/** The AWS load balancer controller: an ALB per Ingress (or group), internal by default. */
const awsAlb: CloudIngressController = {
  name: 'the AWS load balancer controller',
  provider: 'generic',
  loadBalancerKind: 'alb',
  loadBalancerKey: ingress => {
    const group = annotation(ingress, 'alb.ingress.kubernetes.io/group.name');
    return group ? `group/${group}` : perIngress(ingress);
  },
  reach: ingress => {
    const scheme = annotation(ingress, 'alb.ingress.kubernetes.io/scheme');
    if (scheme === 'internal' || scheme === 'internet-facing') {
      return {
        network: scheme === 'internal' ? 'internal' : 'public',
        reason: `annotation alb.ingress.kubernetes.io/scheme: ${scheme}`,
      };
    }
    return {
      network: 'internal',
      reason:
        'default: the AWS load balancer controller creates internal ALBs unless alb.ingress.kubernetes.io/scheme is internet-facing',
    };
  },
};

/** GKE's Ingress controller: an external Application Load Balancer, or internal for gce-internal. */
const gke: CloudIngressController = {
  name: "GKE's Ingress controller",
  provider: 'generic',
  loadBalancerKind: 'alb',
  loadBalancerKey: perIngress,
  reach: (_, __, ___) => ({
    network: 'public',
    reason: 'class gce: GKE creates an external Application Load Balancer',
  }),
};

const gkeInternal: CloudIngressController = {
  ...gke,
  reach: () => ({
    network: 'internal',
    reason:
      'class gce-internal: GKE creates an internal Application Load Balancer',
  }),
};

/** IngressClass `spec.controller` values of cloud controllers. */
const BY_CONTROLLER: Record<string, CloudIngressController> = {
  'ingress.k8s.alibabacloud/alb': aliyunAlb,
  'ingress.k8s.aws/alb': awsAlb,
};

/**
 * The cloud controller serving an Ingress of `ingressClass`, from its IngressClass's controller,
 * else from the class name these controllers are known by (`kubernetes.io/ingress.class`
 * annotations predate IngressClass objects); `alb` is Aliyun's on Aliyun, else AWS's.
 */
export function cloudIngressController(
  ingressClass: string | undefined,
  classObject: KubeObject | undefined,
  provider: CloudProvider,
): CloudIngressController | undefined {
  const byController = BY_CONTROLLER[classObject?.spec?.controller ?? ''];
  if (byController) return byController;
  switch (ingressClass) {
    case 'qcloud':
      return tke;
    case 'cce':
      return huaweiElb;
    case 'gce':
      return gke;
    case 'gce-internal':
      return gkeInternal;
    case 'alb':
      return provider === 'aliyun' ? aliyunAlb : awsAlb;
    case undefined:
      // TKE's controller serves Ingresses that name no class.
      return provider === 'tencent' ? tke : undefined;
    default:
      return undefined;
  }
}
