import { BillableResource, CloudProvider } from './model';
import {
  DEFAULT_PRICES,
  HOURS_PER_MONTH,
  mergePriceCatalogue,
  monthlyCost,
  resourceMonthlyCost,
} from './pricing';

const loadBalancer = (
  provider: CloudProvider,
  more: Partial<BillableResource> = {},
): BillableResource => ({
  provider,
  kind: 'load-balancer',
  id: 'lb-1',
  network: 'public',
  ...more,
});

const eip = (more: Partial<BillableResource> = {}): BillableResource => ({
  provider: 'tencent',
  kind: 'eip',
  id: 'eip-1',
  network: 'public',
  bound: true,
  ...more,
});

/** The monthly cost of an entry with these resources, at catalogue prices. */
const costOf = (...resources: BillableResource[]) =>
  monthlyCost(
    { id: 'e', provider: resources[0].provider, resources },
    DEFAULT_PRICES,
  );

const amounts = (resource: BillableResource) =>
  resourceMonthlyCost(resource, DEFAULT_PRICES).parts.map(p => [
    p.item,
    p.amountCny,
  ]);

describe('pricing', () => {
  it('prices a Tencent CLB at 0.2 CNY/h over a 720-hour month', () => {
    expect(HOURS_PER_MONTH).toBe(720);
    const cost = costOf(
      loadBalancer('tencent', { id: 'lb-blog0001', loadBalancerKind: 'clb' }),
    );
    expect(cost.monthlyCny).toBe(144);
    expect(cost.parts).toEqual([
      expect.objectContaining({
        item: 'loadBalancer',
        resource: 'lb-blog0001',
        unitPrice: 0.2,
        quantity: 720,
        amountCny: 144,
        source: expect.stringContaining('CLB'),
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      }),
    ]);
    expect(cost.traffic).toBe('unknown');
  });

  it('prices Aliyun load balancers by kind: the public IP fee is a CLB one', () => {
    // 0.147 * 720 + 0.02 * 720
    expect(
      amounts(loadBalancer('aliyun', { loadBalancerKind: 'clb' })),
    ).toEqual([
      ['loadBalancer', 105.84],
      ['loadBalancerPublicIp', 14.4],
    ]);
    expect(
      amounts(loadBalancer('aliyun', { loadBalancerKind: 'nlb' })),
    ).toEqual([['networkLoadBalancer', 105.84]]);
    expect(
      amounts(loadBalancer('aliyun', { loadBalancerKind: 'alb' })),
    ).toEqual([['applicationLoadBalancer', 105.84]]);
    expect(
      amounts(
        loadBalancer('aliyun', {
          loadBalancerKind: 'clb',
          network: 'internal',
        }),
      ),
    ).toEqual([['loadBalancer', 105.84]]);
  });

  it('charges an unbound EIP and not a traffic-billed bound one', () => {
    expect(amounts(eip({ bound: false }))).toEqual([['eipUnbound', 144]]);
    expect(
      resourceMonthlyCost(
        eip({ chargeType: 'TRAFFIC_POSTPAID_BY_HOUR' }),
        DEFAULT_PRICES,
      ),
    ).toEqual({ parts: [], unpriced: [] });
  });

  it('tiers hourly EIP bandwidth at 5 Mbps', () => {
    // 5 * 0.063 * 720 + 5 * 0.25 * 720
    expect(
      amounts(
        eip({ chargeType: 'BANDWIDTH_POSTPAID_BY_HOUR', bandwidthMbps: 10 }),
      ),
    ).toEqual([
      ['eipBandwidthUpTo5Mbps', 226.8],
      ['eipBandwidthAbove5Mbps', 900],
    ]);
  });

  it('prices a Huawei VPC endpoint at 2.4 CNY a day', () => {
    expect(
      amounts({
        provider: 'huawei',
        kind: 'vpc-endpoint',
        id: 'vpce-1',
        network: 'internal',
      }),
    ).toEqual([['vpcEndpoint', 72]]);
  });

  it('names what it cannot price instead of guessing', () => {
    const cost = costOf(
      loadBalancer('huawei', { id: 'elb-1', loadBalancerKind: 'elb' }),
    );
    expect(cost.monthlyCny).toBe(0);
    expect(cost.unpriced).toEqual(['huawei loadBalancer (elb-1)']);
  });

  it('adds traffic when the monthly volume is known', () => {
    const cost = monthlyCost(
      {
        id: 'e',
        provider: 'tencent',
        resources: [loadBalancer('tencent')],
      },
      DEFAULT_PRICES,
      { trafficGbPerMonth: 100 },
    );
    // 100 GB x 0.8 CNY/GB (EIP traffic, mainland) = 80; plus 0.2 CNY/h x 720 h = 144.
    expect(cost.traffic).toMatchObject({
      gbPerMonth: 100,
      amountCny: 80,
      unitPrice: 0.8,
    });
    expect(cost.monthlyCny).toBe(224);
  });

  it("prices a load balancer's traffic at its own price where one is configured", () => {
    const prices = mergePriceCatalogue(DEFAULT_PRICES, {
      tencent: { loadBalancerTraffic: 0.5 },
    });
    const throughClb = monthlyCost(
      { id: 'e', provider: 'tencent', resources: [loadBalancer('tencent')] },
      prices,
      { trafficGbPerMonth: 100 },
    );
    const throughEip = monthlyCost(
      {
        id: 'p',
        provider: 'tencent',
        resources: [
          { provider: 'tencent', kind: 'eip', id: 'eip-1', network: 'public' },
        ],
      },
      prices,
      { trafficGbPerMonth: 100 },
    );
    // 100 GB x 0.5 on the CLB; 100 GB x 0.8 on the EIP.
    expect(throughClb.traffic).toMatchObject({ amountCny: 50 });
    expect(throughEip.traffic).toMatchObject({ amountCny: 80 });
  });

  it('leaves traffic unknown, not 0, when no volume is known', () => {
    const cost = costOf(loadBalancer('tencent'));
    expect(cost.traffic).toBe('unknown');
  });

  it('merges overrides, keeping units and recording their source', () => {
    const merged = mergePriceCatalogue(
      DEFAULT_PRICES,
      {
        tencent: { loadBalancer: 0.25 },
        huawei: {
          loadBalancer: {
            amount: 0.12,
            source: 'contract',
            date: '2026-01-01',
          },
        },
      },
      { source: 'InquiryPriceCreateLoadBalancer', date: '2026-11-22' },
    );
    expect(merged.tencent?.loadBalancer).toEqual({
      amount: 0.25,
      unit: 'CNY/hour',
      source: 'InquiryPriceCreateLoadBalancer',
      date: '2026-11-22',
    });
    expect(merged.huawei?.loadBalancer).toEqual({
      amount: 0.12,
      unit: 'CNY/hour',
      source: 'contract',
      date: '2026-01-01',
    });
    expect(merged.tencent?.eipUnbound).toEqual(
      DEFAULT_PRICES.tencent?.eipUnbound,
    );
    expect(DEFAULT_PRICES.tencent?.loadBalancer?.amount).toBe(0.2);
  });

  it('rejects unknown items and bad amounts, naming the key', () => {
    expect(() =>
      mergePriceCatalogue(DEFAULT_PRICES, { tencent: { clb: 1 } }),
    ).toThrow(/'tencent.clb'/);
    expect(() => mergePriceCatalogue(DEFAULT_PRICES, { azure: {} })).toThrow(
      /'azure'/,
    );
    expect(() =>
      mergePriceCatalogue(DEFAULT_PRICES, { tencent: { loadBalancer: -1 } }),
    ).toThrow(/'tencent.loadBalancer'/);
  });
});
