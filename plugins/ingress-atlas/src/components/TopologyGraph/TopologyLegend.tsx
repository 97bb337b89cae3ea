import { ReactNode } from 'react';
import { Text } from '@backstage/ui';
import { Severity } from '@ingress-atlas/plugin-ingress-atlas-common';
import { useGraphColours } from './colours';
import { FindingBadge } from './FindingBadge';
import {
  CROSS_CLUSTER_EDGES,
  Graph,
  NODE_TYPE_LABELS,
  NODE_TYPE_ORDER,
  SEVERITY_LABELS,
} from './types';

const LEGEND = {
  display: 'flex',
  flexWrap: 'wrap',
  gap: 16,
  listStyle: 'none',
  padding: 0,
  margin: 'var(--bui-space-2) 0 0',
} as const;

const nodeCount = (count: number) => `${count} node${count === 1 ? '' : 's'}`;

/**
 * Explains colours, badges and line styles, counting what the graph holds of each: a node
 * type is a solid colour (the node's strip and border); findings are a badge of icon and
 * status tint, on a node with how many there are, in the legend with the nodes whose worst
 * they are.
 */
export function TopologyLegend({ graph }: { graph: Graph }) {
  const colours = useGraphColours();
  const counts = new Map<string, number>();
  for (const node of graph.nodes) {
    counts.set(node.type, (counts.get(node.type) ?? 0) + 1);
  }
  const worst = new Map<Severity, number>();
  for (const node of graph.nodes) {
    if (node.severity) {
      worst.set(node.severity, (worst.get(node.severity) ?? 0) + 1);
    }
  }
  const severities = (['error', 'warning', 'info'] as Severity[]).filter(s =>
    worst.has(s),
  );
  const crossCluster = graph.edges.some(e => CROSS_CLUSTER_EDGES.has(e.type));

  return (
    <ul aria-label="Legend" style={LEGEND}>
      {NODE_TYPE_ORDER.filter(type => counts.has(type)).map(type => (
        <LegendItem key={type}>
          <Swatch colour={colours.nodeType[type]} />
          {NODE_TYPE_LABELS[type]} ({counts.get(type)})
        </LegendItem>
      ))}
      {severities.map(severity => (
        <LegendItem key={severity}>
          <FindingBadge severity={severity} />
          {SEVERITY_LABELS[severity]} finding ({nodeCount(worst.get(severity)!)}
          )
        </LegendItem>
      ))}
      {crossCluster && (
        <LegendItem>
          <svg width={28} height={10} aria-hidden>
            <line
              x1={0}
              y1={5}
              x2={28}
              y2={5}
              stroke={colours.crossClusterEdge}
              strokeWidth={2}
              strokeDasharray="6 4"
            />
          </svg>
          East-west, remote or proxy link
        </LegendItem>
      )}
    </ul>
  );
}

const LEGEND_ITEM = { display: 'flex', alignItems: 'center', gap: 6 };

function LegendItem({ children }: { children: ReactNode }) {
  return (
    <li>
      <Text variant="body-small" style={LEGEND_ITEM}>
        {children}
      </Text>
    </li>
  );
}

function Swatch({ colour }: { colour: string }) {
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-block',
        width: 14,
        height: 14,
        borderRadius: 3,
        background: colour,
      }}
    />
  );
}
