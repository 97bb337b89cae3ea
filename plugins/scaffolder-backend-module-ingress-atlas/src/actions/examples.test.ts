import { createMockDirectory } from '@backstage/backend-test-utils';
import type {
  TemplateAction,
  TemplateExample,
} from '@backstage/plugin-scaffolder-node';
import { parse } from 'yaml';
import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import type { ReachabilityProbe } from '../reachability';
import { ActionOptions } from './common';
import { examples as clusterApiProxy } from './clusterApiProxy.examples';
import { examples as dnsCutover } from './dnsCutover.examples';
import { examples as gatewayBindEip } from './gatewayBindEip.examples';
import { examples as gatewayEnableTls } from './gatewayEnableTls.examples';
import { examples as gatewayExposeService } from './gatewayExposeService.examples';
import { examples as gatewayFrontProxy } from './gatewayFrontProxy.examples';
import { examples as gatewayHostNetwork } from './gatewayHostNetwork.examples';
import { examples as gatewayRemoveLb } from './gatewayRemoveLb.examples';
import { examples as gatewayVerifyEip } from './gatewayVerifyEip.examples';
import { examples as meshInstallIstiod } from './meshInstallIstiod.examples';
import { examples as meshJoinRemote } from './meshJoinRemote.examples';
import { createIngressAtlasActions } from '.';

/** Public addresses of the sandbox cannot be dialled: the probe stands in for the internet. */
const reachable: ReachabilityProbe = async () => ({
  reachable: true,
  detail: 'answered (test probe)',
});

const bindBlogGateway = {
  action: 'ingress-atlas:gateway:bind-eip',
  input: {
    cluster: 'tke-blog',
    namespace: 'istio-system',
    gateway: 'istio-ingressgateway',
  },
};

/**
 * The estate's hand-made Envoy (Deployment front-proxy/front-envoy) holds 80/443 on the proxy
 * nodes: the operator removes it before the managed proxy takes its place.
 */
const removeHandMadeProxy = (world: TestWorld) => {
  world.removeDeployment('edge', 'front-proxy', 'front-envoy');
};

/** What must have happened before an example makes sense: earlier steps, or the operator's hand. */
const before: Record<
  string,
  Array<typeof bindBlogGateway | ((world: TestWorld) => void)>
> = {
  'ingress-atlas:gateway:remove-lb': [bindBlogGateway],
  'ingress-atlas:gateway:verify-eip': [bindBlogGateway],
  'ingress-atlas:gateway:front-proxy': [removeHandMadeProxy],
};

const all: Array<[string, TemplateExample[]]> = [
  ['ingress-atlas:gateway:bind-eip', gatewayBindEip],
  ['ingress-atlas:gateway:verify-eip', gatewayVerifyEip],
  ['ingress-atlas:gateway:remove-lb', gatewayRemoveLb],
  ['ingress-atlas:dns:cutover', dnsCutover],
  ['ingress-atlas:mesh:install-istiod', meshInstallIstiod],
  ['ingress-atlas:mesh:join-remote', meshJoinRemote],
  ['ingress-atlas:gateway:enable-tls', gatewayEnableTls],
  ['ingress-atlas:gateway:expose-service', gatewayExposeService],
  ['ingress-atlas:gateway:host-network', gatewayHostNetwork],
  ['ingress-atlas:gateway:front-proxy', gatewayFrontProxy],
  ['ingress-atlas:cluster:api-proxy', clusterApiProxy],
];
const cases = all.flatMap(([id, list]) =>
  list.map(example => [id, example.description, example] as const),
);

describe('action examples', () => {
  const workspace = createMockDirectory();
  let world: TestWorld;
  let actions: Map<string, TemplateAction<any, any, any>>;

  beforeEach(async () => {
    workspace.clear();
    world = await startWorld([
      'tke-blog',
      'tke-saas-primary',
      'tke-saas-remote',
      'edge',
      'tke-next',
    ]);
    const options: ActionOptions = { ...world.options, probe: reachable };
    actions = new Map(createIngressAtlasActions(options).map(a => [a.id, a]));
  });

  afterEach(async () => {
    await world.stop();
  });

  it('covers every action', () => {
    expect(all.map(([id]) => id).sort()).toEqual([...actions.keys()].sort());
  });

  it.each(cases)('%s: %s', async (id, _description, example) => {
    const steps: Array<{ action: string; input: Record<string, unknown> }> =
      parse(example.example).steps;
    expect(steps.map(step => step.action)).toEqual(steps.map(() => id));
    for (const step of [...(before[id] ?? []), ...steps]) {
      if (typeof step === 'function') {
        step(world);
        continue;
      }
      const { ctx } = actionContext(step.input, {
        workspacePath: workspace.path,
      });
      await actions.get(step.action)!.handler(ctx);
    }
  });

  it.each(cases)(
    '%s: %s, as a dry run, changes nothing and fails on nothing a real run would do',
    async (id, _description, example) => {
      const steps: Array<{ action: string; input: Record<string, unknown> }> =
        parse(example.example).steps;
      for (const step of before[id] ?? []) {
        if (typeof step === 'function') {
          step(world);
        } else {
          await actions
            .get(step.action)!
            .handler(actionContext(step.input).ctx);
        }
      }
      const revisions = () =>
        world.sandbox.running.map(cluster => cluster.store.revision);
      const stored = revisions();
      for (const step of steps) {
        const { ctx } = actionContext(step.input, {
          dryRun: true,
          workspacePath: workspace.path,
        });
        await actions.get(step.action)!.handler(ctx);
      }
      expect(revisions()).toEqual(stored);
    },
  );
});
