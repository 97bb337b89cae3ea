import { ConfigReader } from '@backstage/config';
import { readPriceOverrides } from './prices';

describe('readPriceOverrides', () => {
  it('reads the overrides per provider and item', () => {
    expect(
      readPriceOverrides(
        new ConfigReader({
          ingressAtlas: { prices: { tencent: { loadBalancer: 0.2 } } },
        }),
      ),
    ).toEqual({ tencent: { loadBalancer: 0.2 } });
    expect(readPriceOverrides(new ConfigReader({}))).toEqual({});
  });

  it.each([
    [{ aws: { loadBalancer: 1 } }, "Unknown price provider 'aws'"],
    [{ tencent: { balancer: 1 } }, "Unknown price item 'tencent.balancer'"],
    [{ tencent: { loadBalancer: -1 } }, "'tencent.loadBalancer'"],
  ])('refuses %j naming ingressAtlas.prices', (prices, problem) => {
    const read = () =>
      readPriceOverrides(new ConfigReader({ ingressAtlas: { prices } }));
    expect(read).toThrow('ingressAtlas.prices');
    expect(read).toThrow(problem);
  });
});
