import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { createClusterApiProxyAction } from './clusterApiProxy';

describe('ingress-atlas:cluster:api-proxy', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['tke-saas-remote']);
  });

  afterEach(async () => {
    await world.stop();
  });

  const service = () =>
    world.object(
      'tke-saas-remote',
      '',
      'services',
      'kube-api-proxy',
      'kube-api-proxy',
    );

  it('refuses a public load balancer unless it is explicitly allowed', async () => {
    const action = createClusterApiProxyAction(world.options);
    const revision = world.cluster('tke-saas-remote').store.revision;
    await expect(
      action.handler(
        actionContext({ cluster: 'tke-saas-remote', public: true }).ctx,
      ),
    ).rejects.toThrow(
      /a public load balancer would expose the API server of tke-saas-remote to the internet; set allowPublic: true/,
    );
    expect(world.cluster('tke-saas-remote').store.revision).toBe(revision);
  });

  it('puts the API server behind an internal CLB and states its cost; a second run changes nothing', async () => {
    const action = createClusterApiProxyAction(world.options);
    const input = { cluster: 'tke-saas-remote', subnetId: 'subnet-saas0002' };
    const { ctx, recorded } = actionContext(input);
    await action.handler(ctx);

    expect(service()!.spec.type).toBe('LoadBalancer');
    const annotations = service()!.metadata.annotations!;
    expect(
      annotations[
        'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid'
      ],
    ).toBe('subnet-saas0002');
    const { LoadBalancerSet = [] } = await world
      .clb('ap-shanghai')
      .DescribeLoadBalancers({
        LoadBalancerIds: [annotations['service.kubernetes.io/loadbalance-id']],
      });
    expect(LoadBalancerSet.map(lb => lb.LoadBalancerType)).toEqual([
      'INTERNAL',
    ]);
    expect(recorded.outputs.monthlyCostCny).toBe(144);
    expect(recorded.logs.join('\n')).toContain(
      'The load balancer costs about 144 CNY/month',
    );

    const revision = world.cluster('tke-saas-remote').store.revision;
    const again = actionContext(input);
    await action.handler(again.ctx);
    expect(again.recorded.outputs.changed).toBe(false);
    expect(world.cluster('tke-saas-remote').store.revision).toBe(revision);
  });
});
