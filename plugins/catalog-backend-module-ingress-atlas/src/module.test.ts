import {
  ACCOUNT_INVENTORY_LABEL,
  TopologyNode,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  ANNOTATION_LOCATION,
  Entity,
  FieldFormatEntityPolicy,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { BuiltinKindsEntityProcessor } from '@backstage/plugin-catalog-backend';
import {
  EntityProvider,
  EntityProviderMutation,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import ingressAtlasPlugin from '@ingress-atlas/plugin-ingress-atlas-backend';
import tencentModule from '@ingress-atlas/plugin-ingress-atlas-backend-module-tencent';
import {
  SandboxAtlasOptions,
  startSandboxAtlas,
  stoppedAfterEach,
  usersOnlyPermissions,
} from '@ingress-atlas/sandbox/testUtils';
import catalogModule from '.';

jest.setTimeout(180_000);

const TASK_ID = 'IngressAtlasEntityProvider:refresh';

/**
 * Starts the real ingress-atlas backend on the sandbox with the catalog module, and connects
 * the provider the module registered the way the catalog does. `emit()` runs its scheduled
 * refresh and returns the entities of the last full mutation.
 */
async function startAtlasWithProvider(
  options: Partial<SandboxAtlasOptions<any[]>> = {},
) {
  const scheduler = mockServices.scheduler();
  const providers: EntityProvider[] = [];
  const atlas = await startSandboxAtlas({
    ...options,
    extensionPoints: [
      [
        catalogProcessingExtensionPoint,
        { addEntityProvider: (...added) => providers.push(...added.flat()) },
      ],
    ],
    features: [
      ingressAtlasPlugin,
      tencentModule,
      catalogModule,
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      ...(options.features ?? []),
    ],
  });
  expect(providers.map(p => p.getProviderName())).toEqual([
    'IngressAtlasEntityProvider',
  ]);
  const mutations: EntityProviderMutation[] = [];
  await providers[0].connect({
    applyMutation: async mutation => {
      mutations.push(mutation);
    },
    refresh: async () => {},
  });
  const emit = async () => {
    await scheduler.triggerTask(TASK_ID);
    const last = mutations[mutations.length - 1];
    return last?.type === 'full' ? last.entities.map(d => d.entity) : [];
  };
  return { atlas, scheduler, mutations, emit };
}

/** The relations the catalog derives from the entities, as `source type target` lines. */
async function relationsOf(entities: Entity[]) {
  const processor = new BuiltinKindsEntityProcessor();
  const policy = new FieldFormatEntityPolicy();
  const relations: string[] = [];
  for (const entity of entities) {
    await expect(policy.enforce(entity)).resolves.toBe(entity);
    await expect(processor.validateEntityKind(entity)).resolves.toBe(true);
    await processor.postProcessEntity(
      entity,
      { type: 'ingress-atlas', target: 'test' },
      result => {
        if (result.type === 'relation') {
          const { source, type, target } = result.relation;
          relations.push(
            `${stringifyEntityRef(source)} ${type} ${stringifyEntityRef(
              target,
            )}`,
          );
        }
      },
    );
  }
  return relations;
}

const byName = (entities: Entity[], name: string) =>
  entities.find(e => e.metadata.name === name)!;

describe('catalogModuleIngressAtlasEntityProvider on the sandbox', () => {
  let started: Awaited<ReturnType<typeof startAtlasWithProvider>>;
  let entities: Entity[];

  beforeAll(async () => {
    started = await startAtlasWithProvider();
    entities = await started.emit();
  });

  afterAll(() => started?.atlas.stop());

  it('replaces all its entities on each refresh, from its own scheduled task', async () => {
    expect(
      (await started.scheduler.getScheduledTasks()).map(t => t.id),
    ).toContain(TASK_ID);
    expect(started.mutations).toHaveLength(1);
    expect(started.mutations[0].type).toBe('full');
    expect(
      started.mutations[0].type === 'full' &&
        started.mutations[0].entities.every(
          d => d.locationKey === 'IngressAtlasEntityProvider',
        ),
    ).toBe(true);
  });

  it('emits clusters, gateways, load balancers and EIPs as Resources with stable names', () => {
    const lines = entities.map(e => `${e.spec?.type} ${e.metadata.name}`);
    const clusters = lines.filter(l => l.startsWith('kubernetes-cluster '));
    const gateways = lines.filter(l => l.startsWith('ingress-gateway '));
    const cloud = lines.slice(clusters.length + gateways.length);

    expect(clusters).toEqual([
      'kubernetes-cluster aliyun-asm',
      'kubernetes-cluster aliyun-asm-mesh',
      'kubernetes-cluster edge',
      'kubernetes-cluster huawei-cce',
      'kubernetes-cluster tke-blog',
      'kubernetes-cluster tke-next',
      'kubernetes-cluster tke-next-remote',
      'kubernetes-cluster tke-saas-primary',
      'kubernetes-cluster tke-saas-remote',
    ]);
    expect(
      lines.slice(clusters.length, clusters.length + gateways.length),
    ).toEqual([
      'ingress-gateway aliyun-asm-istio-system-istio-ingressgateway',
      'ingress-gateway aliyun-asm-kube-system-nginx-ingress-controller',
      'ingress-gateway edge-front-proxy-front-envoy',
      'ingress-gateway edge-istio-system-istio-ingressgateway',
      'ingress-gateway edge-istio-system-legacy-gateway',
      'ingress-gateway huawei-cce-api-proxy-apiserver-proxy',
      'ingress-gateway tke-blog-istio-system-istio-ingressgateway',
      'ingress-gateway tke-saas-primary-istio-system-istio-eastwestgateway',
      'ingress-gateway tke-saas-primary-istio-system-istio-ingressgateway',
      'ingress-gateway tke-saas-remote-istio-system-istio-eastwestgateway',
    ]);
    // Load balancers the sandbox creates on start get new ids each time: only the seeded ones.
    expect(cloud).toEqual(
      expect.arrayContaining([
        'load-balancer 4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07',
        'elastic-ip eip-edge0001',
        'elastic-ip eip-edge0002',
        'elastic-ip eip-idle0001',
        'load-balancer lb-blog0001',
        'load-balancer lb-bp1asmgw001',
        'load-balancer lb-bp1ingress01',
        'load-balancer lb-idle0001',
        'load-balancer lb-saas0001',
        'load-balancer lb-saasew01',
      ]),
    );
    const names = cloud.map(l => l.split(' ')[1]);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('annotates clusters for the Kubernetes plugin', () => {
    expect(byName(entities, 'tke-blog')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'tke-blog',
        description:
          'Tencent Cloud cluster tke-blog (cls-blog0001 in ap-guangzhou), known to Ingress Atlas from config.',
        annotations: {
          'backstage.io/managed-by-location': 'ingress-atlas:cluster/tke-blog',
          'backstage.io/managed-by-origin-location':
            'ingress-atlas:cluster/tke-blog',
          'ingress-atlas.io/cluster': 'tke-blog',
          'kubernetes.io/api-server':
            started.atlas.sandbox.clusters['tke-blog'].url,
          'kubernetes.io/auth-provider': 'serviceAccount',
        },
        labels: {
          'ingress-atlas.io/provider': 'tencent',
          'ingress-atlas.io/region': 'ap-guangzhou',
        },
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: 'group:default/platform-team',
      },
    });
  });

  it('relates cluster -> gateway -> component, and load balancer -> gateway', async () => {
    const relations = await relationsOf(entities);

    const gateway =
      'resource:default/tke-blog-istio-system-istio-ingressgateway';
    expect(relations).toEqual(
      expect.arrayContaining([
        `resource:default/tke-blog dependencyOf ${gateway}`,
        `${gateway} dependsOn resource:default/tke-blog`,
        `${gateway} dependencyOf component:default/blog`,
        `component:default/blog dependsOn ${gateway}`,
        `resource:default/lb-blog0001 dependencyOf ${gateway}`,
        `${gateway} ownedBy group:default/platform-team`,
        // The edge host goes through a front proxy, then the hostNetwork gateway.
        'resource:default/edge-front-proxy-front-envoy dependencyOf component:default/edge-web',
        'resource:default/edge-istio-system-istio-ingressgateway dependencyOf component:default/edge-web',
      ]),
    );
    // The east-west gateways serve no component: no relation to a made-up one.
    expect(
      relations.filter(r => /eastwestgateway dependencyOf component:/.test(r)),
    ).toEqual([]);
    expect(byName(entities, gateway.split('/')[1]).metadata.description).toBe(
      'Ingress gateway istio-system/istio-ingressgateway (istio) on tke-blog, serving blog.example.com.',
    );
    expect(byName(entities, 'lb-blog0001').metadata.description).toBe(
      'Public Tencent Cloud CLB lb-blog0001 (198.51.100.11) in ap-guangzhou; in-use, 144 CNY/month, plus traffic of unknown volume.',
    );
  });

  it("links the topology's clusters and gateways to the Resources it emits for them", async () => {
    const { nodes } = await started.atlas.get('/topology');
    const emitted = new Map(entities.map(e => [stringifyEntityRef(e), e]));
    const annotation = (ref: string, key: string) =>
      emitted.get(ref)?.metadata.annotations?.[key];

    const clusters = nodes.filter((n: TopologyNode) => n.type === 'cluster');
    expect(clusters).toHaveLength(9);
    for (const node of clusters) {
      expect(annotation(node.resourceRef, 'ingress-atlas.io/cluster')).toBe(
        node.cluster,
      );
    }
    const gateways = nodes.filter(
      (n: TopologyNode) => n.type === 'gateway' && n.resourceRef,
    );
    for (const node of gateways) {
      expect(annotation(node.resourceRef, 'ingress-atlas.io/gateway')).toBe(
        node.id,
      );
    }
    // Every gateway Resource is reached from its node.
    expect(gateways.map((n: TopologyNode) => n.resourceRef).sort()).toEqual(
      entities
        .filter(e => e.spec?.type === 'ingress-gateway')
        .map(e => stringifyEntityRef(e))
        .sort(),
    );
  });

  it('marks everything it emits as its own', () => {
    expect(
      entities.filter(
        e =>
          !e.metadata.annotations?.[ANNOTATION_LOCATION]?.startsWith(
            'ingress-atlas:',
          ),
      ),
    ).toEqual([]);
  });

  it('never puts secret data from the clusters into the catalog', () => {
    expect(JSON.stringify(entities)).not.toContain('ATLAS-CANARY-');
  });

  it('labels the load balancers and EIPs that serve no entry as account inventory', () => {
    const accountInventory = entities
      .filter(e => e.metadata.labels?.[ACCOUNT_INVENTORY_LABEL] === 'true')
      .map(e => e.metadata.name)
      .sort();
    // The sandbox's idle CLB and unbound EIP; lb-blog0001 is in front of blog.example.com.
    expect(accountInventory).toEqual(
      expect.arrayContaining(['eip-idle0001', 'lb-idle0001']),
    );
    expect(accountInventory).not.toContain('lb-blog0001');
    for (const name of accountInventory) {
      expect(byName(entities, name).spec?.type).toMatch(
        /load-balancer|elastic-ip/,
      );
    }
  });
});

describe('catalogModuleIngressAtlasEntityProvider', () => {
  const start = stoppedAfterEach(startAtlasWithProvider);

  it('takes owners from cloud tags, else from config', async () => {
    const started = await start({
      config: { ingressAtlas: { catalog: { owner: 'sre', ownerTag: 'team' } } },
    });
    const entities = await started.emit();

    expect(
      Object.fromEntries(
        [
          'lb-saasew01',
          'eip-edge0001',
          'lb-idle0001',
          'tke-blog',
          'edge-front-proxy-front-envoy',
        ].map(name => [name, byName(entities, name).spec?.owner]),
      ),
    ).toEqual({
      'lb-saasew01': 'group:default/saas',
      'eip-edge0001': 'group:default/edge',
      'lb-idle0001': 'group:default/sre',
      'tke-blog': 'group:default/sre',
      'edge-front-proxy-front-envoy': 'group:default/sre',
    });
    expect(byName(entities, 'lb-idle0001').metadata.description).toBe(
      'Public Tencent Cloud CLB lb-idle0001 (198.51.100.99) in ap-guangzhou; idle, 144 CNY/month.',
    );
  });

  it('does not re-emit clusters the atlas found in the catalog', async () => {
    const started = await start({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: 'lab-gke',
            annotations: { 'kubernetes.io/api-server': 'https://127.0.0.1:1' },
          },
          spec: { type: 'kubernetes-cluster', owner: 'platform-team' },
        },
      ],
      config: {
        ingressAtlas: {
          catalogClusters: { enabled: true, allowedHosts: ['127.0.0.1:1'] },
        },
      },
    });
    const entities = await started.emit();

    const { clusters } = await started.atlas.get('/clusters');
    expect(
      clusters.find((c: { name: string }) => c.name === 'lab-gke'),
    ).toMatchObject({
      source: 'catalog',
    });
    expect(entities.map(e => e.metadata.name)).not.toContain('lab-gke');
    expect(entities.map(e => e.metadata.name)).toContain('tke-blog');
    // Its topology node links to the catalog's own Resource.
    const { nodes } = await started.atlas.get('/topology');
    expect(
      nodes.find((n: TopologyNode) => n.id === 'cluster:lab-gke'),
    ).toMatchObject({ resourceRef: 'resource:default/lab-gke' });
  });

  it('keeps the Resources of a cluster that stopped answering, from its last snapshot', async () => {
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

    const entities = await started.emit();
    expect(entities.map(e => e.metadata.name)).toEqual(
      expect.arrayContaining([
        'edge',
        'edge-istio-system-istio-ingressgateway',
      ]),
    );
    expect(await relationsOf(entities)).toContain(
      'resource:default/edge-istio-system-istio-ingressgateway dependencyOf component:default/edge-web',
    );
  });

  it('leaves the catalog as it was when the atlas refuses it', async () => {
    const started = await start({
      features: [usersOnlyPermissions()],
    });
    await started.emit();

    expect(started.mutations).toEqual([]);
  });

  it('keeps the catalog as it is before the atlas has finished its first refresh', async () => {
    const started = await start({
      waitForFirstRefresh: false,
    });
    await started.emit();

    expect(started.mutations).toEqual([]);
  });

  it('refuses a bad owner at startup, naming the key', async () => {
    await expect(
      startAtlasWithProvider({
        waitForFirstRefresh: false,
        config: { ingressAtlas: { catalog: { owner: 'group:' } } },
      }),
    ).rejects.toThrow("Invalid ingressAtlas.catalog.owner 'group:'");
  });
});
