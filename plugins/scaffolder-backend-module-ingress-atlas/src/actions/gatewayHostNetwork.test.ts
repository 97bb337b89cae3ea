import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { createGatewayHostNetworkAction } from './gatewayHostNetwork';

const input = {
  cluster: 'edge',
  namespace: 'istio-system',
  gateway: 'legacy-gateway',
  // Dedicated nodes, tainted dedicated=front-proxy:NoSchedule, with 15021 and 8080 free.
  nodeSelector: { 'node-role.kubernetes.io/front-proxy': '' },
};

describe('ingress-atlas:gateway:host-network', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await startWorld(['edge']);
  });

  afterEach(async () => {
    await world.stop();
  });

  const legacyGateway = () =>
    world.object(
      'edge',
      'apps',
      'deployments',
      'istio-system',
      'legacy-gateway',
    );

  it("names the edge nodes' EIPs for DNS, for the gateway that already runs there", async () => {
    const action = createGatewayHostNetworkAction(world.options);
    const { ctx, recorded } = actionContext({
      ...input,
      gateway: 'istio-ingressgateway',
      nodeSelector: { 'node-role.kubernetes.io/edge': '' },
    });
    await action.handler(ctx);
    // estates.yaml gives the edge nodes 203.0.113.21 and .22, which edge.example.com resolves to.
    expect(recorded.outputs.publicIps).toEqual([
      '203.0.113.21',
      '203.0.113.22',
    ]);
    expect(recorded.logs.join('\n')).not.toContain('have no public IP');
  });

  it('gives a host-network gateway the DNS policy it needs and dedicated nodes', async () => {
    const action = createGatewayHostNetworkAction(world.options);
    const { ctx, recorded } = actionContext(input);
    await action.handler(ctx);

    const deployment = legacyGateway()!;
    // The old placement's kubernetes.io/hostname key is gone, not merged in.
    expect(deployment.spec.template.spec).toMatchObject({
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
    });
    expect(deployment.spec.template.spec.nodeSelector).toEqual({
      'node-role.kubernetes.io/front-proxy': '',
    });
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    expect(recorded.outputs.nodes).toEqual(['10.1.0.21', '10.1.0.22']);
    // The proxy nodes have no EIP of their own: DNS has nothing public to point at.
    expect(recorded.outputs.publicIps).toEqual([]);
    expect(recorded.logs.join('\n')).toContain(
      'Node(s) 10.1.0.21, 10.1.0.22 have no public IP (no ExternalIP address): the gateway on them is reachable from the VPC only',
    );
    expect(recorded.outputs.backup).toContain(
      'kubernetes.io/hostname: 10.1.0.31',
    );
    expect(recorded.outputs.diff).toContain(
      '+      dnsPolicy: ClusterFirstWithHostNet',
    );
    // The dedicated nodes are tainted: the gateway tolerates the taint and runs there.
    expect(deployment.spec.template.spec.tolerations).toEqual([
      {
        key: 'dedicated',
        operator: 'Equal',
        value: 'front-proxy',
        effect: 'NoSchedule',
      },
    ]);
    const { store } = world.cluster('edge');
    const pods = store
      .list(store.type('', 'pods')!, 'istio-system')
      .filter(p => p.metadata.labels?.app === 'legacy-gateway');
    expect(pods.map(p => [p.spec.nodeName, p.status.phase])).toEqual([
      [expect.stringMatching(/^10\.1\.0\.2[12]$/), 'Running'],
    ]);
  });

  it("lets a hand-made Envoy front proxy bind the nodes' 80 and 443, in place, keeping its sidecar", async () => {
    const action = createGatewayHostNetworkAction(world.options);
    const { ctx, recorded } = actionContext({
      ...input,
      namespace: 'front-proxy',
      gateway: 'front-envoy',
    });
    await action.handler(ctx);

    const spec = world.object('edge', 'apps', 'deployments', 'front-proxy', 'front-envoy')!
      .spec.template.spec;
    const [envoy, keepalived] = spec.containers;
    // envoyproxy/envoy's entrypoint keeps root only with ENVOY_UID=0; root binds 80 and 443 on
    // the node's network with NET_BIND_SERVICE, the one capability added.
    expect(envoy.env).toEqual([{ name: 'ENVOY_UID', value: '0' }]);
    expect(envoy.securityContext).toMatchObject({
      runAsUser: 0,
      runAsNonRoot: false,
      capabilities: { add: ['NET_BIND_SERVICE'] },
    });
    // The keepalived sidecar binds nothing below 1024: it stays as it was.
    expect(keepalived.name).toBe('keepalived');
    expect(keepalived.securityContext).toEqual({
      capabilities: { add: ['NET_ADMIN', 'NET_BROADCAST', 'NET_RAW'] },
    });
    expect(recorded.logs.join('\n')).toContain(
      'Container envoy could not bind 80, 443 on the node\'s network',
    );
    expect(recorded.outputs.diff).toContain('ENVOY_UID');
  });

  it('changes nothing when run again: the tolerations it added are not added twice', async () => {
    const action = createGatewayHostNetworkAction(world.options);
    await action.handler(actionContext(input).ctx);
    const { ctx, recorded } = actionContext(input);
    await action.handler(ctx);

    expect(recorded.outputs.changed).toBe(false);
    expect(recorded.outputs.diff).toBe('');
    const deployment = legacyGateway()!;
    expect(deployment.spec.template.spec.tolerations).toHaveLength(1);
  });

  it('refuses, before the running pod is replaced, when the new pod could not be scheduled', async () => {
    const revision = world.cluster('edge').store.revision;
    const action = createGatewayHostNetworkAction(world.options);
    await expect(
      action.handler(
        actionContext({ ...input, tolerateNodeTaints: false }).ctx,
      ),
    ).rejects.toThrow(
      /gateway istio-system\/legacy-gateway can run on 0 node\(s\), needs 1 \(node 10\.1\.0\.21: taint dedicated=front-proxy:NoSchedule is not tolerated/,
    );
    // The edge nodes' own host-network gateway holds the status port 15021 there.
    await expect(
      action.handler(
        actionContext({
          ...input,
          nodeSelector: { 'node-role.kubernetes.io/edge': '' },
        }).ctx,
      ),
    ).rejects.toThrow(
      /node 10\.1\.0\.11: pod istio-system\/istio-ingressgateway-[a-z0-9-]+ holds host port 15021/,
    );
    expect(world.cluster('edge').store.revision).toBe(revision);
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
