import { validateClusterUrl } from './validateClusterUrl';

const fromCatalog = (url: string, allowedHosts: string[]) => () =>
  validateClusterUrl(url, {
    allowInsecureHttp: false,
    allowedHosts,
    what: 'catalog cluster c1',
  });

describe('validateClusterUrl for catalog clusters (allowedHosts)', () => {
  it('accepts an allowed host on its default port, whatever the case', () => {
    expect(fromCatalog('https://K8S.example.com', ['k8s.example.com'])).not.toThrow();
    expect(fromCatalog('https://k8s.example.com/', ['K8s.Example.com'])).not.toThrow();
    expect(fromCatalog('https://k8s.example.com:443', ['k8s.example.com'])).not.toThrow();
  });

  it('refuses another port or path of an allowed host', () => {
    expect(fromCatalog('https://k8s.example.com:8443', ['k8s.example.com'])).toThrow(
      'catalog cluster c1: k8s.example.com:8443 is not in ingressAtlas.catalogClusters.allowedHosts',
    );
    expect(fromCatalog('https://k8s.example.com/other-service', ['k8s.example.com'])).toThrow(
      'k8s.example.com/other-service is not in',
    );
    expect(fromCatalog('https://k8s.example.com.evil.test', ['k8s.example.com'])).toThrow();
  });

  it('takes a port and a path prefix in an entry', () => {
    expect(fromCatalog('https://k8s.example.com:6443', ['k8s.example.com:6443'])).not.toThrow();
    expect(fromCatalog('https://k8s.example.com', ['k8s.example.com:6443'])).toThrow();
    const rancher = ['rancher.example.com/k8s/clusters'];
    expect(fromCatalog('https://rancher.example.com/k8s/clusters/c-m-1', rancher)).not.toThrow();
    expect(fromCatalog('https://rancher.example.com/k8s/clusters-evil', rancher)).toThrow();
    expect(fromCatalog('https://rancher.example.com/v3/tokens', rancher)).toThrow();
  });
});
