import { bindingPrivilegedPorts, privilegedPortsBlocked } from './privilegedPorts';

const envoy = {
  name: 'envoy',
  image: 'envoyproxy/envoy:v1.29.4',
  args: ['-c', '/etc/envoy/envoy.yaml'],
  ports: [{ containerPort: 80 }, { containerPort: 443 }, { containerPort: 9901 }],
};

describe('privilegedPortsBlocked', () => {
  it("says Envoy's image drops to uid 101 through its entrypoint unless ENVOY_UID is 0", () => {
    expect(privilegedPortsBlocked(undefined, envoy)).toEqual({
      ports: [80, 443],
      reason: expect.stringMatching(/envoy user \(uid 101\) unless ENVOY_UID is 0/),
    });
    expect(
      privilegedPortsBlocked(undefined, { ...envoy, env: [{ name: 'ENVOY_UID', value: '0' }] }),
    ).toBeUndefined();
    // A command of the container's own skips the entrypoint: Envoy stays root.
    expect(privilegedPortsBlocked(undefined, { ...envoy, command: ['envoy'] })).toBeUndefined();
    expect(
      privilegedPortsBlocked(undefined, { ...envoy, image: 'docker.io/envoyproxy/envoy-dev:abc' }),
    ).toBeDefined();
  });

  it('blocks a non-root user even with NET_BIND_SERVICE added (no ambient capabilities)', () => {
    const proxy = {
      name: 'istio-proxy',
      image: 'docker.io/istio/proxyv2:1.20.8',
      ports: [{ containerPort: 443 }],
      securityContext: { runAsUser: 1337, capabilities: { add: ['NET_BIND_SERVICE'] } },
    };
    expect(privilegedPortsBlocked(undefined, proxy)?.reason).toBe('it runs as uid 1337, not root');
    // The pod's user applies where the container sets none; the container's wins.
    const { securityContext: _, ...unset } = proxy;
    expect(privilegedPortsBlocked({ runAsUser: 1337 }, unset)?.ports).toEqual([443]);
    expect(
      privilegedPortsBlocked({ runAsUser: 1337 }, { ...unset, securityContext: { runAsUser: 0 } }),
    ).toBeUndefined();
  });

  it('blocks root that dropped every capability, and passes root that added NET_BIND_SERVICE back', () => {
    const nginx = { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] };
    expect(
      privilegedPortsBlocked(undefined, {
        ...nginx,
        securityContext: { capabilities: { drop: ['ALL'] } },
      })?.reason,
    ).toBe('its capabilities drop NET_BIND_SERVICE');
    expect(
      privilegedPortsBlocked(undefined, {
        ...nginx,
        securityContext: { runAsUser: 0, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
      }),
    ).toBeUndefined();
  });

  it('says nothing of ports from 1024 up, or of an image whose user it does not know', () => {
    expect(
      privilegedPortsBlocked(undefined, { ...envoy, ports: [{ containerPort: 8080 }] }),
    ).toBeUndefined();
    expect(
      privilegedPortsBlocked(undefined, { name: 'web', image: 'example/web', ports: [{ containerPort: 80 }] }),
    ).toBeUndefined();
  });
});

describe('bindingPrivilegedPorts', () => {
  it('makes a blocked container able to bind, keeping its other settings', () => {
    const fixed = bindingPrivilegedPorts({
      ...envoy,
      env: [{ name: 'ENVOY_UID', value: '101' }, { name: 'LOG', value: 'warn' }],
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL', 'NET_BIND_SERVICE'] },
      },
    });
    expect(fixed.env).toEqual([
      { name: 'LOG', value: 'warn' },
      { name: 'ENVOY_UID', value: '0' },
    ]);
    expect(fixed.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      runAsUser: 0,
      runAsGroup: 0,
      runAsNonRoot: false,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    });
    expect(privilegedPortsBlocked(undefined, fixed)).toBeUndefined();
    expect(fixed.args).toEqual(envoy.args);
  });
});
