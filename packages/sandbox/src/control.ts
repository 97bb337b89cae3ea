import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TKE } from './controller/NetworkController';
import type { RunningCluster } from './kube/startCluster';
import type { TencentCloudServer } from './tencent';

class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The sandbox's control API, for tests and benchmarks in other processes:
 *
 * - `GET /clusters`: name, url, provider, region and controller errors of each cluster
 * - `GET /stats`, `POST /stats/reset`: requests each cluster (and the cloud) received
 * - `GET|POST|DELETE /faults/<cluster|*>`: read, merge (JSON body, null removes) or clear faults,
 *   e.g. `{"latencyMs": 200, "errorRate": 0.1, "hang": false, "dropListRate": 0.5}`
 * - `POST /compact/<cluster|*>`: expire continue tokens and watch versions issued so far
 * - `GET /reachability?address=&port=`: `{ reachable, detail }`, answered from the sandbox's own
 *   state (is the address a pod EIP or node EIP with a Ready pod listening on the port), so a
 *   backend probing gateway addresses never leaves the machine
 * - `POST|DELETE /cloud/faults`: add (`{"kind": "throttle"|"http-error"|"latency", "action"?,
 *   "region"?, "times"?, "status"?, "ms"?}`) or clear Tencent Cloud API faults
 */
export async function startControlServer(options: {
  port: number;
  clusters: RunningCluster[];
  cloud?: TencentCloudServer;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const { clusters, cloud } = options;

  function select(name: string): RunningCluster[] {
    const selected =
      name === '*' ? clusters : clusters.filter(c => c.name === name);
    if (selected.length === 0) {
      throw new ControlError(
        404,
        `Unknown cluster "${name}"; known: ${clusters
          .map(c => c.name)
          .join(', ')}`,
      );
    }
    return selected;
  }

  function stats() {
    return {
      clusters: Object.fromEntries(clusters.map(c => [c.name, c.stats])),
      totalClusterRequests: clusters.reduce(
        (sum, c) => sum + c.stats.requests,
        0,
      ),
      ...(cloud ? { cloud: { requests: cloud.faults.requestCount() } } : {}),
    };
  }

  /**
   * What a TCP connection to `address:port` from the internet would meet: a Ready pod that
   * holds the address as its EIP, or a Ready host-network (or hostPort) pod on the node whose
   * external IP it is, with the port among its container ports.
   */
  function reachability(query: URLSearchParams) {
    const address = query.get('address') ?? '';
    const port = Number(query.get('port'));
    if (
      !/^\d{1,3}(\.\d{1,3}){3}$/.test(address) ||
      !(port >= 1 && port <= 65535)
    ) {
      throw new ControlError(
        400,
        'Give an IPv4 address and a port 1-65535: /reachability?address=203.0.113.10&port=443',
      );
    }
    const candidates: Array<{ cluster: string; pod: any }> = [];
    for (const cluster of clusters) {
      const nodes = (cluster.spec.nodes ?? [])
        .filter(n => n.externalIp === address)
        .map(n => n.name);
      const pods = cluster.store.list(cluster.store.type('', 'pods')!);
      for (const pod of pods) {
        const eip = pod.metadata.annotations?.[TKE.eipPublicIp];
        const onNode =
          nodes.includes(pod.spec?.nodeName) &&
          (pod.spec?.hostNetwork ||
            (pod.spec?.containers ?? []).some((c: any) =>
              (c.ports ?? []).some((p: any) => p.hostPort),
            ));
        if (eip === address || onNode) {
          candidates.push({ cluster: cluster.name, pod });
        }
      }
    }
    if (candidates.length === 0) {
      return {
        reachable: false,
        detail: `${address} is bound to no pod or node of the sandbox`,
      };
    }
    const ready = (pod: any) =>
      pod.status?.phase === 'Running' &&
      (pod.status?.conditions ?? []).some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      );
    const listens = (pod: any) =>
      (pod.spec?.containers ?? []).some((c: any) =>
        (c.ports ?? []).some((p: any) =>
          pod.spec.hostNetwork || !p.hostPort
            ? p.containerPort === port
            : p.hostPort === port,
        ),
      );
    const serving = candidates.find(c => ready(c.pod) && listens(c.pod));
    if (serving) {
      const { pod } = serving;
      return {
        reachable: true,
        detail: `pod ${pod.metadata.namespace}/${pod.metadata.name} on cluster ${serving.cluster} (node ${pod.spec.nodeName}) is Ready and listens on ${port}`,
      };
    }
    return {
      reachable: false,
      detail: `${address} belongs to ${candidates
        .map(
          c =>
            `pod ${c.pod.metadata.namespace}/${c.pod.metadata.name} (${
              c.pod.status?.phase ?? 'unknown'
            })`,
        )
        .join(', ')}, but no Ready pod listens on ${port}`,
    };
  }

  async function answer(
    method: string,
    path: string,
    body: any,
    query: URLSearchParams = new URLSearchParams(),
  ): Promise<unknown> {
    const [, resource, name] = path.split('/');
    switch (`${method} /${resource}`) {
      case 'GET /':
        return {
          clusters: clusters.map(c => c.name),
          routes: [
            'GET /clusters',
            'GET /stats',
            'POST /stats/reset',
            'GET|POST|DELETE /faults/<cluster|*>',
            'POST /compact/<cluster|*>',
            'GET /reachability?address=&port=',
            'POST|DELETE /cloud/faults',
          ],
        };
      case 'GET /clusters':
        return clusters.map(c => ({
          name: c.name,
          url: c.url,
          provider: c.spec.provider,
          region: c.spec.region,
          cloudClusterId: c.spec.cloudClusterId,
          objects: c.store.types.reduce(
            (sum, type) => sum + c.store.count(type),
            0,
          ),
          controllerErrors: c.controller.errors,
        }));
      case 'GET /stats':
        return stats();
      case 'POST /stats':
        if (name !== 'reset') break;
        clusters.forEach(c => c.resetStats());
        cloud?.faults.resetCounts();
        return stats();
      case 'GET /faults':
        return Object.fromEntries(
          select(name ?? '*').map(c => [c.name, c.faults.get()]),
        );
      case 'POST /faults':
        return Object.fromEntries(
          select(name ?? '*').map(c => [c.name, setFaults(c, body)]),
        );
      case 'DELETE /faults':
        select(name ?? '*').forEach(c => c.faults.clear());
        return {};
      case 'GET /reachability':
        return reachability(query);
      case 'POST /compact':
        select(name ?? '*').forEach(c => c.store.compact());
        return {};
      case 'POST /cloud':
      case 'DELETE /cloud':
        if (name !== 'faults') break;
        if (!cloud)
          throw new ControlError(
            404,
            'The sandbox runs without the Tencent Cloud API stand-in',
          );
        if (method === 'DELETE') {
          cloud.faults.clear();
        } else {
          addCloudFault(cloud, body);
        }
        return {};
      default:
    }
    throw new ControlError(404, `No route for ${method} ${path}`);
  }

  const server = http.createServer(async (req, res) => {
    let status = 200;
    let result: unknown;
    try {
      const text = await readText(req);
      let body: unknown = {};
      try {
        body = text.trim() ? JSON.parse(text) : {};
      } catch {
        throw new ControlError(400, 'The request body is not valid JSON');
      }
      const url = new URL(req.url ?? '/', 'http://control');
      result = await answer(
        req.method ?? 'GET',
        url.pathname,
        body,
        url.searchParams,
      );
    } catch (error) {
      status = error instanceof ControlError ? error.status : 400;
      result = { error: (error as Error).message };
    }
    const text = JSON.stringify(result, null, 2);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  }).catch(error => {
    throw new Error(
      `The control API cannot listen on 127.0.0.1:${options.port}: ${error.message}`,
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function setFaults(cluster: RunningCluster, body: unknown) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ControlError(
      400,
      'Faults must be a JSON object, e.g. {"latencyMs": 200}',
    );
  }
  return cluster.faults.set(body);
}

function addCloudFault(cloud: TencentCloudServer, body: any) {
  const match = { action: body?.action, region: body?.region };
  switch (body?.kind) {
    case 'throttle':
      cloud.faults.throttle(match, body.times ?? 1);
      return;
    case 'http-error':
      cloud.faults.failHttp(match, body.times ?? 1, body.status ?? 503);
      return;
    case 'latency':
      cloud.faults.delay(match, body.ms ?? 0);
      return;
    default:
      throw new ControlError(
        400,
        'A cloud fault needs "kind": "throttle", "http-error" or "latency"',
      );
  }
}

async function readText(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
