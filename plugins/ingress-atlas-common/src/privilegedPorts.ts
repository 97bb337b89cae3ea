/**
 * Who may bind a port below 1024 on the host network. A host-network pod shares the node's
 * network namespace, where `net.ipv4.ip_unprivileged_port_start` is the node's (1024 unless
 * changed) and the kubelet refuses to set it for the pod; so only a process holding
 * CAP_NET_BIND_SERVICE binds there: root, with that capability not dropped. Kubernetes gives a
 * container's added capabilities to root only (it sets no ambient capabilities), so a non-root
 * user with NET_BIND_SERVICE added still cannot bind.
 */

/**
 * A container as a pod spec declares it: the parts that decide who its process runs as.
 *
 * @public
 */
export interface ContainerSpec {
  name?: string;
  image?: string;
  command?: string[];
  env?: Array<{ name: string; value?: string }>;
  ports?: Array<{ containerPort: number; protocol?: string }>;
  securityContext?: {
    runAsUser?: number;
    runAsGroup?: number;
    runAsNonRoot?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

const NET_BIND_SERVICE = 'NET_BIND_SERVICE';

/**
 * Envoy's official images start as root and their entrypoint switches to the `envoy` user
 * (uid 101) unless `ENVOY_UID` is 0; a `command` of the container's own skips the entrypoint.
 */
const ENVOY_IMAGE = /(^|\/)envoyproxy\/envoy(-dev|-contrib)?(:|@|$)/;

function switchesToEnvoyUser(container: ContainerSpec): boolean {
  return (
    ENVOY_IMAGE.test(container.image ?? '') &&
    !container.command?.length &&
    container.env?.find(e => e.name === 'ENVOY_UID')?.value !== '0'
  );
}

/** The container's declared ports below 1024: on the host network, the node's own. */
function privilegedPortsOf(container: ContainerSpec): number[] {
  return [
    ...new Set(
      (container.ports ?? [])
        .map(p => p.containerPort)
        .filter(port => port > 0 && port < 1024),
    ),
  ].sort((a, b) => a - b);
}

/**
 * Why a host-network container cannot bind its declared ports below 1024, or undefined when it
 * can or nothing says who it runs as (an image's own user is not known here).
 *
 * @public
 */
export function privilegedPortsBlocked(
  podSecurityContext: { runAsUser?: number } | undefined,
  container: ContainerSpec,
): { ports: number[]; reason: string } | undefined {
  const ports = privilegedPortsOf(container);
  if (ports.length === 0) return undefined;
  const uid =
    container.securityContext?.runAsUser ?? podSecurityContext?.runAsUser;
  if (uid !== undefined && uid !== 0) {
    return { ports, reason: `it runs as uid ${uid}, not root` };
  }
  if (switchesToEnvoyUser(container)) {
    return {
      ports,
      reason:
        "the Envoy image's entrypoint switches to the envoy user (uid 101) unless ENVOY_UID is 0",
    };
  }
  const { add = [], drop = [] } = container.securityContext?.capabilities ?? {};
  const dropped = drop.includes('ALL') || drop.includes(NET_BIND_SERVICE);
  if (dropped && !add.includes(NET_BIND_SERVICE)) {
    return { ports, reason: 'its capabilities drop NET_BIND_SERVICE' };
  }
  return undefined;
}

/**
 * The container running as root with no capability added but NET_BIND_SERVICE, so that it
 * binds ports below 1024 on the host network (and Envoy's image keeps root: `ENVOY_UID=0`).
 *
 * @public
 */
export function bindingPrivilegedPorts(
  container: ContainerSpec,
): ContainerSpec {
  const {
    add = [],
    drop = [],
    ...capabilities
  } = container.securityContext?.capabilities ?? {};
  const env =
    ENVOY_IMAGE.test(container.image ?? '') && !container.command?.length
      ? [
          ...(container.env ?? []).filter(e => e.name !== 'ENVOY_UID'),
          { name: 'ENVOY_UID', value: '0' },
        ]
      : container.env;
  return {
    ...container,
    ...(env && { env }),
    securityContext: {
      ...container.securityContext,
      runAsUser: 0,
      runAsGroup: 0,
      runAsNonRoot: false,
      capabilities: {
        ...capabilities,
        ...(drop.length > 0 && {
          drop: drop.filter(c => c !== NET_BIND_SERVICE),
        }),
        add: [...new Set([...add, NET_BIND_SERVICE])],
      },
    },
  };
}
