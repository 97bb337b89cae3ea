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
      /Refusing to remove the load balancer of Service istio-system\/istio-ingressgateway.*the gateway StatefulSet does not exist: run ingress-atlas:gateway:bind-eip first/,
    );
    expect(service()).toBeDefined();
    expect(await loadBalancers()).toHaveLength(1);
  });

  it('turns the Service into ClusterIP once the EIPs are bound; the CLB disappears and its cost is reported', async () => {
    await bindEip();
    const action = createGatewayRemoveLbAction(world.options);
    const { ctx, recorded } = actionContext(input);
    await action.handler(ctx);

    // The Service stays for the StatefulSet's serviceName, in-cluster DNS and the ports Istio
    // derives listeners from; only its load balancer goes.
    expect(service()!.spec.type).toBe('ClusterIP');
    expect(service()!.spec.ports.map((p: { port: number }) => p.port)).toEqual([
      15021, 80, 443,
    ]);
    // TCM installed the Service: it may turn it back into a LoadBalancer, with a new CLB.
    expect(recorded.logs.join('\n')).toContain(
      'TCM installed Service istio-system/istio-ingressgateway and may put it back as it was',
    );
    expect(recorded.outputs.diff).toContain('-  type: LoadBalancer');
    expect(recorded.outputs.diff).toContain('+  type: ClusterIP');
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

  it("keeps the Service ports bind-eip set to listen on 80/443: one action's apply never removes another's fields", async () => {
    await createGatewayBindEipAction(world.options).handler(
      actionContext({ ...gateway, listenOnServicePorts: true }).ctx,
    );
    await createGatewayRemoveLbAction(world.options).handler(
      actionContext(input).ctx,
    );
    expect(service()!.spec.type).toBe('ClusterIP');
    expect(
      service()!.spec.ports.map((p: { port: number; targetPort: number }) => [
        p.port,
        p.targetPort,
      ]),
    ).toEqual([
      [15021, 15021],
      [80, 80],
      [443, 443],
    ]);
  });

  it('deletes the Service when asked to, and reports the deleted load balancer when the task resumes after the deletion', async () => {
    await bindEip();
    const action = createGatewayRemoveLbAction(world.options);
    const checkpoints = new CheckpointStore();
    checkpoints.loseWorkerAfter('.delete-service');
    await expect(
      action.handler(
        actionContext({ ...input, deleteService: true }, { checkpoints }).ctx,
      ),
    ).rejects.toThrow('worker lost');
    expect(service()).toBeUndefined();

    const resumed = actionContext(
      { ...input, deleteService: true },
      { checkpoints },
    );
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
    const { ctx, recorded } = actionContext(
      { ...input, deleteService: true },
      { dryRun: true },
    );
    await createGatewayRemoveLbAction(world.options).handler(ctx);
    expect(cluster.stats.byVerb.delete).toBe(1);
    expect(cluster.store.revision).toBe(revision);
    expect(service()).toBeDefined();
    expect(recorded.outputs.diff).toContain('-kind: Service');
    expect(recorded.outputs.monthlySavingCny).toBe(144);
  });

  const reuseIdleClb = () => {
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
  };
  const idleClbCount = async () =>
    (
      await world
        .clb('ap-guangzhou')
        .DescribeLoadBalancers({ LoadBalancerIds: ['lb-idle0001'] })
    ).TotalCount;

  it('says plainly that a CLB reused through tke-existed-lbid stays and keeps billing', async () => {
    await bindEip();
    reuseIdleClb();
    const { ctx, recorded } = actionContext(input);
    await createGatewayRemoveLbAction(world.options).handler(ctx);
    expect(service()!.spec.type).toBe('ClusterIP');
    expect(recorded.outputs.monthlySavingCny).toBe(0);
    expect(recorded.outputs.loadBalancerDeleted).toBe(false);
    expect((recorded.outputs.warnings as string[]).join('\n')).toContain(
      'CLB lb-idle0001 stays: it is attached through service.kubernetes.io/tke-existed-lbid, which TKE never releases, and keeps billing 144 CNY/month. Delete it in the console, or run again with deleteReusedLoadBalancer: true',
    );
    expect(await idleClbCount()).toBe(1);
  });

  it('deletes a reused CLB through the CLB API when asked, keeping its description in the backup', async () => {
    await bindEip();
    reuseIdleClb();
    const { ctx, recorded } = actionContext({
      ...input,
      deleteReusedLoadBalancer: true,
    });
    await createGatewayRemoveLbAction(world.options).handler(ctx);
    expect(await idleClbCount()).toBe(0);
    expect(recorded.outputs).toMatchObject({
      loadBalancerId: 'lb-idle0001',
      loadBalancerDeleted: true,
      monthlySavingCny: 144,
    });
    expect(recorded.outputs.backup).toContain('LoadBalancerId: lb-idle0001');
    expect(recorded.outputs.backup).toContain('kind: Service');
  });

  it('refuses while DNS does not list exactly the EIPs', async () => {
    await bindEip();
    const dns = {
      ...input,
      dnsDomain: 'example.com',
      dnsSubDomain: 'blog',
    };
    await expect(
      createGatewayRemoveLbAction(world.options).handler(
        actionContext(dns).ctx,
      ),
    ).rejects.toThrow(
      /DNSPod lists 198\.51\.100\.11 for blog\.example\.com, not the gateway's EIPs/,
    );
    expect(service()!.spec.type).toBe('LoadBalancer');
    expect(await loadBalancers()).toHaveLength(1);

    const eip = world.object(
      'tke-blog',
      '',
      'pods',
      'istio-system',
      'istio-ingressgateway-0',
    )!.metadata.annotations!['tke.cloud.tencent.com/eip-public-ip'];
    await world.dnspod().ModifyRecord({
      Domain: 'example.com',
      SubDomain: 'blog',
      RecordId: 1101,
      RecordType: 'A',
      RecordLine: '默认',
      Value: eip,
      TTL: 60,
    });
    const { ctx, recorded } = actionContext(dns);
    await createGatewayRemoveLbAction(world.options).handler(ctx);
    expect(await loadBalancers()).toHaveLength(0);
    expect(recorded.logs.join('\n')).toContain(
      `DNSPod lists exactly the gateway's EIPs for blog.example.com: ${eip}`,
    );
  });
});
