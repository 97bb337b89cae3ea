import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { TopologyExplorer } from './TopologyExplorer';
import {
  clustersResponse,
  meshTopology,
  migrateTcmTemplate,
  tcmFinding,
} from '../../__testUtils__/fixtures';
import { renderWithPlugin } from '../../__testUtils__/renderWithPlugin';

const API = '*/api/ingress-atlas';

describe('TopologyExplorer', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let queries: string[];

  beforeEach(() => {
    queries = [];
    server.use(
      http.get(`${API}/clusters`, () => HttpResponse.json(clustersResponse)),
      http.get(`${API}/topology`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        const cluster = url.searchParams.get('cluster');
        return HttpResponse.json(
          cluster
            ? {
                nodes: meshTopology.nodes.filter(n => n.cluster === cluster),
                edges: meshTopology.edges.filter(e =>
                  meshTopology.nodes.some(
                    n => n.id === e.source && n.cluster === cluster,
                  ),
                ),
              }
            : meshTopology,
        );
      }),
    );
  });

  it('draws control planes, the TCM-managed one flagged, and the remote cluster link', async () => {
    await renderWithPlugin(<TopologyExplorer />);

    const legend = await screen.findByRole('list', { name: 'Legend' });
    expect(within(legend).getByText('Cluster (3)')).toBeInTheDocument();
    expect(within(legend).getByText('Control plane (2)')).toBeInTheDocument();
    expect(
      within(legend).getByText('Warning finding (1 node)'),
    ).toBeInTheDocument();
    expect(
      within(legend).getByText('East-west, remote or proxy link'),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId(
        'topology-node-controlplane:tke-blog/istio-system/1-10-3',
      ),
    ).toHaveAttribute('title', expect.stringContaining('tcm 1-10-3'));
    // Its finding is a badge of the warning status, apart from the control plane's own colour.
    const tcm = screen.getByTestId(
      'topology-node-controlplane:tke-blog/istio-system/1-10-3',
    );
    const badge = within(tcm).getByRole('img', {
      name: '1 finding, a warning',
    });
    expect(badge).toHaveTextContent('1');
    expect(badge.getAttribute('style')).toContain(
      'var(--bui-warning-bg-subdued)',
    );
    expect(tcm.getAttribute('style')).not.toContain('--bui-');
    expect(
      within(legend).getByTestId('topology-finding-badge'),
    ).toHaveAttribute('data-severity', 'warning');
    expect(
      screen.getByText('Stale data from cluster edge'),
    ).toBeInTheDocument();
  });

  it('draws the links, the remote cluster one dashed, and highlights the links of a node found by search', async () => {
    await renderWithPlugin(<TopologyExplorer />);
    await screen.findByRole('list', { name: 'Legend' });
    const curves = (style: string) =>
      screen
        .getByTestId(`topology-edges-${style}`)
        .getAttribute('d')!
        .split('M')
        .filter(Boolean).length;

    // React Flow mounts the layer the edges are drawn in after the nodes.
    await waitFor(() => expect(curves('plain')).toBe(6));
    expect(curves('cross-cluster')).toBe(1);
    expect(curves('selected')).toBe(0);

    await userEvent.type(
      screen.getByRole('combobox', { name: /Find a node/ }),
      'tke-saas-remote',
    );
    await userEvent.click(
      await screen.findByRole('option', { name: /tke-saas-remote/ }),
    );

    expect(
      within(screen.getByLabelText('Selected node')).getByText('1 in, 0 out'),
    ).toBeInTheDocument();
    expect(curves('selected-cross-cluster')).toBe(1);
    expect(curves('cross-cluster')).toBe(0);
    expect(curves('plain')).toBe(6);
  });

  it("lists a selected node's findings in its details, each with the template that fixes it", async () => {
    const asked: string[] = [];
    server.use(
      http.get(`${API}/findings`, ({ request }) => {
        asked.push(new URL(request.url).search);
        return HttpResponse.json({ findings: [tcmFinding] });
      }),
    );
    const catalogApi = catalogApiMock({ entities: [migrateTcmTemplate] });
    await renderWithPlugin(<TopologyExplorer />, {
      apis: [[catalogApiRef, catalogApi]],
    });
    await screen.findByRole('list', { name: 'Legend' });

    // A node without findings asks for none.
    await userEvent.type(
      screen.getByRole('combobox', { name: /Find a node/ }),
      'tke-saas-remote',
    );
    await userEvent.click(
      await screen.findByRole('option', { name: /tke-saas-remote/ }),
    );
    expect(screen.getByLabelText('Selected node')).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Findings about this node' }),
    ).toBeNull();
    expect(asked).toEqual([]);

    await userEvent.clear(
      screen.getByRole('combobox', { name: /Find a node/ }),
    );
    await userEvent.type(
      screen.getByRole('combobox', { name: /Find a node/ }),
      'tcm',
    );
    await userEvent.click(await screen.findByRole('option', { name: /tcm/ }));
    const list = await screen.findByRole('list', {
      name: 'Findings about this node',
    });
    expect(screen.getByLabelText('Selected node')).toHaveTextContent(
      'Findings: 1 finding, a warning',
    );
    expect(list).toHaveTextContent(`Warning: ${tcmFinding.message}`);
    expect(
      await within(list).findByRole('button', {
        name: 'Migrate from TCM to self-managed Istio',
      }),
    ).toBeInTheDocument();
    expect(asked).toEqual(['?cluster=tke-blog']);
  });

  it("links a Service's details to the catalog entities its paths belong to", async () => {
    await renderWithPlugin(<TopologyExplorer />);
    await screen.findByRole('list', { name: 'Legend' });
    await userEvent.type(
      screen.getByRole('combobox', { name: /Find a node/ }),
      'blog/blog',
    );
    const options = await screen.findAllByRole('option', {
      name: /blog\/blog/,
    });
    await userEvent.click(
      // The Service, not the VirtualService route of the same name.
      options.find(option =>
        option.textContent?.startsWith('blog/blogService'),
      )!,
    );
    const entities = await screen.findByRole('list', {
      name: 'Catalog entities',
    });
    expect(
      within(entities).getByRole('link', { name: 'blog' }),
    ).toHaveAttribute('href', '/catalog/default/component/blog');
  });

  /** Selects a node found by search; the links of the catalog entities in its details. */
  async function catalogLinks(search: string, option: RegExp) {
    await renderWithPlugin(<TopologyExplorer />);
    await screen.findByRole('list', { name: 'Legend' });
    await userEvent.type(
      screen.getByRole('combobox', { name: /Find a node/ }),
      search,
    );
    await userEvent.click(await screen.findByRole('option', { name: option }));
    const entities = await screen.findByRole('list', {
      name: 'Catalog entities',
    });
    return within(entities).getAllByRole('link');
  }

  it("links a gateway's details to its catalog Resource", async () => {
    const [link] = await catalogLinks('ingressgat', /istio-ingressgateway/);
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/resource/tke-blog-istio-system-istio-ingressgateway',
    );
  });

  it("links a cluster's details to its catalog Resource", async () => {
    const [link] = await catalogLinks('saas-rem', /tke-saas-remote/);
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/resource/tke-saas-remote',
    );
  });

  it('narrows to one cluster through the API and hides node types on request', async () => {
    await renderWithPlugin(<TopologyExplorer />);
    await screen.findByRole('list', { name: 'Legend' });

    // Named by the value it shows and its label, as a voice user would say either.
    await userEvent.click(
      screen.getByRole('button', { name: 'All clusters Cluster' }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'tke-blog' }),
    );

    await waitFor(() => expect(queries).toContain('?cluster=tke-blog'));
    const legend = await screen.findByRole('list', { name: 'Legend' });
    await waitFor(() =>
      expect(within(legend).getByText('Cluster (1)')).toBeInTheDocument(),
    );

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Control planes' }),
    );

    await waitFor(() =>
      expect(
        within(screen.getByRole('list', { name: 'Legend' })).queryByText(
          /Control plane/,
        ),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('list', { name: 'Legend' })).toHaveTextContent(
      'Gateway (1)',
    );
  });

  it('opens narrowed to the cluster and with the node selected that a link names', async () => {
    const gateway = 'gateway:tke-blog/istio-system/istio-ingressgateway';
    await renderWithPlugin(<TopologyExplorer />, {
      path: `/?cluster=tke-blog&node=${encodeURIComponent(gateway)}`,
    });

    const entities = await screen.findByRole('list', {
      name: 'Catalog entities',
    });
    expect(within(entities).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/resource/tke-blog-istio-system-istio-ingressgateway',
    );
    expect(queries).toEqual(['?cluster=tke-blog']);
  });
});
