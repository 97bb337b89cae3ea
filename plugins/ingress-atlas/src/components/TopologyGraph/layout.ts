import ELK from 'elkjs/lib/elk.bundled.js';

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 52;

export interface LayoutInput {
  nodes: Array<{ id: string }>;
  edges: Array<{ source: string; target: string }>;
}

export type Positions = Map<string, { x: number; y: number }>;

const elk = new ELK();

/**
 * Places nodes left to right along their edges (clusters and entries first, workloads
 * last) with ELK's layered layout; every node has the same size. Separate meshes are packed
 * side by side. See `yarn bench:graph` in this package for the figures at 2,000 nodes.
 */
export async function layoutGraph({
  nodes,
  edges,
}: LayoutInput): Promise<Positions> {
  const ids = new Set(nodes.map(n => n.id));
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '12',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.spacing.componentComponent': '60',
      'elk.layered.thoroughness': '1',
      // Only node positions are used: edges are drawn from the middle of a node's side, so
      // ELK may merge them into one port per side and route them the cheap way.
      'elk.layered.mergeEdges': 'true',
      'elk.edgeRouting': 'POLYLINE',
      // Centres each layer's nodes: faster than the default, and an estate comes out as
      // compact columns per cluster instead of a tall staircase.
      'elk.layered.nodePlacement.strategy': 'SIMPLE',
    },
    children: nodes.map(n => ({
      id: n.id,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
    })),
    edges: edges
      .filter(
        e => e.source !== e.target && ids.has(e.source) && ids.has(e.target),
      )
      .map((e, i) => ({
        id: `e${i}`,
        sources: [e.source],
        targets: [e.target],
      })),
  });
  const positions: Positions = new Map();
  for (const child of result.children ?? []) {
    positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
  }
  return positions;
}
