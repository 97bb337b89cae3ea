import {
  atlasEntityName,
  clusterResourceRef,
  gatewayResourceRef,
  objectResourceRef,
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

describe('objectResourceRef', () => {
  it("names a gateway's Resource from its id, whatever the object is called", () => {
    expect(
      objectResourceRef({
        kind: 'Deployment',
        name: 'istio-ingressgateway',
        namespace: 'istio-system',
        cluster: 'tke-blog',
        id: 'gateway:tke-blog/istio-system/istio-ingressgateway',
      }),
    ).toBe('resource:default/tke-blog-istio-system-istio-ingressgateway');
  });

  it("names the cloud resource of an entry or of an unused resource's cost by its cloud id", () => {
    expect(
      objectResourceRef({
        kind: 'Entry',
        name: 'lb-blog0001',
        cluster: 'tke-blog',
        id: 'entry:tke-blog/clb/istio-system/istio-ingressgateway',
      }),
    ).toBe('resource:default/lb-blog0001');
    expect(
      objectResourceRef({
        kind: 'Address',
        name: 'eip-idle0001',
        id: 'cost:eip-idle0001',
      }),
    ).toBe('resource:default/eip-idle0001');
  });

  it('names none for an entry without a cloud id, or for objects published as no Resource', () => {
    const entry = 'entry:tke-blog/node-port/default/web';
    expect(
      objectResourceRef({ kind: 'Entry', name: entry, id: entry }),
    ).toBeUndefined();
    expect(
      objectResourceRef({
        kind: 'VirtualService',
        name: 'blog',
        namespace: 'blog',
        cluster: 'tke-blog',
      }),
    ).toBeUndefined();
    expect(
      objectResourceRef({
        kind: 'ControlPlane',
        name: 'tcm-1-20',
        cluster: 'tke-blog',
        id: 'controlPlane:tke-blog/tcm-1-20',
      }),
    ).toBeUndefined();
  });
});
