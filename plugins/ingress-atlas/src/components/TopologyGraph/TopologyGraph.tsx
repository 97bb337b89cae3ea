import {
  KeyboardEvent,
  MouseEvent,
  ReactNode,
  RefObject,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  Background,
  Controls,
  FitViewOptions,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  ViewportPortal,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import { Progress } from '@backstage/core-components';
import {
  Alert,
  Box,
  Card,
  Combobox,
  ComboboxItemText,
  Flex,
  Text,
  VisuallyHidden,
} from '@backstage/ui';
import { describeEdgePort } from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  ClusterBox,
  layoutGraph,
  NamespaceBox,
  NODE_HEIGHT,
  NODE_WIDTH,
  Positions,
} from './layout';
import { GraphColours, useGraphColours } from './colours';
import { EdgeCurve, edgeCurves, EdgeFinder } from './edges';
import { TopologyFlowNode, TopologyNodeView } from './TopologyNodeView';
import { TopologyLegend } from './TopologyLegend';
import { GraphLayer } from './GraphLayer';
import { useSubtleText } from '../../utils/subtleText';
import {
  EDGE_TYPE_LABELS,
  Graph,
  GraphEdge,
  GraphNode,
  NODE_TYPE_LABELS,
} from './types';
import { describeFindings } from '../../utils/findings';

const nodeTypes = { topology: TopologyNodeView };

const useStyles = makeStyles(theme => ({
  graph: {
    height: '100%',
    '&:focus-visible': {
      outline: `3px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
}));

// Below this zoom node text is unreadable: the graph layer draws the nodes as coloured boxes
// instead, and React Flow renders none of them.
const READABLE_ZOOM = 0.3;
const MIN_ZOOM = 0.02;
/** The minimap's width and margin (React Flow's default size), and the narrowest frame for it. */
const MINIMAP_SPACE = 200 + 2 * 15;
const MINIMAP_MIN_WIDTH = 640;

/**
 * How the view fits the graph: clear of the zoom controls on the left and, when the minimap is
 * shown, of the minimap on the right, so that neither covers a node.
 */
function fitViewOptions(miniMap: boolean): FitViewOptions {
  return {
    padding: {
      top: '16px',
      bottom: '16px',
      left: '56px',
      right: miniMap ? `${MINIMAP_SPACE}px` : '16px',
    },
    includeHiddenNodes: true,
  };
}

/**
 * The element's width, followed as it changes (a window resized, a panel opened, a phone
 * turned); `onResize` runs after each change but the first.
 */
function useElementWidth(
  element: RefObject<HTMLElement>,
  onResize: () => void,
): number {
  const [width, setWidth] = useState(0);
  const latest = useRef(onResize);
  latest.current = onResize;
  useEffect(() => {
    const target = element.current;
    if (!target || typeof ResizeObserver === 'undefined') return undefined;
    let first = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(([entry]) => {
      setWidth(entry.contentRect.width);
      if (first) {
        first = false;
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => latest.current(), 100);
    });
    observer.observe(target);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [element]);
  return width;
}
/** How near an edge, on screen, the pointer shows its label. */
const HOVER_DISTANCE = 6;
/** The most edges of a node reached with the keyboard that show their labels. */
const FOCUS_LABELS = 20;

/** @public */
export interface TopologyGraphProps {
  graph: Graph;
  height?: number | string;
  /** More about the selected node, under its details: e.g. its findings and their fixes. */
  nodeExtra?: (node: GraphNode) => ReactNode;
  /** The node selected at first, its details shown: e.g. the one a link asks for. */
  initialSelectedId?: string;
}

/**
 * The name of the performance measure each layout leaves in the browser's performance
 * timeline (DevTools, `performance.getEntriesByName`), with the graph's size as its detail.
 */
export const LAYOUT_MEASURE = 'ingress-atlas:topology-layout';

function measureLayout(graph: Graph, start: number) {
  try {
    performance.measure(LAYOUT_MEASURE, {
      start,
      detail: { nodes: graph.nodes.length, edges: graph.edges.length },
    });
  } catch {
    // A browser without User Timing Level 3: nothing to record.
  }
}

interface Layout {
  graph: Graph;
  positions: Positions;
  clusters: ClusterBox[];
  namespaces: NamespaceBox[];
  ms: number;
}

/**
 * Draws a topology left to right with zoom, pan, a minimap, search-to-node and a legend.
 * Meant for up to a few thousand nodes: the layout runs once per graph, edges and zoomed-out
 * nodes are a few SVG paths, and readable nodes outside the viewport are not rendered.
 *
 * @public
 */
export function TopologyGraph(props: TopologyGraphProps) {
  return (
    <ReactFlowProvider>
      <GraphCanvas {...props} />
    </ReactFlowProvider>
  );
}

function GraphCanvas({
  graph,
  height = 640,
  nodeExtra,
  initialSelectedId,
}: TopologyGraphProps) {
  const subtle = useSubtleText();
  const [layout, setLayout] = useState<Layout>();
  const [layoutError, setLayoutError] = useState<Error>();
  const [selectedId, setSelectedId] = useState(initialSelectedId);

  useEffect(() => {
    let cancelled = false;
    const started = performance.now();
    setLayoutError(undefined);
    layoutGraph(graph).then(
      ({ positions, clusters, namespaces }) => {
        if (cancelled) return;
        const ms = performance.now() - started;
        setLayout({ graph, positions, clusters, namespaces, ms });
        measureLayout(graph, started);
      },
      error => !cancelled && setLayoutError(error),
    );
    return () => {
      cancelled = true;
    };
  }, [graph]);

  if (layoutError) {
    return (
      <Alert
        role="alert"
        status="danger"
        icon
        title={`Could not lay out the graph: ${layoutError.message}`}
      />
    );
  }
  if (!layout || layout.graph !== graph) {
    return (
      <Flex direction="column" justify="center" style={{ height }}>
        <Progress />
        <Text
          as="p"
          variant="body-medium"
          className={subtle.root}
          style={{ textAlign: 'center' }}
        >
          Laying out {graph.nodes.length.toLocaleString('en-US')} nodes…
        </Text>
      </Flex>
    );
  }
  return (
    <>
      <FlowView
        layout={layout}
        height={height}
        selectedId={selectedId}
        onSelect={setSelectedId}
        nodeExtra={nodeExtra}
      />
      <TopologyLegend graph={graph} />
    </>
  );
}

/** The nearest node from `from` in a direction, within a 45° cone either side of it. */
function nearestNode(
  graph: Graph,
  positions: Positions,
  fromId: string | undefined,
  [dx, dy]: [number, number],
): GraphNode | undefined {
  const from = fromId ? positions.get(fromId) : undefined;
  if (!from) {
    // No node yet: start where reading starts, top left.
    return [...graph.nodes].sort((a, b) => {
      const pa = positions.get(a.id) ?? { x: 0, y: 0 };
      const pb = positions.get(b.id) ?? { x: 0, y: 0 };
      return pa.x - pb.x || pa.y - pb.y;
    })[0];
  }
  let best: GraphNode | undefined;
  let bestDistance = Infinity;
  for (const node of graph.nodes) {
    const p = positions.get(node.id);
    if (!p || node.id === fromId) continue;
    const along = (p.x - from.x) * dx + (p.y - from.y) * dy;
    const across = Math.abs((p.x - from.x) * dy - (p.y - from.y) * dx);
    if (along <= 0 || across > along) continue;
    const distance = along + 2 * across;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = node;
    }
  }
  return best;
}

const FRAME = {
  border: '1px solid var(--bui-border-1)',
  borderRadius: 4,
};

const ARROWS: Record<string, [number, number]> = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowDown: [0, 1],
  ArrowUp: [0, -1],
};

function FlowView({
  layout,
  height,
  selectedId,
  onSelect,
  nodeExtra,
}: {
  layout: Layout;
  height: number | string;
  selectedId?: string;
  onSelect: (id?: string) => void;
  nodeExtra?: TopologyGraphProps['nodeExtra'];
}) {
  const theme = useTheme();
  const classes = useStyles();
  const [cursorId, setCursorId] = useState<string>();
  const [hoveredEdgeId, setHoveredEdgeId] = useState<string>();
  const colours = useGraphColours();
  const { setCenter, screenToFlowPosition, getZoom, fitView } = useReactFlow();
  const frame = useRef<HTMLDivElement>(null);
  const width = useElementWidth(
    frame,
    () => void fitView(fitViewOptions(showMiniMap)),
  );
  const { graph, positions, clusters, namespaces } = layout;
  const curves = useMemo(
    () => edgeCurves(graph.edges, positions),
    [graph.edges, positions],
  );
  const edgeFinder = useMemo(() => new EdgeFinder(curves), [curves]);

  const laidOutNodes = useMemo<TopologyFlowNode[]>(
    () =>
      graph.nodes.map(node => ({
        id: node.id,
        type: 'topology',
        position: positions.get(node.id) ?? { x: 0, y: 0 },
        // Known size: React Flow shows the nodes and fits the view on its first render
        // instead of after measuring each of them.
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
        draggable: false,
        connectable: false,
        data: {
          node,
          colour: colours.nodeType[node.type],
          background: colours.nodeBackground,
          text: colours.text,
          subtleText: colours.subtleText,
          highlightColour: colours.highlight,
          highlighted: false,
          cursor: false,
        },
      })),
    [graph, positions, colours],
  );
  const hiddenNodes = useMemo(
    () => laidOutNodes.map(node => ({ ...node, hidden: true })),
    [laidOutNodes],
  );
  const readable = useStore(s => s.transform[2] >= READABLE_ZOOM);
  // Zoomed out, the graph is its own map; on a narrow screen the map would cover it.
  const showMiniMap = readable && width >= MINIMAP_MIN_WIDTH;
  // Only the selected node (and the keyboard's) changes, so React Flow re-renders one or two
  // nodes, not all.
  const nodes = useMemo(() => {
    if (!readable) return hiddenNodes;
    return selectedId || cursorId
      ? laidOutNodes.map(node =>
          node.id === selectedId || node.id === cursorId
            ? {
                ...node,
                data: {
                  ...node.data,
                  highlighted: true,
                  cursor: node.id === cursorId,
                },
              }
            : node,
        )
      : laidOutNodes;
  }, [laidOutNodes, hiddenNodes, readable, selectedId, cursorId]);

  // Zoomed out, the nodes are boxes in the graph layer, not React Flow nodes with a click handler.
  const nodeAt = (point: { x: number; y: number }) =>
    graph.nodes.find(node => {
      const position = positions.get(node.id);
      return (
        position &&
        point.x >= position.x &&
        point.x <= position.x + NODE_WIDTH &&
        point.y >= position.y &&
        point.y <= position.y + NODE_HEIGHT
      );
    });

  const focus = (node: GraphNode | null) => {
    onSelect(node?.id);
    const position = node && positions.get(node.id);
    if (position) {
      setCenter(position.x + NODE_WIDTH / 2, position.y + NODE_HEIGHT / 2, {
        zoom: 1.2,
        duration: 400,
      });
    }
  };
  const selected = graph.nodes.find(n => n.id === selectedId);
  const cursor = graph.nodes.find(n => n.id === cursorId);

  // The edge under the pointer shows its label; so do those of the node the keyboard is on.
  const onMouseMove = (event: MouseEvent<HTMLDivElement>) => {
    const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    const edgeId = nodeAt(point)
      ? undefined
      : edgeFinder.edgeAt(point, HOVER_DISTANCE / getZoom());
    if (edgeId !== hoveredEdgeId) setHoveredEdgeId(edgeId);
  };
  const labelled = useMemo(() => {
    const edges = cursorId
      ? graph.edges
          .filter(e => e.source === cursorId || e.target === cursorId)
          .slice(0, FOCUS_LABELS)
      : [];
    const hovered = graph.edges.find(e => e.id === hoveredEdgeId);
    return hovered ? [...edges.filter(e => e !== hovered), hovered] : edges;
  }, [graph.edges, cursorId, hoveredEdgeId]);

  const centre = (node: GraphNode) => {
    const position = positions.get(node.id);
    if (position) {
      setCenter(position.x + NODE_WIDTH / 2, position.y + NODE_HEIGHT / 2, {
        zoom: Math.max(READABLE_ZOOM * 2, 0.8),
        duration: 200,
      });
    }
  };
  // One tab stop for the whole graph: arrow keys move between nodes, Enter shows the details
  // of the node reached, Escape closes them.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    const direction = ARROWS[event.key];
    if (direction) {
      event.preventDefault();
      const next = nearestNode(
        graph,
        positions,
        cursorId ?? selectedId,
        direction,
      );
      if (next) {
        setCursorId(next.id);
        centre(next);
      }
    } else if (event.key === 'Enter' && cursorId) {
      event.preventDefault();
      onSelect(cursorId);
    } else if (event.key === 'Escape') {
      onSelect(undefined);
    }
  };

  return (
    <>
      <Box mb="2">
        <NodeSearch nodes={graph.nodes} value={selected} onChange={focus} />
      </Box>
      <Box position="relative" style={{ height, ...FRAME }}>
        {/* An application region is the role for a widget that handles arrow keys itself. */}
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
        <div
          ref={frame}
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          tabIndex={0}
          role="application"
          aria-roledescription="graph"
          aria-label="Topology graph: arrow keys move between nodes, Enter shows a node's details"
          onKeyDown={onKeyDown}
          onMouseMove={onMouseMove}
          onMouseLeave={() => setHoveredEdgeId(undefined)}
          className={classes.graph}
        >
          <ReactFlow
            nodes={nodes}
            nodeTypes={nodeTypes}
            colorMode={theme.palette.type === 'dark' ? 'dark' : 'light'}
            style={{ background: theme.palette.background.default }}
            // Start zoomed out so that nothing is rendered as a React Flow node before the view is
            // fitted to the graph.
            defaultViewport={{ x: 0, y: 0, zoom: MIN_ZOOM }}
            fitView
            fitViewOptions={fitViewOptions(showMiniMap)}
            minZoom={MIN_ZOOM}
            maxZoom={2}
            onlyRenderVisibleElements
            nodesDraggable={false}
            nodesConnectable={false}
            onNodeClick={(_, node) => onSelect(node.id)}
            onPaneClick={event =>
              onSelect(
                nodeAt(
                  screenToFlowPosition({ x: event.clientX, y: event.clientY }),
                )?.id,
              )
            }
            proOptions={{ hideAttribution: true }}
            // Nodes are not tab stops (thousands of them would come before everything after the
            // graph); the graph takes the keyboard as one.
            nodesFocusable={false}
            edgesFocusable={false}
            disableKeyboardA11y
          >
            <Background />
            <GraphLayer
              graph={graph}
              positions={positions}
              curves={curves}
              clusters={clusters}
              namespaces={namespaces}
              selectedId={selectedId}
              hoveredEdgeId={hoveredEdgeId}
              colours={colours}
              nodeBoxes={!readable}
            />
            <EdgeLabels
              edges={labelled}
              curves={curves}
              hoveredEdgeId={hoveredEdgeId}
              colours={colours}
            />
            <Controls showInteractive={false} />
            {showMiniMap && (
              <MiniMap
                pannable
                zoomable
                nodeColor={node =>
                  colours.nodeType[(node as TopologyFlowNode).data.node.type]
                }
                nodeStrokeWidth={0}
              />
            )}
            {selected && (
              <Panel position="top-right">
                <NodeDetails node={selected} graph={graph}>
                  {nodeExtra?.(selected)}
                </NodeDetails>
              </Panel>
            )}
          </ReactFlow>
        </div>
        <VisuallyHidden aria-live="polite">
          {cursor
            ? `${cursor.label}, ${NODE_TYPE_LABELS[cursor.type]}${
                cursor.cluster ? ` in ${cursor.cluster}` : ''
              }`
            : ''}
        </VisuallyHidden>
      </Box>
    </>
  );
}

/**
 * Labels of edges, at the middle of their curves: what the source does to the target, then
 * the ports traffic takes with their protocol and TLS. They keep their size on screen at any
 * zoom.
 */
function EdgeLabels({
  edges,
  curves,
  hoveredEdgeId,
  colours,
}: {
  edges: GraphEdge[];
  curves: Map<string, EdgeCurve>;
  hoveredEdgeId?: string;
  colours: GraphColours;
}) {
  const zoom = useStore(s => s.transform[2]);
  if (edges.length === 0) return null;
  return (
    <ViewportPortal>
      {edges.map(edge => {
        const curve = curves.get(edge.id);
        if (!curve) return null;
        return (
          <div
            key={edge.id}
            role={edge.id === hoveredEdgeId ? 'tooltip' : undefined}
            data-testid="topology-edge-label"
            style={{
              position: 'absolute',
              transform: `translate(${curve.labelX}px, ${
                curve.labelY
              }px) translate(-50%, -50%) scale(${1 / zoom})`,
              background: colours.nodeBackground,
              color: colours.text,
              border: `1px solid ${colours.highlight}`,
              borderRadius: 4,
              padding: '2px 6px',
              fontSize: 11,
              lineHeight: '14px',
              whiteSpace: 'nowrap',
              pointerEvents: 'none',
              zIndex: 5,
            }}
          >
            <strong>{EDGE_TYPE_LABELS[edge.type]}</strong>
            {edge.ports?.map(port => (
              <div key={`${port.port} ${port.protocol} ${port.tls}`}>
                {describeEdgePort(port)}
              </div>
            ))}
          </div>
        );
      })}
    </ViewportPortal>
  );
}

/** The most nodes the search offers at once: the first of them, in the graph's order. */
const SEARCH_LIMIT = 50;

/** What the search matches a node by: its name, cluster, namespace, detail and type. */
const searchText = (node: GraphNode) =>
  [node.label, node.cluster, node.namespace, node.detail, node.type]
    .join(' ')
    .toLocaleLowerCase('en-US');

/**
 * Finds a node by what is typed and centres the graph on the one picked. It matches the nodes
 * itself and offers the first 50: a list of thousands of options would take longer to draw
 * than the graph.
 */
function NodeSearch({
  nodes,
  value,
  onChange,
}: {
  nodes: GraphNode[];
  value?: GraphNode;
  onChange: (node: GraphNode | null) => void;
}) {
  const [query, setQuery] = useState(value?.label ?? '');
  const texts = useMemo(() => nodes.map(searchText), [nodes]);
  const matches = useMemo(() => {
    const words = query.toLocaleLowerCase('en-US');
    const found: GraphNode[] = [];
    for (let i = 0; i < nodes.length && found.length < SEARCH_LIMIT; i++) {
      if (texts[i].includes(words)) found.push(nodes[i]);
    }
    return found;
  }, [nodes, texts, query]);
  // A node chosen on the graph shows in the field, as one chosen here does.
  useEffect(() => setQuery(value?.label ?? ''), [value]);

  return (
    <Combobox
      label={`Find a node (${nodes.length.toLocaleString('en-US')})`}
      items={matches}
      search={{
        mode: 'server',
        inputValue: query,
        onInputChange: text => {
          setQuery(text);
          // Emptied, it lets go of the node, as Escape on the graph does.
          if (!text && value) onChange(null);
        },
      }}
      selectedKey={value?.id ?? null}
      onSelectionChange={key => {
        const node = nodes.find(n => n.id === key) ?? null;
        setQuery(node?.label ?? '');
        if (node !== (value ?? null)) onChange(node);
      }}
      style={{ width: 320, maxWidth: '100%' }}
    >
      {node => (
        <ComboboxItemText
          id={node.id}
          title={node.label}
          textValue={node.label}
          description={[NODE_TYPE_LABELS[node.type], node.cluster, node.detail]
            .filter(Boolean)
            .join(' · ')}
        />
      )}
    </Combobox>
  );
}

function NodeDetails({
  node,
  graph,
  children,
}: {
  node: GraphNode;
  graph: Graph;
  children?: ReactNode;
}) {
  const incoming = graph.edges.filter(e => e.target === node.id).length;
  const outgoing = graph.edges.filter(e => e.source === node.id).length;
  const rows: Array<[string, string | undefined]> = [
    ['Type', NODE_TYPE_LABELS[node.type]],
    ['Cluster', node.cluster],
    ['Namespace', node.namespace],
    ['Detail', node.detail],
    [
      'Findings',
      node.severity && describeFindings(node.findings ?? 1, node.severity),
    ],
    ['Links', `${incoming} in, ${outgoing} out`],
  ];
  return (
    <Card style={{ maxWidth: 320 }} aria-label="Selected node">
      <Text as="h3" variant="body-medium" weight="bold">
        {node.label}
      </Text>
      <Box mt="1">
        {rows
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <Text as="p" variant="body-medium" key={label}>
              <strong>{label}:</strong> {value}
            </Text>
          ))}
      </Box>
      {children}
    </Card>
  );
}
