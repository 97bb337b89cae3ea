import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  Gateway,
  Route,
  RouteDestination,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from '../kube/ClusterObjects';
import { GatewaySet, serviceRef } from '../gateways/GatewaySet';
import { istioConfigKey } from '../gateways/istioGateways';
import { gatewayApiConfigKey } from '../gateways/gatewayApi';
import { ingressConfigKey } from '../gateways/ingressControllers';
import { tlsInfo } from '../gateways/tls';
import { ids } from '../types';
import { routeTls } from './routeTls';

/** `gw` or `ns/gw` as a VirtualService names its gateways, resolved against its namespace. */
export function gatewayReference(reference: string, fromNamespace: string) {
  const [namespace, name] = reference.includes('/')
    ? reference.split('/')
    : [fromNamespace, reference];
  return { namespace, name };
}

function destination(
  objects: ClusterObjects,
  host: string,
  namespace: string,
  port?: number,
): RouteDestination {
  const service = objects.serviceByHost(host, namespace);
  return {
    host,
    port,
    service: service ? serviceRef(objects.name, service) : undefined,
  };
}

function uniqueDestinations(
  destinations: RouteDestination[],
): RouteDestination[] {
  const seen = new Set<string>();
  return destinations.filter(d => {
    const key = `${d.host}:${d.port ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function gatewaysById(set: GatewaySet, gatewayIds: string[]): Gateway[] {
  return set.all().filter(g => gatewayIds.includes(g.id));
}

function virtualServiceRoute(
  objects: ClusterObjects,
  set: GatewaySet,
  vs: KubeObject,
): Route | undefined {
  const namespace = vs.metadata.namespace ?? 'default';
  const references: string[] = (vs.spec?.gateways ?? []).filter(
    (g: string) => g !== 'mesh',
  );
  // Without gateways a VirtualService only steers traffic inside the mesh.
  if (references.length === 0) return undefined;
  const configs = references.map(r => ({
    kind: 'Gateway',
    ...gatewayReference(r, namespace),
  }));
  const gatewayIds = configs.flatMap(c =>
    set.bound(istioConfigKey(c.namespace, c.name)),
  );
  const hosts: string[] = (vs.spec?.hosts ?? []).map((h: string) =>
    h.toLowerCase(),
  );
  const routes = [
    ...(vs.spec?.http ?? []),
    ...(vs.spec?.tls ?? []),
    ...(vs.spec?.tcp ?? []),
  ];
  return {
    id: ids.route(objects.name, 'VirtualService', namespace, vs.metadata.name),
    cluster: objects.name,
    namespace,
    name: vs.metadata.name,
    kind: 'VirtualService',
    hosts,
    gateways: [...new Set(gatewayIds)],
    tls: routeTls(gatewaysById(set, gatewayIds), hosts, configs),
    destinations: uniqueDestinations(
      routes
        .flatMap((r: any) => r.route ?? [])
        .map((r: any) =>
          destination(
            objects,
            r.destination?.host ?? '',
            namespace,
            r.destination?.port?.number,
          ),
        ),
    ),
  };
}

function httpRoute(
  objects: ClusterObjects,
  set: GatewaySet,
  route: KubeObject,
): Route {
  const namespace = route.metadata.namespace ?? 'default';
  const configs: Array<{ kind: string; namespace: string; name: string }> = (
    route.spec?.parentRefs ?? []
  )
    .filter((p: any) => (p.kind ?? 'Gateway') === 'Gateway')
    .map((p: any) => ({
      kind: 'Gateway',
      namespace: p.namespace ?? namespace,
      name: p.name,
    }));
  const gatewayIds = configs.flatMap(c =>
    set.bound(gatewayApiConfigKey(c.namespace, c.name)),
  );
  const gateways = gatewaysById(set, gatewayIds);
  const listenerHosts = gateways
    .flatMap(g => g.listeners)
    .filter(l =>
      configs.some(
        c => c.namespace === l.source.namespace && c.name === l.source.name,
      ),
    )
    .flatMap(l => l.hosts);
  const hosts: string[] = route.spec?.hostnames?.length
    ? route.spec.hostnames.map((h: string) => h.toLowerCase())
    : [...new Set(listenerHosts)];
  return {
    id: ids.route(objects.name, 'HTTPRoute', namespace, route.metadata.name),
    cluster: objects.name,
    namespace,
    name: route.metadata.name,
    kind: 'HTTPRoute',
    hosts: hosts.length ? hosts : ['*'],
    gateways: [...new Set<string>(gatewayIds)],
    tls: routeTls(gateways, hosts, configs),
    destinations: uniqueDestinations(
      (route.spec?.rules ?? [])
        .flatMap((r: any) => r.backendRefs ?? [])
        .filter((b: any) => (b.kind ?? 'Service') === 'Service')
        .map((b: any) =>
          destination(
            objects,
            `${b.name}.${b.namespace ?? namespace}`,
            namespace,
            b.port,
          ),
        ),
    ),
  };
}

function ingressRoute(
  objects: ClusterObjects,
  set: GatewaySet,
  ingress: KubeObject,
  now: Date,
): Route {
  const namespace = ingress.metadata.namespace ?? 'default';
  const hosts: string[] = [
    ...new Set<string>(
      (ingress.spec?.rules ?? []).map((r: any) =>
        (r.host ?? '*').toLowerCase(),
      ),
    ),
  ];
  const tls = (ingress.spec?.tls ?? []).find(
    (t: any) =>
      !t.hosts || t.hosts.some((h: string) => hosts.includes(h.toLowerCase())),
  );
  const backends = [
    ...(ingress.spec?.defaultBackend ? [ingress.spec.defaultBackend] : []),
    ...(ingress.spec?.rules ?? []).flatMap((r: any) =>
      (r.http?.paths ?? []).map((p: any) => p.backend),
    ),
  ].filter((b: any) => b?.service?.name);
  return {
    id: ids.route(objects.name, 'Ingress', namespace, ingress.metadata.name),
    cluster: objects.name,
    namespace,
    name: ingress.metadata.name,
    kind: 'Ingress',
    hosts: hosts.length ? hosts : ['*'],
    gateways: set.bound(ingressConfigKey(namespace, ingress.metadata.name)),
    tls: tls
      ? tlsInfo(objects, now, {
          credentialName: tls.secretName,
          secretNamespace: namespace,
        })
      : undefined,
    destinations: uniqueDestinations(
      backends.map((b: any) =>
        destination(
          objects,
          `${b.service.name}.${namespace}`,
          namespace,
          b.service.port?.number,
        ),
      ),
    ),
  };
}

/** Every route bound to a gateway: VirtualServices, HTTPRoutes and Ingresses. */
export function buildRoutes(
  objects: ClusterObjects,
  set: GatewaySet,
  now: Date,
): Route[] {
  return [
    ...objects
      .list('virtualServices')
      .map(vs => virtualServiceRoute(objects, set, vs))
      .filter((r): r is Route => !!r),
    ...objects.list('httpRoutes').map(r => httpRoute(objects, set, r)),
    ...objects.list('ingresses').map(i => ingressRoute(objects, set, i, now)),
  ];
}
