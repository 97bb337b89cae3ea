import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import { analyze } from './analyze';
import { canariesIn } from './__testUtils__/canary';
import {
  COLLECTED_AT,
  demoEntities,
  fixtureClouds,
  fixtureClusters,
} from './__testUtils__/fixtureEstates';

describe('analyze', () => {
  let model: AtlasModel;
  beforeAll(async () => {
    model = analyze({
      clusters: await fixtureClusters(),
      clouds: fixtureClouds(),
      entities: await demoEntities(),
      now: '2026-11-21T00:00:00Z',
    });
  });

  const pathsTo = (host: string) => model.paths.filter(p => p.host === host);
  const findings = (code: string) =>
    model.findings.filter(f => f.code === code);
  const entry = (id: string) => model.entries.find(e => e.id === id);
  const plane = (id: string) => model.controlPlanes.find(p => p.id === id);

  describe('tke-blog: TCM-managed Istio behind a public CLB', () => {
    it('knows the control plane is TCM, from the cloud mesh list and the objects TCM installed', () => {
      expect(plane('controlPlane:tke-blog/1-10-3')).toMatchObject({
        kind: 'tcm',
        managed: 'tcm',
        role: 'primary',
        version: '1.10.3',
        managedMeshId: 'mesh-blog0001',
      });
      expect(
        model.controlPlanes.filter(p => p.cluster === 'tke-blog'),
      ).toHaveLength(1);
    });

    it('costs the CLB at 144 CNY a month and recommends pod EIPs saving all of it', () => {
      const cost = model.costs.find(
        c =>
          c.entry ===
          'entry:tke-blog/load-balancer/istio-system/istio-ingressgateway',
      );
      expect(cost).toMatchObject({
        state: 'in-use',
        monthlyCny: 144,
        traffic: 'unknown',
      });
      expect(cost?.parts).toEqual([
        expect.objectContaining({
          item: 'loadBalancer',
          resource: 'lb-blog0001',
          unitPrice: 0.2,
          quantity: 720,
        }),
      ]);
      expect(
        model.recommendations.find(r => r.parameters.cluster === 'tke-blog')
          ?.savingMonthlyCny,
      ).toBe(144);
    });

    it('asks to migrate off TCM, with the template prefilled', () => {
      expect(findings('TCM_MANAGED')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          templateRef: 'template:default/migrate-tcm-to-istiod',
          parameters: {
            cluster: 'tke-blog',
            currentVersion: '1.10.3',
            meshId: 'mesh-blog0001',
          },
        }),
      ]);
    });

    it('sees that the TLS secret sits next to the Gateway object, not the gateway pods', () => {
      expect(findings('CREDENTIAL_SECRET_WRONG_NAMESPACE')).toEqual([
        expect.objectContaining({
          objects: expect.arrayContaining([
            {
              kind: 'Secret',
              namespace: 'istio-system',
              name: 'blog-tls',
              cluster: 'tke-blog',
            },
          ]),
        }),
      ]);
      expect(
        findings('SINGLE_REPLICA_PUBLIC_LB').map(f => f.objects[0].id),
      ).toEqual(['gateway:tke-blog/istio-system/istio-ingressgateway']);
    });
  });

  describe('tke-saas: primary and remote on two networks', () => {
    it('reaches saas-api in both clusters through the primary ingress gateway', () => {
      const paths = pathsTo('app.saas.example.com');
      expect(
        paths.map(p => `${p.workload?.cluster}/${p.workload?.name}`).sort(),
      ).toEqual(['tke-saas-primary/saas-api', 'tke-saas-remote/saas-api']);
      expect(
        paths.every(p => p.entityRefs.includes('component:default/saas-api')),
      ).toBe(true);
      expect(paths[0].tls).toMatchObject({
        secretRef: 'istio-system/saas-tls',
        daysToExpiry: 19,
      });
    });

    it('warns about the certificate expiring within 30 days, and finds one root CA', () => {
      expect(findings('CERT_EXPIRING')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          message: expect.stringContaining('expires in 19 days'),
          objects: expect.arrayContaining([
            {
              kind: 'Secret',
              namespace: 'istio-system',
              name: 'saas-tls',
              cluster: 'tke-saas-primary',
            },
          ]),
        }),
      ]);
      expect(findings('MIXED_ROOT_CA')).toEqual([]);
    });
  });

  describe('edge: hostNetwork gateway and an Envoy front proxy', () => {
    it('reaches edge.example.com at the gateway node and through the front proxy', () => {
      const paths = pathsTo('edge.example.com');
      expect(
        paths.map(p => [
          entry(p.entry)?.type,
          entry(p.entry)?.addresses,
          p.via,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['host-network', ['192.0.2.11'], []],
          [
            'front-proxy',
            ['192.0.2.21'],
            ['gateway:edge/edge-proxy/envoy-front'],
          ],
        ]),
      );
      expect(
        paths.every(
          p => p.gateway === 'gateway:edge/istio-system/istio-ingressgateway',
        ),
      ).toBe(true);
      expect(
        paths.every(p => p.entityRefs.includes('component:default/edge-web')),
      ).toBe(true);
    });

    it('flags the hostNetwork gateway without ClusterFirstWithHostNet, not the proxy that has it', () => {
      expect(
        findings('HOSTNETWORK_DNS_POLICY').map(f => f.objects[0].id),
      ).toEqual(['gateway:edge/istio-system/istio-ingressgateway']);
    });

    it('says where the certificate for the plain-HTTP public host must go, and offers no template before it is there', () => {
      // No TLS Secret for edge.example.com in istio-system: the template could not run.
      const [plaintext, ...others] = findings('GATEWAY_PLAINTEXT_PUBLIC');
      expect(others).toEqual([]);
      expect(plaintext.templateRef).toBeUndefined();
      expect(plaintext.fix).toContain(
        'Put a TLS Secret (kubernetes.io/tls) with a certificate for edge.example.com in namespace istio-system of edge',
      );
    });
  });

  describe('aliyun-asm: ASM gateway with file certificates, and an Ingress', () => {
    it('serves shop.example.cn with certificates mounted as files, behind a priced SLB', () => {
      const [path] = pathsTo('shop.example.cn');
      expect(path).toMatchObject({
        network: 'public',
        tls: { mode: 'SIMPLE', certificateSource: 'file' },
        entityRefs: ['component:default/shop'],
      });
      expect(plane('controlPlane:aliyun-asm/1-18')).toMatchObject({
        kind: 'asm',
        managed: 'asm',
      });
      // 0.147 CNY/h instance + 0.02 CNY/h public IP, 720 h
      expect(path.monthlyCostShareCny).toBe(120.24);
    });

    it('routes the Ingress through its nginx controller, and misses its TLS secret', () => {
      const [path] = pathsTo('admin.shop.example.cn');
      expect(path).toMatchObject({
        network: 'internal',
        gateway: 'gateway:aliyun-asm/kube-system/nginx-ingress-controller',
        route: 'route:aliyun-asm/Ingress/shop/shop-admin',
        workload: { name: 'shop' },
      });
      expect(findings('CREDENTIAL_SECRET_MISSING')).toEqual([
        expect.objectContaining({
          objects: expect.arrayContaining([
            expect.objectContaining({
              kind: 'Secret',
              namespace: 'shop',
              name: 'shop-admin-tls',
            }),
          ]),
        }),
      ]);
    });
  });

  describe('huawei-cce: API server behind an nginx stream proxy', () => {
    it('exposes the API server through the proxy on a public ELB also reached by a VPC endpoint', () => {
      const [path] = model.paths.filter(p => p.cluster === 'huawei-cce');
      expect(path).toMatchObject({
        apiServer: true,
        network: 'public',
        gateway: 'gateway:huawei-cce/api-proxy/cce-api-proxy',
        entityRefs: ['component:default/cce-api-proxy'],
      });
      expect(entry(path.entry)).toMatchObject({
        cloudResourceId: 'elb-cce0001',
        addresses: ['192.0.2.8'],
      });
      const cost = model.costs.find(c => c.entry === path.entry);
      expect(cost).toMatchObject({
        monthlyCny: 72,
        unpriced: ['huawei loadBalancer (elb-cce0001)'],
      });
      expect(findings('APISERVER_PUBLIC')).toEqual([
        expect.objectContaining({
          severity: 'error',
          message: expect.stringContaining('huawei-cce'),
          templateRef: 'template:default/expose-api-server',
          parameters: { cluster: 'huawei-cce' },
        }),
      ]);
    });
  });

  describe('cloud resources no cluster uses', () => {
    it('reports idle and orphaned load balancers and the unbound EIP with their monthly waste', () => {
      const byCode = (code: string) =>
        findings(code).map(f => [f.objects[0].name, f.monthlyWasteCny]);
      expect(byCode('IDLE_LOAD_BALANCER')).toEqual([['lb-idle0001', 144]]);
      expect(byCode('ORPHAN_LOAD_BALANCER')).toEqual([['lb-saasold1', 144]]);
      expect(byCode('IDLE_EIP')).toEqual([['eip-idle0001', 144]]);
    });
  });

  it('is deterministic and takes its time from the inputs when not given one', async () => {
    const input = {
      clusters: await fixtureClusters(),
      clouds: fixtureClouds(),
    };
    const first = analyze(input);
    expect(first.generatedAt).toBe(COLLECTED_AT);
    expect(analyze(input)).toEqual(first);
  });

  it('measures certificate expiry from the injected now', async () => {
    const later = analyze({
      clusters: await fixtureClusters(),
      now: '2026-12-11T00:00:00Z',
    });
    expect(later.findings.filter(f => f.code === 'CERT_EXPIRING')).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('expired on 2026-12-10'),
      }),
    ]);
  });

  it('still recognises TCM from the objects it installed when no cloud inventory is given', async () => {
    const offline = analyze({ clusters: await fixtureClusters() });
    expect(
      offline.controlPlanes.find(p => p.cluster === 'tke-blog'),
    ).toMatchObject({ kind: 'tcm', revision: '1-10-3' });
    expect(offline.findings.filter(f => f.code === 'IDLE_EIP')).toEqual([]);
  });

  it('carries no secret data', () => {
    expect(canariesIn(JSON.stringify(model))).toEqual([]);
  });
});
