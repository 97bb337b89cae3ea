import path from 'node:path';
import {
  AtlasModel,
  Finding,
} from '@ingress-atlas/plugin-ingress-atlas-common';
import { loadManifestCluster } from '../../manifests';
import { analyze } from '../analyze';
import { ANALYZERS } from '.';

describe('analyzers on a misconfigured cluster', () => {
  let model: AtlasModel;
  beforeAll(async () => {
    const { inventory } = await loadManifestCluster(
      [path.resolve(__dirname, '../__fixtures__/misconfigured')],
      { name: 'misconfigured', provider: 'tencent' },
      { collectedAt: '2026-11-21T00:00:00Z' },
    );
    model = analyze({ clusters: [inventory] });
  });
  const codes = () => model.findings.map(f => f.code);
  const one = (code: string) => {
    const found = model.findings.filter(f => f.code === code);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('flags a Gateway whose selector matches no workload in the input (a warning: manifests may be split)', () => {
    expect(one('GATEWAY_SELECTOR_NO_WORKLOAD')).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining('no workload in the input'),
      objects: [
        {
          kind: 'Gateway',
          namespace: 'apps',
          name: 'public-gateway',
          cluster: 'misconfigured',
        },
      ],
    });
  });

  it('flags a VirtualService bound to a Gateway that does not exist', () => {
    expect(one('VS_MISSING_GATEWAY').message).toContain(
      'istio-system/orders-gateway',
    );
  });

  it('flags two Gateways declaring one host and port on the same proxy', () => {
    expect(one('HOST_PORT_CONFLICT')).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('shop.example.com:443'),
    });
  });

  it('flags pod EIPs on a Deployment without the keep policy', () => {
    expect(one('POD_EIP_NOT_STABLE')).toMatchObject({
      templateRef: 'template:default/move-gateway-to-pod-eip',
      message: expect.stringContaining('Deployment istio-system/eip-gateway'),
    });
    const entry = model.entries.find(e => e.type === 'pod-eip');
    expect(entry?.addresses).toEqual(['192.0.2.7']);
    // No cloud inventory names the EIP: it is keyed by its pod.
    expect(entry?.resources.map(r => r.id)).toEqual([
      'pod-misconfigured-istio-system-eip-gateway-7c9d8-abcde-eip',
    ]);
  });

  it('flags namespaces trusting different root CAs', () => {
    expect(one('MIXED_ROOT_CA').message).toContain('2 different root CAs');
    const planes = model.controlPlanes.map(p => [p.revision, p.tags]);
    expect(planes).toEqual([
      ['1-22-1', ['canary']],
      ['default', []],
    ]);
  });

  it('finds nothing to say about the clean parts', () => {
    expect(codes()).not.toContain('CREDENTIAL_SECRET_MISSING');
    expect(codes()).not.toContain('HOSTNETWORK_DNS_POLICY');
    expect(codes()).not.toContain('APISERVER_PUBLIC');
  });

  it('uses stable codes, each claimed by one analyzer', () => {
    const all = ANALYZERS.flatMap(a => a.codes);
    expect(new Set(all).size).toBe(all.length);
    for (const f of model.findings) expect(all).toContain(f.code);
  });
});

describe('APISERVER_PUBLIC', () => {
  const apiServerFinding = async (
    provider: 'huawei' | 'generic',
  ): Promise<Finding | undefined> => {
    const { inventory } = await loadManifestCluster(
      [path.resolve(__dirname, '../__fixtures__/huawei-cce')],
      { name: 'cce', provider },
      { collectedAt: '2026-11-21T00:00:00Z' },
    );
    return analyze({ clusters: [inventory] }).findings.find(
      f => f.code === 'APISERVER_PUBLIC',
    );
  };

  it('offers the proxy template, prefilled with the cluster, where the internal load balancer annotation is known', async () => {
    expect(await apiServerFinding('huawei')).toMatchObject({
      templateRef: 'template:default/expose-api-server',
      parameters: { cluster: 'cce' },
    });
  });

  it('offers no template where the template could only ask for a public load balancer', async () => {
    const finding = await apiServerFinding('generic');
    expect(finding).toBeDefined();
    expect(finding?.templateRef).toBeUndefined();
  });
});

describe('HOSTNETWORK_PRIVILEGED_PORT', () => {
  // The edge fixture: an Envoy front proxy (envoyproxy/envoy, no ENVOY_UID, no command) on the
  // host network listening on 80, and Istio's gateway on the host network with no user set.
  let findings: Finding[];
  beforeAll(async () => {
    const { inventory } = await loadManifestCluster(
      [path.resolve(__dirname, '../__fixtures__/edge')],
      { name: 'edge', provider: 'tencent' },
      { collectedAt: '2026-11-21T00:00:00Z' },
    );
    findings = analyze({ clusters: [inventory] }).findings.filter(
      f => f.code === 'HOSTNETWORK_PRIVILEGED_PORT',
    );
  });

  it("flags the Envoy front proxy whose image drops to uid 101 and cannot bind the node's port 80", () => {
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringMatching(
          /Container envoy of Deployment edge-proxy\/envoy-front in edge listens on the host network's port 80, but .*uid 101.*cannot bind it/,
        ),
        fix: expect.stringContaining('ENVOY_UID=0'),
        templateRef: 'template:default/move-gateway-to-host-network',
        parameters: expect.objectContaining({
          cluster: 'edge',
          namespace: 'edge-proxy',
          gateway: 'envoy-front',
        }),
      }),
    ]);
  });
});
