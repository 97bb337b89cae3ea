/** One API resource as discovery advertises it. */
export interface ResourceType {
  group: string;
  /** Served versions, preferred first. Objects are stored once and read through any of them. */
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Only served on clusters with VPC-CNI (the TKE network CRDs). */
  vpcCniOnly?: boolean;
  /** Served because of this CustomResourceDefinition (by name), not built in. */
  definedBy?: string;
}

export const VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** A kind of networking.istio.io, as Istio's CRDs serve it. */
function istioNetworking(kind: string, shortName: string): ResourceType {
  const singular = kind.toLowerCase();
  return {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    plural: `${singular}s`,
    singular,
    kind,
    namespaced: true,
    shortNames: [shortName],
    categories: ['istio-io', 'networking-istio-io'],
  };
}

export const RESOURCE_TYPES: ResourceType[] = [
  {
    group: '',
    versions: ['v1'],
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'endpoints',
    singular: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    shortNames: ['ep'],
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    namespaced: true,
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'serviceaccounts',
    singular: 'serviceaccount',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: 'apps',
    versions: ['v1'],
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
  },
  {
    group: 'discovery.k8s.io',
    versions: ['v1'],
    plural: 'endpointslices',
    singular: 'endpointslice',
    kind: 'EndpointSlice',
    namespaced: true,
  },
  // Gateway API kinds, like any others outside Kubernetes and the vendors' add-ons listed here,
  // are served only while their CustomResourceDefinitions are stored (see resourceTypeOfCrd).
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
  },
  // Kinds Backstage's Kubernetes plugin lists for every entity; the estates hold none of them.
  {
    group: '',
    versions: ['v1'],
    plural: 'limitranges',
    singular: 'limitrange',
    kind: 'LimitRange',
    namespaced: true,
    shortNames: ['limits'],
  },
  {
    group: '',
    versions: ['v1'],
    plural: 'resourcequotas',
    singular: 'resourcequota',
    kind: 'ResourceQuota',
    namespaced: true,
    shortNames: ['quota'],
  },
  {
    group: 'apps',
    versions: ['v1'],
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
  },
  {
    group: 'autoscaling',
    versions: ['v2', 'v1'],
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
  },
  {
    group: 'batch',
    versions: ['v1'],
    plural: 'jobs',
    singular: 'job',
    kind: 'Job',
    namespaced: true,
    categories: ['all'],
  },
  {
    group: 'batch',
    versions: ['v1'],
    plural: 'cronjobs',
    singular: 'cronjob',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
  },
  {
    group: 'apps',
    versions: ['v1'],
    plural: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
  },
  {
    group: 'apps',
    versions: ['v1'],
    plural: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
  },
  {
    group: 'networking.k8s.io',
    versions: ['v1'],
    plural: 'ingresses',
    singular: 'ingress',
    kind: 'Ingress',
    namespaced: true,
    shortNames: ['ing'],
  },
  {
    group: 'networking.k8s.io',
    versions: ['v1'],
    plural: 'ingressclasses',
    singular: 'ingressclass',
    kind: 'IngressClass',
    namespaced: false,
  },
  {
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    plural: 'mutatingwebhookconfigurations',
    singular: 'mutatingwebhookconfiguration',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
  },
  {
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    plural: 'validatingwebhookconfigurations',
    singular: 'validatingwebhookconfiguration',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
  },
  istioNetworking('Gateway', 'gw'),
  istioNetworking('VirtualService', 'vs'),
  istioNetworking('DestinationRule', 'dr'),
  {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    plural: 'clusterrolebindings',
    singular: 'clusterrolebinding',
    kind: 'ClusterRoleBinding',
    namespaced: false,
  },
  {
    group: 'install.istio.io',
    versions: ['v1alpha1'],
    plural: 'istiooperators',
    singular: 'istiooperator',
    kind: 'IstioOperator',
    namespaced: true,
    shortNames: ['iop', 'io'],
  },
  {
    group: 'networking.tke.cloud.tencent.com',
    versions: ['v1'],
    plural: 'eipclaims',
    singular: 'eipclaim',
    kind: 'EIPClaim',
    namespaced: true,
    shortNames: ['eipc'],
    vpcCniOnly: true,
  },
];

/**
 * The type a CustomResourceDefinition adds, serving the versions it marks served (most
 * preferred first); undefined when it serves none or misses its names.
 */
export function resourceTypeOfCrd(crd: {
  metadata: { name: string };
  spec?: any;
}): ResourceType | undefined {
  const { group, names, scope, versions } = crd.spec ?? {};
  const served = (Array.isArray(versions) ? versions : [])
    .filter(version => version?.served && typeof version.name === 'string')
    .map(version => version.name as string)
    .sort(compareVersions);
  if (
    typeof group !== 'string' ||
    typeof names?.plural !== 'string' ||
    typeof names.kind !== 'string' ||
    served.length === 0
  ) {
    return undefined;
  }
  return {
    group,
    versions: served,
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    kind: names.kind,
    namespaced: scope !== 'Cluster',
    ...(Array.isArray(names.shortNames)
      ? { shortNames: names.shortNames }
      : {}),
    ...(Array.isArray(names.categories)
      ? { categories: names.categories }
      : {}),
    definedBy: crd.metadata.name,
  };
}

/**
 * Kubernetes' version priority, highest first: GA before beta before alpha, higher numbers
 * first within each (v2, v1, v1beta2, v1beta1, v1alpha1), then other names alphabetically.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string) => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
    if (!match) return undefined;
    const stability = ['alpha', 'beta', undefined].indexOf(match[2]);
    return [stability, Number(match[1]), Number(match[3] ?? 0)];
  };
  const [x, y] = [parse(a), parse(b)];
  if (!x || !y) {
    if (x) return -1;
    return y ? 1 : a.localeCompare(b);
  }
  return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** The resource types one cluster serves. */
export function servedResourceTypes(options: {
  vpcCni: boolean;
}): ResourceType[] {
  return RESOURCE_TYPES.filter(type => !type.vpcCniOnly || options.vpcCni);
}

/** Finds the type of a manifest by its apiVersion and kind (for loading YAML). */
export function resourceTypeOfObject(
  types: ResourceType[],
  apiVersion: string | undefined,
  kind: string | undefined,
): ResourceType | undefined {
  const [group, version] = splitApiVersion(apiVersion ?? '');
  return types.find(
    type =>
      type.group === group &&
      type.kind === kind &&
      type.versions.includes(version),
  );
}

export function splitApiVersion(
  apiVersion: string,
): [group: string, version: string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? ['', apiVersion]
    : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}
