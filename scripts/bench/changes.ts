/*
 * Changes made in the benchmark's clusters through their Kubernetes API, each timed from the
 * API server's answer until the atlas's entity view shows it. The three kinds of change of
 * the fleet-scale targets, in turn, on the clusters in turn, all on the benchmark's entity
 * (`app-7`: the Services svc-35..39 in team-07, svc-35 routed by gateway-3):
 *
 * - a VirtualService host: svc-35's VirtualService gets a new host, which becomes a path;
 * - a Service annotation: gateway-3's LoadBalancer Service becomes internal (TKE's internal
 *   subnet annotation) or public again, which is the network of the paths through it;
 * - a gateway's replica count: gateway-3's Deployment goes from 2 replicas to 1 or back.
 */
import { percentile } from './load';

export type Exposure = {
  etag?: string;
  paths: Array<{
    host: string;
    cluster: string;
    gateway?: string;
    network: string;
  }>;
  gateways: Array<{
    cluster: string;
    name: string;
    workload?: { replicas: number };
  }>;
};

export interface Change {
  kind: 'virtualservice-host' | 'service-annotation' | 'gateway-replicas';
  cluster: string;
  /** From the API server's answer to the entity view showing the change, ms. */
  visibleMs?: number;
}

const NAMESPACE = 'team-07';
const SERVICE = 'svc-35';
const GATEWAY = 'gateway-3';
const INTERNAL = 'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid';

const KINDS = [
  'virtualservice-host',
  'service-annotation',
  'gateway-replicas',
] as const;

/**
 * What to send to a cluster for the change numbered `n`, and how the entity view shows it.
 * `round` counts the earlier changes of this kind in this cluster: each kind alternates
 * between two states starting from the generated one, so that every change is a change.
 */
function changeOf(n: number, cluster: string, round: number) {
  const kind = KINDS[n % 3];
  switch (kind) {
    case 'virtualservice-host': {
      const host = `change-${n}.bench.example.com`;
      return {
        kind,
        path: `/apis/networking.istio.io/v1/namespaces/${NAMESPACE}/virtualservices/${SERVICE}`,
        patch: {
          spec: {
            hosts: [
              `${SERVICE}.${NAMESPACE}.gw-3.${cluster}.scale.example.com`,
              host,
            ],
          },
        },
        shows: (e: Exposure) =>
          e.paths.some(p => p.host === host && p.cluster === cluster),
      };
    }
    case 'service-annotation': {
      const internal = round % 2 === 0;
      return {
        kind,
        path: `/api/v1/namespaces/istio-system/services/${GATEWAY}`,
        patch: {
          metadata: {
            annotations: { [INTERNAL]: internal ? 'subnet-bench0001' : null },
          },
        },
        shows: (e: Exposure) => {
          const through = e.paths.filter(
            p => p.cluster === cluster && p.host.startsWith(`${SERVICE}.`),
          );
          return (
            through.length > 0 &&
            through.every(p => (p.network === 'internal') === internal)
          );
        },
      };
    }
    default: {
      const replicas = round % 2 === 0 ? 1 : 2;
      return {
        kind,
        path: `/apis/apps/v1/namespaces/istio-system/deployments/${GATEWAY}`,
        patch: { spec: { replicas } },
        shows: (e: Exposure) =>
          e.gateways.some(
            g =>
              g.cluster === cluster &&
              g.name === GATEWAY &&
              g.workload?.replicas === replicas,
          ),
      };
    }
  }
}

/** Reads an entity view again and again, with `If-None-Match` (a 304 gives the last body). */
export function exposureReader(url: string, token: () => string) {
  let etag: string | undefined;
  let last: Exposure | undefined;
  return async (): Promise<Exposure> => {
    const res = await fetch(url, {
      headers: {
        Authorization: `Bearer ${token()}`,
        ...(etag ? { 'If-None-Match': etag } : {}),
      },
    });
    if (res.status === 304 && last) return last;
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    etag = res.headers.get('etag') ?? undefined;
    last = (await res.json()) as Exposure;
    return last;
  };
}

/**
 * Makes the next change (the kinds in turn, on the clusters in turn) through the cluster's
 * API server, and answers it with the cluster, once the API server has answered.
 */
export function changeMaker(
  clusters: Record<string, { url: string; token: string }>,
) {
  const names = Object.keys(clusters).sort();
  const rounds = new Map<string, number>();
  let n = 0;
  return async () => {
    const cluster = names[n % names.length];
    const key = `${cluster}/${KINDS[n % 3]}`;
    const round = rounds.get(key) ?? 0;
    rounds.set(key, round + 1);
    const change = changeOf(n, cluster, round);
    n += 1;
    const { url, token } = clusters[cluster];
    const res = await fetch(`${url}${change.path}`, {
      method: 'PATCH',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/merge-patch+json',
      },
      body: JSON.stringify(change.patch),
    });
    if (!res.ok) {
      throw new Error(
        `PATCH ${cluster}${change.path}: HTTP ${
          res.status
        } ${await res.text()}`,
      );
    }
    return { change, cluster };
  };
}

/**
 * Makes `count` changes one after another (each once the previous one is visible, or after
 * `timeoutMs`), and returns each one's delay. `onProgress` hears of each.
 */
export async function timeChanges(options: {
  clusters: Record<string, { url: string; token: string }>;
  exposureUrl: string;
  token: () => string;
  count: number;
  timeoutMs: number;
  /** Stops making changes after this long (the rest are not made). */
  maxMs: number;
  onProgress?: (done: number, change: Change) => void;
}): Promise<Change[]> {
  const read = exposureReader(options.exposureUrl, options.token);
  const next = changeMaker(options.clusters);
  const started = performance.now();
  const changes: Change[] = [];
  for (let n = 0; n < options.count; n++) {
    if (performance.now() - started > options.maxMs) break;
    const { change, cluster } = await next();
    const made = performance.now();
    const result: Change = { kind: change.kind, cluster };
    while (performance.now() - made < options.timeoutMs) {
      if (change.shows(await read())) {
        result.visibleMs = Math.round(performance.now() - made);
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    changes.push(result);
    options.onProgress?.(changes.length, result);
  }
  return changes;
}

/** The delays' distribution; a change not seen within the timeout counts as never seen. */
export function changeLatency(changes: Change[]) {
  const sorted = (of: Change[]) =>
    of.map(c => c.visibleMs ?? Infinity).sort((a, b) => a - b);
  const all = sorted(changes);
  const byKind = (kind: Change['kind']) => {
    const ms = sorted(changes.filter(c => c.kind === kind));
    return {
      changes: ms.length,
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
    };
  };
  return {
    changes: changes.length,
    notVisible: changes.filter(c => c.visibleMs === undefined).length,
    p50Ms: percentile(all, 50),
    p90Ms: percentile(all, 90),
    p99Ms: percentile(all, 99),
    maxMs: all[all.length - 1],
    byKind: {
      virtualServiceHost: byKind('virtualservice-host'),
      serviceAnnotation: byKind('service-annotation'),
      gatewayReplicas: byKind('gateway-replicas'),
    },
  };
}
