import { getBezierPath, Position } from '@xyflow/react';
import { NODE_HEIGHT, NODE_WIDTH, Positions } from './layout';
import { GraphEdge } from './types';

const ARROW_LENGTH = 8;
const ARROW_HALF_WIDTH = 4;
/** Points each curve is cut into for finding the edge under the pointer. */
const SEGMENTS = 12;
/** Side of the grid cells edges are filed in, in graph units. */
const CELL = 256;

/** How an edge is drawn: its curve, its arrowhead and where its label goes. */
export interface EdgeCurve {
  path: string;
  arrow: string;
  labelX: number;
  labelY: number;
  /** Start, the two control points and end of the cubic Bézier curve. */
  bezier: number[];
}

/** The curve of each edge between two laid-out nodes, from the right of its source to the left of its target. */
export function edgeCurves(
  edges: GraphEdge[],
  positions: Positions,
): Map<string, EdgeCurve> {
  const curves = new Map<string, EdgeCurve>();
  for (const edge of edges) {
    const source = positions.get(edge.source);
    const target = positions.get(edge.target);
    if (!source || !target || edge.source === edge.target) continue;
    const [path, labelX, labelY] = getBezierPath({
      sourceX: source.x + NODE_WIDTH,
      sourceY: source.y + NODE_HEIGHT / 2,
      sourcePosition: Position.Right,
      targetX: target.x,
      targetY: target.y + NODE_HEIGHT / 2,
      targetPosition: Position.Left,
    });
    // An arrowhead where the edge enters its target: links read from source to target.
    const tipX = target.x;
    const tipY = target.y + NODE_HEIGHT / 2;
    const arrow = `M${tipX - ARROW_LENGTH} ${
      tipY - ARROW_HALF_WIDTH
    }L${tipX} ${tipY}L${tipX - ARROW_LENGTH} ${tipY + ARROW_HALF_WIDTH}Z`;
    const bezier = (path.match(/-?[\d.]+(?:e[-+]?\d+)?/g) ?? []).map(Number);
    curves.set(edge.id, { path, arrow, labelX, labelY, bezier });
  }
  return curves;
}

function pointAt([x0, y0, x1, y1, x2, y2, x3, y3]: number[], t: number) {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return [a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3];
}

function distanceToSegment(px: number, py: number, [ax, ay, bx, by]: number[]) {
  const dx = bx - ax;
  const dy = by - ay;
  const length = dx * dx + dy * dy;
  const t =
    length === 0
      ? 0
      : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Finds the edge under the pointer: each curve cut into straight segments, filed in a grid by
 * the cells they cross. Built on the first look-up, so that a graph nobody points at costs
 * nothing.
 */
export class EdgeFinder {
  readonly #curves: Map<string, EdgeCurve>;
  #cells?: Map<string, Array<{ id: string; segment: number[] }>>;

  constructor(curves: Map<string, EdgeCurve>) {
    this.#curves = curves;
  }

  #index() {
    const cells = new Map<string, Array<{ id: string; segment: number[] }>>();
    for (const [id, { bezier }] of this.#curves) {
      if (bezier.length !== 8) continue;
      let [ax, ay] = pointAt(bezier, 0);
      for (let i = 1; i <= SEGMENTS; i++) {
        const [bx, by] = pointAt(bezier, i / SEGMENTS);
        const segment = [ax, ay, bx, by];
        for (
          let cx = Math.floor(Math.min(ax, bx) / CELL);
          cx <= Math.floor(Math.max(ax, bx) / CELL);
          cx++
        ) {
          for (
            let cy = Math.floor(Math.min(ay, by) / CELL);
            cy <= Math.floor(Math.max(ay, by) / CELL);
            cy++
          ) {
            const key = `${cx} ${cy}`;
            const filed = cells.get(key);
            if (filed) filed.push({ id, segment });
            else cells.set(key, [{ id, segment }]);
          }
        }
        [ax, ay] = [bx, by];
      }
    }
    return cells;
  }

  /** The id of the edge nearest a point of the graph, if one passes within `tolerance` of it. */
  edgeAt(point: { x: number; y: number }, tolerance: number) {
    this.#cells ??= this.#index();
    let best: string | undefined;
    let bestDistance = tolerance;
    for (
      let cx = Math.floor((point.x - tolerance) / CELL);
      cx <= Math.floor((point.x + tolerance) / CELL);
      cx++
    ) {
      for (
        let cy = Math.floor((point.y - tolerance) / CELL);
        cy <= Math.floor((point.y + tolerance) / CELL);
        cy++
      ) {
        for (const { id, segment } of this.#cells.get(`${cx} ${cy}`) ?? []) {
          const distance = distanceToSegment(point.x, point.y, segment);
          if (distance <= bestDistance) {
            bestDistance = distance;
            best = id;
          }
        }
      }
    }
    return best;
  }
}
