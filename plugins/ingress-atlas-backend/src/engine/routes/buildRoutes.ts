import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  Gateway,
  Route,
  RouteDestination,
  RouteKind,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from '../kube/ClusterObjects';
import { GatewaySet, serviceRef } from '../gateways/GatewaySet';
import { istioConfigKey } from '../gateways/istioGateways';
import { gatewayApiConfigKey } from '../gateways/gatewayApi';
import { ingressConfigKey } from '../gateways/ingressControllers';
import { tlsInfo } from '../gateways/tls';
import { ids } from '../types';
import { routeTls } from './routeTls';
import {
  attachments,
  backendRefs,
  GATEWAY_API_ROUTE_KINDS,
} from './gatewayApiRoutes';

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

/** A Gateway API route (HTTP, GRPC, TLS, TCP) on the listeners it attaches to. */
function gatewayApiRoute(
  objects: ClusterObjects,
  set: GatewaySet,
  route: KubeObject,
  kind: RouteKind,
): Route {
  const namespace = route.metadata.namespace ?? 'default';
  const attached = attachments(objects, route, kind);
  const configs = attached.map(a => ({
    kind: 'Gateway',
    namespace: a.gatewayNamespace,
    name: a.gatewayName,
  }));
  const gatewayIds = configs.flatMap(c =>
    set.bound(gatewayApiConfigKey(c.namespace, c.name)),
  );
  const gateways = gatewaysById(set, gatewayIds);
  const hosts = [
    ...new Set(attached.flatMap(a => a.listeners.flatMap(l => l.hosts))),
  ];
  return {
    id: ids.route(objects.name, kind, namespace, route.metadata.name),
    cluster: objects.name,
    namespace,
    name: route.metadata.name,
    kind,
    hosts: hosts.length ? hosts : ['*'],
    gateways: [...new Set<string>(gatewayIds)],
    tls: routeTls(gateways, hosts, configs),
    // A backend in another namespace without a ReferenceGrant is refused by the gateway.
    destinations: uniqueDestinations(
      backendRefs(objects, route, kind)
        .filter(b => b.permitted)
        .map(b =>
          destination(objects, `${b.name}.${b.namespace}`, namespace, b.port),
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
    // Ingresses before networking.k8s.io/v1 name `backend` and `serviceName`/`servicePort`.
    ...(ingress.spec?.backend ? [ingress.spec.backend] : []),
    ...(ingress.spec?.rules ?? []).flatMap((r: any) =>
      (r.http?.paths ?? []).map((p: any) => p.backend),
    ),
  ]
    .map((b: any) =>
      b?.serviceName
        ? {
            service: {
              name: b.serviceName,
              port:
                typeof b.servicePort === 'number'
                  ? { number: b.servicePort }
                  : { name: b.servicePort },
            },
          }
        : b,
    )
    .filter((b: any) => b?.service?.name);
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

/** Every route bound to a gateway: VirtualServices, Gateway API routes and Ingresses. */
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
    ...(
      Object.entries(GATEWAY_API_ROUTE_KINDS) as Array<
        [keyof typeof GATEWAY_API_ROUTE_KINDS, RouteKind]
      >
    ).flatMap(([collected, kind]) =>
      objects.list(collected).map(r => gatewayApiRoute(objects, set, r, kind)),
    ),
    ...objects.list('ingresses').map(i => ingressRoute(objects, set, i, now)),
  ];
}
