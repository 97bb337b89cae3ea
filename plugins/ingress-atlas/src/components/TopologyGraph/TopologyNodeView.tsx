import { memo } from 'react';
import { NodeProps, Node } from '@xyflow/react';
import { makeStyles } from '@material-ui/core/styles';
import { NODE_HEIGHT, NODE_WIDTH } from './layout';
import { GraphNode, NODE_TYPE_LABELS, SEVERITY_LABELS } from './types';

export type TopologyFlowNode = Node<
  {
    node: GraphNode;
    colour: string;
    severityColour?: string;
    background: string;
    text: string;
    subtleText: string;
    highlightColour: string;
    highlighted: boolean;
  },
  'topology'
>;

const useStyles = makeStyles({
  root: {
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    boxSizing: 'border-box',
    borderRadius: 6,
    borderStyle: 'solid',
    display: 'flex',
    overflow: 'hidden',
    fontSize: 12,
    lineHeight: '16px',
  },
  strip: {
    width: 6,
    flexShrink: 0,
  },
  body: {
    padding: '4px 8px',
    minWidth: 0,
    flexGrow: 1,
  },
  type: {
    fontSize: 10,
    textTransform: 'uppercase',
    letterSpacing: 0.4,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  label: {
    fontWeight: 600,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
});

export const TopologyNodeView = memo(
  ({ data }: NodeProps<TopologyFlowNode>) => {
    const classes = useStyles();
    const { node } = data;
    const borderColour = data.highlighted
      ? data.highlightColour
      : data.severityColour ?? data.colour;
    const meta = [
      NODE_TYPE_LABELS[node.type],
      node.detail,
      node.cluster && node.type !== 'cluster' ? node.cluster : undefined,
      node.severity ? SEVERITY_LABELS[node.severity] : undefined,
    ].filter(Boolean);
    return (
      <div
        className={classes.root}
        title={`${node.label}\n${meta.join(' · ')}`}
        data-testid={`topology-node-${node.id}`}
        style={{
          background: data.background,
          color: data.text,
          borderColor: borderColour,
          borderWidth: data.highlighted || node.severity ? 3 : 1,
        }}
      >
        <div className={classes.strip} style={{ background: data.colour }} />
        <div className={classes.body}>
          <div className={classes.type} style={{ color: data.subtleText }}>
            {meta.join(' · ')}
          </div>
          <div className={classes.label}>{node.label}</div>
        </div>
      </div>
    );
  },
);
