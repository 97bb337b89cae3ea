import { useEffect, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { ThemeProvider } from '@material-ui/core/styles';
import CssBaseline from '@material-ui/core/CssBaseline';
import { darkTheme, lightTheme } from '@backstage/theme';
import { TopologyGraph } from '../../src/components/TopologyGraph';
import { LAYOUT_MEASURE } from '../../src/components/TopologyGraph/TopologyGraph';
import { syntheticTopology } from './syntheticTopology';

declare global {
  interface Window {
    benchResult?: Record<string, number>;
  }
}

const params = new URLSearchParams(window.location.search);
const nodeCount = Number(params.get('nodes') ?? 2000);
const edgeCount = Number(params.get('edges') ?? 3000);
const theme = params.get('theme') === 'dark' ? darkTheme : lightTheme;

/** Shapes in the graph layer's paths matching `selector`: each starts with a move-to. */
const drawn = (selector: string) =>
  Array.from(document.querySelectorAll(selector)).reduce(
    (sum, path) => sum + (path.getAttribute('d')?.match(/M/g)?.length ?? 0),
    0,
  );
/** Nodes drawn by React Flow (zoomed in) or as boxes in the graph layer (zoomed out). */
const drawnNodes = () =>
  document.querySelectorAll('.react-flow__node').length +
  drawn('[data-testid^="topology-boxes-"]');
/** Edges drawn; their arrowheads, in paths of their own, are not counted again. */
const drawnEdges = () =>
  drawn('[data-testid^="topology-edges-"]:not([data-testid$="-arrows"])');

const nextFrame = () => new Promise(resolve => requestAnimationFrame(resolve));

function Bench({ started }: { started: number }) {
  const graph = useMemo(() => syntheticTopology(nodeCount, edgeCount), []);
  useEffect(() => {
    void (async () => {
      // The measure the graph leaves in the performance timeline once its layout is done.
      let layout: PerformanceEntry | undefined;
      while (!layout) {
        await nextFrame();
        layout = performance.getEntriesByName(LAYOUT_MEASURE).pop();
      }
      const ms = layout.duration;
      const laidOut = performance.now();
      performance.mark('graph:laid-out');
      // Rendered once nodes and edges are drawn.
      while (
        drawnNodes() === 0 ||
        (graph.edges.length > 0 && drawnEdges() === 0) ||
        !document.querySelector('.react-flow__renderer')
      ) {
        await nextFrame();
      }
      await nextFrame();
      await nextFrame();
      const rendered = performance.now();
      performance.mark('graph:rendered');
      window.benchResult = {
        nodes: graph.nodes.length,
        edges: graph.edges.length,
        layoutMs: ms,
        renderMs: rendered - laidOut,
        totalMs: rendered - started,
        domNodes: drawnNodes(),
        domEdges: drawnEdges(),
      };
    })();
  }, [graph, started]);
  return <TopologyGraph graph={graph} height="95vh" />;
}

const started = performance.now();
performance.mark('graph:start');
createRoot(document.getElementById('root')!).render(
  <ThemeProvider theme={theme}>
    <CssBaseline />
    <Bench started={started} />
  </ThemeProvider>,
);
