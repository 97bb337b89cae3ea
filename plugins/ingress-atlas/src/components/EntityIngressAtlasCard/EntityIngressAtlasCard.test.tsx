import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { EntityIngressAtlasCard } from './EntityIngressAtlasCard';
import {
  blogEntity,
  blogExposure,
  staleEdge,
  tcmFinding,
} from '../../__testUtils__/fixtures';
import { renderWithPlugin } from '../../__testUtils__/renderWithPlugin';

const EXPOSURE = '*/api/ingress-atlas/entities/component/default/blog/exposure';

describe('EntityIngressAtlasCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('ties TLS and backends to their host when the entity has several', async () => {
    const [path] = blogExposure.paths;
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json({
          ...blogExposure,
          paths: [
            path,
            {
              ...path,
              id: `${path.id}-plain`,
              host: 'old.blog.example.com',
              tls: { mode: 'NONE', certificateSource: 'none' },
            },
          ],
        }),
      ),
    );

    await renderWithPlugin(<EntityIngressAtlasCard />, { entity: blogEntity });

    expect(
      await screen.findByText(
        'blog.example.com: SIMPLE, certificate from Secret istio-system/blog-cert, expires 2027-01-05 (in 45 days)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('old.blog.example.com: none, plain HTTP'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'old.blog.example.com: VirtualService blog/blog → Service blog/blog → Deployment blog/blog',
      ),
    ).toBeInTheDocument();
  });

  it('shows how the blog is reached, what it costs and its worst finding', async () => {
    server.use(http.get(EXPOSURE, () => HttpResponse.json(blogExposure)));

    await renderWithPlugin(<EntityIngressAtlasCard />, { entity: blogEntity });

    expect(await screen.findByText('blog.example.com')).toBeInTheDocument();
    expect(screen.getByText('Public hosts')).toBeInTheDocument();
    expect(screen.queryByText('Internal hosts')).not.toBeInTheDocument();
    expect(
      screen.getByText(
        /CLB lb-blog0001 · 198\.51\.100\.11 · ports 80, 443 \(public\)/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('istio-system/istio-ingressgateway (istio) on tke-blog'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'SIMPLE, certificate from Secret istio-system/blog-cert, expires 2027-01-05 (in 45 days)',
      ),
    ).toBeInTheDocument();
    // What serves the host inside the cluster, as the tab's path table has it.
    expect(
      screen.getByText(
        'VirtualService blog/blog → Service blog/blog → Deployment blog/blog',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('144 CNY/month')).toBeInTheDocument();

    const banner = screen.getByTestId('finding-banner');
    expect(within(banner).getByText(tcmFinding.message)).toBeInTheDocument();

    expect(
      screen.getByRole('link', { name: /All paths, costs and fixes/ }),
    ).toHaveAttribute('href', '/catalog/default/component/blog/ingress');
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

    expect(
      await screen.findByText('Hosts on an unknown network'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Public hosts')).not.toBeInTheDocument();
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
