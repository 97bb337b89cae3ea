import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { PgSearchEngine } from '@backstage/plugin-search-backend-module-pg';
import {
  LunrSearchEngine,
  TestPipeline,
} from '@backstage/plugin-search-backend-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import type {
  DocumentCollatorFactory,
  SearchEngine,
} from '@backstage/plugin-search-common';
import ingressAtlasPlugin from '@ingress-atlas/plugin-ingress-atlas-backend';
import tencentModule from '@ingress-atlas/plugin-ingress-atlas-backend-module-tencent';
import {
  SandboxAtlas,
  SandboxAtlasOptions,
  startSandboxAtlas,
  stoppedAfterEach,
  usersOnlyPermissions,
} from '@ingress-atlas/sandbox/testUtils';
import searchModule from '..';
import { IngressAtlasDocument } from './IngressAtlasCollatorFactory';

jest.setTimeout(180_000);

/**
 * Starts the real ingress-atlas backend on the sandbox with the search module, and hands out
 * the collator factory the module registered with the search index.
 */
async function startAtlasWithCollator(
  options: Partial<SandboxAtlasOptions<any[]>> = {},
) {
  const factories: DocumentCollatorFactory[] = [];
  const atlas = await startSandboxAtlas({
    ...options,
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
      ingressAtlasPlugin,
      tencentModule,
      searchModule,
      ...(options.features ?? []),
    ],
  });
  expect(factories.map(f => f.type)).toEqual(['ingress-atlas']);
  return { atlas, factory: factories[0] };
}

/** Runs the collator the way the search index does. */
async function collate(factory: DocumentCollatorFactory) {
  const { documents, error } = await TestPipeline.fromCollator(
    await factory.getCollator(),
  ).execute();
  if (error) throw error;
  return documents as IngressAtlasDocument[];
}

describe('IngressAtlasCollatorFactory on the sandbox', () => {
  let atlas: SandboxAtlas;
  let documents: IngressAtlasDocument[];

  beforeAll(async () => {
    const started = await startAtlasWithCollator();
    atlas = started.atlas;
    documents = await collate(started.factory);
  });

  afterAll(() => atlas?.stop());

  it('indexes each owned host, linked to its owner’s Ingress tab and authorized by it', () => {
    expect(
      documents.map(d => [d.title, d.location, d.authorization?.resourceRef]),
    ).toEqual([
      [
        '192.0.2.50',
        '/catalog/default/component/cce-api-proxy/ingress?host=192.0.2.50',
        'component:default/cce-api-proxy',
      ],
      [
        'admin.shop.example.cn',
        '/catalog/default/component/shop/ingress?host=admin.shop.example.cn',
        'component:default/shop',
      ],
      [
        'app.saas.example.com',
        '/catalog/default/component/saas-api/ingress?host=app.saas.example.com',
        'component:default/saas-api',
      ],
      [
        'blog.example.com',
        '/catalog/default/component/blog/ingress?host=blog.example.com',
        'component:default/blog',
      ],
      [
        'edge.example.com',
        '/catalog/default/component/edge-web/ingress?host=edge.example.com',
        'component:default/edge-web',
      ],
      [
        'legacy.edge.example.com',
        '/catalog/default/component/edge-web/ingress?host=legacy.edge.example.com',
        'component:default/edge-web',
      ],
      [
        'm.shop.example.cn',
        '/catalog/default/component/shop/ingress?host=m.shop.example.cn',
        'component:default/shop',
      ],
      [
        'shop.example.cn',
        '/catalog/default/component/shop/ingress?host=shop.example.cn',
        'component:default/shop',
      ],
      [
        'www.shop.example.cn',
        '/catalog/default/component/shop/ingress?host=www.shop.example.cn',
        'component:default/shop',
      ],
    ]);
  });

  it('describes how a host is reached: addresses, cloud ids, gateway, cluster, TLS and cost', () => {
    const blog = documents.find(d => d.title === 'blog.example.com')!;
    const lines = blog.text.split('\n');
    expect(lines).toEqual([
      'blog.example.com is reachable from the internet on tke-blog.',
      'Entry: CLB lb-blog0001 · 198.51.100.11 · ports 15021, 80, 443 (public).',
      'Gateway: istio-system/istio-ingressgateway (istio) on tke-blog.',
      expect.stringMatching(
        /^TLS: SIMPLE, certificate from Secret istio-system\/blog-tls, expires 2027-11-01 \(in \d+ days\)\.$/,
      ),
      'Monthly cost: 144 CNY/month, plus traffic of unknown volume.',
    ]);
    expect(blog).toMatchObject({
      host: 'blog.example.com',
      entityRef: 'component:default/blog',
      clusters: ['tke-blog'],
      network: 'public',
      addresses: ['198.51.100.11'],
      cloudResourceIds: ['lb-blog0001'],
      monthlyCostCny: 144,
    });

    // Reached both on the gateway nodes' public addresses and through the front proxy's VIP.
    const edge = documents.find(d => d.title === 'edge.example.com')!;
    expect(edge.text).toContain(
      'Entry: Front proxy 10.1.0.100 · ports 80, 443 (internal).',
    );
    expect(edge.text).toContain(
      'Entry: Node IPs 203.0.113.21, 203.0.113.22 · EIP eip-edge0001, eip-edge0002 · ports 15021, 80, 443, 15090 (public).',
    );
    expect(edge.text).toContain(
      'Through front proxy front-proxy/front-envoy (front-proxy) on edge.',
    );
    // The node EIPs bill by traffic only, and no metrics tell the volume.
    expect(edge.text).toContain(
      'Monthly cost: no fixed fee, plus traffic of unknown volume.',
    );
    expect(edge.monthlyCostCny).toBe(0);

    // Two entries and two gateways; its cost is its share of both load balancers.
    const shop = documents.find(d => d.title === 'shop.example.cn')!;
    expect(shop.text).toContain(
      'Entry: CLB lb-bp1ingress01 · 203.0.113.140 · ports 80, 443 (public).',
    );
    expect(shop.text).toContain(
      'Gateway: kube-system/nginx-ingress-controller (ingress-controller) on aliyun-asm.',
    );
    expect(shop.text).toContain(
      // The two CLBs cost 120.24 each: the ingress controller's serves this host alone, the
      // ASM gateway's four hosts (shop, www.shop, admin.shop and m.shop): 120.24 + 30.06.
      "Monthly cost: 150.3 CNY/month, plus traffic of unknown volume (this host's share of entries costing 240.48 CNY/month).",
    );
    expect(shop.cloudResourceIds).toEqual([
      'lb-bp1asmgw001',
      'lb-bp1ingress01',
    ]);

    const apiProxy = documents.find(d => d.title === '192.0.2.50')!;
    expect(apiProxy.text).toContain('Reaches the Kubernetes API server.');
  });

  it('leaves out hosts no catalog entity owns', async () => {
    const { paths } = await atlas.get('/exposures');
    const unowned = paths
      .filter((p: { entityRefs: string[] }) => p.entityRefs.length === 0)
      .map((p: { host: string }) => p.host);
    // The east-west gateway's catch-all route to istiod belongs to no component.
    expect(unowned).toEqual(['*']);
    expect(documents.map(d => d.title)).not.toContain('*');
  });

  it("gives each of an entity's hosts its own location, so no engine keeps one of them only", () => {
    const locations = documents.map(d => d.location);
    expect(new Set(locations).size).toBe(locations.length);
  });

  it('says when a host is served over plain HTTP', () => {
    const legacy = documents.find(d => d.title === 'legacy.edge.example.com')!;
    expect(legacy.text).toContain('TLS: none, plain HTTP.');
  });

  it('never indexes secret data from the clusters', () => {
    expect(JSON.stringify(documents)).not.toContain('ATLAS-CANARY-');
  });
});

// PostgreSQL runs when the test script provides it (scripts/postgres.sh).
const postgres = process.env.INGRESS_ATLAS_TEST_POSTGRES as
  | TestDatabaseId
  | undefined;
const databases = TestDatabases.create({ ids: postgres ? [postgres] : [] });

/**
 * The search engines a portal runs: Lunr, in memory, and PostgreSQL's full-text search, which
 * `@backstage/plugin-search-backend-module-pg` sets when the backend's database is PostgreSQL.
 */
const ENGINES: Array<[string, () => Promise<SearchEngine>]> = [
  [
    'Lunr',
    async () => new LunrSearchEngine({ logger: mockServices.logger.mock() }),
  ],
  ...(postgres
    ? [
        [
          'PostgreSQL',
          async () => {
            const knex = await databases.init(postgres);
            return PgSearchEngine.fromConfig(new ConfigReader({}), {
              database: { getClient: async () => knex },
            });
          },
        ] as [string, () => Promise<SearchEngine>],
      ]
    : []),
];

// What the sandbox publishes (examples/sandbox): blog.example.com on tke-blog behind CLB
// lb-blog0001 (198.51.100.11); on aliyun-asm, shop.example.cn alone behind the ingress
// controller's SLB lb-bp1ingress01 (203.0.113.140), and shop, www.shop, admin.shop and m.shop
// behind the ASM gateway's lb-bp1asmgw001 (203.0.113.131); edge.example.com beside
// legacy.edge.example.com on edge.
const SHOP_GATEWAY_HOSTS = [
  'admin.shop.example.cn',
  'm.shop.example.cn',
  'shop.example.cn',
  'www.shop.example.cn',
];
const EXACT_MATCHES: Array<[string, string[]]> = [
  ['blog.example.com', ['blog.example.com']],
  ['shop.example.cn', ['shop.example.cn']],
  ['edge.example.com', ['edge.example.com']],
  ['198.51.100.11', ['blog.example.com']],
  ['203.0.113.140', ['shop.example.cn']],
  ['lb-blog0001', ['blog.example.com']],
  ['lb-bp1ingress01', ['shop.example.cn']],
  ['lb-bp1asmgw001', SHOP_GATEWAY_HOSTS],
];
/**
 * Lunr splits an address into its numbers and matches each within two edits, so hosts whose
 * addresses look alike (edge's 203.0.113.21, the host 192.0.2.50) can outrank those sharing the
 * one searched for. PostgreSQL keeps an address whole.
 */
const EXACT_MATCHES_WHOLE_ADDRESS: Array<[string, string[]]> = [
  ['203.0.113.131', SHOP_GATEWAY_HOSTS],
];

/**
 * What the catalog's collator indexes of the blog (examples/entities.yaml) and of its gateway's
 * Resource, whose description names the hosts it serves: results of another type that also
 * name the host.
 */
const CATALOG_DOCUMENTS = [
  {
    title: 'blog',
    text: 'The blog, served through the tke-blog mesh',
    location: '/catalog/default/component/blog',
    kind: 'Component',
    type: 'website',
  },
  {
    title: 'tke-blog-istio-system-istio-ingressgateway',
    text: 'Ingress gateway istio-system/istio-ingressgateway (istio) on tke-blog, serving blog.example.com.',
    location:
      '/catalog/default/resource/tke-blog-istio-system-istio-ingressgateway',
    kind: 'Resource',
    type: 'ingress-gateway',
  },
];

describe.each(ENGINES)('Ingress Atlas search on %s', (name, createEngine) => {
  let atlas: SandboxAtlas;
  let engine: SearchEngine;

  beforeAll(async () => {
    const started = await startAtlasWithCollator();
    atlas = started.atlas;
    engine = await createEngine();
    const { error } = await TestPipeline.fromIndexer(
      await engine.getIndexer('ingress-atlas'),
    )
      .withDocuments(await collate(started.factory))
      .execute();
    if (error) throw error;
    const catalog = await TestPipeline.fromIndexer(
      await engine.getIndexer('software-catalog'),
    )
      .withDocuments(CATALOG_DOCUMENTS)
      .execute();
    if (catalog.error) throw catalog.error;
  });

  afterAll(() => atlas?.stop());

  it.each([
    ...EXACT_MATCHES,
    ...(name === 'Lunr' ? [] : EXACT_MATCHES_WHOLE_ADDRESS),
  ])('ranks the hosts %s names exactly first', async (term, hosts) => {
    const { results } = await engine.query({ term, types: ['ingress-atlas'] });

    const titles = results.map(r => r.document.title);
    expect(titles.slice(0, hosts.length).sort()).toEqual(hosts);
  });

  // Lunr scores each type's index on its own, so how a host ranks against catalog entities
  // depends on what else the catalog holds: in the sandbox portal's catalog, where "example"
  // and "com" are rarer than among hosts, the gateway's Resource comes first.
  if (name !== 'Lunr') {
    it("ranks an exact host's exposure above catalog entities that name it", async () => {
      const { results } = await engine.query({ term: 'blog.example.com' });

      const found = results.map(r => [r.type, r.document.title]);
      expect(found[0]).toEqual(['ingress-atlas', 'blog.example.com']);
      expect(found).toContainEqual([
        'software-catalog',
        'tke-blog-istio-system-istio-ingressgateway',
      ]);
    });
  }
});

describe('IngressAtlasCollatorFactory', () => {
  const start = stoppedAfterEach(startAtlasWithCollator);

  it('indexes a host once per owner, at the configured location', async () => {
    const started = await start({
      // A second team claims the saas host through the hosts annotation.
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            namespace: 'Billing',
            name: 'Invoices',
            annotations: { 'ingress-atlas.io/hosts': 'app.saas.example.com' },
          },
          spec: { type: 'service', lifecycle: 'production', owner: 'billing' },
        },
      ],
      config: {
        search: {
          collators: {
            ingressAtlas: { locationTemplate: '/hosts/:kind/:namespace/:name' },
          },
        },
      },
    });
    const documents = await collate(started.factory);

    expect(
      documents
        .filter(d => d.title === 'app.saas.example.com')
        .map(d => [d.location, d.authorization?.resourceRef]),
    ).toEqual([
      [
        '/hosts/component/billing/invoices?host=app.saas.example.com',
        'component:billing/invoices',
      ],
      [
        '/hosts/component/default/saas-api?host=app.saas.example.com',
        'component:default/saas-api',
      ],
    ]);
  });

  it('keeps indexing the hosts of a cluster that stopped answering, from its last snapshot', async () => {
    const started = await start();
    started.atlas.sandbox.running
      .find(c => c.name === 'edge')!
      .faults.set({ errorRate: 1 });
    await started.atlas.refresh();

    const { clusters } = await started.atlas.get('/clusters');
    expect(
      clusters.find((c: { name: string }) => c.name === 'edge'),
    ).toMatchObject({
      status: 'stale',
    });
    const documents = await collate(started.factory);
    expect(documents.map(d => d.title)).toEqual(
      expect.arrayContaining(['edge.example.com', 'legacy.edge.example.com']),
    );
  });

  it('fails the indexing run when the atlas refuses it, instead of indexing nothing', async () => {
    const started = await start({
      features: [usersOnlyPermissions()],
    });

    await expect(collate(started.factory)).rejects.toThrow(
      'Request failed with 403',
    );
  });

  it('does not index before the atlas has finished its first refresh', async () => {
    const started = await start({
      waitForFirstRefresh: false,
    });

    await expect(collate(started.factory)).rejects.toThrow(
      'Ingress Atlas has not finished its first refresh',
    );
  });

  it('refuses an invalid schedule at startup, naming the key', async () => {
    await expect(
      startAtlasWithCollator({
        waitForFirstRefresh: false,
        config: {
          search: {
            collators: { ingressAtlas: { schedule: { frequency: 'often' } } },
          },
        },
      }),
    ).rejects.toThrow('Invalid search.collators.ingressAtlas.schedule');
  });
});
