import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CheckpointStore,
  TestWorld,
  actionContext,
  startWorld,
} from '../__testUtils__/sandbox';
import { createGatewayBindEipAction } from './gatewayBindEip';
import { createGatewayVerifyEipAction } from './gatewayVerifyEip';

const input = {
  cluster: 'tke-blog',
  namespace: 'istio-system',
  gateway: 'istio-ingressgateway',
  timeoutSeconds: 20,
};

describe('ingress-atlas:gateway:bind-eip', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['tke-blog', 'edge']);
  });

  afterEach(async () => {
    await world.stop();
  });

  const statefulSet = () =>
    world.object(
      'tke-blog',
      'apps',
      'statefulsets',
      'istio-system',
      'istio-ingressgateway',
    );
  const deployment = () =>
    world.object(
      'tke-blog',
      'apps',
      'deployments',
      'istio-system',
      'istio-ingressgateway',
    );

  it('leaves a StatefulSet whose pods hold bound EIPs, and a second run changes nothing', async () => {
    const action = createGatewayBindEipAction(world.options);
    const first = actionContext(input);
    await action.handler(first.ctx);

    const sts = statefulSet()!;
    expect(sts).toBeDefined();
    expect(deployment()).toBeUndefined();
    const podAnnotations = sts.spec.template.metadata.annotations;
    expect(podAnnotations).toMatchObject({
      'tke.cloud.tencent.com/networks': 'tke-route-eni',
      'tke.cloud.tencent.com/eip-claim-delete-policy': 'Never',
      'tke.cloud.tencent.com/vpc-ip-claim-delete-policy': 'Never',
    });
    expect(
      JSON.parse(podAnnotations['tke.cloud.tencent.com/eip-attributes']),
    ).toEqual({
      Bandwidth: '100',
      ISP: 'BGP',
    });
    const resources = sts.spec.template.spec.containers[0].resources;
    for (const kind of ['requests', 'limits']) {
      expect(resources[kind]).toMatchObject({
        'tke.cloud.tencent.com/eni-ip': '1',
        'tke.cloud.tencent.com/eip': '1',
      });
    }

    const { publicIps, changed, backup } = first.recorded.outputs as {
      publicIps: string[];
      changed: boolean;
      backup: string;
    };
    expect(changed).toBe(true);
    expect(publicIps.length).toBeGreaterThan(0);
    expect(first.recorded.logs.join('\n')).toContain(
      'TCM installed Deployment istio-system/istio-ingressgateway and may put it back as it was',
    );
    expect(backup).toContain('kind: Deployment');
    expect(backup).toContain('name: istio-ingressgateway');
    const { AddressSet = [] } = await world
      .vpc('ap-guangzhou')
      .DescribeAddresses({
        Filters: [{ Name: 'address-ip', Values: publicIps }],
      });
    expect(AddressSet.map(a => a.AddressStatus)).toEqual(
      publicIps.map(() => 'BIND'),
    );

    const revision = world.cluster('tke-blog').store.revision;
    const second = actionContext(input);
    await action.handler(second.ctx);
    expect(second.recorded.outputs.changed).toBe(false);
    expect(second.recorded.outputs.publicIps).toEqual(publicIps);
    expect(second.recorded.logs.join('\n')).toContain('Nothing to change');
    expect(world.cluster('tke-blog').store.revision).toBe(revision);
  });

  it('asks the API server for a dry run, shows the diff and changes nothing', async () => {
    const action = createGatewayBindEipAction(world.options);
    const cluster = world.cluster('tke-blog');
    const revision = cluster.store.revision;
    cluster.resetStats();

    const { ctx, recorded } = actionContext(input, { dryRun: true });
    await action.handler(ctx);

    expect(cluster.store.revision).toBe(revision);
    expect(statefulSet()).toBeUndefined();
    expect(deployment()).toBeDefined();
    expect(cluster.stats.byVerb.create).toBe(1);
    expect(cluster.stats.byVerb.delete).toBe(1);
    const diff = recorded.outputs.diff as string;
    expect(diff).toContain('+kind: StatefulSet');
    expect(diff).toContain(
      '+        tke.cloud.tencent.com/eip-claim-delete-policy: Never',
    );
    expect(diff).toContain('-kind: Deployment');
    expect(recorded.outputs.changed).toBe(false);
  });

  it("with listenOnServicePorts, the pods answer on the Service's 80 and 443 at their EIPs, and the Service targets those ports", async () => {
    const service = () =>
      world.object(
        'tke-blog',
        '',
        'services',
        'istio-system',
        'istio-ingressgateway',
      );
    const portsBefore = service()!.spec.ports;
    const action = createGatewayBindEipAction(world.options);
    const options = { ...input, listenOnServicePorts: true };

    const dry = actionContext(options, { dryRun: true });
    await action.handler(dry.ctx);
    expect(dry.recorded.logs.join('\n')).toContain(
      "maps 80->8080, 443->8443: the StatefulSet's pods listen on 80, 443 themselves (as root with NET_BIND_SERVICE, as Kubernetes before 1.22 does not allow that sysctl)",
    );
    expect(dry.recorded.outputs.diff).toContain('-      targetPort: 8080');
    expect(service()!.spec.ports).toEqual(portsBefore);

    await action.handler(actionContext(options).ctx);
    // tke-blog runs Kubernetes 1.20: the gateway binds 80/443 as root, with only that capability.
    const proxy = statefulSet()!.spec.template.spec.containers.find(
      (c: { name: string }) => c.name === 'istio-proxy',
    );
    expect(proxy.securityContext).toMatchObject({
      runAsUser: 0,
      capabilities: { add: ['NET_BIND_SERVICE'] },
    });
    expect(
      proxy.ports.map((p: { containerPort: number }) => p.containerPort),
    ).toEqual(expect.arrayContaining([80, 443]));
    expect(
      service()!.spec.ports.map(
        (p: { name: string; port: number; targetPort: number }) => [
          p.name,
          p.port,
          p.targetPort,
        ],
      ),
    ).toEqual(
      portsBefore.map((p: { name: string; port: number }) => [
        p.name,
        p.port,
        p.port,
      ]),
    );

    // What a client of the EIPs meets, as the sandbox's prober answers it.
    const probe = world.probe();
    const verify = actionContext({ ...input, ports: [80, 443] });
    await createGatewayVerifyEipAction({ ...world.options, probe }).handler(
      verify.ctx,
    );
    expect(verify.recorded.logs.join('\n')).toMatch(
      /is Ready and listens on 443/,
    );
  });

  it('refuses before any change on a cluster without VPC-CNI', async () => {
    const action = createGatewayBindEipAction(world.options);
    const edge = world.cluster('edge');
    const revision = edge.store.revision;
    edge.resetStats();

    const { ctx, recorded } = actionContext({ ...input, cluster: 'edge' });
    await expect(action.handler(ctx)).rejects.toThrow(
      /Refusing to move gateway istio-system\/istio-ingressgateway on cluster edge.*nothing was changed.*VPC-CNI is off on cluster edge/,
    );
    expect(edge.store.revision).toBe(revision);
    expect(edge.stats.byVerb.create ?? 0).toBe(0);
    expect(edge.stats.byVerb.delete ?? 0).toBe(0);
    expect(recorded.logs.join('\n')).toContain(
      'Preflight failed: VPC-CNI is off',
    );
  });

  it('refuses before any change when the nodes have no EIP left for the pods, naming each node', async () => {
    const action = createGatewayBindEipAction(world.options);
    const blog = world.cluster('tke-blog');
    const nodes = blog.store.type('', 'nodes')!;
    // Other pods already hold every EIP the nodes' ENIs can carry.
    for (const node of blog.store.list(nodes)) {
      node.status.allocatable['tke.cloud.tencent.com/eip'] = '0';
      blog.store.update(nodes, node);
    }
    const revision = blog.store.revision;

    const { ctx, recorded } = actionContext(input);
    await expect(action.handler(ctx)).rejects.toThrow(
      /StatefulSet istio-system\/istio-ingressgateway can run on 0 node\(s\) with room for 0 pod\(s\), needs 1 \(node 10\.0\.0\.11: 0 of 0 tke\.cloud\.tencent\.com\/eip free; node 10\.0\.0\.12/,
    );
    expect(blog.store.revision).toBe(revision);
    expect(statefulSet()).toBeUndefined();
    expect(recorded.logs.join('\n')).toContain('Preflight failed');
  });

  it('warns when every node that can take the pods is in one zone', async () => {
    const action = createGatewayBindEipAction(world.options);
    const { ctx, recorded } = actionContext(
      { ...input, replicas: 2 },
      { dryRun: true },
    );
    await action.handler(ctx);
    expect(recorded.logs.join('\n')).toMatch(
      /Every node that can take the gateway's 2 pods is in zone ap-guangzhou-3: each pod's IP stays in its subnet's zone/,
    );
  });

  it('warns when EIPs billed by bandwidth would cost more than the CLB they replace', async () => {
    const action = createGatewayBindEipAction(world.options);
    const billed = actionContext(
      { ...input, internetChargeType: 'BANDWIDTH_POSTPAID_BY_HOUR' as const },
      { dryRun: true },
    );
    await action.handler(billed.ctx);
    // 100 Mbps: 5 × 0.063 + 95 × 0.25 CNY an hour, 720 hours, against the CLB's 0.2 × 720.
    expect(billed.recorded.logs.join('\n')).toContain(
      '1 EIP(s) billed by bandwidth at 100 Mbps cost about 17326.8 CNY/month whatever the traffic, more than the 144 CNY/month of the CLB this migration removes',
    );

    const small = actionContext(
      {
        ...input,
        internetChargeType: 'BANDWIDTH_POSTPAID_BY_HOUR' as const,
        bandwidthMbps: 2,
      },
      { dryRun: true },
    );
    await action.handler(small.ctx);
    expect(small.recorded.logs.join('\n')).not.toContain('billed by bandwidth');
  });

  it('points the autoscaler of the Deployment at the StatefulSet, keeping its bounds', async () => {
    const { store } = world.cluster('tke-blog');
    const hpas = store.type('autoscaling', 'horizontalpodautoscalers')!;
    store.create(hpas, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
      spec: {
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'istio-ingressgateway',
        },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: 80 },
            },
          },
        ],
      },
    });
    const action = createGatewayBindEipAction(world.options);
    const { ctx, recorded } = actionContext(input);
    await action.handler(ctx);

    const hpa = store.get(hpas, 'istio-system', 'istio-ingressgateway')!;
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      name: 'istio-ingressgateway',
    });
    expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 5 });
    expect(hpa.spec.metrics).toHaveLength(1);
    expect(recorded.outputs.diff).toContain(
      'HorizontalPodAutoscaler istio-system/istio-ingressgateway',
    );
    expect(recorded.outputs.backup).toContain('kind: HorizontalPodAutoscaler');
    // It may grow the gateway past what quota and node room were checked for.
    expect(recorded.logs.join('\n')).toContain(
      'HorizontalPodAutoscaler istio-system/istio-ingressgateway may scale the gateway to 5 pods, each with an EIP of its own',
    );
  });

  it('does not repeat a checkpointed step when the task resumes', async () => {
    const action = createGatewayBindEipAction(world.options);
    const checkpoints = new CheckpointStore();
    checkpoints.loseWorkerAfter('.retire-deployment');

    const first = actionContext(input, { checkpoints });
    await expect(action.handler(first.ctx)).rejects.toThrow('worker lost');
    expect(deployment()).toBeUndefined();
    const uid = statefulSet()!.metadata.uid;

    const resumed = actionContext(input, { checkpoints });
    await action.handler(resumed.ctx);

    expect(
      checkpoints.runs.filter(k => k.endsWith('.create-statefulset')),
    ).toHaveLength(1);
    expect(
      checkpoints.runs.filter(k => k.endsWith('.retire-deployment')),
    ).toHaveLength(1);
    expect(statefulSet()!.metadata.uid).toBe(uid);
    expect(resumed.recorded.outputs.changed).toBe(true);
    expect(resumed.recorded.outputs.backup).toContain('kind: Deployment');
    expect(resumed.recorded.logs.join('\n')).not.toContain(
      'Created StatefulSet',
    );
  });

  it('refuses users without the migrate permission', async () => {
    const action = createGatewayBindEipAction({
      ...world.options,
      permissions: mockServices.permissions({ result: AuthorizeResult.DENY }),
    });
    const revision = world.cluster('tke-blog').store.revision;
    const { ctx } = actionContext(input);
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('ingress-atlas.migrate'),
    });
    expect(world.cluster('tke-blog').store.revision).toBe(revision);
  });

  it('names the clusters it knows only to users who may run it', async () => {
    const action = createGatewayBindEipAction({
      ...world.options,
      permissions: mockServices.permissions({ result: AuthorizeResult.DENY }),
    });
    const error = await action
      .handler(actionContext({ ...input, cluster: 'nope' }).ctx)
      .catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'NotAllowedError' });
    expect((error as Error).message).not.toContain('tke-blog');
  });

  it('names the clusters it knows when asked for another', async () => {
    const action = createGatewayBindEipAction(world.options);
    const { ctx } = actionContext({ ...input, cluster: 'nope' });
    await expect(action.handler(ctx)).rejects.toThrow(
      'Unknown cluster "nope"; configured clusters: tke-blog, edge',
    );
  });
});
