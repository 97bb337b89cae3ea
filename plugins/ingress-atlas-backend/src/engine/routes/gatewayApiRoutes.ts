import { KubeObject } from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  RouteKind,
  hostMatches,
  matchesLabelSelector,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { ClusterObjects } from '../kube/ClusterObjects';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

export const GATEWAY_API_ROUTE_KINDS = {
  httpRoutes: 'HTTPRoute',
  grpcRoutes: 'GRPCRoute',
  tlsRoutes: 'TLSRoute',
  tcpRoutes: 'TCPRoute',
} as const;

/** The route kinds a listener accepts when `allowedRoutes.kinds` is not set, by its protocol. */
const DEFAULT_KINDS: Record<string, string[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

const asArray = (value: unknown): any[] => (Array.isArray(value) ? value : []);

/**
 * The hostnames a route serves on a listener: the intersection of its hostnames with the
 * listener's (a wildcard on either side narrows to the other); none when they share no host.
 */
export function intersectHostnames(
  routeHostnames: string[],
  listenerHostname: string | undefined,
): string[] {
  if (!listenerHostname) return routeHostnames.length ? routeHostnames : ['*'];
  if (routeHostnames.length === 0) return [listenerHostname];
  const hosts = new Set<string>();
  for (const host of routeHostnames) {
    if (hostMatches(listenerHostname, host)) hosts.add(host);
    else if (hostMatches(host, listenerHostname)) hosts.add(listenerHostname);
  }
  return [...hosts];
}

function namespaceAllowed(
  objects: ClusterObjects,
  listener: any,
  gatewayNamespace: string,
  routeNamespace: string,
): boolean {
  const from = listener?.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNamespace === gatewayNamespace;
  if (from === 'Selector') {
    const namespace = objects.get('namespaces', undefined, routeNamespace);
    return matchesLabelSelector(
      listener.allowedRoutes.namespaces.selector,
      namespace?.metadata.labels,
    );
  }
  return false;
}

function kindAllowed(listener: any, kind: string): boolean {
  const kinds = asArray(listener?.allowedRoutes?.kinds);
  if (kinds.length > 0) {
    return kinds.some(
      (k: any) =>
        k?.kind === kind &&
        (k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP,
    );
  }
  const protocol = String(listener?.protocol ?? '').toUpperCase();
  return (DEFAULT_KINDS[protocol] ?? []).includes(kind);
}

export interface Attachment {
  gatewayNamespace: string;
  gatewayName: string;
  /** Listener names and the hostnames the route serves on each. */
  listeners: Array<{ name?: string; port: number; hosts: string[] }>;
}

/**
 * Where a Gateway API route attaches, as a conformant implementation decides: each parentRef's
 * Gateway, narrowed by sectionName and port, to the listeners whose allowedRoutes admit the
 * route's namespace and kind and whose hostname intersects the route's hostnames.
 */
export function attachments(
  objects: ClusterObjects,
  route: KubeObject,
  kind: RouteKind,
): Attachment[] {
  const routeNamespace = route.metadata.namespace ?? 'default';
  const routeHostnames: string[] = asArray(route.spec?.hostnames)
    .filter(h => typeof h === 'string')
    .map(h => h.toLowerCase());
  const found: Attachment[] = [];
  for (const parent of asArray(route.spec?.parentRefs)) {
    if ((parent?.kind ?? 'Gateway') !== 'Gateway') continue;
    if ((parent?.group ?? GATEWAY_API_GROUP) !== GATEWAY_API_GROUP) continue;
    const gatewayNamespace = parent.namespace ?? routeNamespace;
    const gateway = objects.get('k8sGateways', gatewayNamespace, parent.name);
    if (!gateway) continue;
    const listeners = asArray(gateway.spec?.listeners)
      .filter(
        l => parent.sectionName === undefined || l?.name === parent.sectionName,
      )
      .filter(
        l =>
          parent.port === undefined || Number(l?.port) === Number(parent.port),
      )
      .filter(l =>
        namespaceAllowed(objects, l, gatewayNamespace, routeNamespace),
      )
      .filter(l => kindAllowed(l, kind))
      .map(l => ({
        name: l.name,
        port: Number(l.port),
        // TCP and UDP routes have no hostnames: they take the listener's port whole.
        hosts:
          kind === 'TCPRoute'
            ? [String(l.hostname ?? '*').toLowerCase()]
            : intersectHostnames(
                routeHostnames,
                typeof l.hostname === 'string'
                  ? l.hostname.toLowerCase()
                  : undefined,
              ),
      }))
      .filter(l => l.hosts.length > 0);
    if (listeners.length > 0) {
      found.push({ gatewayNamespace, gatewayName: parent.name, listeners });
    }
  }
  return found;
}

/**
 * Whether a reference from a route (or Gateway) in `from.namespace` to an object in another
 * namespace is permitted by a ReferenceGrant there. Same-namespace references need none.
 */
export function referenceGranted(
  objects: ClusterObjects,
  from: { group: string; kind: string; namespace: string },
  to: { group: string; kind: string; namespace: string; name: string },
): boolean {
  if (from.namespace === to.namespace) return true;
  return objects
    .list('referenceGrants')
    .filter(g => g.metadata.namespace === to.namespace)
    .some(
      grant =>
        asArray(grant.spec?.from).some(
          (f: any) =>
            (f?.group ?? '') === from.group &&
            f?.kind === from.kind &&
            f?.namespace === from.namespace,
        ) &&
        asArray(grant.spec?.to).some(
          (t: any) =>
            (t?.group ?? '') === to.group &&
            t?.kind === to.kind &&
            (t?.name === undefined || t.name === to.name),
        ),
    );
}

export interface BackendRef {
  namespace: string;
  name: string;
  port?: number;
  permitted: boolean;
}

/** A route's Service backends, each with whether a cross-namespace reference is granted. */
export function backendRefs(
  objects: ClusterObjects,
  route: KubeObject,
  kind: RouteKind,
): BackendRef[] {
  const namespace = route.metadata.namespace ?? 'default';
  return asArray(route.spec?.rules)
    .flatMap(r => asArray(r?.backendRefs))
    .filter(
      b =>
        (b?.kind ?? 'Service') === 'Service' &&
        (b?.group ?? '') === '' &&
        b?.name,
    )
    .map(b => {
      const to = {
        group: '',
        kind: 'Service',
        namespace: b.namespace ?? namespace,
        name: b.name,
      };
      return {
        namespace: to.namespace,
        name: b.name,
        port: b.port === undefined ? undefined : Number(b.port),
        permitted: referenceGranted(
          objects,
          { group: GATEWAY_API_GROUP, kind, namespace },
          to,
        ),
      };
    });
}
