import { CSSProperties, memo } from 'react';
import { NodeProps, Node } from '@xyflow/react';
import { NODE_HEIGHT, NODE_WIDTH } from './layout';
import { FindingBadge } from './FindingBadge';
import { GraphNode, NODE_TYPE_LABELS } from './types';
import { describeFindings } from '../../utils/findings';

export type TopologyFlowNode = Node<
  {
    node: GraphNode;
    colour: string;
    background: string;
    text: string;
    subtleText: string;
    highlightColour: string;
    /** Selected, or the keyboard's: drawn in the highlight colour. */
    highlighted: boolean;
    /** The node the keyboard is on: ringed as focus is. */
    cursor: boolean;
  },
  'topology'
>;

const ROOT: CSSProperties = {
  width: NODE_WIDTH,
  height: NODE_HEIGHT,
  boxSizing: 'border-box',
  borderRadius: 6,
  borderStyle: 'solid',
  display: 'flex',
  alignItems: 'center',
  overflow: 'hidden',
  fontSize: 12,
  lineHeight: '16px',
};
const STRIP: CSSProperties = { width: 6, alignSelf: 'stretch', flexShrink: 0 };
const BODY: CSSProperties = { padding: '4px 8px', minWidth: 0, flexGrow: 1 };
const ONE_LINE: CSSProperties = {
  whiteSpace: 'nowrap',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
};
const TYPE: CSSProperties = {
  ...ONE_LINE,
  fontSize: 10,
  textTransform: 'uppercase',
  letterSpacing: 0.4,
};
const LABEL: CSSProperties = { ...ONE_LINE, fontWeight: 600 };
const BADGE_SPACE: CSSProperties = { paddingRight: 6 };

/**
 * A node: its type's colour on the left strip and the border, its type, detail and cluster,
 * its name, and a badge for the findings about it.
 */
export const TopologyNodeView = memo(
  ({ data }: NodeProps<TopologyFlowNode>) => {
    const { node } = data;
    const meta = [
      NODE_TYPE_LABELS[node.type],
      node.detail,
      node.cluster && node.type !== 'cluster' ? node.cluster : undefined,
    ].filter(Boolean);
    const findings = node.severity
      ? describeFindings(node.findings ?? 1, node.severity)
      : undefined;
    return (
      <div
        title={[node.label, meta.join(' · '), findings]
          .filter(Boolean)
          .join('\n')}
        data-testid={`topology-node-${node.id}`}
        data-cursor={data.cursor || undefined}
        style={{
          ...ROOT,
          background: data.background,
          color: data.text,
          borderColor: data.highlighted ? data.highlightColour : data.colour,
          borderWidth: data.highlighted ? 3 : 1,
          ...(data.cursor && {
            outlineStyle: 'solid',
            outlineWidth: 3,
            outlineColor: data.highlightColour,
            outlineOffset: 3,
          }),
        }}
      >
        <div style={{ ...STRIP, background: data.colour }} />
        <div style={BODY}>
          <div style={{ ...TYPE, color: data.subtleText }}>
            {meta.join(' · ')}
          </div>
          <div style={LABEL}>{node.label}</div>
        </div>
        {node.severity && (
          <div style={BADGE_SPACE}>
            <FindingBadge severity={node.severity} count={node.findings ?? 1} />
          </div>
        )}
      </div>
    );
  },
);
