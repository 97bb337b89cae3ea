/*
 * Host names as Istio, the Gateway API and Ingress match them, for the engine that reads the
 * routes and the actions that change them alike.
 */

/**
 * Whether a host pattern (`*`, `*.example.com`, `a.example.com`) covers a host. Host names
 * are case-insensitive, and a wildcard stands for at least one label (`*.example.com` does
 * not cover `example.com`).
 *
 * @public
 */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*' || p === h) return true;
  return (
    p.startsWith('*.') && h.endsWith(p.slice(1)) && h.length > p.length - 1
  );
}

/**
 * Whether two host patterns can match a common host.
 *
 * @public
 */
export function hostsOverlap(a: string, b: string): boolean {
  return hostMatches(a, b) || hostMatches(b, a);
}

/**
 * Strips the `namespace/` scope Istio allows on Gateway server hosts.
 *
 * @public
 */
export function bareHost(host: string): string {
  const slash = host.indexOf('/');
  return (slash >= 0 ? host.slice(slash + 1) : host).toLowerCase();
}

/**
 * Whether an Istio Gateway server host (`[namespace/]host`, wildcards allowed) covers a host.
 *
 * @public
 */
export function serverHostMatches(entry: string, host: string): boolean {
  return hostMatches(bareHost(entry), host);
}
