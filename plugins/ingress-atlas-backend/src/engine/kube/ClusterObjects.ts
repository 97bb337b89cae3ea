import {
  ClusterInventory,
  CollectedKind,
  KubeObject,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  WorkloadSummary,
  matchesLabelSelector,
  matchesSelector,
} from '@ingress-atlas/plugin-ingress-atlas-common';

export interface Workload {
  kind: WorkloadSummary['kind'];
  name: string;
  namespace: string;
  object: KubeObject;
  labels: Record<string, string>;
  /** Labels and annotations of the pods it creates. */
  templateLabels: Record<string, string>;
  templateAnnotations: Record<string, string>;
  podSpec: any;
  pods: KubeObject[];
  replicas: number;
}

const WORKLOAD_KINDS = [
  ['deployments', 'Deployment'],
  ['statefulsets', 'StatefulSet'],
  ['daemonsets', 'DaemonSet'],
] as const;

const SERVICE_SUFFIX = /\.svc(\.cluster\.local)?\.?$/;

/** One cluster's inventory, indexed for the questions the engine asks of it. */
export class ClusterObjects {
  readonly name: string;
  readonly workloads: Workload[];
  readonly #byKey = new Map<string, KubeObject>();
  /** The workloads whose pods carry a label, by `key=value`, in the order of `workloads`. */
  readonly #byLabel = new Map<string, Workload[]>();

  constructor(readonly inventory: ClusterInventory) {
    this.name = inventory.cluster.name;
    for (const [kind, objects] of Object.entries(inventory.objects)) {
      for (const object of objects ?? []) {
        this.#byKey.set(
          key(kind, object.metadata.namespace, object.metadata.name),
          object,
        );
      }
    }
    this.workloads = this.#buildWorkloads();
    for (const workload of this.workloads) {
      for (const [label, value] of Object.entries(workload.templateLabels)) {
        const id = `${label}=${value}`;
        const list = this.#byLabel.get(id);
        if (list) list.push(workload);
        else this.#byLabel.set(id, [workload]);
      }
    }
  }

  list(kind: CollectedKind): KubeObject[] {
    return this.inventory.objects[kind] ?? [];
  }

  get(
    kind: CollectedKind,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.#byKey.get(key(kind, namespace, name));
  }

  /** Workloads whose pods carry every label of `selector`, in any namespace (Istio Gateway selectors). */
  workloadsMatching(
    selector: Record<string, string> | undefined,
    namespace?: string,
  ): Workload[] {
    // Only the workloads carrying one of the selector's labels can match.
    const [first] = Object.entries(selector ?? {});
    if (!first) return [];
    return (this.#byLabel.get(`${first[0]}=${first[1]}`) ?? []).filter(
      w =>
        (!namespace || w.namespace === namespace) &&
        matchesSelector(selector, w.templateLabels),
    );
  }

  workloadsSelectedBy(service: KubeObject): Workload[] {
    return this.workloadsMatching(
      service.spec?.selector,
      service.metadata.namespace,
    );
  }

  servicesSelecting(workload: Workload): KubeObject[] {
    return this.list('services').filter(
      s =>
        s.metadata.namespace === workload.namespace &&
        matchesSelector(s.spec?.selector, workload.templateLabels),
    );
  }

  workload(
    kind: string,
    namespace: string,
    name: string,
  ): Workload | undefined {
    return this.workloads.find(
      w => w.kind === kind && w.namespace === namespace && w.name === name,
    );
  }

  /**
   * Resolves an in-cluster host name as a proxy would: `svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`
   * (relative to `fromNamespace`), or a Service's cluster IP.
   */
  serviceByHost(host: string, fromNamespace?: string): KubeObject | undefined {
    const bare = host.replace(SERVICE_SUFFIX, '');
    const [name, namespace, ...rest] = bare.split('.');
    if (rest.length === 0) {
      const found = this.get(
        'services',
        namespace ?? fromNamespace ?? 'default',
        name,
      );
      if (found) return found;
    }
    return this.list('services').find(
      s =>
        s.spec?.clusterIP === host || (s.spec?.clusterIPs ?? []).includes(host),
    );
  }

  node(name: string | undefined): KubeObject | undefined {
    return name ? this.get('nodes', undefined, name) : undefined;
  }

  /** Nodes a workload's pods run on, or could run on when no pods were read (manifests). */
  nodesOf(workload: Workload): KubeObject[] {
    const scheduled = workload.pods
      .map(p => this.node(p.spec?.nodeName))
      .filter((n): n is KubeObject => !!n);
    if (scheduled.length > 0) return unique(scheduled);
    if (workload.pods.length > 0) return [];
    const nodeSelector = workload.podSpec?.nodeSelector;
    return this.list('nodes').filter(
      n =>
        !nodeSelector ||
        Object.keys(nodeSelector).length === 0 ||
        matchesSelector(nodeSelector, n.metadata.labels),
    );
  }

  #buildWorkloads(): Workload[] {
    const pods = this.list('pods');
    const claimed = new Set<KubeObject>();
    const workloads: Workload[] = [];
    for (const [kind, typeName] of WORKLOAD_KINDS) {
      for (const object of this.list(kind)) {
        const namespace = object.metadata.namespace ?? 'default';
        const owned = pods.filter(
          p =>
            p.metadata.namespace === namespace &&
            !claimed.has(p) &&
            ownedBy(p, typeName, object) &&
            (matchesLabelSelector(object.spec?.selector, p.metadata.labels) ||
              !object.spec?.selector),
        );
        owned.forEach(p => claimed.add(p));
        workloads.push({
          kind: typeName,
          name: object.metadata.name,
          namespace,
          object,
          labels: object.metadata.labels ?? {},
          templateLabels: object.spec?.template?.metadata?.labels ?? {},
          templateAnnotations:
            object.spec?.template?.metadata?.annotations ?? {},
          podSpec: object.spec?.template?.spec ?? {},
          pods: owned,
          replicas:
            typeName === 'DaemonSet'
              ? object.status?.desiredNumberScheduled ?? owned.length
              : object.spec?.replicas ?? 1,
        });
      }
    }
    for (const pod of pods) {
      if (claimed.has(pod) || pod.metadata.ownerReferences?.length) continue;
      workloads.push({
        kind: 'Pod',
        name: pod.metadata.name,
        namespace: pod.metadata.namespace ?? 'default',
        object: pod,
        labels: pod.metadata.labels ?? {},
        templateLabels: pod.metadata.labels ?? {},
        templateAnnotations: pod.metadata.annotations ?? {},
        podSpec: pod.spec ?? {},
        pods: [pod],
        replicas: 1,
      });
    }
    return workloads;
  }
}

function ownedBy(pod: KubeObject, kind: string, workload: KubeObject): boolean {
  const owners = pod.metadata.ownerReferences ?? [];
  if (owners.length === 0) {
    // Pods from manifests often lack owner references; fall back to the selector.
    return matchesLabelSelector(workload.spec?.selector, pod.metadata.labels);
  }
  return owners.some(
    o =>
      (o.kind === kind && o.name === workload.metadata.name) ||
      // Deployments own pods through a ReplicaSet named `<deployment>-<hash>`, which we don't list.
      (kind === 'Deployment' &&
        o.kind === 'ReplicaSet' &&
        o.name.startsWith(`${workload.metadata.name}-`)),
  );
}

export function summarizeWorkload(workload: Workload): WorkloadSummary {
  return {
    kind: workload.kind,
    name: workload.name,
    namespace: workload.namespace,
    replicas: workload.replicas,
    hostNetwork: workload.podSpec?.hostNetwork === true,
    dnsPolicy: workload.podSpec?.dnsPolicy,
    ...(Object.keys(workload.podSpec?.nodeSelector ?? {}).length > 0 && {
      nodeSelector: workload.podSpec!.nodeSelector,
    }),
    labels: workload.templateLabels,
  };
}

export function nodeAddresses(node: KubeObject): {
  external: string[];
  internal: string[];
} {
  const addresses: Array<{ type: string; address: string }> =
    node.status?.addresses ?? [];
  return {
    external: addresses
      .filter(a => a.type === 'ExternalIP')
      .map(a => a.address),
    internal: addresses
      .filter(a => a.type === 'InternalIP')
      .map(a => a.address),
  };
}

function key(kind: string, namespace: string | undefined, name: string) {
  return `${kind}/${namespace ?? ''}/${name}`;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

export function refOf(object: KubeObject, cluster: string, kind?: string) {
  return {
    kind: kind ?? object.kind ?? 'Object',
    name: object.metadata.name,
    namespace: object.metadata.namespace,
    cluster,
  };
}
