import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { TopologyGraph } from './TopologyGraph';
import { NODE_HEIGHT, NODE_WIDTH } from './layout';
import { Graph } from './types';

const services = Array.from({ length: 150 }, (_, i) => ({
  id: `service:tke-shop/shop/svc-${i}`,
  type: 'service' as const,
  label: `shop/svc-${i}`,
  cluster: 'tke-shop',
  namespace: 'shop',
}));

/** One cluster with a tall column of Services: fitted to the view, it is far too small to read. */
const estate: Graph = {
  nodes: [
    {
      id: 'cluster:tke-shop',
      type: 'cluster',
      label: 'tke-shop',
      cluster: 'tke-shop',
    },
    ...services,
  ],
  edges: services.map(service => ({
    id: `hosts:${service.id}`,
    source: 'cluster:tke-shop',
    target: service.id,
    type: 'hosts' as const,
  })),
};

const shapes = (testId: string) =>
  screen.getByTestId(testId).getAttribute('d')!.split('M').filter(Boolean);

/** Rectangles of a path of boxes, as x, y, width, height. */
const rectangles = (testId: string) =>
  shapes(testId).map(box =>
    box
      .match(/^([-\d.]+) ([-\d.]+)h([\d.]+)v([\d.]+)/)!
      .slice(1)
      .map(Number),
  );

/** Where React Flow drew a node, at a readable zoom. */
const placed = (id: string) => {
  const [, x, y] = document
    .querySelector<HTMLElement>(`[data-id="${id}"]`)!
    .style.transform.match(/translate\(([-\d.]+)px, ?([-\d.]+)px\)/)!
    .map(Number);
  return { x, y };
};

const within = (id: string, [x, y, w, h]: number[]) =>
  placed(id).x >= x &&
  placed(id).y >= y &&
  placed(id).x + NODE_WIDTH <= x + w &&
  placed(id).y + NODE_HEIGHT <= y + h;

/** The screen point of a point of the graph, from the viewport's transform. */
const onScreen = (x: number, y: number) => {
  const [, translateX, translateY, zoom] = document
    .querySelector<HTMLElement>('.react-flow__viewport')!
    .style.transform.match(
      /translate\(([-\d.]+)px, ?([-\d.]+)px\) scale\(([\d.]+)\)/,
    )!
    .map(Number);
  return { clientX: x * zoom + translateX, clientY: y * zoom + translateY };
};

/** One cluster: an entry to a gateway in istio-system, serving a route to a Service in blog. */
const blog: Graph = {
  nodes: [
    { id: 'cluster:tke-blog', type: 'cluster', label: 'tke-blog', cluster: 'tke-blog' },
    { id: 'entry:lb', type: 'entry', label: 'load-balancer 198.51.100.11', cluster: 'tke-blog' },
    { id: 'gateway:ingress', type: 'gateway', label: 'istio-system/istio-ingressgateway', cluster: 'tke-blog', namespace: 'istio-system' },
    { id: 'route:blog', type: 'route', label: 'blog/blog', cluster: 'tke-blog', namespace: 'blog' },
    { id: 'service:blog', type: 'service', label: 'blog/blog', cluster: 'tke-blog', namespace: 'blog' },
  ],
  edges: [
    { id: 'hosts', source: 'cluster:tke-blog', target: 'gateway:ingress', type: 'hosts' },
    {
      id: 'forwards',
      source: 'entry:lb',
      target: 'gateway:ingress',
      type: 'forwards-to',
      ports: [
        { port: 443, protocol: 'HTTPS', tls: 'SIMPLE' },
        { port: 80, protocol: 'HTTP', tls: 'NONE' },
      ],
    },
    { id: 'serves', source: 'gateway:ingress', target: 'route:blog', type: 'serves' },
    { id: 'routes', source: 'route:blog', target: 'service:blog', type: 'routes-to', ports: [{ port: 8080, protocol: 'HTTP' }] },
  ],
};

describe('TopologyGraph', () => {
  it('draws a large estate zoomed out as a map of boxes, and a click on a box selects its node', async () => {
    await renderInTestApp(<TopologyGraph graph={estate} />);

    await waitFor(
      () => expect(shapes('topology-boxes-service')).toHaveLength(150),
      { timeout: 20_000 },
    );
    expect(shapes('topology-boxes-cluster')).toHaveLength(1);
    expect(shapes('topology-edges-plain')).toHaveLength(150);
    // Each edge ends in an arrowhead at the left side of its target, pointing into it.
    const arrows = shapes('topology-edges-plain-arrows');
    expect(arrows).toHaveLength(150);
    const tip = arrows[0]
      .match(/L([-\d.]+) ([-\d.]+)L/)!
      .slice(1)
      .map(Number);
    const boxes = shapes('topology-boxes-service').map(box =>
      box
        .match(/^([-\d.]+) ([-\d.]+)/)!
        .slice(1)
        .map(Number),
    );
    expect(boxes).toContainEqual([tip[0], tip[1] - NODE_HEIGHT / 2]);
    expect(
      screen.queryByTestId('topology-node-cluster:tke-shop'),
    ).not.toBeInTheDocument();

    const [x, y] = shapes('topology-boxes-cluster')[0]
      .match(/^([-\d.]+) ([-\d.]+)/)!
      .slice(1)
      .map(Number);
    const [, translateX, translateY, zoom] = document
      .querySelector<HTMLElement>('.react-flow__viewport')!
      .style.transform.match(
        /translate\(([-\d.]+)px, ?([-\d.]+)px\) scale\(([\d.]+)\)/,
      )!
      .map(Number);
    fireEvent.click(document.querySelector('.react-flow__pane')!, {
      clientX: (x + NODE_WIDTH / 2) * zoom + translateX,
      clientY: (y + NODE_HEIGHT / 2) * zoom + translateY,
    });

    const details = await screen.findByLabelText('Selected node');
    expect(details).toHaveTextContent('Type: Cluster');
    expect(details).toHaveTextContent('Cluster: tke-shop');
    expect(details).toHaveTextContent('Links: 0 in, 150 out');
    expect(shapes('topology-edges-selected')).toHaveLength(150);
    expect(shapes('topology-edges-selected-arrows')).toHaveLength(150);
  });

  it('draws each cluster as a named box around its own nodes, and a host outside them', async () => {
    const node = (cluster: string, type: 'entry' | 'gateway') => ({
      id: `${type}:${cluster}`,
      type,
      label: `${type} of ${cluster}`,
      cluster,
    });
    const graph: Graph = {
      nodes: [
        { id: 'host:www', type: 'host', label: 'www.example.com' },
        node('tke-blog', 'entry'),
        node('tke-blog', 'gateway'),
        node('edge', 'entry'),
        node('edge', 'gateway'),
      ],
      edges: [
        {
          id: 'a',
          source: 'host:www',
          target: 'entry:tke-blog',
          type: 'resolves-to',
        },
        {
          id: 'b',
          source: 'entry:tke-blog',
          target: 'gateway:tke-blog',
          type: 'routes-to',
        },
        {
          id: 'c',
          source: 'entry:edge',
          target: 'gateway:edge',
          type: 'routes-to',
        },
        {
          id: 'd',
          source: 'gateway:edge',
          target: 'entry:tke-blog',
          type: 'proxies-to',
        },
      ],
    };
    await renderInTestApp(<TopologyGraph graph={graph} />);
    await waitFor(() =>
      expect(screen.getAllByTestId('topology-cluster-name')).toHaveLength(2),
    );
    expect(
      screen.getAllByTestId('topology-cluster-name').map(t => t.textContent),
    ).toEqual(expect.arrayContaining(['tke-blog', 'edge']));

    const boxes = rectangles('topology-clusters');
    expect(boxes).toHaveLength(2);
    // Readable zoom: React Flow draws the nodes where the layout put them.
    const inside = (id: string) => boxes.filter(box => within(id, box)).length;
    expect(inside('entry:tke-blog')).toBe(1);
    expect(inside('gateway:tke-blog')).toBe(1);
    expect(inside('entry:edge')).toBe(1);
    expect(inside('host:www')).toBe(0);
  });

  it('draws each namespace as a named box inside its cluster, around its own nodes', async () => {
    await renderInTestApp(<TopologyGraph graph={blog} />);
    await waitFor(() =>
      expect(screen.getAllByTestId('topology-namespace-name')).toHaveLength(2),
    );
    const names = screen
      .getAllByTestId('topology-namespace-name')
      .map(t => t.textContent);
    expect(names).toEqual(expect.arrayContaining(['istio-system', 'blog']));
    // Boxes and names come in the same order.
    const boxes = rectangles('topology-namespaces');
    const box = (namespace: string) => boxes[names.indexOf(namespace)];
    const [cluster] = rectangles('topology-clusters');

    expect(within('gateway:ingress', box('istio-system'))).toBe(true);
    expect(within('route:blog', box('blog'))).toBe(true);
    expect(within('service:blog', box('blog'))).toBe(true);
    expect(within('route:blog', box('istio-system'))).toBe(false);
    // Cluster-wide things stay outside every namespace, inside the cluster.
    for (const id of ['cluster:tke-blog', 'entry:lb']) {
      expect(boxes.some(b => within(id, b))).toBe(false);
      expect(within(id, cluster)).toBe(true);
    }
    for (const [x, y, w, h] of boxes) {
      expect(x).toBeGreaterThan(cluster[0]);
      expect(y).toBeGreaterThan(cluster[1]);
      expect(x + w).toBeLessThan(cluster[0] + cluster[2]);
      expect(y + h).toBeLessThan(cluster[1] + cluster[3]);
    }
  });

  it("labels the edge under the pointer, and the edges of the node the keyboard is on, with port, protocol and TLS", async () => {
    await renderInTestApp(<TopologyGraph graph={blog} />);
    const graph = await screen.findByRole(
      'application',
      { name: /^Topology graph/ },
      { timeout: 20_000 },
    );
    await waitFor(() =>
      expect(document.querySelector('[data-id="entry:lb"]')).not.toBeNull(),
    );
    // The middle of the curve from the entry's right side to the gateway's left side.
    const entry = placed('entry:lb');
    const gateway = placed('gateway:ingress');
    const middle = onScreen(
      (entry.x + NODE_WIDTH + gateway.x) / 2,
      (entry.y + gateway.y + NODE_HEIGHT) / 2,
    );

    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
    fireEvent.mouseMove(graph, middle);
    const label = await screen.findByRole('tooltip');
    expect(label).toHaveTextContent('Forwards to');
    expect(label).toHaveTextContent('HTTPS 443, TLS SIMPLE');
    expect(label).toHaveTextContent('HTTP 80, no TLS');
    expect(shapes('topology-edges-selected')).toHaveLength(1);

    fireEvent.mouseMove(graph, onScreen(entry.x - 400, entry.y - 400));
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();

    // The keyboard reaches the route: both its edges show what they carry.
    graph.focus();
    for (
      let moves = 0;
      moves < 5 &&
      !graph.parentElement!.textContent!.includes('blog/blog, Route');
      moves++
    ) {
      await userEvent.keyboard('{ArrowRight}');
    }
    expect(graph.parentElement).toHaveTextContent(
      'blog/blog, Route in tke-blog',
    );
    const labels = screen
      .getAllByTestId('topology-edge-label')
      .map(l => l.textContent);
    expect(labels).toHaveLength(2);
    expect(labels).toEqual(
      expect.arrayContaining(['Serves', 'Routes toHTTP 8080']),
    );
  }, 30_000);

  it('takes the keyboard: search first, then the graph as one stop, arrows between nodes, Enter for details', async () => {
    const small: Graph = {
      nodes: [
        {
          id: 'cluster:tke-blog',
          type: 'cluster',
          label: 'tke-blog',
          cluster: 'tke-blog',
        },
        {
          id: 'service:tke-blog/blog/blog',
          type: 'service',
          label: 'blog/blog',
          cluster: 'tke-blog',
        },
      ],
      edges: [
        {
          id: 'hosts:blog',
          source: 'cluster:tke-blog',
          target: 'service:tke-blog/blog/blog',
          type: 'hosts',
        },
      ],
    };
    await renderInTestApp(<TopologyGraph graph={small} />);
    const graph = await screen.findByRole(
      'application',
      { name: /^Topology graph/ },
      { timeout: 20_000 },
    );

    await userEvent.tab();
    expect(screen.getByRole('combobox', { name: /Find a node/ })).toHaveFocus();
    await userEvent.tab();
    expect(graph).toHaveFocus();

    // The node the keyboard is on is ringed, as focus is; one node at a time.
    const ringed = () =>
      [...document.querySelectorAll<HTMLElement>('[data-cursor]')].map(
        node => [node.dataset.testid, node.style.outlineStyle],
      );
    expect(ringed()).toEqual([]);
    await userEvent.keyboard('{ArrowRight}');
    expect(graph.parentElement).toHaveTextContent('tke-blog, Cluster');
    await waitFor(() =>
      expect(ringed()).toEqual([['topology-node-cluster:tke-blog', 'solid']]),
    );
    await userEvent.keyboard('{ArrowRight}');
    expect(graph.parentElement).toHaveTextContent(
      'blog/blog, Service in tke-blog',
    );
    await waitFor(() =>
      expect(ringed()).toEqual([
        ['topology-node-service:tke-blog/blog/blog', 'solid'],
      ]),
    );
    expect(screen.queryByLabelText('Selected node')).not.toBeInTheDocument();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByLabelText('Selected node')).toHaveTextContent(
      'Type: Service',
    );
    // The search shows the node chosen, as when it is chosen there.
    expect(screen.getByRole('combobox', { name: /Find a node/ })).toHaveValue(
      'blog/blog',
    );
    expect(
      document.querySelectorAll('.react-flow__node[tabindex="0"]'),
    ).toHaveLength(0);
  }, 30_000);
});
