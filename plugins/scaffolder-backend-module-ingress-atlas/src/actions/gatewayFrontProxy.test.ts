import { parse } from 'yaml';
import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { createGatewayFrontProxyAction } from './gatewayFrontProxy';

const input = {
  cluster: 'edge',
  nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
};

describe('ingress-atlas:gateway:front-proxy', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['edge']);
  });

  afterEach(async () => {
    await world.stop();
  });

  const proxyPods = () =>
    world
      .cluster('edge')
      .store.list(world.cluster('edge').store.type('', 'pods')!, 'front-proxy');

  /** The hand-made Envoy of the estate holds 80/443 on the proxy nodes until it is removed. */
  const removeHandMadeProxy = () => {
    world.removeDeployment('edge', 'front-proxy', 'front-envoy');
  };

  it('refuses while another pod holds the ports on the proxy nodes', async () => {
    await expect(
      createGatewayFrontProxyAction(world.options).handler(
        actionContext(input).ctx,
      ),
    ).rejects.toThrow(
      /node 10\.1\.0\.21: pod front-proxy\/front-envoy-[a-z0-9-]+ holds host port 80, 443/,
    );
  });

  it('runs Envoy on the tainted front-proxy nodes, able to bind 80/443, probed and logging each connection', async () => {
    removeHandMadeProxy();
    const { ctx } = actionContext(input);
    await createGatewayFrontProxyAction(world.options).handler(ctx);

    const daemonSet = world.object(
      'edge',
      'apps',
      'daemonsets',
      'front-proxy',
      'tcp-front-proxy',
    )!;
    const spec = daemonSet.spec.template.spec;
    expect(spec.tolerations).toEqual([
      {
        key: 'dedicated',
        operator: 'Equal',
        value: 'front-proxy',
        effect: 'NoSchedule',
      },
    ]);
    const [envoy] = spec.containers;
    // The image drops to uid 101 unless ENVOY_UID is 0; as root it keeps only the right to
    // bind ports below 1024.
    expect(envoy.env).toContainEqual({ name: 'ENVOY_UID', value: '0' });
    expect(envoy.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    });
    expect(envoy.readinessProbe).toMatchObject({ tcpSocket: { port: 80 } });
    expect(envoy.livenessProbe).toMatchObject({ tcpSocket: { port: 80 } });

    const config = parse(
      world.object('edge', '', 'configmaps', 'front-proxy', 'tcp-front-proxy')!
        .data['envoy.yaml'],
    );
    const tcpProxy =
      config.static_resources.listeners[0].filter_chains[0].filters[0]
        .typed_config;
    expect(tcpProxy.access_log[0]).toMatchObject({
      name: 'envoy.access_loggers.stdout',
    });

    // Scheduled onto both dedicated nodes, not left Pending.
    const pods = proxyPods();
    expect(pods.map(p => p.spec.nodeName).sort()).toEqual([
      '10.1.0.21',
      '10.1.0.22',
    ]);
    expect(pods.every(p => p.status.phase === 'Running')).toBe(true);
  });

  it('refuses when no selected node can take the proxy: a preflight failure, not a Pending pod', async () => {
    removeHandMadeProxy();
    const revision = world.cluster('edge').store.revision;
    await expect(
      createGatewayFrontProxyAction(world.options).handler(
        actionContext({ ...input, tolerateNodeTaints: false }).ctx,
      ),
    ).rejects.toThrow(
      /can run on 0 node\(s\), needs 1 \(node 10\.1\.0\.21: taint dedicated=front-proxy:NoSchedule is not tolerated/,
    );
    expect(world.cluster('edge').store.revision).toBe(revision);
  });
});
