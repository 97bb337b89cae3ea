import {
  AtlasCluster,
  Entry,
  Gateway,
  TrafficMeasurement,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudIndex } from '../cloud/CloudIndex';
import { GatewayTraffic } from '../types';

/** An entry's monthly traffic, and what measured it (absent for a volume given as such). */
export interface EntryTraffic {
  gbPerMonth: number;
  measurement?: TrafficMeasurement;
}

/** Whether the mesh's cluster label names this atlas cluster. */
function namesCluster(label: string, cluster: AtlasCluster | undefined) {
  return label === cluster?.name || label === cluster?.cloudClusterId;
}

/**
 * The gateway a mesh measurement belongs to: the one with that workload, in the cluster the
 * measurement names when it names one the atlas knows. A measurement that could be any of
 * several clusters' gateways is left out rather than counted on each.
 */
function gatewayOf(
  traffic: GatewayTraffic,
  gateways: Gateway[],
  clusters: AtlasCluster[],
): Gateway | undefined {
  const matching = gateways.filter(
    g =>
      g.workload?.name === traffic.workload &&
      g.workload.namespace === traffic.namespace,
  );
  const label = traffic.cluster;
  const named = label
    ? matching.filter(g =>
        namesCluster(
          label,
          clusters.find(c => c.name === g.cluster),
        ),
      )
    : [];
  const candidates = named.length > 0 ? named : matching;
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * Each entry's monthly traffic, by entry id: a volume given for the entry or its cloud
 * resource first, then what the cloud's monitoring measured on all of its public CLBs and
 * EIPs (what is billed), then what the mesh measured of its gateway. A gateway's traffic goes to its one
 * public entry with billable resources; with several, how it splits is not known.
 */
export function resolveTraffic(options: {
  entries: Entry[];
  gateways: Gateway[];
  clusters: AtlasCluster[];
  cloud: CloudIndex;
  given?: Record<string, number>;
  gatewayTraffic?: GatewayTraffic[];
}): Map<string, EntryTraffic> {
  const { entries, gateways, clusters, cloud, given = {} } = options;
  const byGateway = new Map<string, TrafficMeasurement>();
  for (const traffic of options.gatewayTraffic ?? []) {
    const gateway = gatewayOf(traffic, gateways, clusters);
    if (gateway) byGateway.set(gateway.id, traffic.measurement);
  }
  const publicEntriesOf = (gatewayId: string) =>
    entries.filter(
      e =>
        e.gateway === gatewayId &&
        e.network === 'public' &&
        e.resources.length > 0,
    );

  const resolved = new Map<string, EntryTraffic>();
  for (const entry of entries) {
    const ids = [
      entry.cloudResourceId,
      ...entry.resources.map(r => r.id),
    ].filter((id): id is string => !!id);
    const givenGb = [entry.id, ...ids]
      .map(id => given[id])
      .find(gb => gb !== undefined);
    if (givenGb !== undefined) {
      resolved.set(entry.id, { gbPerMonth: givenGb });
      continue;
    }
    // Every public address of the entry must be measured: a sum that misses one would
    // read as the whole.
    const billed = [
      ...new Set(
        entry.resources
          .filter(
            r =>
              r.network === 'public' &&
              (r.kind === 'load-balancer' || r.kind === 'eip'),
          )
          .map(r => r.id),
      ),
    ];
    const measured = billed
      .map(id => cloud.traffic.get(id))
      .filter((m): m is TrafficMeasurement => !!m);
    if (billed.length > 0 && measured.length === billed.length) {
      resolved.set(entry.id, {
        gbPerMonth:
          Math.round(measured.reduce((sum, m) => sum + m.gbPerMonth, 0) * 100) /
          100,
        measurement: measured[0],
      });
      continue;
    }
    const meshMeasured = entry.gateway
      ? byGateway.get(entry.gateway)
      : undefined;
    if (meshMeasured && publicEntriesOf(entry.gateway!).length === 1) {
      resolved.set(entry.id, {
        gbPerMonth: meshMeasured.gbPerMonth,
        measurement: meshMeasured,
      });
    }
  }
  return resolved;
}
