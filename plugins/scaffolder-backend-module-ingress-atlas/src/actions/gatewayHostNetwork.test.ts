import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { createGatewayHostNetworkAction } from './gatewayHostNetwork';

const input = {
  cluster: 'edge',
  namespace: 'istio-system',
  gateway: 'legacy-gateway',
  nodeSelector: { 'node-role.kubernetes.io/edge': '' },
};

describe('ingress-atlas:gateway:host-network', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['edge']);
  });

  afterEach(async () => {
    await world.stop();
  });

  it('gives a host-network gateway the DNS policy it needs and dedicated nodes', async () => {
    const action = createGatewayHostNetworkAction(world.options);
    const { ctx, recorded } = actionContext(input);
    await action.handler(ctx);

    const deployment = world.object(
      'edge',
      'apps',
      'deployments',
      'istio-system',
      'legacy-gateway',
    )!;
    expect(deployment.spec.template.spec).toMatchObject({
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      nodeSelector: { 'node-role.kubernetes.io/edge': '' },
    });
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    expect(recorded.outputs.nodes).toEqual(['10.1.0.11', '10.1.0.12']);
    expect(recorded.outputs.backup).toContain(
      'kubernetes.io/hostname: 10.1.0.31',
    );
    expect(recorded.outputs.diff).toContain(
      '+      dnsPolicy: ClusterFirstWithHostNet',
    );
  });

  it('refuses when no node carries the labels', async () => {
    const action = createGatewayHostNetworkAction(world.options);
    const revision = world.cluster('edge').store.revision;
    await expect(
      action.handler(
        actionContext({
          ...input,
          nodeSelector: { 'node-role/ingress': 'true' },
        }).ctx,
      ),
    ).rejects.toThrow(
      /0 node\(s\) match node-role\/ingress=true and 1 pod\(s\) need one each/,
    );
    expect(world.cluster('edge').store.revision).toBe(revision);
  });
});
