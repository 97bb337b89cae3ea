import { ConfigReader } from '@backstage/config';
import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { ClusterDirectory } from '../clusters';
import { createClusterApiProxyAction } from './clusterApiProxy';

describe('ingress-atlas:cluster:api-proxy', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['tke-saas-remote', 'aliyun-asm', 'huawei-cce']);
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

  const proxyService = (cluster: string) =>
    world.object(cluster, '', 'services', 'kube-api-proxy', 'kube-api-proxy');

  it("writes each provider's internal load balancer annotation", async () => {
    const action = createClusterApiProxyAction(world.options);
    await action.handler(actionContext({ cluster: 'aliyun-asm' }).ctx);
    expect(proxyService('aliyun-asm')!.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type':
        'intranet',
    });

    await action.handler(actionContext({ cluster: 'huawei-cce' }).ctx);
    const huawei = proxyService('huawei-cce')!.metadata.annotations!;
    expect(huawei['kubernetes.io/elb.class']).toBe('union');
    expect(JSON.parse(huawei['kubernetes.io/elb.autocreate'])).toMatchObject({
      type: 'inner',
    });
  });

  it("on CCE, asks for a shared ELB on the VPC only, which takes an address of the cluster's subnet; the catalogue has no price for it", async () => {
    const { ctx, recorded } = actionContext({ cluster: 'huawei-cce' });
    await createClusterApiProxyAction(world.options).handler(ctx);
    const proxy = proxyService('huawei-cce')!;
    // CCE's documented value for a private shared ELB created with the Service: no EIP.
    expect(proxy.metadata.annotations).toEqual({
      'kubernetes.io/elb.class': 'union',
      'kubernetes.io/elb.autocreate':
        '{"type":"inner","name":"huawei-cce-kube-api-proxy"}',
    });
    // huawei-cce's subnet is 192.168.0.0/24 (estates.yaml).
    expect(proxy.status.loadBalancer.ingress).toEqual([
      { ip: expect.stringMatching(/^192\.168\.0\.\d+$/) },
    ]);
    expect(recorded.outputs.monthlyCostCny).toBeUndefined();
    expect(recorded.logs.join('\n')).toContain(
      'The price catalogue has no figure for a huawei load balancer',
    );
    expect(recorded.logs.join('\n')).toContain(
      'each VPC endpoint reaching it adds about 72 CNY/month',
    );
  });

  it('refuses a provider whose internal load balancer it does not know', async () => {
    const data = world.config.get<any>();
    const clusters = data.ingressAtlas.clusters.map((c: any) =>
      c.name === 'aliyun-asm' ? { ...c, provider: 'generic' } : c,
    );
    const options = {
      ...world.options,
      clusters: ClusterDirectory.fromConfig(
        new ConfigReader({
          ...data,
          ingressAtlas: { ...data.ingressAtlas, clusters },
        }),
      ),
    };
    const revision = world.cluster('aliyun-asm').store.revision;
    await expect(
      createClusterApiProxyAction(options).handler(
        actionContext({ cluster: 'aliyun-asm' }).ctx,
      ),
    ).rejects.toThrow(
      /no internal load balancer annotation is known for provider generic/,
    );
    expect(world.cluster('aliyun-asm').store.revision).toBe(revision);
  });

  it('keeps watch and exec streams open for a day: nginx cuts idle streams after 10 minutes by default', async () => {
    await createClusterApiProxyAction(world.options).handler(
      actionContext({ cluster: 'tke-saas-remote', subnetId: 'subnet-saas0002' })
        .ctx,
    );
    const conf = world.object(
      'tke-saas-remote',
      '',
      'configmaps',
      'kube-api-proxy',
      'kube-api-proxy',
    )!.data['nginx.conf'];
    expect(conf).toContain('proxy_timeout 24h;');
  });
});
