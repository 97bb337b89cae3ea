import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { Cost } from '@ingress-atlas/plugin-ingress-atlas-common';
import { CostOverview } from './CostOverview';
import {
  costResponse,
  podEipRecommendation,
} from '../../__testUtils__/fixtures';
import { renderWithPlugin } from '../../__testUtils__/renderWithPlugin';
import { templateLinkFromPreview } from '../../__testUtils__/openTemplatePreview';

const COST = '*/api/ingress-atlas/cost';

describe('CostOverview', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows spend, idle waste and savings by cluster, provider and entry type', async () => {
    server.use(http.get(COST, () => HttpResponse.json(costResponse)));

    await renderWithPlugin(<CostOverview />);

    expect(await screen.findByText('Ingress spend')).toBeInTheDocument();
    expect(screen.getByText('288 CNY/month')).toBeInTheDocument();
    expect(screen.getByText('Idle waste').nextSibling).toHaveTextContent(
      '144 CNY/month',
    );
    expect(screen.getByText('Possible saving').nextSibling).toHaveTextContent(
      '144 CNY/month',
    );

    const byCluster = screen.getByRole('list', {
      name: 'Monthly cost by cluster',
    });
    expect(
      within(byCluster).getByText('tke-blog: 144 CNY/month'),
    ).toBeInTheDocument();
    const byProvider = screen.getByRole('list', {
      name: 'Monthly cost by provider',
    });
    expect(
      within(byProvider).getByText('tencent: 288 CNY/month'),
    ).toBeInTheDocument();
    const byType = screen.getByRole('list', {
      name: 'Monthly cost by entry type',
    });
    expect(
      within(byType).getByText('Load balancer: 144 CNY/month'),
    ).toBeInTheDocument();

    const idle = screen.getByRole('table', {
      name: 'Idle and orphaned resources',
    });
    expect(within(idle).getByText('lb-idle0001')).toBeInTheDocument();

    const saving = screen.getByTestId(
      `recommendation-${podEipRecommendation.id}`,
    );
    expect(
      within(saving).getByText(podEipRecommendation.title),
    ).toBeInTheDocument();
    expect(
      await templateLinkFromPreview(saving, 'Move gateway to pod eip'),
    ).toHaveAttribute(
      'href',
      expect.stringContaining(
        '/create/templates/default/move-gateway-to-pod-eip?formData=',
      ),
    );
  });

  it('keeps unpriced apart from 0, idle resources apart from clusters, and links them to the catalog', async () => {
    const huaweiElb: Cost = {
      id: 'cost:entry:huawei-cce/load-balancer/api-proxy/apiserver-proxy',
      entry: 'entry:huawei-cce/load-balancer/api-proxy/apiserver-proxy',
      provider: 'huawei',
      state: 'in-use',
      monthlyCny: 0,
      parts: [],
      unpriced: ['huawei loadBalancer (elb-0001)'],
      traffic: 'unknown',
    };
    server.use(
      http.get(COST, () =>
        HttpResponse.json({
          ...costResponse,
          summary: {
            ...costResponse.summary,
            byCluster: { ...costResponse.summary!.byCluster, 'huawei-cce': 0 },
            byProvider: { tencent: 288, huawei: 0 },
          },
          costs: [...costResponse.costs, huaweiElb],
        }),
      ),
    );

    await renderWithPlugin(<CostOverview />);

    const byProvider = await screen.findByRole('list', {
      name: 'Monthly cost by provider',
    });
    expect(
      within(byProvider).getByText('huawei: not priced'),
    ).toBeInTheDocument();
    const byCluster = screen.getByRole('list', {
      name: 'Monthly cost by cluster',
    });
    expect(
      within(byCluster).getByText('huawei-cce: not priced'),
    ).toBeInTheDocument();
    expect(byCluster).not.toHaveTextContent(/unattached/);
    expect(
      screen.getByText(
        'Not on any cluster (idle or orphaned, below): 144 CNY/month',
      ),
    ).toBeInTheDocument();
    const byType = screen.getByRole('list', {
      name: 'Monthly cost by entry type',
    });
    expect(byType).not.toHaveTextContent(/idle/i);

    const idle = screen.getByRole('table', {
      name: 'Idle and orphaned resources',
    });
    expect(
      within(idle).getByRole('columnheader', { name: 'Monthly (CNY/month)' }),
    ).toBeInTheDocument();
    expect(
      within(idle).getByRole('link', { name: 'lb-idle0001' }),
    ).toHaveAttribute('href', '/catalog/default/resource/lb-idle0001');
    expect(within(idle).getByText('Idle: serves nothing')).toBeInTheDocument();
  });

  it('says which config prices resources when nothing is billed', async () => {
    server.use(
      http.get(COST, () =>
        HttpResponse.json({
          summary: {
            totalMonthlyCny: 0,
            idleWasteMonthlyCny: 0,
            potentialSavingMonthlyCny: 0,
            byCluster: {},
            byProvider: {},
            byEntryType: {},
          },
          costs: [],
          recommendations: [],
        }),
      ),
    );

    await renderWithPlugin(<CostOverview />);

    expect(
      await screen.findByText('No billable ingress resources found'),
    ).toBeInTheDocument();
    expect(screen.getByText(/ingressAtlas\.providers/)).toBeInTheDocument();
  });
});
