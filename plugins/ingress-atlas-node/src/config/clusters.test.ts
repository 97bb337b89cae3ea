import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readConfigClusters, skipsTlsVerify } from './clusters';

function read(ingressAtlas: JsonObject) {
  return readConfigClusters(new ConfigReader({ ingressAtlas }));
}

describe('readConfigClusters', () => {
  it('reads a cluster with its defaults', () => {
    const [cluster] = read({
      clusters: [
        {
          name: 'prod',
          url: 'https://k8s.example.com',
          serviceAccountToken: 't',
        },
      ],
    });
    expect(cluster).toEqual({
      descriptor: expect.objectContaining({
        name: 'prod',
        source: 'config',
        provider: 'generic',
        url: 'https://k8s.example.com',
        readOnly: false,
      }),
      auth: { token: 't', caData: undefined, skipTLSVerify: false },
    });
    expect(read({})).toEqual([]);
  });

  it('reads manifests as an offline, read-only cluster', () => {
    const [cluster] = read({
      clusters: [{ name: 'gitops', manifests: ['/srv/gitops'] }],
    });
    expect(cluster.descriptor).toMatchObject({
      source: 'manifests',
      readOnly: true,
    });
    expect(cluster.manifestPaths).toEqual(['/srv/gitops']);
  });

  it.each([
    [{ clusters: [{ url: 'https://a' }] }, 'ingressAtlas.clusters[0].name'],
    [
      { clusters: [{ name: 'a' }] },
      'ingressAtlas.clusters[0] (a) needs exactly one of url, kubeconfigPath or manifests',
    ],
    [
      { clusters: [{ name: 'a', url: 'https://a', kubeconfigPath: '/k' }] },
      'ingressAtlas.clusters[0] (a) needs exactly one',
    ],
    [
      { clusters: [{ name: 'a', url: 'http://k8s.example.com' }] },
      'ingressAtlas.clusters[0].url: plain http',
    ],
    [
      { clusters: [{ name: 'a', url: 'https://u:p@k8s.example.com' }] },
      'ingressAtlas.clusters[0].url: credentials in the URL',
    ],
    [
      { clusters: [{ name: 'a', url: 'https://a', provider: 'aws' }] },
      'ingressAtlas.clusters[0].provider',
    ],
    [
      {
        clusters: [
          { name: 'a', url: 'https://a' },
          { name: 'a', url: 'https://b' },
        ],
      },
      'ingressAtlas.clusters[1].name',
    ],
  ])('names the bad key in %j', (config, message) => {
    expect(() => read(config)).toThrow(message);
  });

  it('allows plain http beyond loopback only when told to', () => {
    const clusters = {
      clusters: [{ name: 'a', url: 'http://k8s.internal:8080' }],
    };
    expect(() => read(clusters)).toThrow();
    expect(read({ ...clusters, allowInsecureHttp: true })).toHaveLength(1);
    expect(
      read({ clusters: [{ name: 'a', url: 'http://127.0.0.1:6441' }] }),
    ).toHaveLength(1);
  });
});

describe('skipsTlsVerify', () => {
  it('verifies https unless told not to, and never expects TLS on plain http', () => {
    expect(skipsTlsVerify('https://a', { skipTLSVerify: false })).toBe(false);
    expect(skipsTlsVerify('https://a', undefined)).toBe(false);
    expect(skipsTlsVerify('https://a', { skipTLSVerify: true })).toBe(true);
    expect(skipsTlsVerify('http://127.0.0.1:6441', {})).toBe(true);
  });
});
