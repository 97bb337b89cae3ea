import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ResourceEntity,
} from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_API_SERVER,
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
} from '@backstage/plugin-kubernetes-common';
import {
  AtlasCluster,
  atlasEntityName,
  BillableResource,
  CLOUD_PROVIDER_LABELS,
  CloudProvider,
  cloudResourceRef,
  clusterResourceRef,
  describeCluster,
  describeGateway,
  describeMonthlyCost,
  describeResource,
  ExposuresResponse,
  Gateway,
  gatewayResourceName,
  hasGatewayResource,
  NETWORK_REACH_LABELS,
  NetworkReach,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  CloudInventory,
  CloudTag,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { ownerRef } from '../config';

/**
 * The atlas cluster a Resource stands for.
 *
 * @public
 */
export const ANNOTATION_ATLAS_CLUSTER = 'ingress-atlas.io/cluster';
/**
 * The atlas gateway id (`gateway:<cluster>/<namespace>/<name>`) of an ingress-gateway Resource.
 *
 * @public
 */
export const ANNOTATION_ATLAS_GATEWAY = 'ingress-atlas.io/gateway';
/**
 * The cloud id (lb-..., eip-...) of a load-balancer or elastic-ip Resource.
 *
 * @public
 */
export const ANNOTATION_CLOUD_RESOURCE_ID =
  'ingress-atlas.io/cloud-resource-id';

/**
 * Prefix of the `backstage.io/managed-by-location` of everything emitted here.
 *
 * @public
 */
export const LOCATION_PREFIX = 'ingress-atlas:';

const RESOURCE_TYPES: Record<BillableResource['kind'], string> = {
  'load-balancer': 'load-balancer',
  eip: 'elastic-ip',
  'vpc-endpoint': 'vpc-endpoint',
};

interface CloudResource {
  id: string;
  provider: CloudProvider;
  kind: BillableResource['kind'];
  network?: NetworkReach;
  region?: string;
  loadBalancerKind?: string;
  name?: string;
  addresses: Set<string>;
  tags: CloudTag[];
  /** Components reached through it without a gateway (pod EIPs, NodePorts...). */
  serves: Set<string>;
}

export interface AtlasEntitiesOptions {
  clusters: AtlasCluster[];
  exposures: ExposuresResponse;
  cloud: CloudInventory[];
  owner: string;
  ownerTag: string;
  clusterAuthProvider: string;
}

/**
 * The Resources the catalog gets from the atlas: clusters, the gateways in them and the cloud
 * load balancers and EIPs in front of those. A gateway depends on its cluster and on what
 * fronts it, and is a dependency of the components whose hosts it serves.
 */
export function atlasEntities(options: AtlasEntitiesOptions): {
  entities: ResourceEntity[];
  warnings: string[];
} {
  const { exposures, owner } = options;
  const warnings: string[] = [];

  const clusterRefs = new Map<string, string>();
  const clusterEntities: ResourceEntity[] = [];
  for (const cluster of options.clusters) {
    clusterRefs.set(cluster.name, clusterResourceRef(cluster));
    // Clusters the atlas found in the catalog are already there; emitting them again
    // would conflict with their own location.
    if (cluster.source === 'catalog') continue;
    const name = atlasEntityName(cluster.name);
    const apiServer = /^https?:\/\//.test(cluster.url ?? '')
      ? cluster.url
      : undefined;
    clusterEntities.push(
      resource({
        name,
        title:
          cluster.title ?? (name === cluster.name ? undefined : cluster.name),
        description: `${describeCluster(
          cluster,
        )}, known to Ingress Atlas from ${cluster.source}.`,
        location: `cluster/${cluster.name}`,
        annotations: {
          [ANNOTATION_ATLAS_CLUSTER]: cluster.name,
          ...(apiServer && {
            [ANNOTATION_KUBERNETES_API_SERVER]: apiServer,
            [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: options.clusterAuthProvider,
          }),
        },
        labels: { provider: cluster.provider, region: cluster.region },
        spec: { type: 'kubernetes-cluster', owner },
      }),
    );
  }
  const clusterRef = (cluster: string) =>
    clusterRefs.get(cluster) ?? clusterResourceRef({ name: cluster });

  const resources = collectCloudResources(options);
  const servedBy = new Map<string, Set<string>>();
  const hostsOf = new Map<string, Set<string>>();
  for (const path of exposures.paths) {
    for (const gateway of [
      ...path.via,
      ...(path.gateway ? [path.gateway] : []),
    ]) {
      addAll(servedBy, gateway, path.entityRefs);
      addAll(hostsOf, gateway, [path.host]);
    }
    const entry = exposures.entries.find(e => e.id === path.entry);
    if (entry && !entry.gateway) {
      for (const r of entry.resources) {
        path.entityRefs.forEach(ref => resources.get(r.id)?.serves.add(ref));
      }
    }
  }
  const frontedBy = new Map<string, Set<string>>();
  for (const entry of exposures.entries) {
    if (entry.gateway) {
      addAll(
        frontedBy,
        entry.gateway,
        entry.resources.map(r => cloudResourceRef(r.id)),
      );
    }
  }

  const gatewayEntities = exposures.gateways
    .filter(hasGatewayResource)
    .map(gateway =>
      resource({
        name: gatewayResourceName(gateway),
        description: describeGatewayResource(gateway, hostsOf.get(gateway.id)),
        location: `cluster/${gateway.cluster}`,
        annotations: {
          [ANNOTATION_ATLAS_CLUSTER]: gateway.cluster,
          [ANNOTATION_ATLAS_GATEWAY]: gateway.id,
        },
        labels: {},
        spec: {
          type: 'ingress-gateway',
          owner,
          dependsOn: sorted([
            clusterRef(gateway.cluster),
            ...(frontedBy.get(gateway.id) ?? []),
          ]),
          dependencyOf: sorted(servedBy.get(gateway.id) ?? []),
        },
      }),
    );

  const attached = new Set(
    exposures.entries.flatMap(e => [
      ...e.resources.map(r => r.id),
      ...(e.cloudResourceId ? [e.cloudResourceId] : []),
    ]),
  );
  const cloudEntities = [...resources.values()].map(r => {
    const tagged = r.tags.find(t => t.key === options.ownerTag)?.value;
    let resourceOwner = owner;
    if (tagged) {
      try {
        resourceOwner = ownerRef(tagged, `${options.ownerTag} tag of ${r.id}`);
      } catch (error) {
        warnings.push((error as Error).message);
      }
    }
    const cost = costOf(r.id, exposures);
    return resource({
      name: atlasEntityName(r.id),
      title: r.name,
      description: describeCloudResource(r, cost),
      location: `cloud/${r.provider}/${r.region ?? 'unknown'}`,
      annotations: { [ANNOTATION_CLOUD_RESOURCE_ID]: r.id },
      labels: {
        provider: r.provider,
        region: r.region,
        network: r.network,
        state: cost?.state,
        // ACCOUNT_INVENTORY_LABEL once prefixed: readable only with cloud-inventory.read.
        'account-inventory': attached.has(r.id) ? undefined : 'true',
      },
      spec: {
        type: RESOURCE_TYPES[r.kind],
        owner: resourceOwner,
        dependencyOf: sorted(r.serves),
      },
    });
  });

  const byName = (a: ResourceEntity, b: ResourceEntity) =>
    a.metadata.name.localeCompare(b.metadata.name);
  return {
    entities: [
      ...clusterEntities.sort(byName),
      ...gatewayEntities.sort(byName),
      ...cloudEntities.sort(byName),
    ],
    warnings,
  };
}

function collectCloudResources(options: AtlasEntitiesOptions) {
  const resources = new Map<string, CloudResource>();
  const merge = (
    found: Pick<CloudResource, 'id' | 'provider' | 'kind'> &
      Partial<Omit<CloudResource, 'addresses' | 'serves'>> & {
        addresses: string[];
      },
  ) => {
    const known = resources.get(found.id) ?? {
      ...found,
      tags: [],
      addresses: new Set<string>(),
      serves: new Set<string>(),
    };
    known.network ??= found.network;
    known.region ??= found.region;
    known.loadBalancerKind ??= found.loadBalancerKind;
    known.name ??= found.name;
    if (found.tags?.length) known.tags = found.tags;
    found.addresses.forEach(a => known.addresses.add(a));
    resources.set(found.id, known);
  };
  for (const entry of options.exposures.entries) {
    for (const r of entry.resources) {
      merge({
        ...r,
        addresses: r.id === entry.cloudResourceId ? entry.addresses : [],
      });
    }
  }
  for (const inventory of options.cloud) {
    const { provider, region } = inventory;
    for (const lb of inventory.loadBalancers) {
      merge({
        id: lb.id,
        provider,
        kind: 'load-balancer',
        network: lb.network,
        region,
        loadBalancerKind: lb.kind,
        name: lb.name,
        tags: lb.tags,
        addresses: lb.vips,
      });
    }
    for (const address of inventory.addresses) {
      merge({
        id: address.id,
        provider,
        kind: 'eip',
        network: 'public',
        region,
        tags: address.tags,
        addresses: [address.ip],
      });
    }
  }
  return resources;
}

function costOf(resourceId: string, exposures: ExposuresResponse) {
  const entry = exposures.entries.find(e => e.cloudResourceId === resourceId);
  return exposures.costs.find(
    c => c.resource === resourceId || (entry && c.entry === entry.id),
  );
}

function resource(options: {
  name: string;
  title?: string;
  description: string;
  location: string;
  annotations: Record<string, string>;
  labels: Record<string, string | undefined>;
  spec: ResourceEntity['spec'] & { dependencyOf?: string[] };
}): ResourceEntity {
  const location = `${LOCATION_PREFIX}${options.location}`;
  const labels = Object.fromEntries(
    Object.entries(options.labels)
      .filter((e): e is [string, string] => Boolean(e[1]))
      .map(([key, value]) => [`ingress-atlas.io/${key}`, value]),
  );
  const spec = Object.fromEntries(
    Object.entries(options.spec).filter(
      ([, value]) => !(Array.isArray(value) && value.length === 0),
    ),
  ) as ResourceEntity['spec'];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: options.name,
      ...(options.title && { title: options.title }),
      description: options.description,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        ...options.annotations,
      },
      ...(Object.keys(labels).length > 0 && { labels }),
    },
    spec,
  };
}

/**
 * `Ingress gateway istio-system/istio-ingressgateway (istio) on tke-blog, serving
 * blog.example.com.`
 */
function describeGatewayResource(
  gateway: Gateway,
  hosts: Set<string> | undefined,
): string {
  let role = 'Ingress gateway';
  if (gateway.eastWest) role = 'East-west gateway';
  else if (gateway.kind === 'front-proxy') role = 'Front proxy';
  const serving = hosts?.size ? `, serving ${sorted(hosts).join(', ')}` : '';
  return `${role} ${describeGateway(gateway)}${serving}.`;
}

/**
 * `Public Tencent Cloud CLB lb-blog0001 (198.51.100.11) in ap-guangzhou; in-use, 144 CNY/month,
 * plus traffic of unknown volume.`
 */
function describeCloudResource(
  r: CloudResource,
  cost: ReturnType<typeof costOf>,
): string {
  const network = r.network ? `${NETWORK_REACH_LABELS[r.network]} ` : '';
  const addresses = r.addresses.size
    ? ` (${sorted(r.addresses).join(', ')})`
    : '';
  const region = r.region ? ` in ${r.region}` : '';
  const state = cost
    ? `; ${cost.state}, ${describeMonthlyCost(cost.monthlyCny, {
        unpriced: cost.unpriced.length > 0,
        // Idle and orphaned resources carry no traffic.
        trafficUnknown: cost.state === 'in-use' && cost.traffic === 'unknown',
      })}`
    : '';
  return `${network}${CLOUD_PROVIDER_LABELS[r.provider]} ${describeResource(
    r,
  )}${addresses}${region}${state}.`;
}

function addAll<K, V>(map: Map<K, Set<V>>, key: K, values: Iterable<V>) {
  const set = map.get(key) ?? new Set<V>();
  for (const value of values) set.add(value);
  map.set(key, set);
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
