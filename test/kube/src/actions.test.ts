import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ClusterDirectory,
  createIngressAtlasActions,
} from '@ingress-atlas/plugin-scaffolder-backend-module-ingress-atlas';
import type {
  Clock,
  ReachabilityProbe,
} from '@ingress-atlas/plugin-scaffolder-backend-module-ingress-atlas';
import { loadEstates, startSandbox, Sandbox } from '@ingress-atlas/sandbox';
import { parse, parseAllDocuments } from 'yaml';
import {
  applyManifests,
  assignLoadBalancers,
  endpointsSettled,
  expectedPods,
  registerNodes,
  runKubelets,
  runPods,
  runTke,
  startEstateCluster,
} from './estateOnServer';
import {
  KubeClient,
  REPO_ROOT,
  RealCluster,
  describe as describeBody,
  eventually,
  realServerAvailable,
} from './realCluster';

const SANDBOX = path.join(REPO_ROOT, 'examples/sandbox');
const CLOUD_CREDENTIALS = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};

/** The blog as a team would have it before enabling HTTPS: its Gateway serves plain HTTP only. */
async function plainHttpBlog(client: KubeClient) {
  const path_ =
    '/apis/networking.istio.io/v1beta1/namespaces/blog/gateways/blog-gateway';
  const gateway = await client.get(path_);
  const servers = gateway.spec.servers.filter(
    (s: { port: { protocol: string } }) => s.port.protocol === 'HTTP',
  );
  const answer = await client.request(
    'PATCH',
    `${path_}?fieldManager=team-controller`,
    { spec: { servers } },
    'application/merge-patch+json',
  );
  expect(answer.status).toBe(200);
}

/**
 * The estate's hand-made Envoy holds 80/443 on the proxy nodes: the operator removes it before
 * the managed proxy takes its place.
 */
async function removeHandMadeProxy(client: KubeClient) {
  const answer = await client.request(
    'DELETE',
    '/apis/apps/v1/namespaces/front-proxy/deployments/front-envoy',
  );
  expect(answer.status).toBe(200);
  await eventually(
    'the hand-made Envoy to be gone',
    async () =>
      (
        await client.list('v1', 'Pod')
      ).every(p => p.metadata.namespace !== 'front-proxy') || undefined,
  );
}

/**
 * Clusters that run together, and the actions whose examples run on them in turn. Examples
 * that are alternatives to each other (two front proxies cannot both hold port 443; HTTPS with
 * or without a redirect) get clusters of their own.
 */
const GROUPS: Array<{
  estates: string[];
  actions: string[];
  /** The one example of an action this group runs, by the start of its description. */
  only?: { action: string; description: string };
  /** What an operator did before the examples, on the running clusters. */
  before?: (servers: Map<string, RealCluster>) => Promise<void>;
  /** Earlier steps of the story, run for real before the examples. */
  setUp?: Step[];
}> = [
  {
    estates: ['tke-blog'],
    actions: [
      'ingress-atlas:gateway:enable-tls',
      'ingress-atlas:gateway:expose-service',
    ],
    only: {
      action: 'ingress-atlas:gateway:enable-tls',
      description: 'Serve blog.example.com over HTTPS',
    },
    before: servers => plainHttpBlog(servers.get('tke-blog')!.admin),
  },
  {
    estates: ['tke-blog'],
    actions: ['ingress-atlas:gateway:enable-tls'],
    only: {
      action: 'ingress-atlas:gateway:enable-tls',
      description: 'Add HTTPS but keep plain HTTP answering',
    },
    before: servers => plainHttpBlog(servers.get('tke-blog')!.admin),
  },
  {
    estates: ['edge'],
    actions: [
      'ingress-atlas:gateway:host-network',
      'ingress-atlas:gateway:front-proxy',
    ],
    only: {
      action: 'ingress-atlas:gateway:front-proxy',
      description: 'Pass 80 and 443 through Envoy',
    },
    before: servers => removeHandMadeProxy(servers.get('edge')!.admin),
  },
  {
    estates: ['edge'],
    actions: ['ingress-atlas:gateway:front-proxy'],
    only: {
      action: 'ingress-atlas:gateway:front-proxy',
      description: 'Name the proxy and its upstream explicitly',
    },
    before: servers => removeHandMadeProxy(servers.get('edge')!.admin),
  },
  {
    // The CLB → pod EIP story, in its order: TKE's part is played against the real server
    // (EIPs bound to running pods, the CLB released with its Service) in the cloud stand-in.
    estates: ['tke-blog'],
    actions: [
      'ingress-atlas:gateway:bind-eip',
      'ingress-atlas:gateway:verify-eip',
      'ingress-atlas:dns:cutover',
      'ingress-atlas:gateway:remove-lb',
    ],
    only: {
      action: 'ingress-atlas:gateway:remove-lb',
      description: "Turn the gateway's CLB Service into ClusterIP",
    },
  },
  {
    // Deleting the Service is the other way to remove the load balancer.
    estates: ['tke-blog'],
    actions: ['ingress-atlas:gateway:remove-lb'],
    only: {
      action: 'ingress-atlas:gateway:remove-lb',
      description: 'Delete the Service outright',
    },
    setUp: [
      {
        action: 'ingress-atlas:gateway:bind-eip',
        input: {
          cluster: 'tke-blog',
          namespace: 'istio-system',
          gateway: 'istio-ingressgateway',
        },
      },
    ],
  },
  {
    estates: ['tke-saas-primary', 'tke-saas-remote'],
    actions: [
      'ingress-atlas:cluster:api-proxy',
      'ingress-atlas:gateway:expose-service',
      'ingress-atlas:mesh:join-remote',
      'ingress-atlas:mesh:install-istiod',
    ],
    // A 1.24+ member: nothing made the reader account's token Secret; join-remote creates it
    // and the controller manager's token controller fills it.
    before: async servers => {
      const answer = await servers
        .get('tke-saas-remote')!
        .admin.request(
          'DELETE',
          '/api/v1/namespaces/istio-system/secrets/istio-reader-service-account-istio-remote-secret-token',
        );
      expect(answer.status).toBe(200);
    },
  },
  {
    // A new cluster: no istio-system, and no Istio CRDs until istioctl installs them.
    estates: ['tke-next'],
    actions: ['ingress-atlas:mesh:install-istiod'],
  },
  {
    // The organisation's root, read from the SaaS primary's cacerts onto a new cluster.
    estates: ['tke-saas-primary', 'tke-next'],
    actions: ['ingress-atlas:mesh:install-istiod'],
    only: {
      action: 'ingress-atlas:mesh:install-istiod',
      description:
        "Install a primary on a new cluster with the organisation's root",
    },
  },
];

/**
 * The internet between the backend and the pod EIPs, which the tests cannot dial: an EIP
 * answers when the cloud binds it to the IP of a pod that runs on one of the servers.
 */
function internet(
  sandbox: Sandbox,
  servers: Map<string, RealCluster>,
): ReachabilityProbe {
  return async ({ address }) => {
    const bound = Object.values(sandbox.cloud!.state.regions)
      .flatMap(region => region.Addresses)
      .find(a => a.AddressIp === address && a.AddressStatus === 'BIND');
    for (const server of servers.values()) {
      const pods = await server.admin.list('v1', 'Pod');
      const pod = pods.find(
        p =>
          bound?.PrivateAddressIp &&
          p.status?.podIP === bound.PrivateAddressIp &&
          p.status?.phase === 'Running',
      );
      if (pod) {
        return {
          reachable: true,
          detail: `reaches pod ${pod.metadata.namespace}/${pod.metadata.name}`,
        };
      }
    }
    return { reachable: false, detail: 'no running pod holds this address' };
  };
}

/**
 * A clock whose long waits (for DNS caches to expire) pass in a quarter of a second at most,
 * moving its time on; polls still leave the server's controllers real time to act.
 */
function skippingClock(): Clock {
  let skipped = 0;
  return {
    now: () => Date.now() + skipped,
    sleep: async ms => {
      const real = Math.min(ms, 250);
      await new Promise(resolve => setTimeout(resolve, real));
      skipped += ms - real;
    },
  };
}

interface Step {
  action: string;
  input: Record<string, any>;
}

/** Every example of every action, as the steps it runs. */
function examplesOf(actions: TemplateAction<any, any, any>[]) {
  return actions.flatMap(action =>
    (action.examples ?? []).map(example => ({
      action: action.id,
      description: example.description,
      steps: parse(example.example).steps as Step[],
    })),
  );
}

/** The clusters an example's steps name. */
function clustersOf(steps: Step[]): string[] {
  return steps.flatMap(s =>
    [s.input.cluster, s.input.primaryCluster, s.input.caSecretCluster].filter(
      Boolean,
    ),
  );
}

type Example = ReturnType<typeof examplesOf>[number];

/** Whether a group runs an example. */
function runs(group: (typeof GROUPS)[number], example: Example): boolean {
  return (
    group.actions.includes(example.action) &&
    clustersOf(example.steps).every(c => group.estates.includes(c)) &&
    (!group.only ||
      example.action !== group.only.action ||
      example.description.startsWith(group.only.description))
  );
}

/** What other controllers and teams put on objects the actions change. */
const FOREIGN_LABEL = 'team.example.com/owner';
const FOREIGN_ANNOTATION = 'team.example.com/note';
const FOREIGN_FINALIZER = 'team.example.com/protect';

/** Kinds that controllers keep writing to on their own: left out of "nothing changed". */
const BUSY = new Set(['Event', 'Lease', 'Endpoints', 'EndpointSlice']);

/** Every object the server holds (but BUSY kinds), as `kind ns/name` → resourceVersion. */
async function everything(client: KubeClient): Promise<Map<string, string>> {
  const versions: string[] = ['v1'];
  const groups = await client.get('/apis');
  for (const group of groups.groups ?? []) {
    versions.push(group.preferredVersion.groupVersion);
  }
  const found = new Map<string, string>();
  for (const apiVersion of versions) {
    const list = await client.get(
      apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`,
    );
    for (const resource of list.resources ?? []) {
      if (
        resource.name.includes('/') ||
        !resource.verbs.includes('list') ||
        BUSY.has(resource.kind)
      ) {
        continue;
      }
      for (const item of await client.list(apiVersion, resource.kind)) {
        const { namespace, name, resourceVersion } = item.metadata;
        found.set(
          `${resource.kind} ${namespace ? `${namespace}/` : ''}${name}`,
          resourceVersion,
        );
      }
    }
  }
  return found;
}

/**
 * Every object once the controllers are done with the last change (a rollout, a DaemonSet
 * placing pods): two reads a second apart that agree.
 */
async function settled(clients: KubeClient[]): Promise<Map<string, string>[]> {
  let last = await Promise.all(clients.map(everything));
  return eventually('the controllers to settle', async () => {
    await new Promise(resolve => setTimeout(resolve, 1000));
    const now = await Promise.all(clients.map(everything));
    const same =
      JSON.stringify(now.map(m => [...m])) ===
      JSON.stringify(last.map(m => [...m]));
    last = now;
    return same ? now : undefined;
  });
}

/** A merge patch, as another team's controller would write it. */
async function patch(client: KubeClient, object: any, body: object) {
  const answer = await client.request(
    'PATCH',
    `${await client.pathOf(object)}?fieldManager=team-controller`,
    body,
    'application/merge-patch+json',
  );
  if (answer.status !== 200) {
    throw new Error(
      `patching ${object.kind} ${object.metadata.name}: HTTP ${
        answer.status
      } ${describeBody(answer.body)}`,
    );
  }
  return answer.body;
}

/** An owner in the object's namespace: ownerReferences to an object that is gone get collected. */
async function ownerIn(client: KubeClient, namespace: string) {
  const owner = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'team-owner', namespace },
  };
  const answer = await client.apply(owner, 'team-controller');
  if (answer.status !== 200 && answer.status !== 201) {
    throw new Error(`owner in ${namespace}: ${describeBody(answer.body)}`);
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'team-owner',
    uid: answer.body.metadata.uid,
  };
}

/**
 * Every action's examples on a real API server, as dry run and then for real: the dry run
 * changes nothing; what others put on the objects the action updates (finalizers,
 * ownerReferences, their labels and annotations) is still there afterwards; the real run
 * shows the diff the dry run previewed; the backup is accepted back by the server
 * (`dryRun=All`); and a second run has nothing to change.
 */
(realServerAvailable() ? describe : describe.skip)(
  'the actions on a real API server',
  () => {
    const { clusters: estates } = loadEstates(SANDBOX);
    const probe = createIngressAtlasActions({
      clusters: ClusterDirectory.fromConfig(new ConfigReader({})),
      permissions: mockServices.permissions(),
    });
    const examples = examplesOf(probe);

    it('runs every example once, or says why it cannot', () => {
      const runners = (e: Example) => GROUPS.filter(g => runs(g, e)).length;
      expect(examples.map(e => [e.description, runners(e)])).toEqual(
        examples.map(e => [e.description, 1]),
      );
      expect(
        new Set(examples.filter(e => runners(e) > 0).map(e => e.action)).size,
      ).toBe(11);
    });

    describe.each(
      GROUPS.map(
        g =>
          [
            `${g.estates.join(' + ')}${
              g.only ? ` (${g.only.description})` : ''
            }`,
            g,
          ] as const,
      ),
    )('%s', (_name, group) => {
      const servers = new Map<string, RealCluster>();
      const stopKubelets: Array<() => Promise<void>> = [];
      let sandbox: Sandbox | undefined;
      let actions: Map<string, TemplateAction<any, any, any>>;
      const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-ws-'));

      beforeAll(async () => {
        // The cloud stand-in, for the actions' checks of subnets and load balancers.
        sandbox = await startSandbox({
          estatesDir: SANDBOX,
          clusters: group.estates,
          basePort: 0,
        });
        const connections = [];
        for (const name of group.estates) {
          const { spec, objects } = estates.find(e => e.spec.name === name)!;
          const real = await startEstateCluster(spec, objects);
          servers.set(name, real);
          expect([
            ...(await registerNodes(real.admin, spec)),
            ...(await applyManifests(real.admin, objects)),
            ...(await assignLoadBalancers(real.admin, spec)),
          ]).toEqual([]);
          await runPods(
            real.admin,
            spec,
            await expectedPods(real.admin, objects),
          );
          await endpointsSettled(real.admin);
          stopKubelets.push(runKubelets(real.admin, spec));
          if (spec.provider === 'tencent' && spec.vpcCni) {
            stopKubelets.push(runTke(real.admin, sandbox.cloud!.cloud, spec));
          }
          connections.push({
            name,
            url: real.info.server,
            serviceAccountToken: real.info.adminToken,
            caData: real.caData,
            provider: spec.provider,
            region: spec.region,
            cloudClusterId: spec.cloudClusterId,
          });
        }
        await group.before?.(servers);
        const config = new ConfigReader({
          ingressAtlas: {
            clusters: connections,
            providers: {
              tencent: [
                {
                  name: 'sandbox',
                  regions: ['ap-guangzhou', 'ap-shanghai'],
                  endpoint: sandbox.cloud!.url,
                  credentials: CLOUD_CREDENTIALS,
                },
              ],
            },
          },
        });
        actions = new Map(
          createIngressAtlasActions({
            clusters: ClusterDirectory.fromConfig(config),
            permissions: mockServices.permissions(),
            probe: internet(sandbox, servers),
            clock: skippingClock(),
          }).map(a => [a.id, a]),
        );
        for (const step of group.setUp ?? []) await run(step, false);
      }, 300_000);

      afterAll(async () => {
        for (const stop of stopKubelets) await stop();
        for (const real of servers.values()) await real.stop();
        await sandbox?.stop();
        fs.rmSync(workspace, { recursive: true, force: true });
      }, 60_000);

      const run = async (step: Step, dryRun: boolean) => {
        const outputs: Record<string, any> = {};
        const done = new Map<string, unknown>();
        const ctx = {
          ...createMockActionContext({
            input: step.input,
            workspacePath: workspace,
          }),
          isDryRun: dryRun,
          checkpoint: async ({ key, fn }: any) => {
            if (!done.has(key)) done.set(key, await fn());
            return done.get(key);
          },
          output: (name: string, value: unknown) => {
            outputs[name] = value;
          },
        };
        await actions.get(step.action)!.handler(ctx as any);
        return outputs;
      };

      // In the order the group lists the actions: a story's steps build on each other.
      const mine = examples
        .filter(e => runs(group, e))
        .sort(
          (a, b) =>
            group.actions.indexOf(a.action) - group.actions.indexOf(b.action),
        );

      it.each(mine.map(e => [e.action, e.description, e] as const))(
        '%s: %s',
        async (_action, _description, example) => {
          for (const step of example.steps) {
            const touched = clustersOf([step]).map(c => servers.get(c)!);
            const clients = touched.map(t => t.admin);
            const before = await settled(clients);

            const first = await run(step, true);
            expect(await Promise.all(clients.map(everything))).toEqual(before);

            // Others' marks on every live object the change replaces; then the preview of
            // the change as it will run.
            // (Only Kubernetes objects: dns:cutover's backup holds DNS records.)
            const replaced = parseAllDocuments(String(first.backup ?? ''))
              .map(d => d.toJS())
              .filter(o => o?.apiVersion && o.kind && o.metadata);
            const marked: Array<{
              client: KubeClient;
              object: any;
              live: any;
            }> = [];
            for (const object of replaced) {
              for (const client of clients) {
                const found = await client.request(
                  'GET',
                  await client.pathOf(object),
                );
                if (found.status !== 200) continue;
                const { namespace } = found.body.metadata;
                await patch(client, object, {
                  metadata: {
                    labels: { [FOREIGN_LABEL]: 'web' },
                    annotations: { [FOREIGN_ANNOTATION]: 'keep me' },
                    finalizers: [FOREIGN_FINALIZER],
                    ...(namespace
                      ? {
                          ownerReferences: [await ownerIn(client, namespace)],
                        }
                      : {}),
                  },
                });
                marked.push({ client, object, live: found.body });
              }
            }
            // Every object the change replaces is live on one of its clusters.
            expect(new Set(marked.map(m => m.object)).size).toBe(
              replaced.length,
            );
            const marks = await settled(clients);
            const dry = await run(step, true);
            expect(await Promise.all(clients.map(everything))).toEqual(marks);

            const real = await run(step, false);
            // The example does something: a change on a cluster, files for a review, or (a
            // check) the addresses it checked.
            expect(
              real.diff || real.files?.length || real.addresses?.length,
            ).toBeTruthy();
            expect(real.diff).toEqual(dry.diff);
            if (real.istiodReady) {
              // The server's own controllers say the install happened: the Job controller
              // saw the installer pod succeed, the Deployment controller counts istiod Ready.
              const [client] = clients;
              const jobs = await client.list('batch/v1', 'Job');
              expect(
                jobs.map(j => [
                  j.metadata.name,
                  j.status?.conditions?.find((c: any) => c.type === 'Complete')
                    ?.status,
                ]),
              ).toContainEqual([expect.stringMatching(/istio/), 'True']);
              const istiod = await client.get(
                `/apis/apps/v1/namespaces/istio-system/deployments/${
                  step.input.revision
                    ? `istiod-${step.input.revision}`
                    : 'istiod'
                }`,
              );
              expect({
                image: istiod.spec.template.spec.containers[0].image,
                ready: istiod.status.readyReplicas,
              }).toEqual({
                image: expect.stringMatching(new RegExp(`:${step.input.tag}$`)),
                ready: istiod.spec.replicas,
              });
            }
            // A check (verify-eip) has no diff and changes nothing.
            if (real.diff !== undefined) {
              expect(real.changed).toBe(dry.diff !== '');
            }

            for (const { client, object } of marked) {
              const live = await client.get(await client.pathOf(object));
              if (live.metadata.deletionTimestamp) continue; // deleted by the action
              const { metadata } = live;
              expect({
                what: `${object.kind} ${metadata.namespace}/${metadata.name}`,
                finalizers: metadata.finalizers,
                owners: metadata.ownerReferences?.map((o: any) => o.name),
                label: metadata.labels?.[FOREIGN_LABEL],
                annotation: metadata.annotations?.[FOREIGN_ANNOTATION],
              }).toEqual({
                what: `${object.kind} ${metadata.namespace}/${metadata.name}`,
                finalizers: [FOREIGN_FINALIZER],
                owners: ['team-owner'],
                label: 'web',
                annotation: 'keep me',
              });
            }
            // The backup is a valid object the server takes back; a Secret's values, redacted
            // in task output, are in the copy its backup names.
            const backedUp = parseAllDocuments(String(real.backup))
              .map(d => d.toJS())
              .filter(Boolean);
            for (const { client, live } of marked.filter(
              m => m.object.kind === 'Secret',
            )) {
              const { annotations } = backedUp.find(
                o =>
                  o.kind === 'Secret' &&
                  o.metadata.namespace === live.metadata.namespace &&
                  o.metadata.name === live.metadata.name,
              ).metadata;
              const keptIn: string =
                annotations['ingress-atlas.io/values-kept-in'];
              const copy = await client.get(
                `/api/v1/namespaces/${live.metadata.namespace}/secrets/${
                  keptIn.split('/')[1]
                }`,
              );
              expect(copy.data).toEqual(live.data);
            }
            for (const { client, object } of marked.filter(
              m => m.object.kind !== 'Secret',
            )) {
              const answer = await client.request(
                'PATCH',
                `${await client.pathOf(
                  object,
                )}?fieldManager=restore&force=true&dryRun=All`,
                object,
                'application/apply-patch+yaml',
              );
              expect({
                what: `${object.kind} ${object.metadata.name}`,
                refused:
                  answer.status < 300
                    ? undefined
                    : `HTTP ${answer.status} ${describeBody(answer.body)}`,
              }).toEqual({
                what: `${object.kind} ${object.metadata.name}`,
                refused: undefined,
              });
            }

            const again = await run(step, false);
            expect({
              changed: again.changed ?? false,
              diff: again.diff ?? '',
            }).toEqual({ changed: false, diff: '' });
          }
        },
        180_000,
      );
    });
  },
);
