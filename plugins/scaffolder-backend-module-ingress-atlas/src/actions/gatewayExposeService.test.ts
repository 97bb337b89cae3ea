import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { createGatewayExposeServiceAction } from './gatewayExposeService';

describe('ingress-atlas:gateway:expose-service', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['tke-blog']);
  });

  afterEach(async () => {
    await world.stop();
  });

  it('refuses a certificate Secret that holds no tls.crt and tls.key, changing nothing', async () => {
    const { store } = world.cluster('tke-blog');
    store.create(store.type('', 'secrets')!, {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'half-cert', namespace: 'istio-system' },
      data: { 'tls.crt': Buffer.from('certificate').toString('base64') },
    });
    const revision = store.revision;
    await expect(
      createGatewayExposeServiceAction(world.options).handler(
        actionContext({
          cluster: 'tke-blog',
          namespace: 'blog',
          service: 'blog',
          host: 'www.blog.example.com',
          credentialName: 'half-cert',
        }).ctx,
      ),
    ).rejects.toThrow(
      'Secret istio-system/half-cert is of type kubernetes.io/tls with keys tls.crt; a kubernetes.io/tls Secret with tls.crt and tls.key is needed',
    );
    expect(store.revision).toBe(revision);
  });
});
