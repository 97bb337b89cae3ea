import { memo, useMemo } from 'react';
import { getBezierPath, Position, ViewportPortal } from '@xyflow/react';
import { GraphColours } from './colours';
import { NODE_HEIGHT, NODE_WIDTH, Positions } from './layout';
import { CROSS_CLUSTER_EDGES, GraphEdge } from './types';

const DASHES = '6 4';

/**
 * Draws every edge of the graph as one SVG path per style (plain or cross-cluster, touching the
 * selected node or not) instead of one React Flow edge each: nodes never move once laid out, and
 * thousands of edge components were half of the graph's first render.
 */
export const EdgeLayer = memo(
  ({
    edges,
    positions,
    selectedId,
    colours,
  }: {
    edges: GraphEdge[];
    positions: Positions;
    selectedId?: string;
    colours: GraphColours;
  }) => {
    const curves = useMemo(() => {
      const curve = new Map<string, string>();
      for (const edge of edges) {
        const source = positions.get(edge.source);
        const target = positions.get(edge.target);
        if (!source || !target || edge.source === edge.target) continue;
        const [path] = getBezierPath({
          sourceX: source.x + NODE_WIDTH,
          sourceY: source.y + NODE_HEIGHT / 2,
          sourcePosition: Position.Right,
          targetX: target.x,
          targetY: target.y + NODE_HEIGHT / 2,
          targetPosition: Position.Left,
        });
        curve.set(edge.id, path);
      }
      return curve;
    }, [edges, positions]);

    const paths = useMemo(() => {
      const plain: string[] = [];
      const crossCluster: string[] = [];
      const selected: string[] = [];
      const selectedCrossCluster: string[] = [];
      for (const edge of edges) {
        const path = curves.get(edge.id);
        if (!path) continue;
        const touchesSelection =
          edge.source === selectedId || edge.target === selectedId;
        const cross = CROSS_CLUSTER_EDGES.has(edge.type);
        if (touchesSelection) {
          (cross ? selectedCrossCluster : selected).push(path);
        } else {
          (cross ? crossCluster : plain).push(path);
        }
      }
      return [plain, crossCluster, selected, selectedCrossCluster].map(p =>
        p.join(' '),
      );
    }, [edges, curves, selectedId]);

    return (
      <ViewportPortal>
        <svg
          data-testid="topology-edges"
          width={1}
          height={1}
          style={{
            position: 'absolute',
            overflow: 'visible',
            zIndex: -1,
            pointerEvents: 'none',
          }}
        >
          <path
            data-testid="topology-edges-plain"
            d={paths[0]}
            fill="none"
            stroke={colours.edge}
            strokeOpacity={0.55}
          />
          <path
            data-testid="topology-edges-cross-cluster"
            d={paths[1]}
            fill="none"
            stroke={colours.crossClusterEdge}
            strokeDasharray={DASHES}
          />
          <path
            data-testid="topology-edges-selected"
            d={paths[2]}
            fill="none"
            stroke={colours.highlight}
            strokeWidth={2.5}
          />
          <path
            data-testid="topology-edges-selected-cross-cluster"
            d={paths[3]}
            fill="none"
            stroke={colours.highlight}
            strokeWidth={2.5}
            strokeDasharray={DASHES}
          />
        </svg>
      </ViewportPortal>
    );
  },
);
