import {
  atlasEntityName,
  clusterResourceRef,
  gatewayResourceRef,
} from './catalogResources';

describe('atlasEntityName', () => {
  it('slugifies into a valid, stable entity name', () => {
    expect(atlasEntityName('tke-blog/istio-system/istio-ingressgateway')).toBe(
      'tke-blog-istio-system-istio-ingressgateway',
    );
    expect(atlasEntityName('Offline Lab')).toBe('offline-lab');
  });

  it('shortens long names with a hash, so distinct names stay distinct', () => {
    const a = atlasEntityName(`tke-prod-${'x'.repeat(60)}-gateway-a`);
    const b = atlasEntityName(`tke-prod-${'x'.repeat(60)}-gateway-b`);
    expect(a).toHaveLength(63);
    expect(a).toMatch(/^tke-prod-x+-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it('keeps the names published before: the hash is the start of the SHA-256 of the original', () => {
    expect(atlasEntityName(`tke-prod-${'x'.repeat(60)}-gateway-a`)).toBe(
      'tke-prod-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-db264376',
    );
    expect(atlasEntityName('网关')).toBe('38f36ed3');
  });
});

describe('catalog Resource refs', () => {
  it('names a cluster from the catalog as it is there, and others as entity names', () => {
    expect(clusterResourceRef({ name: 'Prod_EU', source: 'catalog' })).toBe(
      'resource:default/Prod_EU',
    );
    expect(clusterResourceRef({ name: 'Offline Lab', source: 'config' })).toBe(
      'resource:default/offline-lab',
    );
  });

  it('names a gateway by its cluster, namespace and name', () => {
    expect(
      gatewayResourceRef({
        cluster: 'tke-blog',
        namespace: 'istio-system',
        name: 'istio-ingressgateway',
      }),
    ).toBe('resource:default/tke-blog-istio-system-istio-ingressgateway');
  });
});
