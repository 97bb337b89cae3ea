import { NODE_TYPE_ORDER } from '../components/TopologyGraph/types';

/** A model id starts with the type of the topology node it becomes: `gateway:tke-blog/...`. */
const NODE_TYPES: ReadonlySet<string> = new Set(
  NODE_TYPE_ORDER.filter(type => type !== 'host'),
);

/** The query parameters of the topology tab: its cluster filter and the node selected. */
export const TOPOLOGY_PARAMS = { cluster: 'cluster', node: 'node' } as const;

/**
 * The atlas's topology tab narrowed to the object's cluster with its node selected; undefined
 * for an id that becomes no node (a cost's).
 */
export function topologyNodeLink(
  atlasPath: string,
  object: { id?: string; cluster?: string },
): string | undefined {
  const type = object.id?.split(':', 1)[0];
  if (!object.id || !type || !NODE_TYPES.has(type)) return undefined;
  const query = new URLSearchParams({
    ...(object.cluster && { [TOPOLOGY_PARAMS.cluster]: object.cluster }),
    [TOPOLOGY_PARAMS.node]: object.id,
  });
  return `${atlasPath.replace(/\/$/, '')}/topology?${query}`;
}
