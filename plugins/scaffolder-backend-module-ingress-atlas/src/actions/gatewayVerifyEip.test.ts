import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ingressAtlasMigratePermission } from '@ingress-atlas/plugin-ingress-atlas-common';
import { TestWorld, actionContext, startWorld } from '../__testUtils__/sandbox';
import { ConfigReader } from '@backstage/config';
import {
  ReachabilityProbe,
  reachabilityProbeFromConfig,
} from '../reachability';
import { createGatewayBindEipAction } from './gatewayBindEip';
import { createGatewayVerifyEipAction } from './gatewayVerifyEip';

const gateway = {
  cluster: 'tke-blog',
  namespace: 'istio-system',
  gateway: 'istio-ingressgateway',
};

/** An address no account of the sandbox holds (RFC 5737): someone else's server. */
const FOREIGN_ADDRESS = '192.0.2.99';
const EIP_ANNOTATION = 'tke.cloud.tencent.com/eip-public-ip';

describe('ingress-atlas:gateway:verify-eip', () => {
  let world: TestWorld;
  let probed: string[];
  const probe: ReachabilityProbe = async ({ address, port }) => {
    probed.push(`${address}:${port}`);
    return { reachable: true, detail: 'answered (test probe)' };
  };

  beforeEach(async () => {
    probed = [];
    world = await startWorld(['tke-blog']);
    await createGatewayBindEipAction(world.options).handler(
      actionContext(gateway).ctx,
    );
  });

  afterEach(async () => {
    await world.stop();
  });

  const gatewayPods = () =>
    world
      .cluster('tke-blog')
      .store.list(world.cluster('tke-blog').store.type('', 'pods')!)
      .filter(p => p.metadata.name.startsWith('istio-ingressgateway-'));

  it('probes each EIP of the gateway on a real run', async () => {
    const action = createGatewayVerifyEipAction({ ...world.options, probe });
    const { ctx, recorded } = actionContext(gateway);
    await action.handler(ctx);
    const ips = recorded.outputs.publicIps as string[];
    expect(ips.length).toBeGreaterThan(0);
    expect(probed.sort()).toEqual(
      ips.flatMap(ip => [`${ip}:443`, `${ip}:80`]).sort(),
    );
    // Each pod with its EIP as DescribeAddresses reports it, as bind-eip reported it.
    const { ctx: bindCtx, recorded: bound } = actionContext(gateway);
    await createGatewayBindEipAction(world.options).handler(bindCtx);
    expect(recorded.outputs.addresses).toEqual(
      ips.map(ip => ({
        pod: expect.stringMatching(/^istio-ingressgateway-\d+$/),
        ip,
        addressId: expect.stringMatching(/^eip-/),
        status: 'BIND',
      })),
    );
    expect(bound.outputs.addresses).toEqual(recorded.outputs.addresses);
  });

  it("asks the prober of ingressAtlas.reachability.probeUrl, here the sandbox's, which answers from the pods' state", async () => {
    const probeFromConfig = world.probe();
    const action = createGatewayVerifyEipAction({
      ...world.options,
      probe: probeFromConfig,
    });
    // The gateway pods listen on 8080/8443 behind the Service's 80/443: on the EIP itself
    // only the container ports answer.
    const { ctx, recorded } = actionContext({
      ...gateway,
      ports: [15021, 8080],
    });
    await action.handler(ctx);
    expect(recorded.logs.join('\n')).toMatch(/is Ready and listens on 8080/);
    await expect(
      action.handler(actionContext({ ...gateway, ports: [80] }).ctx),
    ).rejects.toThrow(/:80 does not answer \(.*no Ready pod listens on 80\)/);
  });

  it('refuses a prober URL that is not http(s)', () => {
    expect(() =>
      reachabilityProbeFromConfig(
        new ConfigReader({
          ingressAtlas: { reachability: { probeUrl: 'file:///etc/passwd' } },
        }),
      ),
    ).toThrow(
      'ingressAtlas.reachability.probeUrl must be an http or https URL',
    );
  });

  it('connects nowhere in a dry run', async () => {
    const action = createGatewayVerifyEipAction({ ...world.options, probe });
    const { ctx, recorded } = actionContext(gateway, { dryRun: true });
    await action.handler(ctx);
    expect(probed).toEqual([]);
    expect(recorded.logs.join('\n')).toContain('not probed on port(s) 80, 443');
  });

  it('never probes an address the cloud account does not hold as an EIP, whatever a pod annotation says', async () => {
    const { store } = world.cluster('tke-blog');
    const pod = gatewayPods()[0];
    pod.metadata.annotations![EIP_ANNOTATION] = FOREIGN_ADDRESS;
    store.update(store.type('', 'pods')!, pod);

    const action = createGatewayVerifyEipAction({ ...world.options, probe });
    await expect(action.handler(actionContext(gateway).ctx)).rejects.toThrow(
      `DescribeAddresses does not know ${FOREIGN_ADDRESS}`,
    );
    expect(probed.some(target => target.startsWith(FOREIGN_ADDRESS))).toBe(
      false,
    );
  });

  it('probes at most 4 ports', async () => {
    const action = createGatewayVerifyEipAction({ ...world.options, probe });
    await expect(
      action.handler(
        actionContext({ ...gateway, ports: [21, 22, 25, 80, 443] }).ctx,
      ),
    ).rejects.toThrow(
      /Invalid input to ingress-atlas:gateway:verify-eip: ports:/,
    );
    expect(probed).toEqual([]);
  });

  it('requires the migrate permission, not only read', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(request => ({
          result:
            'permission' in request &&
            request.permission.name === ingressAtlasMigratePermission.name
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const action = createGatewayVerifyEipAction({
      ...world.options,
      permissions,
      probe,
    });
    await expect(action.handler(actionContext(gateway).ctx)).rejects.toThrow(
      'permission ingress-atlas.migrate was denied',
    );
    expect(probed).toEqual([]);
  });
});
