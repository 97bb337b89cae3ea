import type { ResourceType } from './resources';
import type { KubeObject } from './store';

/** Where the pod spec of a template sits below `spec`. */
const TEMPLATE_PATHS: Record<string, string[]> = {
  'apps/Deployment': ['template', 'spec'],
  'apps/StatefulSet': ['template', 'spec'],
  'apps/DaemonSet': ['template', 'spec'],
  'apps/ReplicaSet': ['template', 'spec'],
  'batch/Job': ['template', 'spec'],
  'batch/CronJob': ['jobTemplate', 'spec', 'template', 'spec'],
};

/**
 * The defaults kube-apiserver fills in on every write (the `SetDefaults_*` functions of
 * k8s.io/kubernetes pkg/apis/core/v1 and discovery/v1), for pods, pod templates, Services,
 * Endpoints and EndpointSlices. Only fields left unset are filled; what a client wrote stays.
 * Defaults that admission plugins add (service account token volume, tolerations, priority)
 * are not among them.
 */
export function withDefaults(
  type: ResourceType,
  object: KubeObject,
): KubeObject {
  const kind = `${type.group}/${type.kind}`;
  if (kind === '/Endpoints' && Array.isArray(object.subsets)) {
    const subsets = structuredClone(object.subsets);
    for (const subset of list(subsets)) {
      list(subset.ports).forEach(port => fill(port, 'protocol', 'TCP'));
    }
    return { ...object, subsets };
  }
  if (
    kind === 'discovery.k8s.io/EndpointSlice' &&
    Array.isArray(object.ports)
  ) {
    const ports = structuredClone(object.ports);
    for (const port of list(ports)) {
      fill(port, 'name', '');
      fill(port, 'protocol', 'TCP');
    }
    return { ...object, ports };
  }
  const path = kind === '/Pod' ? [] : TEMPLATE_PATHS[kind];
  if (!path && kind !== '/Service') {
    return object;
  }
  const spec = structuredClone(object.spec);
  if (!isMap(spec)) {
    return object;
  }
  if (kind === '/Service') {
    defaultService(spec);
  } else {
    const podSpec = path!.reduce<any>((at, key) => at?.[key], spec);
    if (isMap(podSpec)) {
      defaultPodSpec(podSpec);
      if (kind === '/Pod') defaultPodOnly(podSpec);
    }
  }
  return { ...object, spec };
}

function defaultPodSpec(spec: Record<string, any>) {
  fill(spec, 'dnsPolicy', 'ClusterFirst');
  fill(spec, 'restartPolicy', 'Always');
  fill(spec, 'schedulerName', 'default-scheduler');
  fill(spec, 'terminationGracePeriodSeconds', 30);
  fill(spec, 'securityContext', {});
  for (const container of containersOf(spec)) {
    fill(container, 'imagePullPolicy', pullPolicyOf(container.image));
    fill(container, 'terminationMessagePath', '/dev/termination-log');
    fill(container, 'terminationMessagePolicy', 'File');
    list(container.ports).forEach(port => fill(port, 'protocol', 'TCP'));
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      defaultProbe(container[probe]);
    }
  }
  for (const volume of list(spec.volumes)) {
    for (const source of ['configMap', 'secret', 'projected', 'downwardAPI']) {
      if (isMap(volume[source])) fill(volume[source], 'defaultMode', 0o644);
    }
  }
}

/** Pods only, not templates: requests default to limits, service links, host ports on the host network. */
function defaultPodOnly(spec: Record<string, any>) {
  for (const container of containersOf(spec)) {
    const { resources } = container;
    if (isMap(resources) && isMap(resources.limits)) {
      const requests = isMap(resources.requests) ? resources.requests : {};
      for (const [name, quantity] of Object.entries(resources.limits)) {
        if (!(name in requests)) requests[name] = quantity;
      }
      resources.requests = requests;
    }
    if (spec.hostNetwork === true) {
      list(container.ports).forEach(port => {
        if (!port.hostPort) port.hostPort = port.containerPort;
      });
    }
  }
  fill(spec, 'enableServiceLinks', true);
}

function defaultProbe(probe: unknown) {
  if (!isMap(probe)) return;
  fill(probe, 'timeoutSeconds', 1);
  fill(probe, 'periodSeconds', 10);
  fill(probe, 'successThreshold', 1);
  fill(probe, 'failureThreshold', 3);
  if (isMap(probe.httpGet)) {
    fill(probe.httpGet, 'path', '/');
    fill(probe.httpGet, 'scheme', 'HTTP');
  }
}

function defaultService(spec: Record<string, any>) {
  fill(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'ClientIP') {
    fill(spec, 'sessionAffinityConfig', {});
    if (isMap(spec.sessionAffinityConfig)) {
      fill(spec.sessionAffinityConfig, 'clientIP', {});
      if (isMap(spec.sessionAffinityConfig.clientIP)) {
        fill(spec.sessionAffinityConfig.clientIP, 'timeoutSeconds', 10800);
      }
    }
  }
  fill(spec, 'type', 'ClusterIP');
  for (const port of list(spec.ports)) {
    fill(port, 'protocol', 'TCP');
    if (!port.targetPort) port.targetPort = port.port;
  }
  const { type } = spec;
  const externallyAccessible =
    type === 'NodePort' ||
    type === 'LoadBalancer' ||
    (type === 'ClusterIP' &&
      Array.isArray(spec.externalIPs) &&
      spec.externalIPs.length > 0);
  if (externallyAccessible) fill(spec, 'externalTrafficPolicy', 'Cluster');
  if (['ClusterIP', 'NodePort', 'LoadBalancer'].includes(type)) {
    fill(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (type === 'LoadBalancer')
    fill(spec, 'allocateLoadBalancerNodePorts', true);
}

/** Always for `:latest` or no tag, else IfNotPresent (also for a digest without a tag). */
function pullPolicyOf(image: unknown): string {
  if (typeof image !== 'string' || !image) return 'IfNotPresent';
  const [name, digest] = image.split('@');
  const colon = name.lastIndexOf(':');
  let tag = digest ? '' : 'latest';
  if (colon > name.lastIndexOf('/')) tag = name.slice(colon + 1);
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function containersOf(spec: Record<string, any>): Array<Record<string, any>> {
  return [...list(spec.initContainers), ...list(spec.containers)];
}

/** The maps of a list; anything malformed is left for the reader to find. */
function list(value: unknown): Array<Record<string, any>> {
  return Array.isArray(value) ? value.filter(isMap) : [];
}

/** Sets a field that is unset: missing, null or, as for Go's strings, empty. */
function fill(object: Record<string, any>, key: string, value: unknown) {
  if (object[key] === undefined || object[key] === null || object[key] === '') {
    object[key] = value;
  }
}

function isMap(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
