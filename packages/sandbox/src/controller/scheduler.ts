/*
 * How the sandbox's controller places pods, as kube-scheduler decides it for the cases the
 * estates and actions use: nodeSelector, required node affinity, taints and tolerations, host
 * ports (hostNetwork or hostPort), the least busy node first.
 */
import type { NodeSpec } from '../estate';
import type { KubeObject } from '../kube/store';
import { stableNumber } from './naming';

/** Per node: host ports in use (hostNetwork or hostPort) and how many pods run there. */
export type NodeUsage = Map<string, { hostPorts: Set<number>; pods: number }>;

/** Fitting nodes with free host ports; the least busy wins, ties broken by a hash of the pod's name. */
export function schedule(
  nodes: NodeSpec[],
  pod: KubeObject,
  usage: NodeUsage,
): NodeSpec | undefined {
  const candidates = nodes.filter(
    node =>
      fits(pod.spec ?? {}, node) &&
      !portsTaken(usage, node.name, pod.spec ?? {}),
  );
  if (candidates.length === 0) {
    return undefined;
  }
  const start =
    stableNumber(`${pod.metadata.namespace}/${pod.metadata.name}`) %
    candidates.length;
  const rotated = [...candidates.slice(start), ...candidates.slice(0, start)];
  return rotated.reduce((best, node) =>
    (usage.get(node.name)?.pods ?? 0) < (usage.get(best.name)?.pods ?? 0)
      ? node
      : best,
  );
}

/** nodeSelector, required node affinity and taints/tolerations, as the scheduler checks them. */
export function fits(podSpec: any, node: NodeSpec): boolean {
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': node.name,
    ...node.labels,
  };
  const selectorOk = Object.entries(podSpec.nodeSelector ?? {}).every(
    ([k, v]) => labels[k] === v,
  );
  const terms =
    podSpec.affinity?.nodeAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const affinityOk =
    !terms?.length ||
    terms.some((term: any) =>
      (term.matchExpressions ?? []).every((e: any) => {
        const value = labels[e.key];
        switch (e.operator) {
          case 'In':
            return e.values?.includes(value);
          case 'NotIn':
            return !e.values?.includes(value);
          case 'Exists':
            return value !== undefined;
          case 'DoesNotExist':
            return value === undefined;
          default:
            return false;
        }
      }),
    );
  const tolerated = (node.taints ?? [])
    .filter(taint => taint.effect !== 'PreferNoSchedule')
    .every(taint =>
      (podSpec.tolerations ?? []).some(
        (t: any) =>
          (!t.key || t.key === taint.key) &&
          (!t.effect || t.effect === taint.effect) &&
          (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '')),
      ),
    );
  return selectorOk && affinityOk && tolerated;
}

function hostPortsOf(podSpec: any): number[] {
  return (podSpec.containers ?? []).flatMap((c: any) =>
    (c.ports ?? [])
      .map((p: any) => (podSpec.hostNetwork ? p.containerPort : p.hostPort))
      .filter((port: unknown) => typeof port === 'number'),
  );
}

function portsTaken(usage: NodeUsage, nodeName: string, podSpec: any): boolean {
  const taken = usage.get(nodeName)?.hostPorts;
  return Boolean(taken && hostPortsOf(podSpec).some(port => taken.has(port)));
}

/** Counts a pod placed on a node, with its host ports. */
export function place(usage: NodeUsage, nodeName: string, podSpec: any) {
  const node = usage.get(nodeName) ?? {
    hostPorts: new Set<number>(),
    pods: 0,
  };
  hostPortsOf(podSpec).forEach(port => node.hostPorts.add(port));
  node.pods++;
  usage.set(nodeName, node);
}
