import {
  Entry,
  Gateway,
  Severity,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { Analyzer, finding } from './types';

interface AdminPort {
  what: string;
  severity: Severity;
  /** Ports an east-west gateway is meant to expose to the other clusters of the mesh. */
  eastWestOnly?: boolean;
}

/**
 * Ports that serve control, debugging or telemetry and have no business on the internet. An
 * east-west gateway exposes istiod's 15012 and 15017 to remote clusters by design (and 15443
 * for cross-network traffic); 15021 is the gateway's health check, which load balancers probe.
 */
const ADMIN_PORTS: Record<number, AdminPort> = {
  15000: { what: 'Envoy admin', severity: 'error' },
  15010: { what: 'istiod plaintext xDS', severity: 'error' },
  15012: { what: 'istiod xDS and CA', severity: 'error', eastWestOnly: true },
  15014: { what: 'istiod debug and monitoring', severity: 'error' },
  15017: { what: 'istiod webhooks', severity: 'error', eastWestOnly: true },
  15090: { what: 'Envoy Prometheus stats', severity: 'warning' },
  15029: { what: 'Kiali (old Istio gateway add-on port)', severity: 'warning' },
  15030: {
    what: 'Prometheus (old Istio gateway add-on port)',
    severity: 'warning',
  },
  15031: {
    what: 'Grafana (old Istio gateway add-on port)',
    severity: 'warning',
  },
  15032: {
    what: 'tracing (old Istio gateway add-on port)',
    severity: 'warning',
  },
  20001: { what: 'Kiali', severity: 'warning' },
  9090: { what: 'Prometheus', severity: 'warning' },
  3000: { what: 'Grafana', severity: 'warning' },
  16686: { what: 'Jaeger UI', severity: 'warning' },
};

function entryName(entry: Entry): string {
  const owner = entry.service ?? entry.target;
  return owner
    ? `${entry.type} ${owner.namespace}/${owner.name}`
    : `${entry.type} ${entry.addresses[0] ?? entry.id}`;
}

/** Admin, debug or telemetry ports on a public entry. */
export const adminPortPublic: Analyzer = {
  codes: ['ADMIN_PORT_PUBLIC'],
  analyze: ({ model }) => {
    const gateways = new Map<string | undefined, Gateway>(
      model.gateways.map(g => [g.id, g]),
    );
    return model.entries.flatMap(entry => {
      if (entry.network !== 'public') return [];
      const gateway = gateways.get(entry.gateway);
      const exposed = [...new Set(entry.ports.map(p => p.port))]
        .filter(port => {
          const admin = ADMIN_PORTS[port];
          return admin && !(admin.eastWestOnly && gateway?.eastWest);
        })
        .sort((a, b) => a - b);
      if (exposed.length === 0) return [];
      const severity = exposed.some(p => ADMIN_PORTS[p].severity === 'error')
        ? 'error'
        : 'warning';
      return [
        finding({
          code: 'ADMIN_PORT_PUBLIC',
          severity,
          message: `Public ${entryName(entry)} in ${
            entry.cluster
          } exposes ${exposed
            .map(p => `${p} (${ADMIN_PORTS[p].what})`)
            .join(', ')} to the internet`,
          objects: [
            {
              kind: 'Entry',
              name: entry.cloudResourceId ?? entry.id,
              cluster: entry.cluster,
              id: entry.id,
            },
          ],
          fix: `Remove port(s) ${exposed.join(
            ', ',
          )} from the public entry (reach them with kubectl port-forward or an internal load balancer), or restrict it with loadBalancerSourceRanges.`,
        }),
      ];
    });
  },
};
