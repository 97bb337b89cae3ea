import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import {
  Cost,
  CostHistoryDay,
  CostHistoryResponse,
  Finding,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CostOverview } from './CostOverview';
import {
  costResponse,
  podEipRecommendation,
} from '../../__testUtils__/fixtures';
import { renderWithPlugin } from '../../__testUtils__/renderWithPlugin';
import { templateLinkFromPreview } from '../../__testUtils__/openTemplatePreview';

const COST = '*/api/ingress-atlas/cost';
const HISTORY = '*/api/ingress-atlas/cost/history';
const FINDINGS = '*/api/ingress-atlas/findings';

/** The days from `from` to 2026-12-12 as the backend answers them, each made by `day`. */
function history(
  from: string,
  day: (date: string, i: number) => CostHistoryDay | undefined,
): CostHistoryResponse {
  const days: CostHistoryDay[] = [];
  const date = new Date(`${from}T00:00:00Z`);
  for (let i = 0; date.toISOString() <= '2026-12-12T00:00:00.000Z'; i++) {
    const recorded = day(date.toISOString().slice(0, 10), i);
    if (recorded) days.push(recorded);
    date.setUTCDate(date.getUTCDate() + 1);
  }
  return { unit: 'CNY/month', from, to: '2026-12-12', days };
}

function priced(date: string, amount: number, unpriced = false) {
  return {
    date,
    total: { amount, unpriced },
    byCluster: { 'tke-blog': { amount, unpriced } },
    byProvider: { tencent: { amount, unpriced } },
  };
}

describe('CostOverview', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  beforeEach(() => {
    server.use(
      http.get(HISTORY, () =>
        HttpResponse.json(history('2026-12-12', () => undefined)),
      ),
      http.get(FINDINGS, () => HttpResponse.json({ findings: [] })),
    );
    // jsdom lays nothing out: a chart's container gets the size it has on a desktop screen.
    jest
      .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
      .mockImplementation(function size(this: HTMLElement) {
        const laidOut = this.classList.contains(
          'recharts-responsive-container',
        );
        return DOMRect.fromRect(laidOut ? { width: 800, height: 260 } : {});
      });
  });

  afterEach(() => jest.restoreAllMocks());

  it('draws 90 days of spend in CNY/month by date, marking days not priced instead of drawing 0', async () => {
    const days = history('2026-09-14', (date, i) => {
      if (date === '2026-11-22') return undefined; // no refresh that day
      if (date === '2026-12-09') return priced(date, 0, true);
      if (date === '2026-12-02') return priced(date, 150, true);
      return priced(date, 200 + i);
    });
    expect(days.days).toHaveLength(89);
    const asked: string[] = [];
    server.use(
      http.get(COST, () => HttpResponse.json(costResponse)),
      http.get(HISTORY, ({ request }) => {
        asked.push(new URL(request.url).search);
        return HttpResponse.json(days);
      }),
    );

    await renderWithPlugin(<CostOverview />);

    const trend = await screen.findByRole('figure', {
      name: 'Ingress spend per day',
    });
    expect(asked).toEqual(['?days=90']);
    // The chart is drawn once its container has been measured, after the first render.
    expect(await within(trend).findByText('CNY/month')).toBeInTheDocument();
    expect(within(trend).getByText('Date (UTC)')).toBeInTheDocument();
    expect(
      within(trend).getByText(
        '2026-09-14: 200 CNY/month; 2026-12-12: 289 CNY/month.',
      ),
    ).toBeInTheDocument();

    const unpriced = within(trend).getByRole('list', {
      name: 'Days not fully priced',
    });
    expect(
      within(unpriced)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      '2026-12-02: 150 CNY/month and items not priced',
      '2026-12-09: not priced',
    ]);
    expect(trend.querySelectorAll('.cost-trend-unpriced')).toHaveLength(2);
    // The line breaks on the day nothing was priced and the day nothing was recorded.
    const line = trend.querySelector('.recharts-area-curve')!;
    expect(line.getAttribute('d')?.match(/M/g)).toHaveLength(3);
  });

  it('says when history starts while it holds fewer than two days', async () => {
    server.use(
      http.get(COST, () => HttpResponse.json(costResponse)),
      http.get(HISTORY, () =>
        HttpResponse.json(history('2026-12-12', date => priced(date, 288))),
      ),
    );

    await renderWithPlugin(<CostOverview />);

    expect(
      await screen.findByText(
        /^History starts 2026-12-12: the trend shows from its second day\./,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('figure', { name: 'Ingress spend per day' }),
    ).not.toBeInTheDocument();
  });

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

    const idle = screen.getByRole('grid', {
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

    const idle = screen.getByRole('grid', {
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

  it('tells idle waste from a possible saving, and says what to do about each idle resource', async () => {
    const idleFinding: Finding = {
      id: 'IDLE_LOAD_BALANCER:cost:lb-idle0001',
      code: 'IDLE_LOAD_BALANCER',
      severity: 'warning',
      message:
        'Load balancer lb-idle0001 (tencent ap-guangzhou) has no listeners and costs 144 CNY/month',
      objects: [
        { kind: 'LoadBalancer', name: 'lb-idle0001', id: 'cost:lb-idle0001' },
      ],
      fix: 'Delete it (DeleteLoadBalancer) after checking nothing outside the clusters uses 198.51.100.99.',
      monthlyWasteCny: 144,
    };
    server.use(
      http.get(COST, () => HttpResponse.json(costResponse)),
      http.get(FINDINGS, () => HttpResponse.json({ findings: [idleFinding] })),
    );

    await renderWithPlugin(<CostOverview />);

    const idleWaste = (await screen.findByText('Idle waste')).parentElement!;
    expect(idleWaste).toHaveTextContent(
      /serving nothing: EIPs bound to nothing/,
    );
    expect(
      screen.getByText('Possible saving').parentElement!,
    ).toHaveTextContent(/cheaper ways to serve entries in use/);

    const idle = screen.getByRole('grid', {
      name: 'Idle and orphaned resources',
    });
    const row = within(idle).getByRole('row', { name: /lb-idle0001/ });
    expect(
      await within(row).findByText(/^Delete it \(DeleteLoadBalancer\)/),
    ).toHaveTextContent(idleFinding.fix);
    expect(
      within(row).getByRole('link', {
        name: 'About Load balancer serving nothing',
      }),
    ).toHaveAttribute('href', '/ingress-atlas/findings/IDLE_LOAD_BALANCER');
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
