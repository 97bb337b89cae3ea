import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { AtlasClusterDescriptor, Gateway, ObjectRef } from './model';

const MAX_NAME_LENGTH = 63;

/**
 * A stable catalog entity name: lower case, runs of other characters as one dash, and a hash
 * of the original when it has to be shortened, so two long names never become one.
 *
 * @public
 */
export function atlasEntityName(value: string): string {
  const slug = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug && slug.length <= MAX_NAME_LENGTH) return slug;
  const hash = bytesToHex(sha256(value)).slice(0, 8);
  const head = slug
    .slice(0, MAX_NAME_LENGTH - hash.length - 1)
    .replace(/-+$/, '');
  return head ? `${head}-${hash}` : hash;
}

function resourceRef(name: string) {
  return `resource:default/${name}`;
}

/**
 * The catalog Resource of a cluster. One found in the catalog is its own Resource; the
 * catalog module publishes each other cluster under its name made an entity name.
 *
 * @public
 */
export function clusterResourceRef(
  cluster: Pick<AtlasClusterDescriptor, 'name'> &
    Partial<Pick<AtlasClusterDescriptor, 'source'>>,
): string {
  return resourceRef(
    cluster.source === 'catalog' ? cluster.name : atlasEntityName(cluster.name),
  );
}

/**
 * Whether the catalog module publishes a gateway as a Resource: not one known only from a
 * configuration that selects no proxy and no Service, which may not exist at all (the
 * GATEWAY_SELECTOR_NO_WORKLOAD finding says so).
 *
 * @public
 */
export function hasGatewayResource(
  gateway: Pick<Gateway, 'origin' | 'services'>,
): boolean {
  return gateway.origin !== 'declared' || gateway.services.length > 0;
}

/**
 * The name of the catalog Resource of an ingress, east-west or front-proxy gateway.
 *
 * @public
 */
export function gatewayResourceName(
  gateway: Pick<Gateway, 'cluster' | 'namespace' | 'name'>,
): string {
  return atlasEntityName(
    `${gateway.cluster}-${gateway.namespace}-${gateway.name}`,
  );
}

/**
 * The catalog Resource of a gateway (see {@link hasGatewayResource} for which have one).
 *
 * @public
 */
export function gatewayResourceRef(
  gateway: Pick<Gateway, 'cluster' | 'namespace' | 'name'>,
): string {
  return resourceRef(gatewayResourceName(gateway));
}

/**
 * The catalog Resource of a cloud load balancer, EIP or VPC endpoint, by its cloud id.
 *
 * @public
 */
export function cloudResourceRef(id: string): string {
  return resourceRef(atlasEntityName(id));
}

/**
 * The catalog Resource published for an object a finding names, when objects of its kind have
 * one: a gateway (`gateway:` id), or the cloud load balancer or EIP of an entry (`entry:` id)
 * or of an unused resource's cost (`cost:` id), which findings name by its cloud id. Whether
 * the catalog holds it is for the catalog to say: a declared gateway with nothing behind it
 * has none (see {@link hasGatewayResource}), and an entry's resource may have no cloud id.
 *
 * @public
 */
export function objectResourceRef(object: ObjectRef): string | undefined {
  const [type, key] = splitId(object.id);
  if (type === 'gateway') {
    // `gateway:<cluster>/<namespace>/<name>`: the object may be named as its workload.
    const parts = key.split('/');
    if (parts.length < 3) return undefined;
    const [namespace, name] = parts.slice(-2);
    const cluster = parts.slice(0, -2).join('/');
    return gatewayResourceRef({ cluster, namespace, name });
  }
  // An entry without a cloud id is named by its own id.
  if ((type === 'entry' || type === 'cost') && object.name !== object.id) {
    return cloudResourceRef(object.name);
  }
  return undefined;
}

function splitId(id: string | undefined): [string, string] {
  const colon = id?.indexOf(':') ?? -1;
  return colon > 0 ? [id!.slice(0, colon), id!.slice(colon + 1)] : ['', ''];
}
