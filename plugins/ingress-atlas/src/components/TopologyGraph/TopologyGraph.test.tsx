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

    const boxes = shapes('topology-clusters').map(box =>
      box
        .match(/^([-\d.]+) ([-\d.]+)h([\d.]+)v([\d.]+)/)!
        .slice(1)
        .map(Number),
    );
    expect(boxes).toHaveLength(2);
    // Readable zoom: React Flow draws the nodes where the layout put them.
    const placed = (id: string) => {
      const [, x, y] = document
        .querySelector<HTMLElement>(`[data-id="${id}"]`)!
        .style.transform.match(/translate\(([-\d.]+)px, ?([-\d.]+)px\)/)!
        .map(Number);
      return { x, y };
    };
    const inside = (id: string) =>
      boxes.filter(
        ([x, y, w, h]) =>
          placed(id).x >= x &&
          placed(id).y >= y &&
          placed(id).x + NODE_WIDTH <= x + w &&
          placed(id).y + NODE_HEIGHT <= y + h,
      ).length;
    expect(inside('entry:tke-blog')).toBe(1);
    expect(inside('gateway:tke-blog')).toBe(1);
    expect(inside('entry:edge')).toBe(1);
    expect(inside('host:www')).toBe(0);
  });

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
    expect(screen.getByRole('textbox', { name: /Find a node/ })).toHaveFocus();
    await userEvent.tab();
    expect(graph).toHaveFocus();

    await userEvent.keyboard('{ArrowRight}');
    expect(graph.parentElement).toHaveTextContent('tke-blog, Cluster');
    await userEvent.keyboard('{ArrowRight}');
    expect(graph.parentElement).toHaveTextContent(
      'blog/blog, Service in tke-blog',
    );
    expect(screen.queryByLabelText('Selected node')).not.toBeInTheDocument();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByLabelText('Selected node')).toHaveTextContent(
      'Type: Service',
    );
    expect(
      document.querySelectorAll('.react-flow__node[tabindex="0"]'),
    ).toHaveLength(0);
  }, 30_000);
});
