import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { clb } from 'tencentcloud-sdk-nodejs/tencentcloud/services/clb';
import { tke } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke';
import { vpc } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc';
import { inCidr } from './ipv4';
import { sandboxKubeconfig } from './kubeconfig';
import { Sandbox, startSandbox } from './startSandbox';

const ESTATES = path.resolve(__dirname, '../../../examples/sandbox');
const CLUSTERS = [
  'tke-blog',
  'tke-saas-primary',
  'tke-saas-remote',
  'edge',
  'tke-next',
  'tke-next-remote',
  'aliyun-asm',
  'aliyun-asm-mesh',
  'huawei-cce',
];
/** "Today" of the demo world, for certificate expiry. */
const DEMO_DATE = new Date('2026-11-22T00:00:00Z');

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ estatesDir: ESTATES, basePort: 0 });
});

afterAll(async () => {
  await sandbox.stop();
});

function clients(cluster: string) {
  const config = new KubeConfig();
  config.loadFromString(
    sandboxKubeconfig({ [cluster]: sandbox.clusters[cluster] }),
  );
  return {
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
  };
}

function istio(cluster: string, plural: string) {
  return clients(cluster)
    .custom.listClusterCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      plural,
    })
    .then((list: any) => list.items as any[]);
}

function tencent<T>(Client: new (config: any) => T, region: string): T {
  return new Client({
    credential: {
      secretId: 'AKIDSANDBOX00000000000000000000000000',
      secretKey: 'sandbox-secret-key-0000000000000000',
    },
    region,
    profile: {
      httpProfile: {
        endpoint: sandbox.cloud!.url.replace('http://', ''),
        protocol: 'http://',
      },
    },
  });
}

function control(method: string, route: string, body?: object) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const request = http.request(
      `${sandbox.control.url}${route}`,
      { method },
      response => {
        let text = '';
        response.on('data', chunk => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, body: JSON.parse(text) }),
        );
      },
    );
    request.on('error', reject);
    request.end(body ? JSON.stringify(body) : undefined);
  });
}

describe('the demo estates', () => {
  it('start every cluster, with the controller finding nothing to complain about', async () => {
    expect(Object.keys(sandbox.clusters)).toEqual(CLUSTERS);
    const { body } = await control('GET', '/clusters');
    expect(body.map((c: any) => [c.name, c.controllerErrors])).toEqual(
      CLUSTERS.map(name => [name, []]),
    );
  });

  it('put Istio 1.10.3 managed by TCM in tke-blog, behind the public CLB lb-blog0001', async () => {
    const { core, apps } = clients('tke-blog');
    const gateway = await core.readNamespacedService({
      name: 'istio-ingressgateway',
      namespace: 'istio-system',
    });
    expect(
      gateway.metadata?.annotations?.['service.kubernetes.io/loadbalance-id'],
    ).toBe('lb-blog0001');
    expect(gateway.status?.loadBalancer?.ingress).toEqual([
      { ip: '198.51.100.11' },
    ]);
    const pods = (await core.listNamespacedPod({ namespace: 'istio-system' }))
      .items;
    expect(pods.map(p => [p.metadata?.labels?.app, p.status?.podIP])).toEqual([
      ['istio-ingressgateway', '10.0.1.20'],
    ]);
    expect(pods.some(p => p.metadata?.labels?.app === 'istiod')).toBe(false);
    const deployment = await apps.readNamespacedDeployment({
      name: 'istio-ingressgateway',
      namespace: 'istio-system',
    });
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.metadata?.labels).toMatchObject({
      'istio.io/rev': '1-10-3',
      'install.operator.istio.io/owning-resource': 'tcm',
    });
    const blogPods = (
      await core.listNamespacedPod({
        namespace: 'blog',
        labelSelector: 'backstage.io/kubernetes-id=blog',
      })
    ).items;
    expect(blogPods).toHaveLength(2);
    expect(
      blogPods[0].metadata?.annotations?.['sidecar.istio.io/status'],
    ).toContain('"revision":"1-10-3"');
  });

  it('has a remote cluster whose istiod is only an address in the primary', async () => {
    const { core } = clients('tke-saas-remote');
    const service = await core.readNamespacedService({
      name: 'istiod',
      namespace: 'istio-system',
    });
    expect(service.spec?.selector).toBeUndefined();
    const endpoints = await core.readNamespacedEndpoints({
      name: 'istiod',
      namespace: 'istio-system',
    });
    expect(endpoints.subsets?.[0].addresses?.map(a => a.ip)).toEqual([
      '10.20.0.50',
    ]);
    const pods = (
      await core.listPodForAllNamespaces({ labelSelector: 'app=istiod' })
    ).items;
    expect(pods).toEqual([]);
    const primary = await clients(
      'tke-saas-primary',
    ).core.readNamespacedService({
      name: 'istio-eastwestgateway',
      namespace: 'istio-system',
    });
    expect(primary.status?.loadBalancer?.ingress).toEqual([
      { ip: '10.20.0.50' },
    ]);
  });

  it('reach the primary east-west CLB from the remote over peered VPCs, through no VPC endpoint', async () => {
    const { LoadBalancerSet } = await tencent(
      clb.v20180317.Client,
      'ap-shanghai',
    ).DescribeLoadBalancers({ LoadBalancerVips: ['10.20.0.50'] });
    expect(LoadBalancerSet?.map(lb => [lb.LoadBalancerId, lb.VpcId])).toEqual([
      ['lb-saasew01', 'vpc-sh000001'],
    ]);
    const { EndPointSet } = await tencent(
      vpc.v20170312.Client,
      'ap-shanghai',
    ).DescribeVpcEndPoint({});
    expect(EndPointSet).toEqual([]);
  });

  it('gives the remote east-west gateway an internal CLB from the cloud stand-in', async () => {
    const { core } = clients('tke-saas-remote');
    const service = await core.readNamespacedService({
      name: 'istio-eastwestgateway',
      namespace: 'istio-system',
    });
    const id =
      service.metadata?.annotations?.['service.kubernetes.io/loadbalance-id'];
    const { LoadBalancerSet } = await tencent(
      clb.v20180317.Client,
      'ap-shanghai',
    ).DescribeLoadBalancers({ LoadBalancerIds: [id!] });
    const [lb] = LoadBalancerSet!;
    expect(lb).toMatchObject({
      LoadBalancerType: 'INTERNAL',
      VpcId: 'vpc-sh000002',
      SubnetId: 'subnet-sh000021',
      Tags: expect.arrayContaining([
        { TagKey: 'tke-clusterId', TagValue: 'cls-saas0002' },
      ]),
    });
    expect(service.status?.loadBalancer?.ingress).toEqual([
      { ip: lb.LoadBalancerVips![0] },
    ]);
    expect(inCidr('10.30.0.0/24', lb.LoadBalancerVips![0])).toBe(true);
  });

  it('agree with the cloud seed: node counts, and the pods and ports each seeded CLB targets', async () => {
    const tencentClusters = sandbox.running.filter(
      c => c.spec.provider === 'tencent',
    );
    for (const { name, spec } of tencentClusters) {
      const { Clusters } = await tencent(
        tke.v20180525.Client,
        spec.region,
      ).DescribeClusters({ ClusterIds: [spec.cloudClusterId!] });
      expect([name, Clusters?.[0].ClusterNodeNum]).toEqual([
        name,
        spec.nodes.length,
      ]);

      const { core } = clients(name);
      const services = (await core.listServiceForAllNamespaces()).items.filter(
        s =>
          s.spec?.type === 'LoadBalancer' &&
          s.metadata?.annotations?.[
            'service.cloud.tencent.com/direct-access'
          ] === 'true',
      );
      for (const service of services) {
        const id =
          service.metadata!.annotations![
            'service.kubernetes.io/loadbalance-id'
          ];
        const endpoints = await core.readNamespacedEndpoints({
          name: service.metadata!.name!,
          namespace: service.metadata!.namespace!,
        });
        const { Listeners } = await tencent(
          clb.v20180317.Client,
          spec.region,
        ).DescribeTargets({ LoadBalancerId: id });
        for (const port of service.spec!.ports!) {
          const expected = (endpoints.subsets ?? []).flatMap(subset => {
            const podPort = subset.ports!.find(p => p.name === port.name)!.port;
            return subset.addresses!.map(a => `${a.ip}:${podPort}`);
          });
          const listener = Listeners!.find(l => l.Port === port.port);
          expect([
            `${name} ${id} ${port.port}`,
            listener?.Targets?.map(
              t => `${t.PrivateIpAddresses}:${t.Port}`,
            ).sort(),
          ]).toEqual([`${name} ${id} ${port.port}`, expected.sort()]);
        }
      }
    }
  });

  it('serves EIPClaims only on VPC-CNI clusters', async () => {
    const list = (cluster: string) =>
      clients(cluster).custom.listClusterCustomObject({
        group: 'networking.tke.cloud.tencent.com',
        version: 'v1',
        plural: 'eipclaims',
      });
    await expect(list('tke-blog')).resolves.toMatchObject({ items: [] });
    await expect(list('edge')).rejects.toMatchObject({ code: 404 });
    await expect(list('aliyun-asm')).rejects.toMatchObject({ code: 404 });
  });

  it('hides a canary in every Secret', async () => {
    // The ASM instance holds Istio configuration only: it has no Secrets of its own.
    for (const cluster of CLUSTERS.filter(c => c !== 'aliyun-asm-mesh')) {
      const secrets = (await clients(cluster).core.listSecretForAllNamespaces())
        .items;
      expect(secrets.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        const decoded = Object.values(secret.data ?? {}).map(value =>
          Buffer.from(value, 'base64').toString('utf8'),
        );
        expect([
          `${cluster}/${secret.metadata?.name}`,
          decoded.some(text => text.includes('ATLAS-CANARY-')),
        ]).toEqual([`${cluster}/${secret.metadata?.name}`, true]);
      }
    }
  });

  describe('problems for the atlas to find', () => {
    it('a Gateway whose selector matches no workload', async () => {
      const gateway = (await istio('tke-saas-primary', 'gateways')).find(
        g => g.metadata.name === 'saas-admin-gateway',
      );
      const selector = Object.entries(gateway.spec.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const pods = await clients(
        'tke-saas-primary',
      ).core.listPodForAllNamespaces({ labelSelector: selector });
      expect(pods.items).toEqual([]);
    });

    it('a VirtualService naming a missing gateway', async () => {
      const gateways = (await istio('edge', 'gateways')).map(
        g => `${g.metadata.namespace}/${g.metadata.name}`,
      );
      const canary = (await istio('edge', 'virtualservices')).find(
        v => v.metadata.name === 'edge-web-canary',
      );
      expect(canary.spec.gateways).toEqual(['istio-system/canary-gateway']);
      expect(gateways).not.toContain('istio-system/canary-gateway');
    });

    it('a credentialName Secret in the Gateway namespace instead of the gateway workload namespace', async () => {
      // ASM keeps the Gateway on the ASM instance; the gateway and Secrets are in aliyun-asm.
      const gateway = (await istio('aliyun-asm-mesh', 'gateways')).find(
        g => g.metadata.name === 'shop-gateway',
      );
      const credential = gateway.spec.servers[0].tls.credentialName;
      const { core } = clients('aliyun-asm');
      const workloadNamespaces = (
        await core.listPodForAllNamespaces({
          labelSelector: 'istio=ingressgateway',
        })
      ).items.map(p => p.metadata?.namespace);
      expect(new Set(workloadNamespaces)).toEqual(new Set(['istio-system']));
      expect(
        (
          await core.listSecretForAllNamespaces({
            fieldSelector: `metadata.name=${credential}`,
          })
        ).items.map(s => s.metadata?.namespace),
      ).toEqual(['shop']);
    });

    it('a hostNetwork gateway without ClusterFirstWithHostNet', async () => {
      const pods = (
        await clients('edge').core.listPodForAllNamespaces({
          fieldSelector: 'spec.hostNetwork=true',
        })
      ).items;
      const gateways = pods.filter(p => p.metadata?.labels?.istio);
      expect(
        gateways
          .map(p => [p.metadata?.labels?.istio, p.spec?.dnsPolicy])
          .sort(),
      ).toEqual([
        ['ingressgateway', 'ClusterFirstWithHostNet'],
        ['ingressgateway', 'ClusterFirstWithHostNet'],
        ['legacy-gateway', 'ClusterFirst'],
      ]);
    });

    it('a TLS certificate expiring within 30 days, and the others valid', async () => {
      const expiring: string[] = [];
      for (const cluster of CLUSTERS) {
        for (const secret of (
          await clients(cluster).core.listSecretForAllNamespaces({
            fieldSelector: 'type=kubernetes.io/tls',
          })
        ).items) {
          const certificate = new X509Certificate(
            Buffer.from(secret.data!['tls.crt'], 'base64'),
          );
          const days =
            (new Date(certificate.validTo).getTime() - DEMO_DATE.getTime()) /
            86_400_000;
          expect(days).toBeGreaterThan(0);
          if (days < 30)
            expiring.push(
              `${cluster}/${secret.metadata?.namespace}/${secret.metadata?.name}`,
            );
        }
      }
      expect(expiring).toEqual(['tke-saas-primary/istio-system/saas-api-tls']);
    });

    it('a public load balancer in front of a single-replica gateway', async () => {
      const { core, apps } = clients('tke-blog');
      const service = await core.readNamespacedService({
        name: 'istio-ingressgateway',
        namespace: 'istio-system',
      });
      expect(
        service.metadata?.annotations?.[
          'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid'
        ],
      ).toBeUndefined();
      const deployment = await apps.readNamespacedDeployment({
        name: 'istio-ingressgateway',
        namespace: 'istio-system',
      });
      expect(deployment.status?.readyReplicas).toBe(1);
    });

    it('an API server proxy behind a public ELB', async () => {
      const { core } = clients('huawei-cce');
      const service = await core.readNamespacedService({
        name: 'apiserver-proxy',
        namespace: 'api-proxy',
      });
      expect(
        JSON.parse(
          service.metadata!.annotations!['kubernetes.io/elb.autocreate'],
        ).type,
      ).toBe('public');
      expect(service.status?.loadBalancer?.ingress).toEqual([
        { ip: '192.0.2.50' },
      ]);
      const config = await core.readNamespacedConfigMap({
        name: 'apiserver-proxy',
        namespace: 'api-proxy',
      });
      expect(config.data?.['nginx.conf']).toContain(
        'server kubernetes.default.svc.cluster.local:443;',
      );
    });
  });
});

describe('the control API', () => {
  afterEach(() => control('DELETE', '/faults/*'));

  it('injects faults into one cluster and counts requests', async () => {
    await control('POST', '/stats/reset');
    const set = await control('POST', '/faults/edge', {
      errorRate: 1,
      errorCode: 500,
    });
    expect(set).toEqual({
      status: 200,
      body: { edge: { errorRate: 1, errorCode: 500 } },
    });
    await expect(clients('edge').core.listNamespace()).rejects.toMatchObject({
      code: 500,
    });
    await expect(
      clients('tke-blog').core.listNamespace(),
    ).resolves.toBeDefined();

    await control('DELETE', '/faults/edge');
    await expect(clients('edge').core.listNamespace()).resolves.toBeDefined();
    const { body } = await control('GET', '/stats');
    expect(body.clusters.edge).toMatchObject({
      requests: 2,
      byVerb: { list: 1 },
      faulted: { errors: 1 },
    });
    expect(body.totalClusterRequests).toBe(3);
  });

  it('answers reachability probes from its own state, never from the network', async () => {
    // 203.0.113.21 is the EIP of edge node 10.1.0.11, where the host-network gateway listens.
    expect(
      (await control('GET', '/reachability?address=203.0.113.21&port=443'))
        .body,
    ).toEqual({
      reachable: true,
      detail: expect.stringMatching(
        /^pod istio-system\/istio-ingressgateway-[a-z0-9-]+ on cluster edge \(node 10\.1\.0\.11\) is Ready and listens on 443$/,
      ),
    });
    expect(
      (await control('GET', '/reachability?address=203.0.113.21&port=8443'))
        .body,
    ).toMatchObject({
      reachable: false,
      detail: expect.stringContaining('no Ready pod listens on 8443'),
    });
    expect(
      (await control('GET', '/reachability?address=198.51.100.99&port=443'))
        .body,
    ).toEqual({
      reachable: false,
      detail: '198.51.100.99 is bound to no pod or node of the sandbox',
    });
    expect(
      (await control('GET', '/reachability?address=x&port=443')).status,
    ).toBe(400);
  });

  it('names what was wrong with a bad request', async () => {
    expect(await control('POST', '/faults/edge', { latency: 5 })).toEqual({
      status: 400,
      body: {
        error:
          'Unknown fault "latency"; known: latencyMs, errorRate, errorCode, hang, dropListRate, garbageListRate, expireContinue, stuckContinue, expireWatch',
      },
    });
    expect(
      (await control('POST', '/faults/nowhere', { latencyMs: 5 })).status,
    ).toBe(404);
  });
});

describe('a short DNS TTL', () => {
  it('caps the TTL of address records, and leaves NS records alone', async () => {
    const short = await startSandbox({
      estatesDir: ESTATES,
      clusters: ['tke-blog'],
      basePort: 0,
      dnsTtl: 5,
    });
    try {
      const records = short.cloud!.state.domains['example.com'];
      expect(records.find(r => r.Name === 'blog')!.TTL).toBe(5);
      expect(records.filter(r => r.Type === 'NS').map(r => r.TTL)).toEqual([
        86400, 86400,
      ]);
    } finally {
      await short.stop();
    }
  });
});
