import {
  ControlPlane,
  Cost,
  Entry,
  ExposurePath,
  Gateway,
  Route,
  ServiceRef,
  WorkloadRef,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from '../kube/ClusterObjects';
import { serviceRef } from '../gateways/GatewaySet';
import { PLAINTEXT } from '../gateways/tls';
import { roundCny } from '@ingress-atlas/plugin-ingress-atlas-common';
import { CatalogEntityLite } from '../types';
import { entityMatcher, Labelled } from './entities';

const EXTERNAL_DNS_HOSTNAME = 'external-dns.alpha.kubernetes.io/hostname';

interface Target {
  service?: ServiceRef;
  workload?: WorkloadRef;
  labelled: Labelled[];
}

interface PathInput {
  clusters: ClusterObjects[];
  controlPlanes: ControlPlane[];
  gateways: Gateway[];
  routes: Route[];
  entries: Entry[];
  costs: Cost[];
  entities: CatalogEntityLite[];
}

/**
 * Every path from outside to a workload: host -> entry -> [front proxies] -> gateway -> route
 * -> Service -> workload. Services of a multi-cluster mesh also lead to the same Service's
 * workloads in the clusters the control plane reads through remote secrets.
 */
export function buildPaths(input: PathInput): ExposurePath[] {
  const clusters = new Map(input.clusters.map(c => [c.name, c]));
  const gateways = new Map(input.gateways.map(g => [g.id, g]));
  const planes = new Map(input.controlPlanes.map(p => [p.id, p]));
  const paths: ExposurePath[] = [];
  const entityRefsFor = entityMatcher(input.entities);
  const pathIds = new Set<string>();
  const routesByGateway = new Map<string, Route[]>();
  for (const route of input.routes) {
    for (const gatewayId of route.gateways) {
      routesByGateway.set(gatewayId, [
        ...(routesByGateway.get(gatewayId) ?? []),
        route,
      ]);
    }
  }

  const targetsOf = (
    service: ServiceRef | undefined,
    gateway?: Gateway,
  ): Target[] => {
    if (!service) return [{ labelled: [] }];
    const home = clusters.get(service.cluster);
    const linked = gateway?.controlPlane
      ? planes.get(gateway.controlPlane)?.remoteSecretLinks ?? []
      : [];
    const targets: Target[] = [];
    for (const objects of [home, ...linked.map(name => clusters.get(name))]) {
      const object = objects?.get('services', service.namespace, service.name);
      if (!objects || !object) continue;
      const ref = objects === home ? service : serviceRef(objects.name, object);
      const serviceLabels = {
        namespace: service.namespace,
        labels: object.metadata.labels,
      };
      const workloads = objects.workloadsSelectedBy(object);
      if (workloads.length === 0 && objects === home) {
        targets.push({ service: ref, labelled: [serviceLabels] });
      }
      for (const w of workloads) {
        targets.push({
          service: ref,
          workload: {
            cluster: objects.name,
            kind: w.kind,
            namespace: w.namespace,
            name: w.name,
          },
          labelled: [
            serviceLabels,
            { namespace: w.namespace, labels: w.templateLabels },
            { namespace: w.namespace, labels: w.labels },
          ],
        });
      }
    }
    return targets.length ? targets : [{ service, labelled: [] }];
  };

  const emit = (
    entry: Entry,
    host: string,
    rest: Omit<
      ExposurePath,
      | 'id'
      | 'host'
      | 'cluster'
      | 'entry'
      | 'entityRefs'
      | 'network'
      | 'tls'
      | 'via'
    > & {
      via?: string[];
      tls?: ExposurePath['tls'];
    },
    labelled: Labelled[],
  ) => {
    const id = [
      'path',
      entry.id,
      host,
      rest.route ?? rest.gateway ?? '',
      rest.workload
        ? `${rest.workload.cluster}/${rest.workload.namespace}/${rest.workload.name}`
        : rest.service?.name ?? '',
    ].join('|');
    if (pathIds.has(id)) return;
    pathIds.add(id);
    paths.push({
      id,
      host,
      cluster: entry.cluster,
      entry: entry.id,
      via: rest.via ?? [],
      gateway: rest.gateway,
      route: rest.route,
      service: rest.service,
      workload: rest.workload,
      apiServer: rest.apiServer,
      entityRefs: entityRefsFor(labelled, host),
      network: entry.network,
      tls: rest.tls ?? PLAINTEXT,
    });
  };

  const walk = (entry: Entry, gatewayId: string, via: string[]) => {
    const gateway = gateways.get(gatewayId);
    if (!gateway) return;
    if (gateway.kind === 'front-proxy') {
      const proxyLabels = gateway.workload
        ? [{ namespace: gateway.namespace, labels: gateway.workload.labels }]
        : [];
      for (const upstream of gateway.upstreams ?? []) {
        if (upstream.apiServer) {
          const service = {
            cluster: gateway.cluster,
            namespace: 'default',
            name: 'kubernetes',
            type: 'ClusterIP',
          };
          emit(
            entry,
            hostsOfEntry(entry, clusters)[0],
            { gateway: gateway.id, via, service, apiServer: true },
            proxyLabels,
          );
        } else if (upstream.gateway && !via.includes(upstream.gateway)) {
          walk(entry, upstream.gateway, [...via, gateway.id]);
        }
      }
      return;
    }
    for (const route of routesByGateway.get(gatewayId) ?? []) {
      const destinations = route.destinations.length
        ? route.destinations
        : [undefined];
      for (const host of route.hosts) {
        for (const destination of destinations) {
          for (const target of targetsOf(destination?.service, gateway)) {
            emit(
              entry,
              host,
              {
                via,
                gateway: gateway.id,
                route: route.id,
                service: target.service,
                workload: target.workload,
                tls: route.tls,
              },
              target.labelled,
            );
          }
        }
      }
    }
  };

  for (const entry of input.entries) {
    if (entry.gateway) {
      walk(entry, entry.gateway, []);
    } else if (entry.service) {
      for (const target of targetsOf(entry.service)) {
        for (const host of hostsOfEntry(entry, clusters)) {
          emit(
            entry,
            host,
            { service: target.service, workload: target.workload },
            target.labelled,
          );
        }
      }
    }
  }

  shareCosts(paths, input.costs);
  return paths;
}

/** Names an entry is reached by without a route: external-dns hostnames, else its address. */
function hostsOfEntry(
  entry: Entry,
  clusters: Map<string, ClusterObjects>,
): string[] {
  const service = entry.service
    ? clusters
        .get(entry.cluster)
        ?.get('services', entry.service.namespace, entry.service.name)
    : undefined;
  const annotated = service?.metadata.annotations?.[EXTERNAL_DNS_HOSTNAME];
  if (annotated)
    return annotated
      .split(',')
      .map(h => h.trim().toLowerCase())
      .filter(Boolean);
  return [entry.addresses[0] ?? entry.cloudResourceId ?? entry.id];
}

function shareCosts(paths: ExposurePath[], costs: Cost[]) {
  const byEntry = new Map<string, ExposurePath[]>();
  for (const path of paths)
    byEntry.set(path.entry, [...(byEntry.get(path.entry) ?? []), path]);
  for (const cost of costs) {
    const through = cost.entry ? byEntry.get(cost.entry) ?? [] : [];
    for (const path of through) {
      path.monthlyCostShareCny = roundCny(cost.monthlyCny / through.length);
    }
  }
}
