import { AtlasModel } from '@ingress-atlas/plugin-ingress-atlas-common';
import {
  CloudInventory,
  ClusterInventory,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import { analyze } from './analyze';
import { canariesIn } from './__testUtils__/canary';
import { demoEntities } from './__testUtils__/fixtureEstates';
import {
  sandboxClusters,
  sandboxTencentCloud,
} from './__testUtils__/sandboxEstates';

/**
 * The sandbox estates (examples/sandbox) read offline through the manifest loader, with the
 * Tencent Cloud inventory the real provider collects from the API stand-in.
 */
describe('analyze on the sandbox estates', () => {
  let model: AtlasModel;
  let clusters: ClusterInventory[];
  let clouds: CloudInventory[];
  beforeAll(async () => {
    clusters = await sandboxClusters();
    clouds = await sandboxTencentCloud();
    model = analyze({
      clusters,
      clouds,
      entities: await demoEntities(),
      now: '2026-11-22T00:00:00Z',
    });
  });

  const paths = (host: string) => model.paths.filter(p => p.host === host);
  const entryOf = (path: { entry: string }) =>
    model.entries.find(e => e.id === path.entry)!;
  const plane = (cluster: string) =>
    model.controlPlanes.filter(p => p.cluster === cluster);
  const findings = (code: string) =>
    model.findings.filter(f => f.code === code);
  const clustersOf = (code: string) =>
    findings(code).map(
      f => f.objects.find(o => o.cluster)?.cluster ?? f.objects[0].name,
    );

  it('reads all nine clusters', () => {
    expect(model.clusters.map(c => [c.name, c.provider])).toEqual([
      ['aliyun-asm', 'aliyun'],
      ['aliyun-asm-mesh', 'aliyun'],
      ['edge', 'tencent'],
      ['huawei-cce', 'huawei'],
      ['tke-blog', 'tencent'],
      ['tke-next', 'tencent'],
      ['tke-next-remote', 'tencent'],
      ['tke-saas-primary', 'tencent'],
      ['tke-saas-remote', 'tencent'],
    ]);
  });

  describe('tke-blog', () => {
    it('runs Istio 1.10.3 under TCM, as the mesh list and the installed objects say', () => {
      expect(plane('tke-blog')).toEqual([
        expect.objectContaining({
          kind: 'tcm',
          managed: 'tcm',
          revision: '1-10-3',
          version: '1.10.3',
          managedMeshId: 'mesh-blog0001',
        }),
      ]);
      expect(findings('TCM_MANAGED')).toEqual([
        expect.objectContaining({
          templateRef: 'template:default/migrate-tcm-to-istiod',
          parameters: expect.objectContaining({ cluster: 'tke-blog' }),
        }),
      ]);
    });

    it('serves blog.example.com through CLB lb-blog0001 at 144 CNY a month, which pod EIPs would save', () => {
      const [path, ...others] = paths('blog.example.com');
      expect(others).toEqual([]);
      expect(path).toMatchObject({
        network: 'public',
        gateway: 'gateway:tke-blog/istio-system/istio-ingressgateway',
        route: 'route:tke-blog/VirtualService/blog/blog',
        service: { namespace: 'blog', name: 'blog' },
        workload: {
          cluster: 'tke-blog',
          kind: 'Deployment',
          namespace: 'blog',
          name: 'blog',
        },
        entityRefs: ['component:default/blog'],
        tls: {
          mode: 'SIMPLE',
          certificateSource: 'secret',
          secretRef: 'istio-system/blog-tls',
        },
        monthlyCostShareCny: 144,
      });
      expect(entryOf(path)).toMatchObject({
        type: 'load-balancer',
        network: 'public',
        cloudResourceId: 'lb-blog0001',
        addresses: ['198.51.100.11'],
      });
      const saving = findings('CLB_TO_POD_EIP_SAVING').find(
        f => f.parameters?.cluster === 'tke-blog',
      );
      expect(saving).toMatchObject({
        templateRef: 'template:default/move-gateway-to-pod-eip',
        parameters: {
          cluster: 'tke-blog',
          namespace: 'istio-system',
          gateway: 'istio-ingressgateway',
          loadBalancerId: 'lb-blog0001',
          replicas: 1,
          host: 'blog.example.com',
          // The CLB's account hosts example.com on DNSPod (the seed's domains): blog's record is there.
          dnsDomain: 'example.com',
          dnsSubDomain: 'blog',
        },
      });
      expect(saving?.message).toContain('saves 144 CNY/month');
      expect(clustersOf('SINGLE_REPLICA_PUBLIC_LB')).toEqual(['tke-blog']);
    });

    it("takes the pod-EIP template's DNSPod domain from the zones the CLB's account hosts, when read", () => {
      const blogSaving = (dnsZones: string[] | undefined) =>
        analyze({
          clusters,
          clouds: clouds.map(c => ({ ...c, dnsZones })),
          now: '2026-11-22T00:00:00Z',
        }).recommendations.find(r => r.entry.includes('tke-blog'))?.parameters;

      // A zone for the host itself is longer than example.com: its apex is the record.
      expect(blogSaving(['example.com', 'blog.example.com'])).toMatchObject({
        dnsDomain: 'blog.example.com',
        dnsSubDomain: '@',
      });
      // DNSPod not read (no rights), or no zone holding the host: left to the person running it.
      for (const zones of [undefined, ['example.org']]) {
        const parameters = blogSaving(zones);
        expect(parameters).toMatchObject({ host: 'blog.example.com' });
        expect(parameters).not.toHaveProperty('dnsDomain');
        expect(parameters).not.toHaveProperty('dnsSubDomain');
      }
    });

    it('reports the idle CLB and the unbound EIP left in its region', () => {
      expect(
        findings('IDLE_LOAD_BALANCER').map(f => [
          f.objects[0].name,
          f.monthlyWasteCny,
        ]),
      ).toEqual([['lb-idle0001', 144]]);
      expect(
        findings('IDLE_EIP').map(f => [f.objects[0].name, f.monthlyWasteCny]),
      ).toEqual([['eip-idle0001', 144]]);
      expect(findings('ORPHAN_LOAD_BALANCER')).toEqual([]);
    });
  });

  describe('tke-saas', () => {
    it('has a primary istiod with an east-west gateway on lb-saasew01 and a remote secret for the remote', () => {
      const [primary] = plane('tke-saas-primary');
      expect(primary).toMatchObject({
        kind: 'istiod',
        role: 'primary',
        version: '1.18.5',
        meshId: 'saas-mesh',
        network: 'net-primary',
        clusterName: 'cls-saas0001',
        remoteSecretLinks: ['tke-saas-remote'],
        eastWestGateways: [
          'gateway:tke-saas-primary/istio-system/istio-eastwestgateway',
        ],
      });
      const eastWest = model.entries.find(
        e => e.gateway === primary.eastWestGateways[0],
      );
      expect(eastWest).toMatchObject({
        network: 'internal',
        addresses: ['10.20.0.50'],
        cloudResourceId: 'lb-saasew01',
      });
      expect(
        model.gateways.find(g => g.id === primary.eastWestGateways[0])
          ?.eastWest,
      ).toBe(true);
    });

    it('bills the SaaS ingress CLB its measured traffic on top of its fee; pod EIPs would save the fee only', () => {
      const cost = model.costs.find(c =>
        model.entries.some(
          e => e.id === c.entry && e.cloudResourceId === 'lb-saas0001',
        ),
      );
      // The seed has Cloud Monitor report 4 GB a day out of lb-saas0001: 4 x 30 = 120 GB a
      // month at 0.8 CNY/GB = 96, on top of the CLB's 0.2 CNY/h x 720 h = 144.
      expect(cost).toMatchObject({
        monthlyCny: 240,
        traffic: {
          gbPerMonth: 120,
          amountCny: 96,
          unitPrice: 0.8,
          measurement: {
            gbPerMonth: 120,
            source: 'Tencent Cloud Monitor QCE/LB_PUBLIC ClientOuttraffic',
          },
        },
      });
      // The same 120 GB bill 0.8 CNY/GB on pod EIPs: the move saves the CLB's fee, not its traffic.
      const saving = model.recommendations.find(
        r => r.parameters.cluster === 'tke-saas-primary',
      );
      expect(saving?.savingMonthlyCny).toBe(144);
      expect(saving?.caveats).toContainEqual(
        '120 GB/month of traffic bills 96 CNY/month on the EIPs at 0.8 CNY/GB, as on the CLB: the saving is net of traffic.',
      );
    });

    it("keys the remote's east-west CLB, which no cloud inventory lists, by its Service", () => {
      const eastWest = model.entries.find(
        e =>
          e.cluster === 'tke-saas-remote' &&
          e.service?.name === 'istio-eastwestgateway',
      );
      expect(eastWest?.resources.map(r => r.id)).toEqual([
        'service-tke-saas-remote-istio-system-istio-eastwestgateway-clb',
      ]);
      expect(model.costs.find(c => c.entry === eastWest?.id)?.monthlyCny).toBe(
        144,
      );
    });

    it('has a remote whose istiod is the primary one, through the east-west address', () => {
      expect(plane('tke-saas-remote')).toEqual([
        expect.objectContaining({
          kind: 'remote',
          role: 'remote',
          primary: 'controlPlane:tke-saas-primary/default',
          remotePilotAddress: '10.20.0.50',
          meshId: 'saas-mesh',
          network: 'net-remote',
        }),
      ]);
    });

    it('reaches saas-api in both clusters from app.saas.example.com, with a certificate expiring soon', () => {
      expect(
        paths('app.saas.example.com')
          .map(
            p => `${p.workload?.cluster}/${p.workload?.name} ${p.entityRefs}`,
          )
          .sort(),
      ).toEqual([
        'tke-saas-primary/saas-api component:default/saas-api',
        'tke-saas-remote/saas-api component:default/saas-api',
      ]);
      expect(findings('CERT_EXPIRING')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          message: expect.stringContaining('istio-system/saas-api-tls'),
        }),
      ]);
      expect(
        findings('GATEWAY_SELECTOR_NO_WORKLOAD').map(f => f.objects[0].name),
      ).toEqual(['saas-admin-gateway']);
      expect(findings('MIXED_ROOT_CA')).toEqual([]);
    });
  });

  describe('edge', () => {
    it('serves edge.example.com from the gateway nodes on the host network and through the front proxy', () => {
      const byType = Object.fromEntries(
        paths('edge.example.com').map(p => [
          entryOf(p).type,
          { entry: entryOf(p), path: p },
        ]),
      );
      expect(byType['host-network'].entry).toMatchObject({
        network: 'public',
        addresses: ['203.0.113.21', '203.0.113.22'],
      });
      // The node EIPs bill by traffic: no fixed fee. Cloud Monitor has points for
      // eip-edge0001 only (the seed's traffic section): half a measurement is not the
      // entry's traffic, which stays unmeasured rather than read as 45 GB.
      expect(
        byType['host-network'].entry.resources.map(r => [r.id, r.chargeType]),
      ).toEqual([
        ['eip-edge0001', 'TRAFFIC_POSTPAID_BY_HOUR'],
        ['eip-edge0002', 'TRAFFIC_POSTPAID_BY_HOUR'],
      ]);
      expect(
        model.costs.find(c => c.entry === byType['host-network'].entry.id),
      ).toMatchObject({ state: 'in-use', monthlyCny: 0, traffic: 'unknown' });
      expect(byType['host-network'].path.monthlyCostShareCny).toBe(0);
      expect(byType['front-proxy'].entry).toMatchObject({
        addresses: ['10.1.0.100'],
      });
      expect(byType['front-proxy'].path.via).toEqual([
        'gateway:edge/front-proxy/front-envoy',
      ]);
      expect(
        Object.values(byType).every(({ path }) =>
          path.entityRefs.includes('component:default/edge-web'),
        ),
      ).toBe(true);
    });

    it('flags the legacy hostNetwork gateway without ClusterFirstWithHostNet, and the dangling canary route', () => {
      expect(
        findings('HOSTNETWORK_DNS_POLICY').map(f => f.objects[0].id),
      ).toEqual(['gateway:edge/istio-system/legacy-gateway']);
      expect(
        findings('VS_MISSING_GATEWAY').map(f => f.objects[0].name),
      ).toEqual(['edge-web-canary']);
    });

    it('offers the host-network template for the legacy gateway, on the node it is pinned to', () => {
      expect(findings('HOSTNETWORK_DNS_POLICY')).toEqual([
        expect.objectContaining({
          templateRef: 'template:default/move-gateway-to-host-network',
          parameters: {
            cluster: 'edge',
            namespace: 'istio-system',
            gateway: 'legacy-gateway',
            nodeSelector: { 'kubernetes.io/hostname': '10.1.0.31' },
          },
        }),
      ]);
    });
  });

  describe('aliyun-asm', () => {
    it('runs Istio 1.22.6 under ASM, with file certificates on its gateway', () => {
      expect(plane('aliyun-asm')).toEqual([
        expect.objectContaining({
          kind: 'asm',
          managed: 'asm',
          version: '1.22.6',
          meshId: 'c-asm0001',
        }),
      ]);
      expect(paths('admin.shop.example.cn')[0]).toMatchObject({
        // Mounted from Secret istio-ingressgateway-certs, whose tls.crt ends 2027-03-15.
        tls: {
          certificateSource: 'file',
          secretRef: 'istio-system/istio-ingressgateway-certs',
          notAfter: '2027-03-15T00:00:00.000Z',
        },
        entityRefs: ['component:default/shop'],
      });
    });

    it("reads the shop's Gateways and VirtualServices from the ASM instance, as ASM keeps them", () => {
      expect(
        model.routes
          .filter(r => r.kind === 'VirtualService')
          .filter(r => r.hosts.some(h => h.endsWith('shop.example.cn')))
          .map(r => `${r.cluster} ${r.namespace}/${r.name}`)
          .sort(),
      ).toEqual([
        'aliyun-asm shop/shop',
        'aliyun-asm shop/shop-admin',
        'aliyun-asm shop/shop-mobile',
      ]);
      // The instance runs no gateway: its objects are not analysed as its own.
      expect(
        model.gateways.filter(g => g.cluster === 'aliyun-asm-mesh'),
      ).toEqual([]);
      expect(
        JSON.stringify(findings('GATEWAY_SELECTOR_NO_WORKLOAD')),
      ).not.toContain('aliyun-asm');
    });

    it('offers HTTPS for m.shop.example.cn with the certificate already next to the gateway workload', () => {
      const [mobile] = findings('GATEWAY_PLAINTEXT_PUBLIC').filter(f =>
        f.message.startsWith('m.shop.example.cn '),
      );
      expect(mobile).toMatchObject({
        templateRef: 'template:default/enable-gateway-https',
        parameters: {
          cluster: 'aliyun-asm',
          namespace: 'istio-system',
          gateway: 'istio-ingressgateway',
          host: 'm.shop.example.cn',
          credentialName: 'shop-mobile-tls',
        },
      });
      expect(mobile.fix).toContain('the Gateway lives on aliyun-asm-mesh');
    });

    it('serves shop.example.cn through both the ASM gateway and the nginx Ingress', () => {
      const gateways = paths('shop.example.cn').map(
        p => `${p.gateway} ${model.routes.find(r => r.id === p.route)?.kind}`,
      );
      expect(gateways.sort()).toEqual([
        'gateway:aliyun-asm/istio-system/istio-ingressgateway VirtualService',
        'gateway:aliyun-asm/kube-system/nginx-ingress-controller Ingress',
      ]);
      expect(findings('HOST_PORT_CONFLICT').map(f => f.message)).toEqual([
        expect.stringContaining('shop.example.cn:80 in aliyun-asm'),
      ]);
      expect(
        findings('CREDENTIAL_SECRET_WRONG_NAMESPACE').map(f => f.objects[0]),
      ).toEqual([
        {
          kind: 'Secret',
          namespace: 'istio-system',
          name: 'shop-tls',
          cluster: 'aliyun-asm',
        },
      ]);
      // CLBs, as the Services ask for no other kind: 0.147 CNY/h instance + 0.02 CNY/h
      // public IP over 720 h, for each.
      expect(
        model.entries
          .filter(e => e.provider === 'aliyun')
          .flatMap(e => e.resources)
          .map(r => `${r.loadBalancerKind} ${r.id}`),
      ).toEqual(['clb lb-bp1asmgw001', 'clb lb-bp1ingress01']);
      expect(
        model.costs.filter(c => c.provider === 'aliyun').map(c => c.monthlyCny),
      ).toEqual([120.24, 120.24]);
    });
  });

  describe('huawei-cce', () => {
    it('exposes the API server to the internet through the nginx stream proxy on the ELB', () => {
      const [path] = model.paths.filter(p => p.cluster === 'huawei-cce');
      expect(path).toMatchObject({
        apiServer: true,
        network: 'public',
        gateway: 'gateway:huawei-cce/api-proxy/apiserver-proxy',
        entityRefs: ['component:default/cce-api-proxy'],
      });
      const entry = entryOf(path);
      expect(entry).toMatchObject({
        addresses: ['192.0.2.50'],
        cloudResourceId: '4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07',
      });
      expect(
        entry.resources.map(r => `${r.loadBalancerKind ?? r.kind} ${r.id}`),
      ).toEqual([
        'elb 4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07',
        'eip elb-4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07-eip',
      ]);
      // The EIP bills by traffic; the catalogue has no figure for the ELB.
      expect(model.costs.find(c => c.entry === entry.id)).toMatchObject({
        monthlyCny: 0,
        unpriced: [
          'huawei loadBalancer (4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07)',
        ],
        traffic: 'unknown',
      });
      expect(findings('APISERVER_PUBLIC')).toEqual([
        expect.objectContaining({
          severity: 'error',
          message: expect.stringContaining(
            'huawei-cce is reachable from the internet at 192.0.2.50',
          ),
          // CCE has an internal ELB annotation: the proxy template can run there.
          templateRef: 'template:default/expose-api-server',
          parameters: { cluster: 'huawei-cce' },
        }),
      ]);
    });
  });

  it('carries no secret data from any estate', () => {
    expect(canariesIn(JSON.stringify(model))).toEqual([]);
  });
});
