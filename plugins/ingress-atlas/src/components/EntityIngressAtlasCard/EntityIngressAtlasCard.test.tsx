import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { EntityIngressAtlasCard } from './EntityIngressAtlasCard';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  blogEntity,
  blogExposure,
  migrateTcmTemplate,
  staleEdge,
  tcmFinding,
} from '../../__testUtils__/fixtures';
import { renderWithPlugin } from '../../__testUtils__/renderWithPlugin';

const EXPOSURE = '*/api/ingress-atlas/entities/component/default/blog/exposure';

describe('EntityIngressAtlasCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('gives each host its own line: how it is reached, its TLS and its cost', async () => {
    const [path] = blogExposure.paths;
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json({
          ...blogExposure,
          paths: [
            { ...path, monthlyCostShareCny: 72 },
            {
              ...path,
              id: `${path.id}-plain`,
              host: 'old.blog.example.com',
              tls: { mode: 'NONE', certificateSource: 'none' },
              monthlyCostShareCny: 72,
            },
          ],
        }),
      ),
    );

    await renderWithPlugin(<EntityIngressAtlasCard />, { entity: blogEntity });

    const hosts = await screen.findByRole('list', { name: 'Hosts' });
    const [blog, old] = within(hosts).getAllByRole('listitem');
    expect(within(blog).getByText('blog.example.com')).toBeInTheDocument();
    expect(
      within(blog).getByText(
        'TLS: SIMPLE, certificate from Secret istio-system/blog-cert, expires 2027-01-05 (in 45 days)',
      ),
    ).toBeInTheDocument();
    expect(within(old).getByText('old.blog.example.com')).toBeInTheDocument();
    expect(within(old).getByText('TLS: none, plain HTTP')).toBeInTheDocument();
    expect(
      within(old).getByText(
        'CLB lb-blog0001 → istio-system/istio-ingressgateway → VirtualService blog/blog → Service blog/blog → Deployment blog/blog',
      ),
    ).toBeInTheDocument();
    // Each host's share of the entry, and the entity's total below.
    expect(within(blog).getByText('72 CNY/month')).toBeInTheDocument();
    expect(within(old).getByText('72 CNY/month')).toBeInTheDocument();
    expect(screen.getByText('144 CNY/month')).toBeInTheDocument();
  });

  it('shows how the blog is reached, what it costs, its worst finding and the fix to run first', async () => {
    server.use(http.get(EXPOSURE, () => HttpResponse.json(blogExposure)));

    await renderWithPlugin(<EntityIngressAtlasCard />, {
      entity: blogEntity,
      apis: [[catalogApiRef, catalogApiMock({ entities: [migrateTcmTemplate] })]],
    });

    const hosts = await screen.findByRole('list', { name: 'Hosts' });
    const [blog] = within(hosts).getAllByRole('listitem');
    expect(within(blog).getByText('blog.example.com')).toBeInTheDocument();
    expect(within(blog).getByText('public')).toBeInTheDocument();
    // host → entry → gateway → route → Service → workload, as the tab's path table has it.
    expect(
      within(blog).getByText(
        'CLB lb-blog0001 → istio-system/istio-ingressgateway → VirtualService blog/blog → Service blog/blog → Deployment blog/blog',
      ),
    ).toBeInTheDocument();
    expect(
      within(blog).getByText(
        'TLS: SIMPLE, certificate from Secret istio-system/blog-cert, expires 2027-01-05 (in 45 days)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /CLB lb-blog0001 · 198\.51\.100\.11 · ports 80, 443 \(public\)/,
      ),
    ).toBeInTheDocument();
    // One host: its cost is the total, said once.
    expect(screen.getAllByText('144 CNY/month')).toHaveLength(1);

    const banner = screen.getByTestId('finding-banner');
    expect(within(banner).getByText(tcmFinding.message)).toBeInTheDocument();
    // The most severe finding with a template comes first, by the template's title.
    expect(
      await screen.findByRole('button', {
        name: 'Migrate from TCM to self-managed Istio',
      }),
    ).toBeInTheDocument();

    expect(
      screen.getByRole('link', { name: /All paths, costs and fixes/ }),
    ).toHaveAttribute('href', '/catalog/default/component/blog/ingress');
  });

  it("offers the largest saving's template when no finding has one", async () => {
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json({ ...blogExposure, findings: [] }),
      ),
    );

    await renderWithPlugin(<EntityIngressAtlasCard />, { entity: blogEntity });

    expect(
      await screen.findByRole('button', {
        name: 'Move gateway to pod eip',
      }),
    ).toBeInTheDocument();
  });

  it('says an entry with no price is not priced, not free', async () => {
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json({
          ...blogExposure,
          paths: blogExposure.paths.map(p => ({
            ...p,
            monthlyCostShareCny: 0,
          })),
          costs: [
            {
              ...blogExposure.costs[0],
              monthlyCny: 0,
              parts: [],
              unpriced: ['huawei loadBalancer (elb-0001)'],
            },
          ],
        }),
      ),
    );

    await renderWithPlugin(<EntityIngressAtlasCard />, { entity: blogEntity });

    expect(await screen.findByText(/^not priced/)).toBeInTheDocument();
    expect(screen.queryByText(/^0 CNY/)).not.toBeInTheDocument();
  });

  it('lists hosts on an entry whose network the inventory does not tell, with the reason', async () => {
    const reason =
      'existing load balancer lb-blog0001 (service.kubernetes.io/tke-existed-lbid), no cloud inventory';
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json({
          ...blogExposure,
          paths: blogExposure.paths.map(p => ({ ...p, network: 'unknown' })),
          entries: blogExposure.entries.map(e => ({
            ...e,
            network: 'unknown',
            networkReason: reason,
          })),
        }),
      ),
    );

    await renderWithPlugin(<EntityIngressAtlasCard />, { entity: blogEntity });

    const hosts = await screen.findByRole('list', { name: 'Hosts' });
    expect(within(hosts).getByText('network unknown')).toBeInTheDocument();
    expect(within(hosts).queryByText('public')).not.toBeInTheDocument();
    expect(screen.getByText(/\(unknown\)/)).toBeInTheDocument();
    expect(
      screen.getByText(content => content.startsWith(reason)),
    ).toBeInTheDocument();
  });

  it('marks data from a cluster whose last refresh failed as stale, with the snapshot time', async () => {
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json({
          ...blogExposure,
          paths: [{ ...blogExposure.paths[0], cluster: 'edge' }],
          clusters: [staleEdge],
        }),
      ),
    );

    await renderWithPlugin(<EntityIngressAtlasCard />, { entity: blogEntity });

    expect(
      await screen.findByText('Stale data from cluster edge'),
    ).toBeInTheDocument();
    const marker = screen.getByTestId('cluster-problem-edge');
    expect(marker).toHaveTextContent(
      /Showing the snapshot from 2026-11-20 \d\d:\d\d \(\d+ days? ago\)\./,
    );
    expect(marker).toHaveTextContent(
      'The last refresh failed: connect ECONNREFUSED 127.0.0.1:6444',
    );
  });

  it('says what to configure when no path leads to the entity', async () => {
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json({
          ...blogExposure,
          paths: [],
          entries: [],
          gateways: [],
          routes: [],
          findings: [],
          costs: [],
          recommendations: [],
          clusters: [],
        }),
      ),
    );

    await renderWithPlugin(<EntityIngressAtlasCard />, { entity: blogEntity });

    expect(
      await screen.findByText('No exposure path found for this entity'),
    ).toBeInTheDocument();
    expect(screen.getByText('ingressAtlas.clusters')).toBeInTheDocument();
  });

  it('shows the backend error instead of an empty card', async () => {
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Access denied to ingress-atlas.read',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );

    await renderWithPlugin(<EntityIngressAtlasCard />, { entity: blogEntity });

    expect(
      await screen.findByText(/Access denied to ingress-atlas\.read/),
    ).toBeInTheDocument();
  });
});
