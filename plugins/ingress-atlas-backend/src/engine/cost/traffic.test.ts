import {
  AtlasModel,
  DEFAULT_PRICES,
  mergePriceCatalogue,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { CloudInventory } from '@ingress-atlas/plugin-ingress-atlas-node';
import { analyze } from '../analyze';
import {
  fixtureClouds,
  fixtureClusters,
} from '../__testUtils__/fixtureEstates';
import { AnalyzeInput, GatewayTraffic } from '../types';

const BLOG_ENTRY =
  'entry:tke-blog/load-balancer/istio-system/istio-ingressgateway';
const WINDOW = { from: '2026-11-19T00:00:00Z', to: '2026-11-21T00:00:00Z' };

const meshSent = (gbPerMonth: number, cluster?: string): GatewayTraffic => ({
  namespace: 'istio-system',
  workload: 'istio-ingressgateway',
  ...(cluster ? { cluster } : {}),
  measurement: { gbPerMonth, source: 'Prometheus', ...WINDOW },
});

/** The fixture clouds, with Cloud Monitor's figure for lb-blog0001. */
function cloudsMeasuring(gbPerMonth: number): CloudInventory[] {
  return fixtureClouds().map(cloud =>
    cloud.loadBalancers.some(lb => lb.id === 'lb-blog0001')
      ? {
          ...cloud,
          traffic: {
            'lb-blog0001': {
              gbPerMonth,
              source: 'Tencent Cloud Monitor QCE/LB_PUBLIC ClientOuttraffic',
              ...WINDOW,
            },
          },
        }
      : cloud,
  );
}

describe('traffic in costs and savings', () => {
  async function model(input: Partial<AnalyzeInput>): Promise<AtlasModel> {
    return analyze({
      clusters: await fixtureClusters(),
      clouds: fixtureClouds(),
      now: '2026-11-21T00:00:00Z',
      ...input,
    });
  }
  const blogCost = (m: AtlasModel) =>
    m.costs.find(c => c.entry === BLOG_ENTRY)!;
  const blogSaving = (m: AtlasModel) =>
    m.recommendations.find(r => r.entry === BLOG_ENTRY)!;

  it('says traffic is not measured, and leaves it out of the saving, when nothing measured it', async () => {
    const m = await model({});
    expect(blogCost(m)).toMatchObject({ monthlyCny: 144, traffic: 'unknown' });
    expect(blogSaving(m).savingMonthlyCny).toBe(144);
    expect(blogSaving(m).caveats).toContainEqual(
      'Traffic not measured: the EIPs bill it per GB at 0.8 CNY/GB, as the CLB does, and the saving leaves it out.',
    );
  });

  it("puts a gateway's mesh traffic on its entry, in the cluster the metrics name", async () => {
    // Three clusters run istio-system/istio-ingressgateway; source_cluster names tke-blog by
    // its TKE id. 50 GB x 0.8 CNY/GB = 40, on top of the CLB's 144.
    const m = await model({ gatewayTraffic: [meshSent(50, 'cls-blog0001')] });
    expect(blogCost(m)).toMatchObject({
      monthlyCny: 184,
      traffic: {
        gbPerMonth: 50,
        amountCny: 40,
        measurement: { source: 'Prometheus' },
      },
    });
    expect(
      m.costs.find(
        c =>
          c.entry ===
          'entry:tke-saas-primary/load-balancer/istio-system/istio-ingressgateway',
      )?.traffic,
    ).toBe('unknown');
  });

  it('does not guess which cluster sent traffic the metrics do not place', async () => {
    const m = await model({ gatewayTraffic: [meshSent(50)] });
    expect(blogCost(m).traffic).toBe('unknown');
  });

  it('takes Cloud Monitor over the mesh where both measured: it is what is billed', async () => {
    const m = await model({
      clouds: cloudsMeasuring(120),
      gatewayTraffic: [meshSent(50, 'tke-blog')],
    });
    // 120 GB x 0.8 = 96.
    expect(blogCost(m).traffic).toMatchObject({
      gbPerMonth: 120,
      amountCny: 96,
      measurement: {
        source: 'Tencent Cloud Monitor QCE/LB_PUBLIC ClientOuttraffic',
      },
    });
  });

  it('counts the difference in the saving when the CLB bills traffic dearer than EIPs do', async () => {
    const m = await model({
      clouds: cloudsMeasuring(100),
      prices: mergePriceCatalogue(DEFAULT_PRICES, {
        tencent: { loadBalancerTraffic: 1 },
      }),
    });
    // CLB: 144 + 100 GB x 1 CNY/GB = 244. Pod EIP: no fixed fee, 100 GB x 0.8 = 80.
    // Saving: 244 - 80 = 164.
    expect(blogCost(m)).toMatchObject({ monthlyCny: 244 });
    expect(blogSaving(m).savingMonthlyCny).toBe(164);
    expect(blogSaving(m).caveats).toContainEqual(
      '100 GB/month of traffic bills 100 CNY/month on the CLB at 1 CNY/GB and 80 CNY/month on the EIPs at 0.8 CNY/GB: the saving is net of that difference.',
    );
  });
});
