import { buildTopology } from './graph';
import { AtlasModel } from './model';

const model: AtlasModel = {
  generatedAt: '2026-11-21T00:00:00.000Z',
  clusters: [
    {
      name: 'a',
      source: 'config',
      provider: 'tencent',
      status: 'ok',
      unavailableKinds: [],
    },
    {
      name: 'b',
      source: 'config',
      provider: 'tencent',
      status: 'ok',
      unavailableKinds: [],
    },
  ],
  controlPlanes: [
    {
      id: 'cp:a',
      cluster: 'a',
      kind: 'istiod',
      revision: 'default',
      tags: [],
      role: 'primary',
      eastWestGateways: [],
      remoteSecretLinks: ['b'],
      evidence: [],
    },
    {
      id: 'cp:b',
      cluster: 'b',
      kind: 'remote',
      revision: 'default',
      tags: [],
      role: 'remote',
      primary: 'cp:a',
      eastWestGateways: [],
      remoteSecretLinks: [],
      evidence: [],
    },
  ],
  gateways: [
    {
      id: 'gw:a',
      cluster: 'a',
      namespace: 'istio-system',
      name: 'ingress',
      kind: 'istio',
      services: [],
      configs: [],
      listeners: [],
      eastWest: false,
      controlPlane: 'cp:a',
    },
  ],
  entries: [
    {
      id: 'en:a',
      cluster: 'a',
      type: 'load-balancer',
      network: 'public',
      networkReason: 'reported address 192.0.2.4 is public',
      addresses: ['192.0.2.4'],
      provider: 'tencent',
      gateway: 'gw:a',
      ports: [],
      resources: [],
      notes: [],
    },
  ],
  routes: [
    {
      id: 'rt:shop',
      cluster: 'a',
      namespace: 'shop',
      name: 'shop',
      kind: 'VirtualService',
      hosts: ['shop.example.com'],
      gateways: ['gw:a'],
      destinations: [
        {
          host: 'shop',
          service: { cluster: 'a', namespace: 'shop', name: 'shop' },
        },
      ],
    },
    {
      id: 'rt:blog',
      cluster: 'a',
      namespace: 'blog',
      name: 'blog',
      kind: 'VirtualService',
      hosts: ['blog.example.com'],
      gateways: ['gw:a'],
      destinations: [
        {
          host: 'blog',
          service: { cluster: 'a', namespace: 'blog', name: 'blog' },
        },
      ],
    },
  ],
  paths: [
    {
      id: 'p1',
      host: 'shop.example.com',
      cluster: 'a',
      entry: 'en:a',
      via: [],
      gateway: 'gw:a',
      route: 'rt:shop',
      service: { cluster: 'a', namespace: 'shop', name: 'shop' },
      workload: {
        cluster: 'b',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'shop',
      },
      entityRefs: [],
      network: 'public',
      tls: { mode: 'NONE', certificateSource: 'none' },
    },
    {
      id: 'p2',
      host: 'blog.example.com',
      cluster: 'a',
      entry: 'en:a',
      via: [],
      gateway: 'gw:a',
      route: 'rt:blog',
      service: { cluster: 'a', namespace: 'blog', name: 'blog' },
      workload: {
        cluster: 'a',
        kind: 'Deployment',
        namespace: 'blog',
        name: 'blog',
      },
      entityRefs: ['component:default/blog'],
      network: 'public',
      tls: { mode: 'NONE', certificateSource: 'none' },
    },
  ],
  findings: [
    {
      id: 'f1',
      code: 'X',
      severity: 'warning',
      message: '',
      fix: '',
      objects: [{ kind: 'Gateway', name: 'ingress', id: 'gw:a' }],
    },
    {
      id: 'f2',
      code: 'Y',
      severity: 'error',
      message: '',
      fix: '',
      objects: [{ kind: 'Gateway', name: 'ingress', id: 'gw:a' }],
    },
  ],
  costs: [],
  recommendations: [],
};

describe('buildTopology', () => {
  it('connects clusters, control planes, gateways, entries, routes, services and workloads', () => {
    const { nodes, edges } = buildTopology(model);
    expect(new Set(nodes.map(n => n.type))).toEqual(
      new Set([
        'cluster',
        'controlPlane',
        'gateway',
        'entry',
        'route',
        'service',
        'workload',
      ]),
    );
    const edge = (type: string) =>
      edges
        .filter(e => e.type === type)
        .map(e => `${e.source} -> ${e.target}`)
        .sort();
    expect(edge('remote-of')).toEqual(['cp:b -> cp:a']);
    expect(edge('reads')).toEqual(['cp:a -> cluster:b']);
    expect(edge('controls')).toEqual(['cp:a -> gw:a']);
    expect(edge('forwards-to')).toEqual(['en:a -> gw:a']);
    expect(edge('selects')).toEqual([
      'service:a/blog/blog -> workload:a/blog/Deployment/blog',
      'service:a/shop/shop -> workload:b/shop/Deployment/shop',
    ]);
    expect(nodes.find(n => n.id === 'gw:a')?.severity).toBe('error');
    expect(nodes.find(n => n.id === 'gw:a')?.findings).toBe(2);
  });

  it('gives Services and workloads the catalog entities of the paths through them', () => {
    const { nodes } = buildTopology(model);
    const refs = (id: string) => nodes.find(n => n.id === id)?.entityRefs;
    expect(refs('service:a/blog/blog')).toEqual(['component:default/blog']);
    expect(refs('workload:a/blog/Deployment/blog')).toEqual([
      'component:default/blog',
    ]);
    // A path owned by no entity adds none.
    expect(refs('service:a/shop/shop')).toBeUndefined();
    expect(refs('gw:a')).toBeUndefined();
  });

  it('gives clusters and gateways the catalog Resources published for them', () => {
    const { nodes } = buildTopology({
      ...model,
      gateways: [
        ...model.gateways,
        // Declared, selecting nothing: not published.
        {
          ...model.gateways[0],
          id: 'gw:ghost',
          name: 'ghost',
          origin: 'declared',
        },
      ],
    });
    const ref = (id: string) => nodes.find(n => n.id === id)?.resourceRef;
    expect(ref('cluster:a')).toBe('resource:default/a');
    expect(ref('gw:a')).toBe('resource:default/a-istio-system-ingress');
    expect(ref('gw:ghost')).toBeUndefined();
    expect(ref('service:a/blog/blog')).toBeUndefined();
  });

  it('keeps only what lies on paths through a namespace', () => {
    const { nodes } = buildTopology(model, { namespace: 'blog' });
    const ids = nodes.map(n => n.id);
    expect(ids).toContain('rt:blog');
    expect(ids).toContain('gw:a');
    expect(ids).toContain('en:a');
    expect(ids).not.toContain('rt:shop');
    expect(ids).not.toContain('service:a/shop/shop');
  });

  it('tells the port, protocol and TLS of traffic from entries through gateways to Services', () => {
    const source = { kind: 'Gateway', name: 'ingress' };
    const { edges } = buildTopology({
      ...model,
      gateways: [
        {
          ...model.gateways[0],
          listeners: [
            { port: 80, protocol: 'HTTP', hosts: ['*'], source },
            {
              port: 443,
              protocol: 'HTTPS',
              hosts: ['blog/blog.example.com'],
              tls: { mode: 'SIMPLE', certificateSource: 'secret' },
              source,
            },
          ],
        },
      ],
      entries: [
        {
          ...model.entries[0],
          ports: [
            { port: 80, protocol: 'TCP' },
            { port: 443, protocol: 'TCP' },
            { port: 15021, protocol: 'TCP' },
          ],
        },
      ],
      routes: model.routes.map(route => ({
        ...route,
        kind: 'HTTPRoute' as const,
        destinations: route.destinations.map(d => ({ ...d, port: 8080 })),
      })),
    });
    const ports = (id: string) => edges.find(e => e.id === id)?.ports;

    expect(ports('forwards-to:en:a->gw:a')).toEqual([
      { port: 80, protocol: 'HTTP', tls: 'NONE' },
      { port: 443, protocol: 'HTTPS', tls: 'SIMPLE' },
      { port: 15021, protocol: 'TCP' },
    ]);
    // Each route through the listeners its hosts fall under.
    expect(ports('serves:gw:a->rt:blog')).toEqual([
      { port: 80, protocol: 'HTTP', tls: 'NONE' },
      { port: 443, protocol: 'HTTPS', tls: 'SIMPLE' },
    ]);
    expect(ports('serves:gw:a->rt:shop')).toEqual([
      { port: 80, protocol: 'HTTP', tls: 'NONE' },
    ]);
    expect(ports('routes-to:rt:blog->service:a/blog/blog')).toEqual([
      { port: 8080, protocol: 'HTTP' },
    ]);
    // Control links carry no traffic.
    expect(ports('controls:cp:a->gw:a')).toBeUndefined();
  });

  it('keeps one cluster', () => {
    const { nodes, edges } = buildTopology(model, { cluster: 'b' });
    expect(nodes.map(n => n.id).sort()).toEqual(['cluster:b', 'cp:b']);
    expect(edges.map(e => e.type)).toEqual(['hosts']);
  });
});
