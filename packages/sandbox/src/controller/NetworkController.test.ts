import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  V1Service,
  setHeaderOptions,
} from '@kubernetes/client-node';
import path from 'node:path';
import { clb } from 'tencentcloud-sdk-nodejs/tencentcloud/services/clb';
import { vpc } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc';
import type { ClusterSpec } from '../estate';
import { inCidr } from '../ipv4';
import { RunningCluster, startCluster } from '../kube/startCluster';
import { sandboxKubeconfig } from '../kubeconfig';
import { TencentCloudServer, startTencentCloudServer } from '../tencent';

const SEED = path.resolve(
  __dirname,
  '../../../../examples/sandbox/cloud/tencent.yaml',
);
const credential = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};

const tke: ClusterSpec = {
  name: 'tke-test',
  port: 0,
  provider: 'tencent',
  region: 'ap-guangzhou',
  cloudClusterId: 'cls-test0001',
  vpcCni: true,
  podCidr: '10.0.64.0/24',
  serviceCidr: '172.18.0.0/22',
  nodes: [
    { name: '10.0.0.21', internalIp: '10.0.0.21', labels: { role: 'app' } },
    { name: '10.0.0.22', internalIp: '10.0.0.22', labels: { role: 'app' } },
    { name: '10.0.0.23', internalIp: '10.0.0.23', labels: { role: 'edge' } },
  ],
};

const namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'apps' },
};

let cloud: TencentCloudServer;
let cluster: RunningCluster;
let core: CoreV1Api;
let apps: AppsV1Api;
let custom: CustomObjectsApi;

async function start(spec: ClusterSpec) {
  cluster = await startCluster({
    spec,
    objects: [namespace],
    cloud: spec.provider === 'tencent' ? cloud.cloud : undefined,
  });
  const config = new KubeConfig();
  config.loadFromString(
    sandboxKubeconfig({
      [spec.name]: { url: cluster.url, token: cluster.token },
    }),
  );
  core = config.makeApiClient(CoreV1Api);
  apps = config.makeApiClient(AppsV1Api);
  custom = config.makeApiClient(CustomObjectsApi);
}

function tencent<T>(Client: new (config: any) => T): T {
  return new Client({
    credential,
    region: 'ap-guangzhou',
    profile: {
      httpProfile: {
        endpoint: cloud.url.replace('http://', ''),
        protocol: 'http://',
        reqTimeout: 5,
      },
    },
  });
}

async function addressOf(ip: string) {
  const { AddressSet } = await tencent(vpc.v20170312.Client).DescribeAddresses({
    Filters: [{ Name: 'address-ip', Values: [ip] }],
  });
  return AddressSet?.[0];
}

async function listenersOf(loadBalancerId: string) {
  const { Listeners } = await tencent(clb.v20180317.Client).DescribeTargets({
    LoadBalancerId: loadBalancerId,
  });
  return Listeners!.map(l => ({
    port: l.Port,
    targets: l.Targets!.map(t => ({
      type: t.Type,
      eniId: t.EniId,
      address: `${t.PrivateIpAddresses}:${t.Port}`,
    })),
  }));
}

async function loadBalancer(id: string) {
  const { LoadBalancerSet } = await tencent(
    clb.v20180317.Client,
  ).DescribeLoadBalancers({ LoadBalancerIds: [id] });
  return LoadBalancerSet?.[0];
}

async function podsOf(app: string) {
  return (
    await core.listNamespacedPod({
      namespace: 'apps',
      labelSelector: `app=${app}`,
    })
  ).items;
}

function eipClaim(name: string): Promise<any> {
  return custom.getNamespacedCustomObject({
    group: 'networking.tke.cloud.tencent.com',
    version: 'v1',
    namespace: 'apps',
    plural: 'eipclaims',
    name,
  });
}

function deployment(
  name: string,
  replicas: number,
  podSpec: object = {},
  annotations?: Record<string, string>,
) {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name },
          ...(annotations ? { annotations } : {}),
        },
        spec: {
          containers: [
            {
              name,
              image: `example/${name}:1`,
              ports: [{ name: 'http', containerPort: 8080 }],
            },
          ],
          ...podSpec,
        },
      },
    },
  };
}

const EIP_ANNOTATIONS = {
  'tke.cloud.tencent.com/networks': 'tke-route-eni',
  'tke.cloud.tencent.com/eip-attributes': '{"Bandwidth":"100","ISP":"BGP"}',
};

beforeEach(async () => {
  cloud = await startTencentCloudServer({
    seedFile: SEED,
    credentials: [credential],
  });
});

afterEach(async () => {
  await cluster?.stop();
  await cloud.stop();
});

describe('workloads', () => {
  beforeEach(() => start(tke));

  it('runs Deployment, StatefulSet and DaemonSet pods with real-looking names, IPs and status', async () => {
    await apps.createNamespacedDeployment({
      namespace: 'apps',
      body: deployment('web', 2),
    });
    const db = deployment('db', 2);
    await apps.createNamespacedStatefulSet({
      namespace: 'apps',
      body: { ...db, spec: { ...db.spec, serviceName: 'db' } },
    });
    const agent = deployment('agent', 1, {
      hostNetwork: true,
      nodeSelector: { role: 'app' },
    });
    const { replicas: _replicas, ...agentSpec } = agent.spec;
    await apps.createNamespacedDaemonSet({
      namespace: 'apps',
      body: { ...agent, spec: agentSpec },
    });

    const pods = (await core.listNamespacedPod({ namespace: 'apps' })).items;
    const names = pods.map(p => p.metadata!.name!).sort();
    expect(names.filter(n => n.startsWith('web-'))).toEqual([
      expect.stringMatching(/^web-[b-z2-9]{10}-[b-z2-9]{5}$/),
      expect.stringMatching(/^web-[b-z2-9]{10}-[b-z2-9]{5}$/),
    ]);
    expect(names.filter(n => n.startsWith('db-'))).toEqual(['db-0', 'db-1']);
    const agents = pods.filter(p => p.metadata!.name!.startsWith('agent-'));
    expect(agents.map(p => [p.spec!.nodeName, p.status!.podIP]).sort()).toEqual(
      [
        ['10.0.0.21', '10.0.0.21'],
        ['10.0.0.22', '10.0.0.22'],
      ],
    );
    for (const pod of pods.filter(p => !p.spec!.hostNetwork)) {
      expect(pod.status).toMatchObject({
        phase: 'Running',
        podIP: expect.stringMatching(/^10\.0\.64\.\d+$/),
      });
      expect(
        pod.status!.conditions!.find(c => c.type === 'Ready')!.status,
      ).toBe('True');
      expect(tke.nodes.map(n => n.name)).toContain(pod.spec!.nodeName);
    }
    const web = await apps.readNamespacedDeployment({
      name: 'web',
      namespace: 'apps',
    });
    expect(web.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
  });

  it('keeps Endpoints in sync with the pods a Service selects', async () => {
    await apps.createNamespacedDeployment({
      namespace: 'apps',
      body: deployment('web', 2),
    });
    await core.createNamespacedService({
      namespace: 'apps',
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { app: 'web' },
          ports: [{ name: 'http', port: 80, targetPort: 'http' as any }],
        },
      },
    });
    const addresses = async () =>
      (
        await core.readNamespacedEndpoints({ name: 'web', namespace: 'apps' })
      ).subsets?.flatMap(s => s.addresses ?? []) ?? [];
    expect(await addresses()).toHaveLength(2);
    expect(
      (await core.readNamespacedEndpoints({ name: 'web', namespace: 'apps' }))
        .subsets![0].ports,
    ).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);

    await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'apps', body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const pods = await podsOf('web');
    expect((await addresses()).map(a => a.ip).sort()).toEqual(
      pods.map(p => p.status!.podIP).sort(),
    );
    expect(pods).toHaveLength(3);

    await core.deleteNamespacedService({ name: 'web', namespace: 'apps' });
    await expect(
      core.readNamespacedEndpoints({ name: 'web', namespace: 'apps' }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('gives each pod the QoS class Kubernetes computes from its containers and init containers', async () => {
    const limited = { limits: { cpu: '500m', memory: '256Mi' } };
    const container = (name: string, resources?: object) => ({
      name,
      image: `example/${name}:1`,
      ...(resources ? { resources } : {}),
    });
    const cases: Array<[string, object, string]> = [
      ['plain', { containers: [container('plain')] }, 'BestEffort'],
      [
        'exact',
        {
          containers: [
            container('exact', limited),
            container('proxy', {
              limits: { cpu: '1', memory: '1Gi' },
              requests: { cpu: '1000m', memory: '1024Mi' },
            }),
          ],
          initContainers: [
            container('init', {
              limits: { cpu: '0.5', memory: '256Mi' },
              requests: { cpu: '500m' },
            }),
          ],
        },
        'Guaranteed',
      ],
      [
        'unlimited-init',
        {
          containers: [container('unlimited-init', limited)],
          initContainers: [container('init')],
        },
        'Burstable',
      ],
      [
        'requests-below',
        {
          containers: [
            container('requests-below', {
              ...limited,
              requests: { cpu: '100m' },
            }),
          ],
        },
        'Burstable',
      ],
      [
        'cpu-only',
        { containers: [container('cpu-only', { requests: { cpu: '100m' } })] },
        'Burstable',
      ],
      [
        'pending',
        {
          containers: [container('pending', limited)],
          nodeSelector: { role: 'gpu' },
        },
        'Guaranteed',
      ],
    ];
    for (const [name, podSpec] of cases) {
      await apps.createNamespacedDeployment({
        namespace: 'apps',
        body: deployment(name, 1, podSpec),
      });
    }
    const classes = await Promise.all(
      cases.map(async ([name]) => [
        name,
        (await podsOf(name))[0].status?.qosClass,
      ]),
    );
    expect(classes).toEqual(cases.map(([name, , qos]) => [name, qos]));
    const [exact] = await podsOf('exact');
    expect(exact.spec!.containers[0].resources).toEqual({
      ...limited,
      requests: limited.limits,
    });
  });

  it('leaves pods Pending when no node fits, and replaces pods of a changed template', async () => {
    await apps.createNamespacedDeployment({
      namespace: 'apps',
      body: deployment('nowhere', 1, { nodeSelector: { role: 'gpu' } }),
    });
    const [pending] = await podsOf('nowhere');
    expect(pending.status?.phase).toBe('Pending');
    expect(pending.status?.podIP).toBeUndefined();

    await apps.patchNamespacedDeployment(
      {
        name: 'nowhere',
        namespace: 'apps',
        body: {
          spec: { template: { spec: { nodeSelector: { role: 'edge' } } } },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const [moved] = await podsOf('nowhere');
    expect(moved.metadata?.name).not.toBe(pending.metadata?.name);
    expect(moved.spec?.nodeName).toBe('10.0.0.23');
  });
});

describe('pod EIPs on VPC-CNI', () => {
  beforeEach(() => start(tke));

  it('binds an EIP to a pod that asks for one, and releases it with the pod', async () => {
    await apps.createNamespacedDeployment({
      namespace: 'apps',
      body: deployment('gw', 1, {}, EIP_ANNOTATIONS),
    });
    const [pod] = await podsOf('gw');
    const ip =
      pod.metadata?.annotations?.['tke.cloud.tencent.com/eip-public-ip'];
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    const claim = await eipClaim(pod.metadata!.name!);
    expect(claim.status).toMatchObject({
      phase: 'Bound',
      ip,
      podIp: pod.status!.podIP,
    });
    expect(await addressOf(ip!)).toMatchObject({
      AddressStatus: 'BIND',
      PrivateAddressIp: pod.status!.podIP,
      Bandwidth: 100,
      TagSet: expect.arrayContaining([
        { Key: 'tke-clusterId', Value: 'cls-test0001' },
      ]),
    });

    await apps.deleteNamespacedDeployment({ name: 'gw', namespace: 'apps' });
    expect(await addressOf(ip!)).toBeUndefined();
    await expect(eipClaim(pod.metadata!.name!)).rejects.toMatchObject({
      code: 404,
    });
  });

  it('keeps the EIP of a StatefulSet pod with delete policy Never across restarts', async () => {
    const annotations = {
      ...EIP_ANNOTATIONS,
      'tke.cloud.tencent.com/eip-claim-delete-policy': 'Never',
    };
    const body = deployment('edge', 1, {}, annotations);
    await apps.createNamespacedStatefulSet({
      namespace: 'apps',
      body: { ...body, spec: { ...body.spec, serviceName: 'edge' } },
    });
    const ipOf = async () =>
      (await core.readNamespacedPod({ name: 'edge-0', namespace: 'apps' }))
        .metadata?.annotations?.['tke.cloud.tencent.com/eip-public-ip'];
    const first = await ipOf();
    expect(first).toBeDefined();

    await core.deleteNamespacedPod({ name: 'edge-0', namespace: 'apps' });
    expect(await ipOf()).toBe(first);

    await apps.patchNamespacedStatefulSet(
      { name: 'edge', namespace: 'apps', body: { spec: { replicas: 0 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(await addressOf(first!)).toMatchObject({ AddressStatus: 'UNBIND' });
  });

  it('puts a pod on the ENI the cloud already records for its IP', async () => {
    await cluster.stop();
    await start({
      ...tke,
      cloudClusterId: 'cls-blog0001',
      podCidr: '10.0.1.0/24',
      podIps: { 'apps/gw': ['10.0.1.20'] },
    });
    await apps.createNamespacedDeployment({
      namespace: 'apps',
      body: deployment('gw', 1, {}, EIP_ANNOTATIONS),
    });
    const [pod] = await podsOf('gw');
    expect(pod.status?.podIP).toBe('10.0.1.20');
    const claim = await eipClaim(pod.metadata!.name!);
    // lb-blog0001 of the seed targets 10.0.1.20 on eni-blog0001.
    expect(claim.status.eniId).toBe('eni-blog0001');
    expect(
      await addressOf(
        pod.metadata!.annotations!['tke.cloud.tencent.com/eip-public-ip'],
      ),
    ).toMatchObject({ NetworkInterfaceId: 'eni-blog0001' });
  });

  it('leaves a pod without an EIP, and says why, when the region quota is used up', async () => {
    cloud.state.regions['ap-guangzhou'].AddressQuotaLimits.TOTAL_EIP_QUOTA = 3;
    await apps.createNamespacedDeployment({
      namespace: 'apps',
      body: deployment('gw', 1, {}, EIP_ANNOTATIONS),
    });
    const [pod] = await podsOf('gw');
    expect(
      pod.metadata?.annotations?.['tke.cloud.tencent.com/eip-public-ip'],
    ).toBeUndefined();
    expect(cluster.controller.errors).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^FailedAllocateEIP apps/${pod.metadata!.name}: .*3 of its 3 EIPs`,
        ),
      ),
    );
  });

  it('serves no EIPClaim kind on a cluster without VPC-CNI', async () => {
    await cluster.stop();
    await start({ ...tke, name: 'tke-gr', vpcCni: false });
    await apps.createNamespacedDeployment({
      namespace: 'apps',
      body: deployment('gw', 1, {}, EIP_ANNOTATIONS),
    });
    const [pod] = (await core.listNamespacedPod({ namespace: 'apps' })).items;
    expect(
      pod.metadata?.annotations?.['tke.cloud.tencent.com/eip-public-ip'],
    ).toBeUndefined();
    await expect(
      custom.listClusterCustomObject({
        group: 'networking.tke.cloud.tencent.com',
        version: 'v1',
        plural: 'eipclaims',
      }),
    ).rejects.toMatchObject({ code: 404 });
  });
});

describe('LoadBalancer Services', () => {
  const lbService = (
    name: string,
    annotations: Record<string, string> = {},
  ): V1Service => ({
    metadata: { name, annotations },
    spec: {
      type: 'LoadBalancer',
      selector: { app: name },
      ports: [{ name: 'https', port: 443, targetPort: 8443 as any }],
    },
  });

  it('gets a CLB from TKE, public or internal, which goes away with the Service', async () => {
    await start(tke);
    await core.createNamespacedService({
      namespace: 'apps',
      body: lbService('public'),
    });
    await core.createNamespacedService({
      namespace: 'apps',
      body: lbService('private', {
        'service.kubernetes.io/qcloud-loadbalancer-internal-subnetid':
          'subnet-gz000011',
      }),
    });
    const publicService = await core.readNamespacedService({
      name: 'public',
      namespace: 'apps',
    });
    const id =
      publicService.metadata?.annotations?.[
        'service.kubernetes.io/loadbalance-id'
      ];
    expect(id).toMatch(/^lb-/);
    const lb = await loadBalancer(id!);
    expect(lb).toMatchObject({
      LoadBalancerType: 'OPEN',
      Tags: expect.arrayContaining([
        { TagKey: 'tke-createdBy-flag', TagValue: 'yes' },
      ]),
    });
    expect(publicService.status?.loadBalancer?.ingress).toEqual([
      { ip: lb!.LoadBalancerVips![0] },
    ]);
    expect(publicService.spec?.ports?.[0].nodePort).toBeGreaterThanOrEqual(
      30000,
    );

    const privateService = await core.readNamespacedService({
      name: 'private',
      namespace: 'apps',
    });
    const internal = await loadBalancer(
      privateService.metadata!.annotations![
        'service.kubernetes.io/loadbalance-id'
      ],
    );
    expect(internal).toMatchObject({
      LoadBalancerType: 'INTERNAL',
      VpcId: 'vpc-gz000001',
      SubnetId: 'subnet-gz000011',
    });
    expect(inCidr('10.0.1.0/24', internal!.LoadBalancerVips![0])).toBe(true);
    expect(privateService.status?.loadBalancer?.ingress).toEqual([
      { ip: internal!.LoadBalancerVips![0] },
    ]);

    await core.deleteNamespacedService({ name: 'public', namespace: 'apps' });
    expect(await loadBalancer(id!)).toBeUndefined();
  });

  it('with direct access, targets each pod on the targetPort of each Service port', async () => {
    await start(tke);
    const web = deployment('web', 2);
    web.spec.template.spec.containers[0].ports.push({
      name: 'https',
      containerPort: 8443,
    });
    await apps.createNamespacedDeployment({ namespace: 'apps', body: web });
    await core.createNamespacedService({
      namespace: 'apps',
      body: {
        metadata: {
          name: 'web',
          annotations: { 'service.cloud.tencent.com/direct-access': 'true' },
        },
        spec: {
          type: 'LoadBalancer',
          selector: { app: 'web' },
          ports: [
            { name: 'http', port: 80, targetPort: 'http' as any },
            { name: 'https', port: 443, targetPort: 8443 as any },
          ],
        },
      },
    });
    const service = await core.readNamespacedService({
      name: 'web',
      namespace: 'apps',
    });
    const pods = await podsOf('web');
    const listeners = await listenersOf(
      service.metadata!.annotations!['service.kubernetes.io/loadbalance-id'],
    );
    const podIps = pods.map(p => p.status!.podIP!).sort();

    expect(
      listeners.map(l => [l.port, l.targets.map(t => t.address).sort()]),
    ).toEqual([
      [80, podIps.map(ip => `${ip}:8080`)],
      [443, podIps.map(ip => `${ip}:8443`)],
    ]);
    expect(listeners.flatMap(l => l.targets)).toEqual(
      Array(4).fill(
        expect.objectContaining({
          type: 'ENI',
          eniId: expect.stringMatching(/^eni-[b-z2-9]{8}$/),
        }),
      ),
    );
  });

  it('reuses an existing CLB named by tke-existed-lbid and never deletes it', async () => {
    await start(tke);
    await core.createNamespacedService({
      namespace: 'apps',
      body: lbService('reuse', {
        'service.kubernetes.io/tke-existed-lbid': 'lb-idle0001',
      }),
    });
    const service = await core.readNamespacedService({
      name: 'reuse',
      namespace: 'apps',
    });
    expect(
      service.metadata?.annotations?.['service.kubernetes.io/loadbalance-id'],
    ).toBe('lb-idle0001');
    expect(service.status?.loadBalancer?.ingress).toEqual([
      { ip: '198.51.100.99' },
    ]);
    await core.deleteNamespacedService({ name: 'reuse', namespace: 'apps' });
    expect(await loadBalancer('lb-idle0001')).toBeDefined();
  });

  it("keeps the tke-lb-serviceuuid tag of TKE's CLB on the uid of the Service that names it", async () => {
    // lb-blog0001 is TKE's CLB of cls-blog0001 in the seed, tagged with an earlier uid.
    await start({ ...tke, cloudClusterId: 'cls-blog0001' });
    const created = await core.createNamespacedService({
      namespace: 'apps',
      body: lbService('gateway', {
        'service.kubernetes.io/loadbalance-id': 'lb-blog0001',
      }),
    });
    const uid = created.metadata?.uid;
    expect(uid).toBeTruthy();
    expect((await loadBalancer('lb-blog0001'))?.Tags).toEqual(
      expect.arrayContaining([{ TagKey: 'tke-lb-serviceuuid', TagValue: uid }]),
    );
  });

  it('outside Tencent, gets the address the estate lists and calls no cloud', async () => {
    await start({
      ...tke,
      name: 'aliyun-test',
      provider: 'aliyun',
      vpcCni: false,
      loadBalancers: { 'apps/shop': '203.0.113.102' },
    });
    const before = (
      await tencent(clb.v20180317.Client).DescribeLoadBalancers({})
    ).TotalCount;
    await core.createNamespacedService({
      namespace: 'apps',
      body: lbService('shop'),
    });
    const service = await core.readNamespacedService({
      name: 'shop',
      namespace: 'apps',
    });
    expect(service.status?.loadBalancer?.ingress).toEqual([
      { ip: '203.0.113.102' },
    ]);
    expect(
      service.metadata?.annotations?.['service.kubernetes.io/loadbalance-id'],
    ).toBeUndefined();
    expect(
      (await tencent(clb.v20180317.Client).DescribeLoadBalancers({}))
        .TotalCount,
    ).toBe(before);
  });

  it("on CCE, gives a Service asking for an ELB on the VPC only an address of the cluster's subnet", async () => {
    await start({
      ...tke,
      name: 'cce-test',
      provider: 'huawei',
      vpcCni: false,
      apiServer: { ip: '10.0.0.2', port: 5443 },
      loadBalancerSubnet: '10.0.0.0/24',
      loadBalancers: { 'apps/listed': '10.0.0.3' },
    });
    const inner = JSON.stringify({ type: 'inner', name: 'cce-test-proxy' });
    for (const [name, annotations] of [
      [
        'inner',
        {
          'kubernetes.io/elb.class': 'union',
          'kubernetes.io/elb.autocreate': inner,
        },
      ],
      ['second', { 'kubernetes.io/elb.autocreate': inner }],
      [
        'with-eip',
        {
          'kubernetes.io/elb.autocreate':
            '{"type":"public","bandwidth_size":5}',
        },
      ],
      [
        'existing',
        {
          'kubernetes.io/elb.id': 'elb-0001',
          'kubernetes.io/elb.autocreate': inner,
        },
      ],
    ] as const) {
      await core.createNamespacedService({
        namespace: 'apps',
        body: lbService(name, annotations),
      });
    }
    const address = async (name: string) =>
      (await core.readNamespacedService({ name, namespace: 'apps' })).status
        ?.loadBalancer?.ingress;
    // The gateway (.1), the API server (.2), a listed address (.3) are taken: the first free.
    expect(await address('inner')).toEqual([{ ip: '10.0.0.4' }]);
    expect(await address('second')).toEqual([{ ip: '10.0.0.5' }]);
    // An EIP or an existing ELB: only the cloud knows the address, and it has no stand-in.
    expect(await address('with-eip')).toBeUndefined();
    expect(await address('existing')).toBeUndefined();

    // No longer a LoadBalancer: the ELB goes, and its address with it.
    await core.patchNamespacedService(
      {
        name: 'inner',
        namespace: 'apps',
        body: { spec: { type: 'ClusterIP' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(await address('inner')).toBeUndefined();
  });
});
