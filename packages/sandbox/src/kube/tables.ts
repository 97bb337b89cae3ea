import type { KubeObject } from './store';

/**
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), which kubectl
 * asks for: the columns `kubectl get` shows for the kinds people look at most, Name and Age
 * for the rest.
 */
type Column = {
  name: string;
  priority?: number;
  cell: (object: KubeObject) => string | number;
};

const name: Column = { name: 'Name', cell: o => o.metadata.name };
const age: Column = {
  name: 'Age',
  cell: o => humanAge(o.metadata.creationTimestamp),
};

const COLUMNS: Record<string, Column[]> = {
  Service: [
    name,
    { name: 'Type', cell: o => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', cell: o => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', cell: o => externalIps(o) },
    {
      name: 'Port(s)',
      cell: o => (o.spec?.ports ?? []).map(servicePort).join(',') || '<none>',
    },
    age,
    { name: 'Selector', priority: 1, cell: o => selector(o.spec?.selector) },
  ],
  Pod: [
    name,
    {
      name: 'Ready',
      cell: o =>
        `${
          (o.status?.containerStatuses ?? []).filter((c: any) => c.ready).length
        }/${(o.spec?.containers ?? []).length}`,
    },
    { name: 'Status', cell: o => o.status?.phase ?? 'Pending' },
    { name: 'Restarts', cell: () => 0 },
    age,
    { name: 'IP', priority: 1, cell: o => o.status?.podIP ?? '<none>' },
    { name: 'Node', priority: 1, cell: o => o.spec?.nodeName ?? '<none>' },
  ],
  Deployment: [
    name,
    {
      name: 'Ready',
      cell: o => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
    },
    { name: 'Up-to-date', cell: o => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', cell: o => o.status?.availableReplicas ?? 0 },
    age,
  ],
  Node: [
    name,
    { name: 'Status', cell: () => 'Ready' },
    { name: 'Roles', cell: o => roles(o.metadata.labels ?? {}) },
    age,
    { name: 'Version', cell: o => o.status?.nodeInfo?.kubeletVersion ?? '' },
    { name: 'Internal-IP', priority: 1, cell: o => address(o, 'InternalIP') },
    { name: 'External-IP', priority: 1, cell: o => address(o, 'ExternalIP') },
  ],
  Namespace: [name, { name: 'Status', cell: () => 'Active' }, age],
  Endpoints: [
    name,
    {
      name: 'Endpoints',
      cell: o =>
        (o.subsets ?? [])
          .flatMap((s: any) =>
            (s.addresses ?? []).flatMap((a: any) =>
              (s.ports ?? [{}]).map((p: any) =>
                p.port ? `${a.ip}:${p.port}` : a.ip,
              ),
            ),
          )
          .join(',') || '<none>',
    },
    age,
  ],
};

export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

export function toTable(
  kind: string,
  objects: KubeObject[],
  listMetadata: Record<string, unknown>,
) {
  const columns = COLUMNS[kind] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetadata,
    columnDefinitions: columns.map(c => ({
      name: c.name,
      type: 'string',
      format: c.name === 'Name' ? 'name' : '',
      description: c.name,
      priority: c.priority ?? 0,
    })),
    rows: objects.map(object => ({
      cells: columns.map(c => c.cell(object)),
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: object.metadata,
      },
    })),
  };
}

/** kubectl's rounding of ages: 45s, 5m3s, 97m, 5h12m, 30h, 6d5h, 120d, 4y195d. */
export function humanAge(
  timestamp: string | undefined,
  now = Date.now(),
): string {
  if (!timestamp) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  const years = Math.floor(days / 365);
  if (seconds < 120) return `${seconds}s`;
  if (minutes < 10)
    return seconds % 60 ? `${minutes}m${seconds % 60}s` : `${minutes}m`;
  if (hours < 3) return `${minutes}m`;
  if (hours < 8)
    return minutes % 60 ? `${hours}h${minutes % 60}m` : `${hours}h`;
  if (hours < 48) return `${hours}h`;
  if (days < 8) return hours % 24 ? `${days}d${hours % 24}h` : `${days}d`;
  if (days < 365 * 2) return `${days}d`;
  if (years < 8) return days % 365 ? `${years}y${days % 365}d` : `${years}y`;
  return `${years}y`;
}

function servicePort(port: any): string {
  const protocol = port.protocol ?? 'TCP';
  return port.nodePort
    ? `${port.port}:${port.nodePort}/${protocol}`
    : `${port.port}/${protocol}`;
}

function externalIps(service: KubeObject): string {
  const ips = [
    ...(service.status?.loadBalancer?.ingress ?? []).map(
      (i: any) => i.ip ?? i.hostname,
    ),
    ...(service.spec?.externalIPs ?? []),
  ];
  if (ips.length) return ips.join(',');
  if (service.spec?.type === 'ExternalName') return service.spec.externalName;
  return service.spec?.type === 'LoadBalancer' ? '<pending>' : '<none>';
}

function selector(labels: Record<string, string> | undefined): string {
  return labels
    ? Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '<none>';
}

function roles(labels: Record<string, string>): string {
  const found = Object.keys(labels)
    .filter(key => key.startsWith('node-role.kubernetes.io/'))
    .map(key => key.slice('node-role.kubernetes.io/'.length));
  return found.join(',') || '<none>';
}

function address(node: KubeObject, type: string): string {
  return (
    node.status?.addresses?.find((a: any) => a.type === type)?.address ??
    '<none>'
  );
}
