import { memo, SVGProps, useMemo } from 'react';
import { ViewportPortal } from '@xyflow/react';
import { GraphColours } from './colours';
import { EdgeCurve } from './edges';
import {
  Box,
  BOX_PADDING,
  ClusterBox,
  NamespaceBox,
  NODE_HEIGHT,
  NODE_WIDTH,
  Positions,
} from './layout';
import { CROSS_CLUSTER_EDGES, Graph, GraphNodeType } from './types';

const DASHES = '6 4';

const outline = (boxes: Box[]) =>
  boxes
    .map(b => `M${b.x} ${b.y}h${b.width}v${b.height}h${-b.width}Z`)
    .join(' ');

/** Edge path styles, indexed by (touches the selection ? 2 : 0) + (crosses clusters ? 1 : 0). */
const EDGE_STYLES: Array<{
  testId: string;
  style: (colours: GraphColours) => SVGProps<SVGPathElement>;
}> = [
  {
    testId: 'topology-edges-plain',
    style: c => ({ stroke: c.edge, strokeOpacity: 0.55 }),
  },
  {
    testId: 'topology-edges-cross-cluster',
    style: c => ({ stroke: c.crossClusterEdge, strokeDasharray: DASHES }),
  },
  {
    testId: 'topology-edges-selected',
    style: c => ({ stroke: c.highlight, strokeWidth: 2.5 }),
  },
  {
    testId: 'topology-edges-selected-cross-cluster',
    style: c => ({
      stroke: c.highlight,
      strokeWidth: 2.5,
      strokeDasharray: DASHES,
    }),
  },
];

export interface GraphLayerProps {
  graph: Graph;
  positions: Positions;
  curves: Map<string, EdgeCurve>;
  /** A box around each cluster's nodes, with its name. */
  clusters: ClusterBox[];
  /** A box around each namespace's nodes, inside its cluster's, with its name. */
  namespaces: NamespaceBox[];
  selectedId?: string;
  /** The edge under the pointer, drawn as those of the selection are. */
  hoveredEdgeId?: string;
  colours: GraphColours;
  /** Draws the nodes too, as boxes in their type's colour, while they are too small to read. */
  nodeBoxes: boolean;
}

/**
 * Draws the graph as a few SVG paths rather than thousands of React Flow elements: every edge,
 * one path per style (plain or cross-cluster, touching the selected node or not), and zoomed
 * out every node, one path per node type, so that the estate reads as a map. Nodes never move
 * once laid out; per-element components were most of the first render of a large estate.
 */
export const GraphLayer = memo(
  ({
    graph,
    positions,
    curves,
    clusters,
    namespaces,
    selectedId,
    hoveredEdgeId,
    colours,
    nodeBoxes,
  }: GraphLayerProps) => {
    const edgePaths = useMemo(() => {
      const paths = EDGE_STYLES.map((): string[] => []);
      const arrows = EDGE_STYLES.map((): string[] => []);
      for (const edge of graph.edges) {
        const drawn = curves.get(edge.id);
        if (!drawn) continue;
        const touchesSelection =
          edge.source === selectedId ||
          edge.target === selectedId ||
          edge.id === hoveredEdgeId;
        const cross = CROSS_CLUSTER_EDGES.has(edge.type);
        const style = (touchesSelection ? 2 : 0) + (cross ? 1 : 0);
        paths[style].push(drawn.path);
        arrows[style].push(drawn.arrow);
      }
      return paths.map((p, i) => ({
        path: p.join(' '),
        arrows: arrows[i].join(' '),
      }));
    }, [graph.edges, curves, selectedId, hoveredEdgeId]);

    const boxes = useMemo(() => {
      if (!nodeBoxes) return undefined;
      const byType = new Map<GraphNodeType, string[]>();
      const outlines = new Map<string, string[]>();
      const add = <K,>(map: Map<K, string[]>, key: K, box: string) => {
        const boxesOfKey = map.get(key);
        if (boxesOfKey) boxesOfKey.push(box);
        else map.set(key, [box]);
      };
      for (const node of graph.nodes) {
        const position = positions.get(node.id);
        if (!position) continue;
        const box = `M${position.x} ${
          position.y
        }h${NODE_WIDTH}v${NODE_HEIGHT}h${-NODE_WIDTH}Z`;
        add(byType, node.type, box);
        if (node.id === selectedId) {
          add(outlines, colours.highlight, box);
        } else if (node.severity) {
          add(outlines, colours.severity[node.severity], box);
        }
      }
      return { byType: [...byType], outlines: [...outlines] };
    }, [graph.nodes, positions, colours, selectedId, nodeBoxes]);

    return (
      <ViewportPortal>
        <svg
          data-testid="topology-layer"
          width={1}
          height={1}
          style={{
            position: 'absolute',
            overflow: 'visible',
            zIndex: -1,
            pointerEvents: 'none',
          }}
        >
          {/* Clusters first, behind everything: a box and its name, at every zoom. */}
          <path
            data-testid="topology-clusters"
            d={outline(clusters)}
            fill={colours.nodeType.cluster}
            fillOpacity={0.04}
            stroke={colours.nodeType.cluster}
            strokeOpacity={0.5}
            vectorEffect="non-scaling-stroke"
          />
          {clusters.map(c => (
            <text
              key={c.cluster}
              data-testid="topology-cluster-name"
              x={c.x + BOX_PADDING}
              y={c.y + BOX_PADDING + 8}
              fill={colours.nodeType.cluster}
              fontSize={16}
              fontWeight={600}
            >
              {c.cluster}
            </text>
          ))}
          {/* Namespaces inside them, dashed, each named at its top left. */}
          <path
            data-testid="topology-namespaces"
            d={outline(namespaces)}
            fill={colours.subtleText}
            fillOpacity={0.04}
            stroke={colours.subtleText}
            strokeOpacity={0.6}
            strokeDasharray={DASHES}
            vectorEffect="non-scaling-stroke"
          />
          {/* Their names only where they can be read, like the nodes' own. */}
          {!nodeBoxes &&
            namespaces.map(n => (
              <text
                key={`${n.cluster} ${n.namespace}`}
                data-testid="topology-namespace-name"
                x={n.x + BOX_PADDING}
                y={n.y + BOX_PADDING + 6}
                fill={colours.subtleText}
                fontSize={13}
                fontWeight={600}
              >
                {n.namespace}
              </text>
            ))}
          {EDGE_STYLES.map(({ testId, style }, i) => {
            const { stroke, strokeOpacity } = style(colours);
            return (
              <g key={testId}>
                <path
                  data-testid={testId}
                  d={edgePaths[i].path}
                  fill="none"
                  {...style(colours)}
                />
                <path
                  data-testid={`${testId}-arrows`}
                  d={edgePaths[i].arrows}
                  fill={stroke}
                  fillOpacity={strokeOpacity}
                />
              </g>
            );
          })}
          {boxes?.byType.map(([type, paths]) => (
            <path
              key={type}
              data-testid={`topology-boxes-${type}`}
              d={paths.join(' ')}
              fill={colours.nodeType[type]}
            />
          ))}
          {/* Outlines keep their width on screen: findings and the selection show at any zoom. */}
          {boxes?.outlines.map(([colour, paths]) => (
            <path
              key={colour}
              d={paths.join(' ')}
              fill="none"
              style={{ stroke: colour }}
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
            />
          ))}
        </svg>
      </ViewportPortal>
    );
  },
);
