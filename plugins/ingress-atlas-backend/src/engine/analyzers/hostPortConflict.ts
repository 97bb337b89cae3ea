import { Analyzer, finding } from './types';

/**
 * One host and port claimed by two gateways of a cluster (DNS can point at only one), or by
 * two Istio Gateway objects on the same proxy (Istio keeps one and drops the other).
 */
export const hostPortConflict: Analyzer = {
  codes: ['HOST_PORT_CONFLICT'],
  analyze: ({ model }) => {
    const claims = new Map<
      string,
      Array<{ gatewayId: string; source: string; ref: any }>
    >();
    for (const gateway of model.gateways) {
      if (gateway.kind === 'front-proxy' || gateway.eastWest) continue;
      for (const listener of gateway.listeners) {
        for (const host of listener.hosts) {
          if (host === '*') continue;
          const key = `${gateway.cluster}|${host}|${listener.port}`;
          const list = claims.get(key) ?? [];
          const source = `${listener.source.kind}/${listener.source.namespace}/${listener.source.name}`;
          if (
            !list.some(c => c.gatewayId === gateway.id && c.source === source)
          ) {
            list.push({ gatewayId: gateway.id, source, ref: listener.source });
          }
          claims.set(key, list);
        }
      }
    }
    const ingressGateways = new Set(
      model.gateways
        .filter(g => g.kind === 'ingress-controller')
        .map(g => g.id),
    );
    const findings = [];
    for (const [key, list] of claims) {
      const gateways = [...new Set(list.map(c => c.gatewayId))];
      // Ingress controllers merge Ingresses for one host on purpose.
      const sameProxyConflict =
        gateways.length === 1 &&
        list.length > 1 &&
        !ingressGateways.has(gateways[0]);
      if (gateways.length < 2 && !sameProxyConflict) continue;
      const [cluster, host, port] = key.split('|');
      findings.push(
        finding({
          code: 'HOST_PORT_CONFLICT',
          severity: sameProxyConflict ? 'error' : 'warning',
          message: sameProxyConflict
            ? `${host}:${port} in ${cluster} is declared by ${list
                .map(c => c.source)
                .join(
                  ' and ',
                )} on the same gateway; Istio serves only one of them`
            : `${host}:${port} in ${cluster} is claimed by ${
                gateways.length
              } gateways (${gateways
                .map(g => g.replace(/^gateway:[^/]+\//, ''))
                .join(', ')}); DNS can send it to only one`,
          objects: [
            ...list.map(c => c.ref),
            ...gateways.map(id => ({
              kind: 'Gateway',
              name: id.split('/').pop()!,
              cluster,
              id,
            })),
          ],
          fix: 'Keep one server/listener for this host and port: merge the Gateway objects, or remove the host from the gateway that should not serve it.',
        }),
      );
    }
    return findings;
  },
};
