import { parse } from 'yaml';

/** A TCP forward a front proxy is configured with: listen on `port`, send to `host:targetPort`. */
export interface ProxyForward {
  port?: number;
  host: string;
  targetPort?: number;
}

function parseDocument(text: string): any {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

function socketAddress(
  address: any,
): { host: string; port?: number } | undefined {
  const socket = address?.socket_address ?? address?.socketAddress;
  if (!socket?.address) return undefined;
  const port = socket.port_value ?? socket.portValue;
  return {
    host: String(socket.address),
    port: port !== undefined ? Number(port) : undefined,
  };
}

function clusterAddresses(
  cluster: any,
): Array<{ host: string; port?: number }> {
  const assignment = cluster?.load_assignment ?? cluster?.loadAssignment;
  const fromAssignment = (assignment?.endpoints ?? []).flatMap((group: any) =>
    (group.lb_endpoints ?? group.lbEndpoints ?? []).map((e: any) =>
      socketAddress(e.endpoint?.address),
    ),
  );
  const legacy = (cluster?.hosts ?? []).map((h: any) => socketAddress(h));
  return [...fromAssignment, ...legacy].filter(Boolean);
}

/** Forwards of an Envoy bootstrap whose listeners use the `tcp_proxy` network filter. */
export function envoyTcpForwards(text: string): ProxyForward[] {
  if (!text.includes('tcp_proxy')) return [];
  const config = parseDocument(text);
  const resources = config?.static_resources ?? config?.staticResources;
  if (!resources) return [];
  const clusters = new Map<string, any>(
    (resources.clusters ?? []).map((c: any) => [String(c.name), c]),
  );
  const forwards: ProxyForward[] = [];
  for (const listener of resources.listeners ?? []) {
    const port = socketAddress(listener.address)?.port;
    for (const chain of listener.filter_chains ?? listener.filterChains ?? []) {
      for (const filter of chain.filters ?? []) {
        if (!String(filter.name ?? '').includes('tcp_proxy')) continue;
        const typed =
          filter.typed_config ?? filter.typedConfig ?? filter.config ?? {};
        const names: string[] = typed.cluster
          ? [typed.cluster]
          : (typed.weighted_clusters?.clusters ?? []).map((c: any) => c.name);
        for (const name of names) {
          for (const target of clusterAddresses(clusters.get(name))) {
            forwards.push({ port, host: target.host, targetPort: target.port });
          }
        }
      }
    }
  }
  return forwards;
}

function blocks(
  text: string,
  keyword: string,
): Array<{ name: string; body: string }> {
  const found: Array<{ name: string; body: string }> = [];
  const pattern = new RegExp(`\\b${keyword}\\s*([^\\s{]*)\\s*\\{`, 'g');
  for (const match of text.matchAll(pattern)) {
    const bodyStart = match.index! + match[0].length;
    let depth = 1;
    let i = bodyStart;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++;
      if (text[i] === '}') depth--;
    }
    found.push({ name: match[1], body: text.slice(bodyStart, i - 1) });
  }
  return found;
}

function hostPort(value: string): { host: string; port?: number } {
  const m = value.trim().match(/^(.+?)(?::(\d+))?$/);
  return { host: m?.[1] ?? value, port: m?.[2] ? Number(m[2]) : undefined };
}

/** Forwards of an nginx `stream {}` block (`listen` + `proxy_pass` to a host or an upstream). */
export function nginxStreamForwards(text: string): ProxyForward[] {
  const forwards: ProxyForward[] = [];
  for (const stream of blocks(text, 'stream')) {
    const upstreams = new Map(
      blocks(stream.body, 'upstream').map(u => [
        u.name,
        [...u.body.matchAll(/\bserver\s+([^\s;]+)/g)].map(m => hostPort(m[1])),
      ]),
    );
    for (const server of blocks(stream.body, 'server')) {
      const port = server.body.match(/\blisten\s+(?:[^\s;:]*:)?(\d+)/)?.[1];
      const pass = server.body.match(/\bproxy_pass\s+([^;]+);/)?.[1]?.trim();
      if (!pass) continue;
      const targets = upstreams.get(pass) ?? [hostPort(pass)];
      for (const target of targets) {
        forwards.push({
          port: port ? Number(port) : undefined,
          host: target.host,
          targetPort: target.port,
        });
      }
    }
  }
  return forwards;
}

export function proxyForwards(text: string): ProxyForward[] {
  return [...envoyTcpForwards(text), ...nginxStreamForwards(text)];
}
