import { entityName } from './entityName';

describe('entityName', () => {
  it('slugifies into a valid, stable entity name', () => {
    expect(entityName('tke-blog/istio-system/istio-ingressgateway')).toBe(
      'tke-blog-istio-system-istio-ingressgateway',
    );
    expect(entityName('Offline Lab')).toBe('offline-lab');
  });

  it('shortens long names with a hash, so distinct names stay distinct', () => {
    const a = entityName(`tke-prod-${'x'.repeat(60)}-gateway-a`);
    const b = entityName(`tke-prod-${'x'.repeat(60)}-gateway-b`);
    expect(a).toHaveLength(63);
    expect(a).toMatch(/^tke-prod-x+-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });
});
