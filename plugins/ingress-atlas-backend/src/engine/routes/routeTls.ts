import {
  Gateway,
  TlsInfo,
  hostsOverlap,
} from '@ingress-atlas/plugin-ingress-atlas-common';

/**
 * The TLS a route's hosts are served with: the first TLS listener, declared by one of the
 * gateway objects the route binds to, covering one of its hosts; listeners terminating with a
 * certificate first.
 */
export function routeTls(
  gateways: Gateway[],
  hosts: string[],
  boundTo: Array<{ kind: string; namespace: string; name: string }>,
): TlsInfo | undefined {
  const candidates = gateways
    .flatMap(g => g.listeners)
    .filter(l =>
      boundTo.some(
        b =>
          b.kind === l.source.kind &&
          b.namespace === l.source.namespace &&
          b.name === l.source.name,
      ),
    )
    .filter(
      l => l.tls && l.hosts.some(lh => hosts.some(h => hostsOverlap(lh, h))),
    )
    .map(l => l.tls!);
  return candidates.find(t => t.certificateSource !== 'none') ?? candidates[0];
}
