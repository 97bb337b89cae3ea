import ELK from 'elkjs/lib/elk.bundled.js';

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 52;
/** Room inside a cluster's box around its nodes, and above them for its name. */
export const BOX_PADDING = 16;
export const BOX_LABEL_HEIGHT = 24;
/** Space between cluster boxes. */
const BOX_GAP = 60;

export interface LayoutInput {
  nodes: Array<{ id: string; cluster?: string }>;
  edges: Array<{ source: string; target: string }>;
}

export type Positions = Map<string, { x: number; y: number }>;

/** The box drawn around one cluster's nodes. */
export interface ClusterBox {
  cluster: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphLayout {
  positions: Positions;
  clusters: ClusterBox[];
}

const elk = new ELK();

/**
 * Places nodes left to right along their edges with ELK's layered layout; every node has the
 * same size.
 */
async function layered(
  nodes: LayoutInput['nodes'],
  edges: LayoutInput['edges'],
): Promise<Positions> {
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
      // Centres each layer's nodes: faster than the default, and compact columns instead of
      // a tall staircase.
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

/**
 * Lays out each cluster on its own (clusters and entries first, workloads last) and packs the
 * clusters as boxes in rows, largest first; nodes of no cluster (the DNS hosts of an entity)
 * come first, without a box. Edges between clusters (remote clusters, front proxies) run
 * between the boxes. See `yarn bench:graph` in this package for the figures at 2,000 nodes.
 */
export async function layoutGraph({
  nodes,
  edges,
}: LayoutInput): Promise<GraphLayout> {
  const groups = new Map<string | undefined, LayoutInput['nodes']>();
  for (const node of nodes) {
    const group = groups.get(node.cluster);
    if (group) group.push(node);
    else groups.set(node.cluster, [node]);
  }
  const laidOut = await Promise.all(
    [...groups].map(async ([cluster, members]) => {
      const positions = await layered(members, edges);
      const xs = [...positions.values()].map(p => p.x);
      const ys = [...positions.values()].map(p => p.y);
      const inner = {
        x: Math.min(...xs),
        y: Math.min(...ys),
        width: Math.max(...xs) - Math.min(...xs) + NODE_WIDTH,
        height: Math.max(...ys) - Math.min(...ys) + NODE_HEIGHT,
      };
      const boxed = cluster !== undefined;
      return {
        cluster,
        positions,
        inner,
        width: inner.width + (boxed ? 2 * BOX_PADDING : 0),
        height: inner.height + (boxed ? 2 * BOX_PADDING + BOX_LABEL_HEIGHT : 0),
      };
    }),
  );
  // Shelf packing: rows about as wide as the estate is tall, so it fits a screen.
  const area = laidOut.reduce(
    (sum, g) => sum + (g.width + BOX_GAP) * (g.height + BOX_GAP),
    0,
  );
  const rowWidth = Math.max(
    Math.sqrt(area) * 1.6,
    ...laidOut.map(g => g.width),
  );
  const ordered = [
    ...laidOut.filter(g => g.cluster === undefined),
    ...laidOut
      .filter(g => g.cluster !== undefined)
      .sort((a, b) => b.height - a.height),
  ];
  const positions: Positions = new Map();
  const clusters: ClusterBox[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const group of ordered) {
    if (x > 0 && x + group.width > rowWidth) {
      x = 0;
      y += rowHeight + BOX_GAP;
      rowHeight = 0;
    }
    const boxed = group.cluster !== undefined;
    const offsetX = x + (boxed ? BOX_PADDING : 0) - group.inner.x;
    const offsetY =
      y + (boxed ? BOX_PADDING + BOX_LABEL_HEIGHT : 0) - group.inner.y;
    for (const [id, p] of group.positions) {
      positions.set(id, { x: p.x + offsetX, y: p.y + offsetY });
    }
    if (boxed) {
      clusters.push({
        cluster: group.cluster!,
        x,
        y,
        width: group.width,
        height: group.height,
      });
    }
    x += group.width + BOX_GAP;
    rowHeight = Math.max(rowHeight, group.height);
  }
  return { positions, clusters };
}
