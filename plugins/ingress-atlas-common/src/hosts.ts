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

/**
 * The DNS zone a host's record lives in, among `zones`, and the record's name in it: the
 * longest zone the host equals or ends with (`.zone`), so `blog.a.example.com` goes to
 * `a.example.com` when both it and `example.com` are hosted. Names are compared
 * case-insensitively and without a trailing dot; the apex is record `@`. Undefined when no
 * zone holds the host.
 *
 * @public
 */
export function dnsZoneOf(
  host: string,
  zones: readonly string[],
): { zone: string; record: string } | undefined {
  const normalize = (name: string) =>
    name.trim().toLowerCase().replace(/\.$/, '');
  const h = normalize(host);
  let best: string | undefined;
  for (const candidate of zones) {
    const zone = normalize(candidate);
    if (
      zone &&
      (h === zone || h.endsWith(`.${zone}`)) &&
      zone.length > (best?.length ?? 0)
    ) {
      best = zone;
    }
  }
  if (best === undefined) return undefined;
  return {
    zone: best,
    record: h === best ? '@' : h.slice(0, h.length - best.length - 1),
  };
}
