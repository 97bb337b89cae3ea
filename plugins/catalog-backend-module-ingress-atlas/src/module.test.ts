import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
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
import type { JsonObject } from '@backstage/types';
import { createIngressAtlasTestPlugin } from '@ingress-atlas/plugin-ingress-atlas-node/testUtils';
import catalogModule from '.';

/**
 * Boots a backend with the catalog module and a stand-in ingress-atlas plugin answering over
 * HTTP, connects the provider the way the catalog does and runs its scheduled refresh.
 */
async function emit(
  options: {
    atlas?: ReturnType<typeof createIngressAtlasTestPlugin>;
    config?: JsonObject;
  } = {},
) {
  const atlas = options.atlas ?? createIngressAtlasTestPlugin();
  const scheduler = mockServices.scheduler();
  const providers: EntityProvider[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        catalogProcessingExtensionPoint,
        { addEntityProvider: (...added) => providers.push(...added.flat()) },
      ],
    ],
    features: [
      catalogModule,
      atlas.plugin,
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
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
  const tasks = await scheduler.getScheduledTasks();
  expect(tasks.map(t => t.id)).toEqual(['IngressAtlasEntityProvider:refresh']);
  await scheduler.triggerTask('IngressAtlasEntityProvider:refresh');
  const entities = mutations.flatMap(m =>
    m.type === 'full' ? m.entities.map(d => d.entity) : [],
  );
  return { mutations, entities, requests: atlas.requests };
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

describe('catalogModuleIngressAtlasEntityProvider', () => {
  it('replaces all its entities on each refresh, reading the atlas as the catalog plugin', async () => {
    const { mutations, requests } = await emit();

    expect(mutations).toHaveLength(1);
    expect(mutations[0].type).toBe('full');
    expect(
      mutations[0].type === 'full' &&
        mutations[0].entities.every(
          d => d.locationKey === 'IngressAtlasEntityProvider',
        ),
    ).toBe(true);
    expect(requests.map(r => `${r.subject} ${r.path}`).sort()).toEqual([
      'plugin:catalog /cloud-inventory',
      'plugin:catalog /clusters',
      'plugin:catalog /exposures',
    ]);
  });

  it('emits clusters, gateways, load balancers and EIPs as Resources with stable names', async () => {
    const { entities } = await emit();

    expect(entities.map(e => `${e.spec?.type} ${e.metadata.name}`)).toEqual([
      'kubernetes-cluster aliyun-asm',
      'kubernetes-cluster edge',
      'kubernetes-cluster huawei-cce',
      'kubernetes-cluster offline-lab',
      'kubernetes-cluster tke-blog',
      'kubernetes-cluster tke-saas-primary',
      'kubernetes-cluster tke-saas-remote',
      'ingress-gateway aliyun-asm-istio-system-istio-ingressgateway',
      'ingress-gateway edge-edge-proxy-envoy-front',
      'ingress-gateway edge-istio-system-istio-ingressgateway',
      'ingress-gateway tke-blog-istio-system-istio-ingressgateway',
      'ingress-gateway tke-saas-primary-istio-system-istio-eastwestgateway',
      'ingress-gateway tke-saas-primary-istio-system-istio-ingressgateway',
      'elastic-ip eip-edge0001',
      'elastic-ip eip-idle0001',
      'load-balancer lb-blog0001',
      'load-balancer lb-bp1shop0001',
      'load-balancer lb-idle0001',
      'load-balancer lb-saas0001',
      'load-balancer lb-saasew01',
    ]);
  });

  it('annotates clusters for the Kubernetes plugin', async () => {
    const { entities } = await emit();

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
          'kubernetes.io/api-server': 'http://127.0.0.1:6441',
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
    const offline = byName(entities, 'offline-lab');
    expect(offline.metadata.title).toBe('Offline Lab');
    expect(offline.metadata.annotations).not.toHaveProperty(
      'kubernetes.io/api-server',
    );
  });

  it('relates cluster -> gateway -> component, and load balancer -> gateway', async () => {
    const { entities } = await emit();
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
        // The edge host goes through a front proxy on an EIP, then the hostNetwork gateway.
        'resource:default/eip-edge0001 dependencyOf resource:default/edge-edge-proxy-envoy-front',
        'resource:default/edge-edge-proxy-envoy-front dependencyOf component:default/edge-web',
        'resource:default/edge-istio-system-istio-ingressgateway dependencyOf component:default/edge-web',
      ]),
    );
    // Nobody owns legacy.example.com: no relation to a made-up component.
    expect(relations.filter(r => r.includes('legacy'))).toEqual([]);
    expect(
      byName(entities, 'tke-blog-istio-system-istio-ingressgateway').metadata
        .description,
    ).toBe(
      'Ingress gateway (istio) istio-system/istio-ingressgateway on tke-blog, serving blog.example.com, legacy.example.com.',
    );
  });

  it('takes owners from cloud tags, else from config', async () => {
    const { entities } = await emit({
      config: { ingressAtlas: { catalog: { owner: 'sre' } } },
    });

    expect(
      Object.fromEntries(
        [
          'lb-blog0001',
          'eip-edge0001',
          'lb-idle0001',
          'tke-blog',
          'edge-edge-proxy-envoy-front',
        ].map(name => [name, byName(entities, name).spec?.owner]),
      ),
    ).toEqual({
      'lb-blog0001': 'group:default/blog-team',
      'eip-edge0001': 'group:default/edge-ops',
      'lb-idle0001': 'group:default/sre',
      'tke-blog': 'group:default/sre',
      'edge-edge-proxy-envoy-front': 'group:default/sre',
    });
    expect(byName(entities, 'lb-idle0001').metadata.description).toBe(
      'Public Tencent Cloud CLB lb-idle0001 (129.204.10.99) in ap-guangzhou; idle, 14.4 CNY/month.',
    );
  });

  it('does not re-emit clusters the atlas found in the catalog, and marks what it emits as its own', async () => {
    const { entities } = await emit();

    expect(entities.map(e => e.metadata.name)).not.toContain('lab-gke');
    expect(
      entities.filter(
        e =>
          !e.metadata.annotations?.[ANNOTATION_LOCATION]?.startsWith(
            'ingress-atlas:',
          ),
      ),
    ).toEqual([]);
  });

  it('leaves the catalog as it was when the atlas cannot be read', async () => {
    const atlas = createIngressAtlasTestPlugin({
      failWith: {
        status: 503,
        name: 'ServiceUnavailableError',
        message: 'not refreshed yet',
      },
    });
    const { mutations } = await emit({ atlas });

    expect(mutations).toEqual([]);
  });

  it('keeps the catalog as it is before the atlas has finished its first refresh', async () => {
    const atlas = createIngressAtlasTestPlugin({
      responses: {
        '/clusters': { clusters: [], sourceErrors: [] },
        '/exposures': {
          paths: [],
          entries: [],
          gateways: [],
          routes: [],
          costs: [],
        },
        '/cloud-inventory': { inventories: [] },
      },
    });
    const { mutations } = await emit({ atlas });

    expect(mutations).toEqual([]);
  });

  it('refuses a bad owner at startup, naming the key', async () => {
    await expect(
      emit({ config: { ingressAtlas: { catalog: { owner: 'group:' } } } }),
    ).rejects.toThrow("Invalid ingressAtlas.catalog.owner 'group:'");
  });
});
