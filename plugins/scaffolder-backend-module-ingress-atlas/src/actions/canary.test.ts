import { createMockDirectory } from '@backstage/backend-test-utils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  Recorded,
  SANDBOX_CREDENTIALS,
  TestWorld,
  actionContext,
  startWorld,
} from '../__testUtils__/sandbox';
import type { ReachabilityProbe } from '../reachability';
import { createIngressAtlasActions } from '.';

const reachable: ReachabilityProbe = async () => ({
  reachable: true,
  detail: 'test probe',
});

/**
 * Every Secret of the sandbox holds `ATLAS-CANARY-<suffix>`. Whatever the actions read or
 * replace, none of it (nor a token or a cloud key) may reach a log line, an output or an error.
 */
describe('secrets never leave the actions', () => {
  const workspace = createMockDirectory();
  let world: TestWorld;
  let actions: Map<string, TemplateAction<any, any, any>>;
  const seen: string[] = [];

  beforeAll(async () => {
    world = await startWorld([
      'tke-blog',
      'tke-saas-primary',
      'tke-saas-remote',
    ]);
    actions = new Map(
      createIngressAtlasActions({ ...world.options, probe: reachable }).map(
        a => [a.id, a],
      ),
    );
  });

  afterAll(async () => {
    await world.stop();
  });

  async function run(
    id: string,
    input: Record<string, unknown>,
    dryRun = false,
  ) {
    const { ctx, recorded } = actionContext(input, {
      dryRun,
      workspacePath: workspace.path,
    });
    let error: unknown;
    try {
      await actions.get(id)!.handler(ctx);
    } catch (e) {
      error = e;
    }
    seen.push(record(recorded, error));
    return { recorded, error };
  }

  /** A dry run, then the real run, which must succeed. */
  async function dryThenReal(id: string, input: Record<string, unknown>) {
    await run(id, input, true);
    const real = await run(id, input);
    expect(real.error).toBeUndefined();
    return real;
  }

  function record(recorded: Recorded, error: unknown) {
    return [
      ...recorded.logs,
      JSON.stringify(recorded.outputs),
      error
        ? `${(error as Error).name}: ${(error as Error).message} ${
            (error as Error).stack
          }`
        : '',
    ].join('\n');
  }

  it('keeps secret data, tokens and cloud keys out of logs, outputs and errors', async () => {
    const blog = {
      cluster: 'tke-blog',
      namespace: 'istio-system',
      gateway: 'istio-ingressgateway',
    };
    await run('ingress-atlas:gateway:bind-eip', blog, true);
    await run('ingress-atlas:gateway:bind-eip', blog);
    await run('ingress-atlas:gateway:verify-eip', blog);
    await run('ingress-atlas:gateway:remove-lb', {
      ...blog,
      service: 'istio-ingressgateway',
    });
    await run('ingress-atlas:dns:cutover', {
      domain: 'example.com',
      subDomain: 'blog',
      value: '203.0.113.10',
    });
    await run('ingress-atlas:gateway:enable-tls', {
      ...blog,
      host: 'blog.example.com',
      credentialName: 'blog-tls',
    });
    await run('ingress-atlas:gateway:enable-tls', {
      ...blog,
      host: 'blog.example.com',
      credentialName: 'blog-db',
    });
    await run('ingress-atlas:gateway:expose-service', {
      cluster: 'tke-blog',
      namespace: 'blog',
      service: 'blog',
      host: 'www.blog.example.com',
      credentialName: 'blog-tls',
    });

    // The primary already holds a remote secret for the member: it is replaced, and shows up
    // in the diff and the backup with its keys only.
    const join = {
      cluster: 'tke-saas-remote',
      primaryCluster: 'tke-saas-primary',
      meshId: 'saas-mesh',
      network: 'net-remote',
    };
    const joined = await dryThenReal('ingress-atlas:mesh:join-remote', join);
    expect(joined.recorded.outputs.backup).toContain(
      'cls-saas0002: <redacted>',
    );

    // The primary's plug-in CA holds a canary too: copied to another cluster, it is never shown.
    const plugIn = {
      cluster: 'tke-saas-remote',
      meshId: 'saas-mesh',
      network: 'net-remote',
      eastWestSubnetId: 'subnet-saas0001',
      caSecretCluster: 'tke-saas-primary',
    };
    await dryThenReal('ingress-atlas:mesh:install-istiod', plugIn);
    expect(
      world.object('tke-saas-remote', '', 'secrets', 'istio-system', 'cacerts'),
    ).toBeDefined();

    const everything = seen.join('\n');
    expect(everything).toContain('Preflight');
    expect(everything).not.toContain('ATLAS-CANARY-');
    expect(everything).not.toContain(
      Buffer.from('ATLAS-CANARY-').toString('base64').slice(0, 16),
    );
    for (const cluster of world.sandbox.running) {
      expect(everything).not.toContain(cluster.token);
    }
    expect(everything).not.toContain(SANDBOX_CREDENTIALS.secretKey);
    expect(everything).not.toContain(SANDBOX_CREDENTIALS.secretId);
  });
});
