import type { ConnectedCluster } from '../clusters';
import { KubeObject, listObjects } from '../kube';
import type { Preflight } from './common';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** Taints that keep a pod off a node (PreferNoSchedule only discourages). */
function blockingTaints(node: KubeObject): Taint[] {
  return (node.spec?.taints ?? []).filter(
    (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
}

function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some(
    t =>
      (!t.key || t.key === taint.key) &&
      (!t.effect || t.effect === taint.effect) &&
      (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '')),
  );
}

/**
 * Tolerations for the taints of dedicated nodes: a pod meant for those nodes must tolerate
 * what keeps every other pod off them, or it stays Pending.
 */
export function tolerationsFor(nodes: KubeObject[]): Toleration[] {
  const seen = new Map<string, Toleration>();
  for (const taint of nodes.flatMap(blockingTaints)) {
    const toleration: Toleration = taint.value
      ? {
          key: taint.key,
          operator: 'Equal',
          value: taint.value,
          effect: taint.effect,
        }
      : { key: taint.key, operator: 'Exists', effect: taint.effect };
    seen.set(JSON.stringify(toleration), toleration);
  }
  return [...seen.values()];
}

/**
 * A pod's tolerations with those it still needs added: one it already has (or one that
 * tolerates the same taint) is not added again, so running an action twice changes nothing.
 */
export function withTolerations(
  existing: Toleration[] = [],
  needed: Toleration[],
): Toleration[] {
  return [
    ...existing,
    ...needed.filter(
      t =>
        !tolerates(existing, {
          key: t.key ?? '',
          value: t.value,
          effect: t.effect ?? '',
        }),
    ),
  ];
}

function hostPortsOf(podSpec: any): number[] {
  return (podSpec?.containers ?? []).flatMap((c: any) =>
    (c.ports ?? [])
      .map((p: any) => (podSpec.hostNetwork ? p.containerPort : p.hostPort))
      .filter((port: unknown) => typeof port === 'number'),
  );
}

/**
 * Extended resources a pod spec requests (names with a domain other than kubernetes.io, such
 * as TKE's `tke.cloud.tencent.com/eni-ip` and `/eip`), summed over its containers.
 */
function extendedRequests(podSpec: any): Map<string, number> {
  const requested = new Map<string, number>();
  for (const container of podSpec?.containers ?? []) {
    const resources = {
      ...container.resources?.limits,
      ...container.resources?.requests,
    };
    for (const [name, quantity] of Object.entries(resources)) {
      if (!name.includes('/') || name.startsWith('kubernetes.io/')) continue;
      requested.set(name, (requested.get(name) ?? 0) + Number(quantity));
    }
  }
  return requested;
}

/**
 * Checks, as the scheduler would, how many pods with `podSpec` `nodes` can take: the pod
 * tolerates their taints, they are not cordoned, no other pod holds its host ports there (one
 * pod per node then), and each extended resource it requests is free in the node's
 * allocatable. Fewer than `needed` is a preflight failure, naming each node's reason: a pod
 * that cannot be placed must stop the change before it starts, not stay Pending after the
 * running one went. Returns the nodes that can take at least one.
 */
export async function checkSchedulable(
  cluster: ConnectedCluster,
  options: {
    nodes: KubeObject[];
    podSpec: any;
    needed: number;
    what: string;
    /** Pods of the workload being replaced: their host ports and resources are freed by the change. */
    ownPods?: (pod: KubeObject) => boolean;
  },
  preflight: Preflight,
): Promise<string[]> {
  const { nodes, podSpec, needed, what } = options;
  const ports = hostPortsOf(podSpec);
  const requested = extendedRequests(podSpec);
  const names = new Set(nodes.map(n => n.metadata!.name!));
  const pods =
    ports.length || requested.size
      ? (await listObjects(cluster, { apiVersion: 'v1', kind: 'Pod' })).filter(
          p =>
            names.has(p.spec?.nodeName) &&
            !['Succeeded', 'Failed'].includes(p.status?.phase) &&
            !options.ownPods?.(p),
        )
      : [];
  const usable: string[] = [];
  const reasons: string[] = [];
  let places = 0;
  for (const node of nodes) {
    const name = node.metadata!.name!;
    const problems: string[] = [];
    if (node.spec?.unschedulable) {
      problems.push('it is cordoned');
    }
    const untolerated = blockingTaints(node).filter(
      t => !tolerates(podSpec.tolerations ?? [], t),
    );
    if (untolerated.length) {
      problems.push(
        `taint ${untolerated
          .map(t => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`)
          .join(', ')} is not tolerated`,
      );
    }
    const onNode = pods.filter(p => p.spec.nodeName === name);
    for (const pod of onNode) {
      const taken = hostPortsOf(pod.spec).filter(p => ports.includes(p));
      if (taken.length) {
        problems.push(
          `pod ${pod.metadata!.namespace}/${
            pod.metadata!.name
          } holds host port ${taken.join(', ')}`,
        );
      }
    }
    // One pod per node on the host network (its ports are the node's), or with host ports.
    let fits = ports.length || podSpec.hostNetwork ? 1 : Infinity;
    for (const [resource, quantity] of requested) {
      const allocatable = node.status?.allocatable?.[resource];
      if (allocatable === undefined) {
        problems.push(`it offers no ${resource}`);
        continue;
      }
      const used = onNode.reduce(
        (sum, pod) => sum + (extendedRequests(pod.spec).get(resource) ?? 0),
        0,
      );
      const free = Number(allocatable) - used;
      if (free < quantity) {
        problems.push(`${free} of ${allocatable} ${resource} free`);
      }
      fits = Math.min(fits, Math.floor(free / quantity));
    }
    if (problems.length) {
      reasons.push(`node ${name}: ${problems.join('; ')}`);
    } else {
      usable.push(name);
      places += fits;
    }
  }
  preflight.check(
    places >= needed && usable.length > 0,
    `${what} can run on ${usable.length} node(s): ${usable.join(', ')}`,
    `${what} can run on ${usable.length} node(s)${
      requested.size && Number.isFinite(places)
        ? ` with room for ${places} pod(s)`
        : ''
    }, needs ${Math.max(needed, 1)}${
      reasons.length ? ` (${reasons.join('; ')})` : ''
    }`,
  );
  return usable;
}
