import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Finding } from '@ingress-atlas/plugin-ingress-atlas-common';
import { EntityIngressAtlasContent } from './EntityIngressAtlasContent';
import { EntityIngressAtlasCard } from '../EntityIngressAtlasCard';
import {
  blogEntity,
  blogExposure,
  podEipRecommendation,
  tcmFinding,
} from '../../__testUtils__/fixtures';
import { renderWithPlugin } from '../../__testUtils__/renderWithPlugin';
import { templateLinkFromPreview } from '../../__testUtils__/openTemplatePreview';

const EXPOSURE = '*/api/ingress-atlas/entities/component/default/blog/exposure';

function formDataOf(href: string | null) {
  const url = new URL(href!, 'http://portal.test');
  return {
    path: url.pathname,
    formData: JSON.parse(url.searchParams.get('formData')!),
  };
}

describe('EntityIngressAtlasContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  beforeEach(() => {
    server.use(http.get(EXPOSURE, () => HttpResponse.json(blogExposure)));
  });

  it('shows a newer model of the atlas without a reload', async () => {
    let model = blogExposure;
    server.use(
      http.get('*/api/ingress-atlas/clusters', () =>
        HttpResponse.json({
          generatedAt: model.generatedAt,
          clusters: model.clusters,
          sourceErrors: [],
        }),
      ),
      http.get(EXPOSURE, () => HttpResponse.json(model)),
    );
    await renderWithPlugin(<EntityIngressAtlasContent />, {
      entity: blogEntity,
      config: { ingressAtlas: { followChangesSeconds: 0.2 } },
    });
    expect(
      await screen.findAllByText('blog.example.com', undefined, {
        timeout: 10_000,
      }),
    ).not.toHaveLength(0);

    // The next refresh publishes the blog under a new host as well.
    model = {
      ...blogExposure,
      generatedAt: '2026-11-21T12:10:00.000Z',
      paths: [
        ...blogExposure.paths,
        {
          ...blogExposure.paths[0],
          id: `${blogExposure.paths[0].id}-www`,
          host: 'www.blog.example.com',
        },
      ],
    };
    expect(
      await screen.findAllByText('www.blog.example.com', undefined, {
        timeout: 10_000,
      }),
    ).not.toHaveLength(0);
  }, 30_000);

  it("asks for the entity's exposure once for its card and its tab", async () => {
    let requests = 0;
    server.use(
      http.get(EXPOSURE, () => {
        requests += 1;
        return HttpResponse.json(blogExposure);
      }),
    );

    await renderWithPlugin(
      <>
        <EntityIngressAtlasCard />
        <EntityIngressAtlasContent />
      </>,
      { entity: blogEntity },
    );

    expect(await screen.findByText('Exposure paths')).toBeInTheDocument();
    expect(
      await screen.findByRole('list', { name: 'Hosts' }),
    ).toBeInTheDocument();
    expect(requests).toBe(1);
  });

  it('shows an entry that bills without a price as not priced, not as 0', async () => {
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json({
          ...blogExposure,
          costs: [
            {
              ...blogExposure.costs[0],
              monthlyCny: 0,
              parts: [],
              unpriced: ['tencent loadBalancer (lb-blog0001)'],
            },
          ],
          paths: blogExposure.paths.map(p => ({
            ...p,
            monthlyCostShareCny: 0,
          })),
        }),
      ),
    );

    await renderWithPlugin(<EntityIngressAtlasContent />, {
      entity: blogEntity,
    });

    const path = await screen.findByRole('row', {
      name: /^blog\.example\.com/,
    });
    expect(within(path).getByText('not priced')).toBeInTheDocument();
    expect(within(path).queryByText(/^0 CNY/)).not.toBeInTheDocument();
    expect(
      screen.getByText('not priced', { selector: 'strong' }),
    ).toBeInTheDocument();
  });

  it('shows measured traffic as a line of the cost, and unmeasured traffic as not measured', async () => {
    const measured = {
      ...blogExposure.costs[0],
      // 144 for the CLB + 120 GB x 0.8 CNY/GB = 96.
      monthlyCny: 240,
      traffic: {
        gbPerMonth: 120,
        amountCny: 96,
        unitPrice: 0.8,
        priceSource:
          'Tencent Cloud EIP price list, traffic (mainland) (2026-11-21)',
        measurement: {
          source: 'Tencent Cloud Monitor QCE/LB_PUBLIC ClientOuttraffic',
          from: '2026-11-19T12:00:00.000Z',
          to: '2026-11-21T12:00:00.000Z',
        },
      },
    };
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json({ ...blogExposure, costs: [measured] }),
      ),
    );
    const { unmount } = await renderWithPlugin(<EntityIngressAtlasContent />, {
      entity: blogEntity,
    });

    const costTable = await screen.findByRole('grid', {
      name: 'Cost of entry:tke-blog/lb-blog0001',
    });
    const traffic = within(costTable).getByRole('row', { name: /^traffic/ });
    expect(
      within(traffic).getByText(
        'Tencent Cloud Monitor QCE/LB_PUBLIC ClientOuttraffic',
      ),
    ).toBeInTheDocument();
    expect(within(traffic).getByText('120 GB')).toBeInTheDocument();
    expect(within(traffic).getByText('0.8 CNY/GB')).toBeInTheDocument();
    expect(within(traffic).getByText('96')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Traffic: 120 GB/month, 96 CNY/month, measured 2026-11-19 to 2026-11-21 and scaled to 30 days.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('240 CNY/month', { selector: 'strong' }),
    ).toBeInTheDocument();
    unmount();

    server.use(http.get(EXPOSURE, () => HttpResponse.json(blogExposure)));
    await renderWithPlugin(<EntityIngressAtlasContent />, {
      entity: blogEntity,
    });
    expect(
      await screen.findByText('144 CNY/month, plus traffic of unknown volume', {
        selector: 'strong',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Traffic not measured: not included.'),
    ).toBeInTheDocument();
  });

  it('lists the exposure paths with entry, gateway, route, workload and TLS', async () => {
    await renderWithPlugin(<EntityIngressAtlasContent />, {
      entity: blogEntity,
    });

    expect(await screen.findByText('Exposure paths')).toBeInTheDocument();
    const row = screen.getByRole('row', { name: /^blog\.example\.com/ });
    expect(within(row).getByText('public')).toBeInTheDocument();
    expect(
      within(row).getByText('CLB lb-blog0001 · 198.51.100.11 · ports 80, 443'),
    ).toBeInTheDocument();
    expect(
      within(row).getByText('istio-system/istio-ingressgateway'),
    ).toBeInTheDocument();
    expect(
      within(row).getByText('VirtualService blog/blog'),
    ).toBeInTheDocument();
    expect(within(row).getByText('Deployment blog/blog')).toBeInTheDocument();
    expect(within(row).getByText('144 CNY/month')).toBeInTheDocument();
  });

  it('breaks the cost down and opens the pod-EIP template with its parameters filled in', async () => {
    await renderWithPlugin(<EntityIngressAtlasContent />, {
      entity: blogEntity,
    });

    const costTable = await screen.findByRole('grid', {
      name: 'Cost of entry:tke-blog/lb-blog0001',
    });
    expect(within(costTable).getByText('CLB instance')).toBeInTheDocument();
    expect(within(costTable).getByText('720 hours')).toBeInTheDocument();
    expect(within(costTable).getByText('0.2 CNY/hour')).toBeInTheDocument();
    expect(
      within(costTable).getByRole('columnheader', {
        name: 'Monthly (CNY/month)',
      }),
    ).toBeInTheDocument();

    const recommendation = screen.getByTestId(
      `recommendation-${podEipRecommendation.id}`,
    );
    expect(
      within(recommendation).getByText(podEipRecommendation.title),
    ).toBeInTheDocument();
    expect(
      within(recommendation).getByText('144 CNY/month'),
    ).toBeInTheDocument();
    expect(
      within(recommendation).getByText(
        /What if: 144 → 0 CNY\/month for this entry/,
      ),
    ).toBeInTheDocument();

    const link = await templateLinkFromPreview(
      recommendation,
      'Move gateway to pod eip',
    );
    expect(formDataOf(link.getAttribute('href'))).toEqual({
      path: '/create/templates/default/move-gateway-to-pod-eip',
      formData: podEipRecommendation.parameters,
    });
  });

  it('shows the TCM finding with its fix and migration template', async () => {
    await renderWithPlugin(<EntityIngressAtlasContent />, {
      entity: blogEntity,
    });

    const finding = (await screen.findByText(tcmFinding.message)).closest(
      '[role="alert"]',
    )!;
    expect(
      within(finding as HTMLElement).getByText(`Fix: ${tcmFinding.fix}`),
    ).toBeInTheDocument();
    const link = await templateLinkFromPreview(
      finding as HTMLElement,
      'Migrate tcm to istiod',
    );
    expect(formDataOf(link.getAttribute('href')).formData).toEqual({
      cluster: 'tke-blog',
      meshId: 'mesh-blog0001',
    });
  });

  it("links a finding's gateway to its catalog Resource and its code to the code's page", async () => {
    const singleReplica: Finding = {
      id: 'SINGLE_REPLICA_PUBLIC_LB:gateway:tke-blog/istio-system/istio-ingressgateway',
      code: 'SINGLE_REPLICA_PUBLIC_LB',
      severity: 'warning',
      message:
        'One replica of istio-ingressgateway behind a public load balancer',
      objects: [
        {
          kind: 'Deployment',
          name: 'istio-ingressgateway',
          namespace: 'istio-system',
          cluster: 'tke-blog',
          id: 'gateway:tke-blog/istio-system/istio-ingressgateway',
        },
      ],
      fix: 'Run at least 2 replicas',
    };
    server.use(
      http.get(EXPOSURE, () =>
        HttpResponse.json({ ...blogExposure, findings: [singleReplica] }),
      ),
    );
    const gatewayResource = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'tke-blog-istio-system-istio-ingressgateway',
        namespace: 'default',
      },
      spec: { type: 'ingress-gateway', owner: 'platform-team' },
    };

    await renderWithPlugin(<EntityIngressAtlasContent />, {
      entity: blogEntity,
      apis: [[catalogApiRef, catalogApiMock({ entities: [gatewayResource] })]],
    });

    const finding = (await screen.findByText(singleReplica.message)).closest(
      '[role="alert"]',
    ) as HTMLElement;
    expect(
      await within(finding).findByRole('link', {
        name: 'Deployment istio-system/istio-ingressgateway in tke-blog',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/tke-blog-istio-system-istio-ingressgateway',
    );
    expect(
      within(finding).getByRole('link', {
        name: /^About SINGLE_REPLICA_PUBLIC_LB/,
      }),
    ).toHaveAttribute(
      'href',
      '/ingress-atlas/findings/SINGLE_REPLICA_PUBLIC_LB',
    );
  });

  it("draws the entity's own topology from host to workload", async () => {
    await renderWithPlugin(<EntityIngressAtlasContent />, {
      entity: blogEntity,
    });

    const legend = await screen.findByRole('list', { name: 'Legend' });
    for (const item of [
      'Host (1)',
      'Cluster (1)',
      'Entry (1)',
      'Gateway (1)',
      'Route (1)',
      'Service (1)',
      'Workload (1)',
    ]) {
      expect(within(legend).getByText(item)).toBeInTheDocument();
    }
    expect(
      await screen.findByTestId('topology-node-host:blog.example.com'),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId(
        'topology-node-workload:tke-blog/blog/Deployment/blog',
      ),
    ).toBeInTheDocument();
  });
});
