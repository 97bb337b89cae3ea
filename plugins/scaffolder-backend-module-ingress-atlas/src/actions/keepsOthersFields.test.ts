import { createMockDirectory } from '@backstage/backend-test-utils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import type { KubeObject } from '@ingress-atlas/sandbox';
import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { FIELD_MANAGER } from '../kube';
import { createIngressAtlasActions } from '.';

/** What other controllers and teams put on objects the actions change. */
const FOREIGN = {
  finalizers: ['team.example.com/protect'],
  ownerReferences: [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'owner',
      uid: '3f0c9a52-7d4e-4b7a-9d1e-000000000001',
    },
  ],
  labels: { 'team.example.com/owner': 'web' },
  annotations: { 'team.example.com/note': 'keep me' },
};

interface Target {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

interface Case {
  action: string;
  clusters: string[];
  /** Objects that exist before the action runs and that it updates. */
  existing?: Target[];
  /** A run that creates the action's objects, which the second run then updates. */
  first?: Record<string, unknown>;
  input: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    action: 'ingress-atlas:gateway:enable-tls',
    clusters: ['tke-blog'],
    existing: [
      {
        cluster: 'tke-blog',
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'Gateway',
        namespace: 'blog',
        name: 'blog-gateway',
      },
    ],
    input: {
      cluster: 'tke-blog',
      host: 'blog.example.com',
      credentialName: 'blog-tls',
    },
  },
  {
    action: 'ingress-atlas:gateway:expose-service',
    clusters: ['tke-blog'],
    first: {
      cluster: 'tke-blog',
      namespace: 'blog',
      service: 'blog',
      host: 'www.blog.example.com',
    },
    input: {
      cluster: 'tke-blog',
      namespace: 'blog',
      service: 'blog',
      host: 'www.blog.example.com',
      credentialName: 'blog-tls',
    },
  },
  {
    action: 'ingress-atlas:mesh:install-istiod',
    clusters: ['tke-saas-primary'],
    first: {
      cluster: 'tke-saas-primary',
      meshId: 'saas-mesh',
      network: 'net-primary',
      revision: '1-18-5',
      tag: '1.18.5',
      eastWestSubnetId: 'subnet-saas0001',
      apply: true,
    },
    input: {
      cluster: 'tke-saas-primary',
      meshId: 'saas-mesh',
      network: 'net-primary',
      // A new revision: the installer runs again, and istiod's VirtualService is updated.
      revision: '1-18-6',
      tag: '1.18.6',
      eastWestSubnetId: 'subnet-saas0001',
      apply: true,
    },
  },
  {
    action: 'ingress-atlas:mesh:join-remote',
    clusters: ['tke-saas-primary', 'tke-saas-remote'],
    existing: [
      {
        cluster: 'tke-saas-primary',
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'istio-system',
        name: 'istio-remote-secret-cls-saas0002',
      },
    ],
    input: {
      cluster: 'tke-saas-remote',
      primaryCluster: 'tke-saas-primary',
      meshId: 'saas-mesh',
      network: 'net-remote',
    },
  },
  {
    action: 'ingress-atlas:gateway:host-network',
    clusters: ['edge'],
    existing: [
      {
        cluster: 'edge',
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'istio-system',
        name: 'legacy-gateway',
      },
    ],
    input: {
      cluster: 'edge',
      gateway: 'legacy-gateway',
      nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
    },
  },
  {
    action: 'ingress-atlas:gateway:front-proxy',
    clusters: ['edge'],
    first: {
      cluster: 'edge',
      nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
    },
    input: {
      cluster: 'edge',
      nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
      ports: [443],
    },
  },
  {
    action: 'ingress-atlas:cluster:api-proxy',
    clusters: ['tke-saas-remote'],
    first: {
      cluster: 'tke-saas-remote',
      subnetId: 'subnet-saas0002',
      sourceRanges: ['10.20.0.0/16'],
    },
    input: {
      cluster: 'tke-saas-remote',
      subnetId: 'subnet-saas0002',
      sourceRanges: ['10.20.0.0/16', '10.30.0.0/16'],
    },
  },
];

describe('actions that update objects keep what others put on them', () => {
  const workspace = createMockDirectory();
  let world: TestWorld | undefined;

  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  /** Objects of a cluster whose fields the actions manage (server-side apply as ingress-atlas-<action>). */
  function managedByUs(cluster: string): Target[] {
    const { store } = world!.cluster(cluster);
    return store.types.flatMap(type =>
      store
        .list(type)
        .filter(object =>
          (object.metadata.managedFields as any[] | undefined)?.some(
            m => m.manager.startsWith(`${FIELD_MANAGER}-`),
          ),
        )
        .map(object => ({
          cluster,
          apiVersion: object.apiVersion!,
          kind: object.kind!,
          namespace: object.metadata.namespace,
          name: object.metadata.name,
        })),
    );
  }

  const live = (target: Target): KubeObject | undefined => {
    const { store } = world!.cluster(target.cluster);
    const type = store.typeOfKind(
      target.apiVersion.includes('/') ? target.apiVersion.split('/')[0] : '',
      target.kind,
    )!;
    return store.get(type, target.namespace ?? '', target.name);
  };

  /** Another controller's merge patch, through the API server. */
  async function decorate(target: Target) {
    const cluster = await world!.options.clusters.connect(target.cluster);
    await cluster.objects.patch(
      {
        apiVersion: target.apiVersion,
        kind: target.kind,
        metadata: {
          name: target.name,
          namespace: target.namespace,
          ...FOREIGN,
        },
      },
      undefined,
      undefined,
      'team-controller',
      undefined,
      'application/merge-patch+json',
    );
  }

  it.each(CASES.map(c => [c.action, c] as const))(
    '%s',
    async (id, testCase) => {
      workspace.clear();
      world = await startWorld(testCase.clusters);
      if (id === 'ingress-atlas:gateway:enable-tls') {
        // The blog as a team would have it before: plain HTTP only.
        const { store } = world.cluster('tke-blog');
        const type = store.type('networking.istio.io', 'gateways')!;
        const gateway = store.get(type, 'blog', 'blog-gateway')!;
        gateway.spec.servers = gateway.spec.servers.filter(
          (s: { port: { protocol: string } }) => s.port.protocol === 'HTTP',
        );
        store.update(type, gateway);
      }
      if (id === 'ingress-atlas:gateway:front-proxy') {
        // The estate's hand-made Envoy holds 80/443 on the proxy nodes until removed.
        world.removeDeployment('edge', 'front-proxy', 'front-envoy');
      }
      const actions = new Map<string, TemplateAction<any, any, any>>(
        createIngressAtlasActions(world.options).map(a => [a.id, a]),
      );
      const run = async (input: Record<string, unknown>) => {
        const { ctx, recorded } = actionContext(input, {
          workspacePath: workspace.path,
        });
        await actions.get(id)!.handler(ctx);
        return recorded;
      };
      if (testCase.first) {
        await run(testCase.first);
      }
      const targets = [
        ...(testCase.existing ?? []),
        ...testCase.clusters.flatMap(managedByUs),
      ].filter(t => t.kind !== 'Namespace');
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) {
        await decorate(target);
      }
      const before = new Map(
        targets.map(t => [
          JSON.stringify(t),
          live(t)!.metadata.resourceVersion,
        ]),
      );

      const recorded = await run(testCase.input);

      expect(recorded.outputs.changed).toBe(true);
      const updated = targets.filter(
        t =>
          live(t)?.metadata.resourceVersion !== before.get(JSON.stringify(t)),
      );
      expect(updated.length).toBeGreaterThan(0);
      for (const target of targets) {
        const { metadata } = live(target)!;
        expect({
          what: `${target.kind} ${target.namespace}/${target.name}`,
          finalizers: metadata.finalizers,
          ownerReferences: metadata.ownerReferences,
          label: metadata.labels?.['team.example.com/owner'],
          annotation: metadata.annotations?.['team.example.com/note'],
        }).toEqual({
          what: `${target.kind} ${target.namespace}/${target.name}`,
          finalizers: FOREIGN.finalizers,
          ownerReferences: FOREIGN.ownerReferences,
          label: 'web',
          annotation: 'keep me',
        });
      }
      // What others put there is no part of the change the action reports.
      expect(recorded.outputs.diff).not.toContain('team.example.com');
    },
    60_000,
  );
});
