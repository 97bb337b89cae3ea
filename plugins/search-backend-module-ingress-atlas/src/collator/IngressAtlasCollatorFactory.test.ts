import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { TestPipeline } from '@backstage/plugin-search-backend-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import type { JsonObject } from '@backstage/types';
import type { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  createIngressAtlasTestPlugin,
  sandboxExposures,
} from '@ingress-atlas/plugin-ingress-atlas-node/testUtils';
import searchModule from '..';
import { IngressAtlasDocument } from './IngressAtlasCollatorFactory';

/**
 * Boots a backend with the search module and a stand-in ingress-atlas plugin answering over
 * HTTP, then runs the registered collator the way the search index would.
 */
async function collate(
  options: {
    atlas?: ReturnType<typeof createIngressAtlasTestPlugin>;
    config?: JsonObject;
  } = {},
) {
  const atlas = options.atlas ?? createIngressAtlasTestPlugin();
  const factories: DocumentCollatorFactory[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        searchIndexRegistryExtensionPoint,
        {
          addCollator: ({ factory }) => factories.push(factory),
          addDecorator: () => {},
        },
      ],
    ],
    features: [
      searchModule,
      atlas.plugin,
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
    ],
  });
  expect(factories.map(f => f.type)).toEqual(['ingress-atlas']);
  const { documents, error } = await TestPipeline.fromCollator(
    await factories[0].getCollator(),
  ).execute();
  if (error) throw error;
  return {
    documents: documents as IngressAtlasDocument[],
    requests: atlas.requests,
  };
}

describe('IngressAtlasCollatorFactory', () => {
  it('indexes each owned host, linked to its owner’s Ingress tab and authorized by it', async () => {
    const { documents, requests } = await collate();

    expect(
      documents.map(d => [d.title, d.location, d.authorization?.resourceRef]),
    ).toEqual([
      [
        'app.saas.example.com',
        '/catalog/default/component/saas-api/ingress',
        'component:default/saas-api',
      ],
      [
        'blog.example.com',
        '/catalog/default/component/blog/ingress',
        'component:default/blog',
      ],
      [
        'edge.example.com',
        '/catalog/default/component/edge-web/ingress',
        'component:default/edge-web',
      ],
      [
        'shop.example.cn',
        '/catalog/default/component/shop/ingress',
        'component:default/shop',
      ],
    ]);
    expect(requests).toEqual([
      { path: '/exposures', subject: 'plugin:search' },
    ]);
  });

  it('describes how a host is reached: addresses, cloud ids, gateway, cluster, TLS and cost', async () => {
    const { documents } = await collate();
    const blog = documents.find(d => d.title === 'blog.example.com')!;

    expect(blog.text).toBe(
      [
        'blog.example.com is reachable from the internet on tke-blog.',
        'Entry: 129.204.10.11 on CLB lb-blog0001 (load-balancer, public).',
        'Gateway: istio-system/istio-ingressgateway (istio) on tke-blog.',
        'TLS: SIMPLE, certificate blog-tls, expires 2027-03-02 (in 100 days).',
        'Monthly cost: 45.6 CNY (share of entries costing 91.2 CNY).',
      ].join('\n'),
    );
    expect(blog).toMatchObject({
      host: 'blog.example.com',
      entityRef: 'component:default/blog',
      clusters: ['tke-blog'],
      network: 'public',
      addresses: ['129.204.10.11'],
      cloudResourceIds: ['lb-blog0001'],
      monthlyCostCny: 45.6,
    });

    const edge = documents.find(d => d.title === 'edge.example.com')!;
    expect(edge.text).toContain(
      'Entry: 43.138.0.21 on EIP eip-edge0001 (front-proxy, public).',
    );
    expect(edge.text).toContain(
      'Through front proxy edge-proxy/envoy-front (front-proxy) on edge.',
    );
    expect(edge.text).toContain('TLS: none, plain HTTP.');

    const shop = documents.find(d => d.title === 'shop.example.cn')!;
    expect(shop.text).toContain('47.96.0.31 on SLB lb-bp1shop0001');
    expect(shop.text).toContain('Monthly cost: not priced.');
    expect(shop.monthlyCostCny).toBeUndefined();
  });

  it('leaves out hosts no catalog entity owns', async () => {
    const { documents } = await collate();

    expect(sandboxExposures.paths.map(p => p.host)).toContain(
      'legacy.example.com',
    );
    expect(documents.map(d => d.title)).not.toContain('legacy.example.com');
  });

  it('indexes a host once per owner, at the configured location', async () => {
    const shared = {
      ...sandboxExposures,
      paths: sandboxExposures.paths.map(p =>
        p.host === 'app.saas.example.com'
          ? {
              ...p,
              entityRefs: [
                'component:default/saas-api',
                'Component:Billing/Invoices',
              ],
            }
          : p,
      ),
    };
    const { documents } = await collate({
      atlas: createIngressAtlasTestPlugin({
        responses: { '/exposures': shared },
      }),
      config: {
        search: {
          collators: {
            ingressAtlas: { locationTemplate: '/hosts/:kind/:namespace/:name' },
          },
        },
      },
    });

    expect(
      documents
        .filter(d => d.title === 'app.saas.example.com')
        .map(d => [d.location, d.authorization?.resourceRef]),
    ).toEqual([
      ['/hosts/component/billing/invoices', 'Component:Billing/Invoices'],
      ['/hosts/component/default/saas-api', 'component:default/saas-api'],
    ]);
  });

  it('copies only what it describes, so secret data a backend sends along is never indexed', async () => {
    const canary = 'ATLAS-CANARY-search-collator-7f3a';
    const leaky = JSON.parse(JSON.stringify(sandboxExposures), (key, value) =>
      value && typeof value === 'object' && !Array.isArray(value) && key !== ''
        ? {
            ...value,
            annotations: {
              'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"tls.key":"${canary}"}}`,
            },
          }
        : value,
    );
    const { documents } = await collate({
      atlas: createIngressAtlasTestPlugin({
        responses: { '/exposures': leaky },
      }),
    });

    expect(documents).toHaveLength(4);
    expect(JSON.stringify(documents)).not.toContain('ATLAS-CANARY-');
  });

  it('fails the indexing run when the atlas cannot be read, instead of indexing nothing', async () => {
    const atlas = createIngressAtlasTestPlugin({
      failWith: {
        status: 503,
        name: 'ServiceUnavailableError',
        message: 'not refreshed yet',
      },
    });

    await expect(collate({ atlas })).rejects.toThrow('Request failed with 503');
  });

  it('does not index before the atlas has finished its first refresh', async () => {
    const atlas = createIngressAtlasTestPlugin({
      responses: {
        '/exposures': {
          paths: [],
          entries: [],
          gateways: [],
          routes: [],
          costs: [],
        },
      },
    });

    await expect(collate({ atlas })).rejects.toThrow(
      'Ingress Atlas has not finished its first refresh',
    );
  });

  it('refuses an invalid schedule at startup, naming the key', async () => {
    await expect(
      collate({
        config: {
          search: {
            collators: { ingressAtlas: { schedule: { frequency: 'often' } } },
          },
        },
      }),
    ).rejects.toThrow('Invalid search.collators.ingressAtlas.schedule');
  });
});
