import { BillableResource } from './model';
import {
  DEFAULT_PRICES,
  HOURS_PER_MONTH,
  mergePriceCatalogue,
  monthlyCost,
  resourceMonthlyCost,
} from './pricing';

const clb: BillableResource = {
  provider: 'tencent',
  kind: 'load-balancer',
  id: 'lb-blog0001',
  network: 'public',
};

describe('pricing', () => {
  it('prices a Tencent CLB at 0.2 CNY/h over a 720-hour month', () => {
    expect(HOURS_PER_MONTH).toBe(720);
    const cost = monthlyCost(
      { id: 'e', provider: 'tencent', resources: [clb] },
      DEFAULT_PRICES,
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

  it('adds the public IP fee to an Aliyun CLB', () => {
    const cost = monthlyCost(
      {
        id: 'e',
        provider: 'aliyun',
        resources: [{ ...clb, provider: 'aliyun', id: 'lb-shop' }],
      },
      DEFAULT_PRICES,
    );
    // 0.147 * 720 + 0.02 * 720
    expect(cost.monthlyCny).toBe(120.24);
  });

  it('charges an unbound EIP and not a traffic-billed bound one', () => {
    const idle = resourceMonthlyCost(
      {
        provider: 'tencent',
        kind: 'eip',
        id: 'eip-idle0001',
        network: 'public',
        bound: false,
      },
      DEFAULT_PRICES,
    );
    expect(idle.parts[0].amountCny).toBe(144);
    const bound = resourceMonthlyCost(
      {
        provider: 'tencent',
        kind: 'eip',
        id: 'eip-1',
        network: 'public',
        bound: true,
        chargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
      },
      DEFAULT_PRICES,
    );
    expect(bound.parts).toEqual([]);
    expect(bound.unpriced).toEqual([]);
  });

  it('tiers hourly EIP bandwidth at 5 Mbps', () => {
    const cost = resourceMonthlyCost(
      {
        provider: 'tencent',
        kind: 'eip',
        id: 'eip-2',
        network: 'public',
        bound: true,
        chargeType: 'BANDWIDTH_POSTPAID_BY_HOUR',
        bandwidthMbps: 10,
      },
      DEFAULT_PRICES,
    );
    // 5 * 0.063 * 720 + 5 * 0.25 * 720
    expect(cost.parts.map(p => p.amountCny)).toEqual([226.8, 900]);
  });

  it('prices a Huawei VPC endpoint at 2.4 CNY a day', () => {
    const cost = resourceMonthlyCost(
      {
        provider: 'huawei',
        kind: 'vpc-endpoint',
        id: 'vpce-1',
        network: 'internal',
      },
      DEFAULT_PRICES,
    );
    expect(cost.parts[0].amountCny).toBe(72);
  });

  it('names what it cannot price instead of guessing', () => {
    const cost = monthlyCost(
      {
        id: 'e',
        provider: 'huawei',
        resources: [
          {
            provider: 'huawei',
            kind: 'load-balancer',
            id: 'elb-1',
            network: 'public',
          },
        ],
      },
      DEFAULT_PRICES,
    );
    expect(cost.monthlyCny).toBe(0);
    expect(cost.unpriced).toEqual(['huawei loadBalancer (elb-1)']);
  });

  it('adds traffic when the monthly volume is known', () => {
    const cost = monthlyCost(
      { id: 'e', provider: 'tencent', resources: [clb] },
      DEFAULT_PRICES,
      { trafficGbPerMonth: 100 },
    );
    expect(cost.traffic).toEqual({ gbPerMonth: 100, amountCny: 80 });
    expect(cost.monthlyCny).toBe(224);
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
