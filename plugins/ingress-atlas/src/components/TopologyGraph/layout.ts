import ELK, { ElkNode } from 'elkjs/lib/elk.bundled.js';

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 52;
/** Room inside a cluster's or namespace's box around its nodes, and above them for its name. */
export const BOX_PADDING = 16;
export const BOX_LABEL_HEIGHT = 24;
/** Space between cluster boxes. */
const BOX_GAP = 60;

export interface LayoutInput {
  nodes: Array<{ id: string; cluster?: string; namespace?: string }>;
  edges: Array<{ source: string; target: string }>;
}

export type Positions = Map<string, { x: number; y: number }>;

/** A rectangle of the graph, in the layout's coordinates. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box drawn around one cluster's nodes. */
export interface ClusterBox extends Box {
  cluster: string;
}

/** The box drawn around the nodes of one namespace, inside its cluster's box. */
export interface NamespaceBox extends Box {
  cluster: string;
  namespace: string;
}

export interface GraphLayout {
  positions: Positions;
  clusters: ClusterBox[];
  namespaces: NamespaceBox[];
}

const elk = new ELK();

const LAYERED = {
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
};

/** Room ELK leaves inside a namespace's box: its name above the nodes. */
const NAMESPACE_PADDING = `[top=${
  BOX_PADDING + BOX_LABEL_HEIGHT
},left=${BOX_PADDING},bottom=${BOX_PADDING},right=${BOX_PADDING}]`;

/**
 * The links that decide where boxes go: without those that close a cycle, and without those
 * implied by a longer path (a transitive reduction), which leave each box in the same column.
 * Namespaces linked every way to each other would otherwise cost ELK a dummy node for every
 * column a link spans.
 */
function* essentialLinks(
  links: Map<string, Set<string>>,
): Generator<[string, string]> {
  // Depth first: the order boxes are finished in, with the links back to an open box dropped.
  const state = new Map<string, 'open' | 'done'>();
  const finished: string[] = [];
  const forward = new Map<string, string[]>();
  const visit = (from: string) => {
    state.set(from, 'open');
    const kept: string[] = [];
    for (const to of links.get(from) ?? []) {
      const seen = state.get(to);
      if (seen === 'open') continue;
      kept.push(to);
      if (!seen) visit(to);
    }
    forward.set(from, kept);
    state.set(from, 'done');
    finished.push(from);
  };
  for (const from of links.keys()) if (!state.has(from)) visit(from);
  // Successors are finished before their predecessors: what each box reaches, sinks first.
  const reaches = new Map<string, Set<string>>();
  for (const from of finished) {
    const targets = forward.get(from) ?? [];
    const reached = new Set<string>();
    for (const to of targets) {
      for (const beyond of reaches.get(to) ?? []) reached.add(beyond);
    }
    for (const to of targets) {
      if (!reached.has(to)) yield [from, to];
    }
    for (const to of targets) reached.add(to);
    reaches.set(from, reached);
  }
}

interface Group {
  cluster?: string;
  positions: Positions;
  namespaces: NamespaceBox[];
  width: number;
  height: number;
}

/**
 * Lays out one cluster's nodes left to right along their edges with ELK's layered layout, the
 * nodes of each namespace together in a box of their own (ELK lays out each box's insides,
 * then the boxes and the cluster-wide nodes along the links between them). Positions start
 * at 0, 0.
 */
async function layoutGroup(
  cluster: string | undefined,
  members: LayoutInput['nodes'],
  edges: LayoutInput['edges'],
): Promise<Group> {
  // Where each node is drawn: in its namespace's box, or on its own (cluster-wide objects,
  // and everything outside clusters).
  const boxOf = new Map<string, string>();
  const boxes = new Map<string, ElkNode & { children: ElkNode[] }>();
  const children: ElkNode[] = [];
  for (const node of members) {
    const child = { id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT };
    if (cluster === undefined || node.namespace === undefined) {
      boxOf.set(node.id, node.id);
      children.push(child);
      continue;
    }
    // Not a node id: those all have a `type:` prefix.
    const boxId = ` ${node.namespace}`;
    boxOf.set(node.id, boxId);
    let box = boxes.get(boxId);
    if (!box) {
      box = {
        id: boxId,
        layoutOptions: { ...LAYERED, 'elk.padding': NAMESPACE_PADDING },
        children: [],
        edges: [],
      };
      boxes.set(boxId, box);
      children.push(box);
    }
    box.children.push(child);
  }
  // An edge inside a namespace stays in its box; those between boxes become links between
  // the boxes, as few as place them in the same columns.
  const links = new Map<string, Set<string>>();
  for (const e of edges) {
    const from = boxOf.get(e.source);
    const to = boxOf.get(e.target);
    if (!from || !to || e.source === e.target) continue;
    if (from !== to) {
      const targets = links.get(from);
      if (targets) targets.add(to);
      else links.set(from, new Set([to]));
    } else if (from !== e.source) {
      const box = boxes.get(from)!;
      box.edges!.push({
        id: `e${box.edges!.length}`,
        sources: [e.source],
        targets: [e.target],
      });
    }
  }
  const rootEdges = [...essentialLinks(links)].map(([from, to], i) => ({
    id: `e${i}`,
    sources: [from],
    targets: [to],
  }));
  const result = await elk.layout({
    id: 'root',
    layoutOptions: LAYERED,
    children,
    edges: rootEdges,
  });

  const positions: Positions = new Map();
  const namespaces: NamespaceBox[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const child of result.children ?? []) {
    const x = child.x ?? 0;
    const y = child.y ?? 0;
    const width = child.width ?? NODE_WIDTH;
    const height = child.height ?? NODE_HEIGHT;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + width);
    maxY = Math.max(maxY, y + height);
    if (!boxes.has(child.id)) {
      positions.set(child.id, { x, y });
      continue;
    }
    namespaces.push({
      cluster: cluster!,
      namespace: child.id.slice(1),
      x,
      y,
      width,
      height,
    });
    for (const inner of child.children ?? []) {
      positions.set(inner.id, { x: x + (inner.x ?? 0), y: y + (inner.y ?? 0) });
    }
  }
  for (const p of positions.values()) {
    p.x -= minX;
    p.y -= minY;
  }
  for (const box of namespaces) {
    box.x -= minX;
    box.y -= minY;
  }
  return {
    cluster,
    positions,
    namespaces,
    width: maxX - minX,
    height: maxY - minY,
  };
}

/**
 * Lays out each cluster on its own (clusters and entries first, workloads last), each
 * namespace's nodes in a box inside it, and packs the clusters as boxes in rows, largest
 * first; nodes of no cluster (the DNS hosts of an entity) come first, without a box. Edges
 * between clusters (remote clusters, front proxies) run between the boxes. See
 * `yarn bench:graph` in this package for the figures at 2,000 nodes.
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
  const laidOut = (
    await Promise.all(
      [...groups].map(([cluster, members]) =>
        layoutGroup(cluster, members, edges),
      ),
    )
  ).map(group => {
    const boxed = group.cluster !== undefined;
    return {
      ...group,
      outerWidth: group.width + (boxed ? 2 * BOX_PADDING : 0),
      outerHeight:
        group.height + (boxed ? 2 * BOX_PADDING + BOX_LABEL_HEIGHT : 0),
    };
  });
  // Shelf packing: rows about as wide as the estate is tall, so it fits a screen.
  const area = laidOut.reduce(
    (sum, g) => sum + (g.outerWidth + BOX_GAP) * (g.outerHeight + BOX_GAP),
    0,
  );
  const rowWidth = Math.max(
    Math.sqrt(area) * 1.6,
    ...laidOut.map(g => g.outerWidth),
  );
  const ordered = [
    ...laidOut.filter(g => g.cluster === undefined),
    ...laidOut
      .filter(g => g.cluster !== undefined)
      .sort((a, b) => b.outerHeight - a.outerHeight),
  ];
  const positions: Positions = new Map();
  const clusters: ClusterBox[] = [];
  const namespaces: NamespaceBox[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const group of ordered) {
    if (x > 0 && x + group.outerWidth > rowWidth) {
      x = 0;
      y += rowHeight + BOX_GAP;
      rowHeight = 0;
    }
    const boxed = group.cluster !== undefined;
    const offsetX = x + (boxed ? BOX_PADDING : 0);
    const offsetY = y + (boxed ? BOX_PADDING + BOX_LABEL_HEIGHT : 0);
    for (const [id, p] of group.positions) {
      positions.set(id, { x: p.x + offsetX, y: p.y + offsetY });
    }
    for (const box of group.namespaces) {
      namespaces.push({ ...box, x: box.x + offsetX, y: box.y + offsetY });
    }
    if (boxed) {
      clusters.push({
        cluster: group.cluster!,
        x,
        y,
        width: group.outerWidth,
        height: group.outerHeight,
      });
    }
    x += group.outerWidth + BOX_GAP;
    rowHeight = Math.max(rowHeight, group.outerHeight);
  }
  return { positions, clusters, namespaces };
}
