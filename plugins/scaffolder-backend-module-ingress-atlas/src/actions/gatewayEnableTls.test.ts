import type { KubeObject } from '@ingress-atlas/sandbox';
import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { createGatewayEnableTlsAction } from './gatewayEnableTls';

const input = {
  cluster: 'tke-blog',
  namespace: 'istio-system',
  gateway: 'istio-ingressgateway',
  host: 'blog.example.com',
  credentialName: 'blog-tls',
};

describe('ingress-atlas:gateway:enable-tls', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['tke-blog']);
    // The blog as a team would have it before: plain HTTP only.
    const { store } = world.cluster('tke-blog');
    const type = store.type('networking.istio.io', 'gateways')!;
    const gateway = store.get(type, 'blog', 'blog-gateway')!;
    gateway.spec.servers = gateway.spec.servers.filter(
      (s: { port: { protocol: string } }) => s.port.protocol === 'HTTP',
    );
    store.update(type, gateway);
  });

  afterEach(async () => {
    await world.stop();
  });

  const blogGateway = () =>
    world.object(
      'tke-blog',
      'networking.istio.io',
      'gateways',
      'blog',
      'blog-gateway',
    )!;

  it('adds an HTTPS server with the certificate and redirects HTTP; a second run changes nothing', async () => {
    const action = createGatewayEnableTlsAction(world.options);
    const { ctx, recorded } = actionContext(input);
    await action.handler(ctx);

    const servers = blogGateway().spec.servers;
    expect(servers).toEqual([
      {
        port: { number: 80, name: 'http-blog', protocol: 'HTTP' },
        hosts: ['blog.example.com'],
        tls: { httpsRedirect: true },
      },
      {
        port: {
          number: 443,
          name: 'https-blog-example-com',
          protocol: 'HTTPS',
        },
        hosts: ['blog.example.com'],
        tls: { mode: 'SIMPLE', credentialName: 'blog-tls' },
      },
    ]);
    expect(recorded.outputs.gatewayConfig).toBe('blog/blog-gateway');
    expect(recorded.outputs.changed).toBe(true);
    expect(recorded.outputs.backup).toContain('name: blog-gateway');
    expect(recorded.outputs.diff).toContain(
      '+        credentialName: blog-tls',
    );

    const revision = world.cluster('tke-blog').store.revision;
    const again = actionContext(input);
    await action.handler(again.ctx);
    expect(again.recorded.outputs.changed).toBe(false);
    expect(world.cluster('tke-blog').store.revision).toBe(revision);
  });

  it('shows only what changes in its diff, whatever order the server keeps keys in', async () => {
    // A real API server answers with keys in its own order (sorted, for custom resources).
    const { store } = world.cluster('tke-blog');
    const type = store.type('networking.istio.io', 'gateways')!;
    const reversed = (value: unknown): unknown => {
      if (Array.isArray(value)) {
        return value.map(reversed);
      }
      if (value && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reversed(v)]),
        );
      }
      return value;
    };
    store.update(type, reversed(blogGateway()) as KubeObject);

    const { ctx, recorded } = actionContext(input);
    await createGatewayEnableTlsAction(world.options).handler(ctx);
    const removed = String(recorded.outputs.diff)
      .split('\n')
      .filter(line => line.startsWith('-') && !line.startsWith('---'));
    expect(removed).toEqual([]);
    expect(recorded.outputs.diff).toContain(
      '+        credentialName: blog-tls',
    );
  });

  it('refuses a certificate that is not a TLS Secret next to the gateway workload', async () => {
    const action = createGatewayEnableTlsAction(world.options);
    const revision = world.cluster('tke-blog').store.revision;
    await expect(
      action.handler(
        actionContext({ ...input, credentialName: 'blog-db' }).ctx,
      ),
    ).rejects.toThrow(
      'there is no Secret istio-system/blog-db: the certificate must live in the namespace of the gateway workload',
    );
    expect(world.cluster('tke-blog').store.revision).toBe(revision);
  });
});

describe('ingress-atlas:gateway:enable-tls on Alibaba Cloud Service Mesh', () => {
  // aliyun-asm runs ASM's gateway; its Gateways live on the ASM instance, aliyun-asm-mesh.
  const mobile = {
    cluster: 'aliyun-asm',
    namespace: 'istio-system',
    gateway: 'istio-ingressgateway',
    host: 'm.shop.example.cn',
    credentialName: 'shop-mobile-tls',
  };
  let world: TestWorld;

  afterEach(async () => {
    await world.stop();
  });

  it("writes the HTTPS server to the Gateway on the ASM instance, with the data plane's Secret", async () => {
    world = await startWorld(['aliyun-asm', 'aliyun-asm-mesh']);
    const action = createGatewayEnableTlsAction(world.options);
    const { ctx, recorded } = actionContext(mobile);
    const dataPlane = world.cluster('aliyun-asm').store.revision;
    await action.handler(ctx);

    expect(
      world.object(
        'aliyun-asm-mesh',
        'networking.istio.io',
        'gateways',
        'shop',
        'shop-mobile-gateway',
      )!.spec.servers,
    ).toEqual([
      {
        port: { number: 80, name: 'http-mobile', protocol: 'HTTP' },
        hosts: ['m.shop.example.cn'],
        tls: { httpsRedirect: true },
      },
      {
        port: {
          number: 443,
          name: 'https-m-shop-example-cn',
          protocol: 'HTTPS',
        },
        hosts: ['m.shop.example.cn'],
        tls: { mode: 'SIMPLE', credentialName: 'shop-mobile-tls' },
      },
    ]);
    expect(recorded.outputs.gatewayConfig).toBe(
      'shop/shop-mobile-gateway on aliyun-asm-mesh',
    );
    // Nothing is written to the data-plane cluster.
    expect(world.cluster('aliyun-asm').store.revision).toBe(dataPlane);
  });

  it('refuses, saying where ASM keeps Gateways, when the ASM instance is not configured', async () => {
    world = await startWorld(['aliyun-asm']);
    const action = createGatewayEnableTlsAction(world.options);
    const revision = world.cluster('aliyun-asm').store.revision;
    await expect(action.handler(actionContext(mobile).ctx)).rejects.toThrow(
      /keeps the mesh's Gateways and VirtualServices on the ASM instance's API server, not in aliyun-asm: add the ASM instance to ingressAtlas.clusters .* and name it in istioConfigCluster of aliyun-asm/,
    );
    expect(world.cluster('aliyun-asm').store.revision).toBe(revision);
  });
});
