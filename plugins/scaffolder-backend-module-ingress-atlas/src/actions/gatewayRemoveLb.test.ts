import {
  CheckpointStore,
  TestWorld,
  actionContext,
  startWorld,
} from '../__testUtils__/sandbox';
import type { ReachabilityProbe } from '../reachability';
import { createGatewayBindEipAction } from './gatewayBindEip';
import { createGatewayRemoveLbAction } from './gatewayRemoveLb';

const gateway = {
  cluster: 'tke-blog',
  namespace: 'istio-system',
  gateway: 'istio-ingressgateway',
};
const input = {
  ...gateway,
  service: 'istio-ingressgateway',
  checkReachability: false,
};

describe('ingress-atlas:gateway:remove-lb', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['tke-blog']);
  });

  afterEach(async () => {
    await world.stop();
  });

  const service = () =>
    world.object(
      'tke-blog',
      '',
      'services',
      'istio-system',
      'istio-ingressgateway',
    );
  const loadBalancers = async () => {
    const { LoadBalancerSet = [] } = await world
      .clb('ap-guangzhou')
      .DescribeLoadBalancers({ LoadBalancerIds: ['lb-blog0001'] });
    return LoadBalancerSet;
  };
  const bindEip = async () =>
    createGatewayBindEipAction(world.options).handler(
      actionContext(gateway).ctx,
    );

  it('refuses while the gateway has no pod EIPs, and changes nothing', async () => {
    const action = createGatewayRemoveLbAction(world.options);
    await expect(action.handler(actionContext(input).ctx)).rejects.toThrow(
      /Refusing to delete the load balancer Service istio-system\/istio-ingressgateway.*the gateway StatefulSet does not exist: run ingress-atlas:gateway:bind-eip first/,
    );
    expect(service()).toBeDefined();
    expect(await loadBalancers()).toHaveLength(1);
  });

  it('deletes the Service once the EIPs are bound; the CLB disappears and its cost is reported', async () => {
    await bindEip();
    const action = createGatewayRemoveLbAction(world.options);
    const { ctx, recorded } = actionContext(input);
    await action.handler(ctx);

    expect(service()).toBeUndefined();
    expect(await loadBalancers()).toHaveLength(0);
    expect(recorded.outputs).toMatchObject({
      loadBalancerId: 'lb-blog0001',
      loadBalancerDeleted: true,
      monthlySavingCny: 144,
      changed: true,
    });
    expect(recorded.outputs.backup).toContain('kind: Service');
    expect(recorded.outputs.backup).toContain(
      'service.kubernetes.io/loadbalance-id: lb-blog0001',
    );
    expect(recorded.logs.join('\n')).toContain(
      'Reachability check skipped (checkReachability: false)',
    );

    const again = actionContext(input);
    await action.handler(again.ctx);
    expect(again.recorded.outputs.changed).toBe(false);
    expect(again.recorded.logs.join('\n')).toContain('Nothing to change');
  });

  it('reports the deleted load balancer when the task resumes after the deletion', async () => {
    await bindEip();
    const action = createGatewayRemoveLbAction(world.options);
    const checkpoints = new CheckpointStore();
    checkpoints.loseWorkerAfter('.delete-service');
    await expect(
      action.handler(actionContext(input, { checkpoints }).ctx),
    ).rejects.toThrow('worker lost');
    expect(service()).toBeUndefined();

    const resumed = actionContext(input, { checkpoints });
    await action.handler(resumed.ctx);
    expect(resumed.recorded.outputs).toMatchObject({
      loadBalancerId: 'lb-blog0001',
      loadBalancerDeleted: true,
      monthlySavingCny: 144,
      changed: true,
    });
    expect(resumed.recorded.outputs.backup).toContain('kind: Service');
  });

  it('probes every EIP on every Service port, and refuses when one does not answer', async () => {
    await bindEip();
    const probed: string[] = [];
    const probe: ReachabilityProbe = async ({ address, port }) => {
      probed.push(`${address}:${port}`);
      return port === 443
        ? { reachable: false, detail: 'connection refused' }
        : { reachable: true, detail: 'TCP connection accepted' };
    };
    const action = createGatewayRemoveLbAction({ ...world.options, probe });
    await expect(
      action.handler(actionContext({ ...input, checkReachability: true }).ctx),
    ).rejects.toThrow(/:443 does not answer \(connection refused\)/);
    const [ip] = probed[0].split(':');
    expect(probed).toEqual([`${ip}:15021`, `${ip}:80`, `${ip}:443`]);
    expect(service()).toBeDefined();
    expect(await loadBalancers()).toHaveLength(1);
  });

  it('shows a dry run without deleting anything', async () => {
    await bindEip();
    const cluster = world.cluster('tke-blog');
    const revision = cluster.store.revision;
    cluster.resetStats();
    const { ctx, recorded } = actionContext(input, { dryRun: true });
    await createGatewayRemoveLbAction(world.options).handler(ctx);
    expect(cluster.stats.byVerb.delete).toBe(1);
    expect(cluster.store.revision).toBe(revision);
    expect(service()).toBeDefined();
    expect(recorded.outputs.diff).toContain('-kind: Service');
    expect(recorded.outputs.monthlySavingCny).toBe(144);
  });

  it('warns that a CLB reused through tke-existed-lbid outlives the Service, and saves nothing', async () => {
    await bindEip();
    const { store } = world.cluster('tke-blog');
    const type = store.type('', 'services')!;
    const live = service()!;
    const annotations = { ...live.metadata.annotations };
    delete annotations['service.kubernetes.io/loadbalance-id'];
    annotations['service.kubernetes.io/tke-existed-lbid'] = 'lb-idle0001';
    store.update(type, {
      ...live,
      metadata: { ...live.metadata, annotations },
    });

    const { ctx, recorded } = actionContext(input);
    await createGatewayRemoveLbAction(world.options).handler(ctx);
    expect(service()).toBeUndefined();
    expect(recorded.outputs.monthlySavingCny).toBe(0);
    expect(recorded.outputs.loadBalancerDeleted).toBe(false);
    expect((recorded.outputs.warnings as string[]).join('\n')).toContain(
      'CLB lb-idle0001 is attached through service.kubernetes.io/tke-existed-lbid: deleting the Service does not delete it',
    );
    const { TotalCount } = await world
      .clb('ap-guangzhou')
      .DescribeLoadBalancers({ LoadBalancerIds: ['lb-idle0001'] });
    expect(TotalCount).toBe(1);
  });
});
