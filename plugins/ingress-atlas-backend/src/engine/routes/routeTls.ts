import { Gateway, TlsInfo } from '@ingress-atlas/plugin-ingress-atlas-common';
import { hostsOverlap } from './hosts';

/**
 * The TLS a route's hosts are served with: the first TLS listener of its gateways covering one
 * of its hosts, preferring listeners that terminate with a certificate.
 */
export function routeTls(
  gateways: Gateway[],
  hosts: string[],
): TlsInfo | undefined {
  const candidates = gateways
    .flatMap(g => g.listeners)
    .filter(
      l => l.tls && l.hosts.some(lh => hosts.some(h => hostsOverlap(lh, h))),
    )
    .map(l => l.tls!);
  return candidates.find(t => t.certificateSource !== 'none') ?? candidates[0];
}
