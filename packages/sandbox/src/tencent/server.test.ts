import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { clb } from 'tencentcloud-sdk-nodejs/tencentcloud/services/clb';
import { dnspod } from 'tencentcloud-sdk-nodejs/tencentcloud/services/dnspod';
import { tcm } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tcm';
import { tke } from 'tencentcloud-sdk-nodejs/tencentcloud/services/tke';
import { vpc } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc';
import { parse, stringify } from 'yaml';
import { inCidr } from '../ipv4';
import { addApiProxyEndpoint } from './apiProxyEndpoint';
import { startTencentCloudServer, TencentCloudServer } from './index';

const SEED = resolvePath(
  __dirname,
  '../../../../examples/sandbox/cloud/tencent.yaml',
);
const credential = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};

describe('Tencent Cloud API stand-in', () => {
  let server: TencentCloudServer;

  function clientConfig(region: string, cred = credential) {
    const endpoint = server.url.replace('http://', '');
    return {
      credential: cred,
      region,
      profile: {
        httpProfile: { endpoint, protocol: 'http://', reqTimeout: 5 },
      },
    };
  }

  beforeEach(async () => {
    server = await startTencentCloudServer({
      seedFile: SEED,
      credentials: [credential],
    });
  });

  afterEach(async () => {
    await server.stop();
  });

  it('serves the seeded CLBs with listeners, targets and target counts', async () => {
    const client = new clb.v20180317.Client(clientConfig('ap-guangzhou'));

    const { TotalCount, LoadBalancerSet } = await client.DescribeLoadBalancers({
      AdditionalFields: ['TargetCount'],
    });
    expect(TotalCount).toBe(2);
    const blog = LoadBalancerSet!.find(
      lb => lb.LoadBalancerId === 'lb-blog0001',
    )!;
    expect(blog).toMatchObject({
      LoadBalancerType: 'OPEN',
      LoadBalancerVips: ['198.51.100.11'],
      TargetCount: 3,
    });
    expect(blog.Tags).toEqual(
      expect.arrayContaining([
        { TagKey: 'tke-createdBy-flag', TagValue: 'yes' },
        { TagKey: 'tke-clusterId', TagValue: 'cls-blog0001' },
      ]),
    );
    expect(blog).not.toHaveProperty('Listeners');

    const { Listeners } = await client.DescribeListeners({
      LoadBalancerId: 'lb-blog0001',
    });
    expect(Listeners!.map(l => l.Port)).toEqual([80, 443, 15021]);
    const targets = await client.DescribeTargets({
      LoadBalancerId: 'lb-blog0001',
      Port: 443,
    });
    expect(targets.Listeners![0].Targets).toEqual([
      expect.objectContaining({
        Type: 'ENI',
        Port: 8443,
        PrivateIpAddresses: ['10.0.1.20'],
      }),
    ]);

    const idle = await client.DescribeListeners({
      LoadBalancerId: 'lb-idle0001',
    });
    expect(idle.Listeners).toEqual([]);

    const shanghai = new clb.v20180317.Client(clientConfig('ap-shanghai'));
    const internal = await shanghai.DescribeLoadBalancers({
      LoadBalancerIds: ['lb-saasew01'],
    });
    expect(internal.LoadBalancerSet![0].LoadBalancerType).toBe('INTERNAL');
    expect(internal.LoadBalancerSet![0].Tags!.map(t => t.TagKey)).not.toContain(
      'tke-createdBy-flag',
    );
  });

  it('pages DescribeLoadBalancers to the end without repeating or skipping', async () => {
    for (let i = 0; i < 123; i++) {
      server.cloud.createServiceLoadBalancer({
        region: 'ap-guangzhou',
        clusterId: 'cls-blog0001',
        serviceUid: `uid-${i}`,
        serviceName: `load/svc-${i}`,
        internal: i % 2 === 0,
        ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }],
        targets: [{ ip: '10.0.2.10' }],
      });
    }
    const client = new clb.v20180317.Client(clientConfig('ap-guangzhou'));

    const seen: string[] = [];
    let total = Infinity;
    while (seen.length < total) {
      const response = await client.DescribeLoadBalancers({
        Offset: seen.length,
        Limit: 100,
      });
      total = response.TotalCount!;
      seen.push(...response.LoadBalancerSet!.map(lb => lb.LoadBalancerId!));
    }

    expect(total).toBe(125);
    expect(new Set(seen).size).toBe(125);
    expect(seen).toEqual(
      expect.arrayContaining(['lb-blog0001', 'lb-idle0001']),
    );
    await expect(
      client.DescribeLoadBalancers({ Limit: 101 }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });

  it('refuses a request signed with the wrong key or an unknown SecretId', async () => {
    const wrongKey = new vpc.v20170312.Client(
      clientConfig('ap-guangzhou', {
        ...credential,
        secretKey: 'not-the-secret-key',
      }),
    );
    await expect(wrongKey.DescribeAddresses({})).rejects.toMatchObject({
      code: 'AuthFailure.SignatureFailure',
    });

    const unknownId = new vpc.v20170312.Client(
      clientConfig('ap-guangzhou', { ...credential, secretId: 'AKIDUNKNOWN' }),
    );
    await expect(unknownId.DescribeAddresses({})).rejects.toMatchObject({
      code: 'AuthFailure.SecretIdNotFound',
    });
  });

  it('verifies requests signed for a product host name', async () => {
    // The SDK takes the credential scope's service from the endpoint's first label.
    const agent = new Agent({
      lookup: (_hostname, options, callback) =>
        options.all
          ? (callback as any)(null, [{ address: '127.0.0.1', family: 4 }])
          : callback(null, '127.0.0.1', 4),
    });
    const client = new clb.v20180317.Client({
      credential,
      region: 'ap-guangzhou',
      profile: {
        httpProfile: {
          endpoint: `clb.sandbox.test:${new URL(server.url).port}`,
          protocol: 'http://',
          agent,
        },
      },
    });

    await expect(client.DescribeLoadBalancers({})).resolves.toMatchObject({
      TotalCount: 2,
    });
    agent.destroy();
  });

  it('refuses a request whose timestamp is too old', async () => {
    const client = new vpc.v20170312.Client(clientConfig('ap-guangzhou'));
    const realNow = Date.now;
    Date.now = () => realNow() - 10 * 60 * 1000;
    try {
      await expect(client.DescribeAddresses({})).rejects.toMatchObject({
        code: 'AuthFailure.SignatureExpire',
      });
    } finally {
      Date.now = realNow;
    }
  });

  it('answers unknown actions and regions like the real API', async () => {
    const client = new clb.v20180317.Client(clientConfig('ap-guangzhou'));
    await expect(client.request('DescribeNothing', {})).rejects.toMatchObject({
      code: 'InvalidAction',
    });

    const mars = new clb.v20180317.Client(clientConfig('mars-north-1'));
    await expect(mars.DescribeLoadBalancers({})).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });

    const empty = new clb.v20180317.Client(clientConfig('ap-beijing'));
    await expect(empty.DescribeLoadBalancers({})).resolves.toMatchObject({
      TotalCount: 0,
      LoadBalancerSet: [],
    });
  });

  it('throttles, fails and counts the calls it was told to', async () => {
    const client = new clb.v20180317.Client(clientConfig('ap-guangzhou'));
    server.faults.throttle(
      { action: 'DescribeLoadBalancers', region: 'ap-guangzhou' },
      2,
    );

    await expect(client.DescribeLoadBalancers({})).rejects.toMatchObject({
      code: 'RequestLimitExceeded',
    });
    await expect(client.DescribeLoadBalancers({})).rejects.toMatchObject({
      code: 'RequestLimitExceeded',
    });
    await expect(client.DescribeLoadBalancers({})).resolves.toMatchObject({
      TotalCount: 2,
    });
    expect(server.faults.requestCount('DescribeLoadBalancers')).toBe(3);

    server.faults.failHttp({ action: 'DescribeListeners' }, 1, 502);
    await expect(
      client.DescribeListeners({ LoadBalancerId: 'lb-blog0001' }),
    ).rejects.toMatchObject({
      httpCode: 502,
    });
    await expect(
      client.DescribeListeners({ LoadBalancerId: 'lb-blog0001' }),
    ).resolves.toBeDefined();

    server.faults.delay({ action: 'DescribeTargets' }, 300);
    const started = Date.now();
    await client.DescribeTargets({ LoadBalancerId: 'lb-blog0001' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('deletes a CLB and reports the task done', async () => {
    const client = new clb.v20180317.Client(clientConfig('ap-guangzhou'));

    const { RequestId } = await client.DeleteLoadBalancer({
      LoadBalancerIds: ['lb-idle0001'],
    });
    const task = await client.DescribeTaskStatus({ TaskId: RequestId });

    expect(task).toMatchObject({ Status: 0, LoadBalancerIds: ['lb-idle0001'] });
    const after = await client.DescribeLoadBalancers({
      LoadBalancerIds: ['lb-idle0001'],
    });
    expect(after.TotalCount).toBe(0);
    await expect(
      client.DeleteLoadBalancer({ LoadBalancerIds: ['lb-idle0001'] }),
    ).rejects.toMatchObject({
      code: 'InvalidParameter.LBIdNotFound',
    });
  });

  it('shows EIPs bound by the simulated controller, and allocates and binds them through the API', async () => {
    const client = new vpc.v20170312.Client(clientConfig('ap-guangzhou'));
    const { addressId, ip } = server.cloud.bindPodEip({
      region: 'ap-guangzhou',
      clusterId: 'cls-blog0001',
      podIp: '10.0.1.20',
      eniId: 'eni-blog0001',
    });

    const byPodIp = await client.DescribeAddresses({
      Filters: [{ Name: 'private-ip-address', Values: ['10.0.1.20'] }],
    });
    expect(byPodIp.AddressSet).toEqual([
      expect.objectContaining({
        AddressId: addressId,
        AddressIp: ip,
        AddressStatus: 'BIND',
        NetworkInterfaceId: 'eni-blog0001',
        TagSet: expect.arrayContaining([
          { Key: 'tke-clusterId', Value: 'cls-blog0001' },
        ]),
      }),
    ]);

    const allocated = await client.AllocateAddresses({
      AddressCount: 1,
      InternetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
    });
    const newId = allocated.AddressSet![0];
    const task = await client.AssociateAddress({
      AddressId: newId,
      InstanceId: 'ins-blog0001',
    });
    await expect(
      client.DescribeTaskResult({ TaskId: Number(task.TaskId) }),
    ).resolves.toMatchObject({
      Result: 'SUCCESS',
    });
    const bound = await client.DescribeAddresses({
      Filters: [{ Name: 'address-id', Values: [newId] }],
    });
    expect(bound.AddressSet![0]).toMatchObject({
      AddressStatus: 'BIND',
      InstanceId: 'ins-blog0001',
    });

    const unbound = await client.DescribeAddresses({
      Filters: [{ Name: 'address-status', Values: ['UNBIND'] }],
    });
    expect(unbound.AddressSet!.map(a => a.AddressId)).toEqual(['eip-idle0001']);

    server.cloud.unbindPodEip({
      region: 'ap-guangzhou',
      addressId,
      release: true,
    });
    const released = await client.DescribeAddresses({
      AddressIds: [addressId],
    });
    expect(released.TotalCount).toBe(0);
  });

  it('pages DescribeAddresses and answers price inquiries', async () => {
    const client = new vpc.v20170312.Client(clientConfig('ap-guangzhou'));
    const first = await client.DescribeAddresses({ Offset: 0, Limit: 2 });
    const second = await client.DescribeAddresses({ Offset: 2, Limit: 2 });
    expect(first.TotalCount).toBe(3);
    expect(
      [...first.AddressSet!, ...second.AddressSet!]
        .map(a => a.AddressId)
        .sort(),
    ).toEqual(['eip-edge0001', 'eip-edge0002', 'eip-idle0001']);

    const eip = await client.InquiryPriceAllocateAddresses({
      InternetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
    });
    expect(eip.Price!.IPPrice).toMatchObject({
      UnitPrice: 0.2,
      ChargeUnit: 'HOUR',
    });
    const lb = await new clb.v20180317.Client(
      clientConfig('ap-guangzhou'),
    ).InquiryPriceCreateLoadBalancer({
      LoadBalancerType: 'OPEN',
      LoadBalancerChargeType: 'POSTPAID',
    });
    expect(lb.Price!.InstancePrice).toMatchObject({
      UnitPrice: 0.2,
      ChargeUnit: 'HOUR',
    });
  });

  it('serves VPC endpoints with the CLB behind their service', async () => {
    const client = new vpc.v20170312.Client(clientConfig('ap-shanghai'));
    // The saas VPCs are peered, so the seed has no endpoint; add one in front of an API proxy.
    await expect(client.DescribeVpcEndPoint({})).resolves.toMatchObject({
      TotalCount: 0,
    });
    const proxy = addApiProxyEndpoint(server);

    const endpoints = await client.DescribeVpcEndPoint({});
    expect(endpoints.EndPointSet).toEqual([
      expect.objectContaining({
        EndPointId: 'vpce-api00001',
        EndPointServiceId: 'vpcsvc-api00001',
        EndPointVip: '10.20.0.60',
      }),
    ]);
    const services = await client.DescribeVpcEndPointService({
      EndPointServiceIds: ['vpcsvc-api00001'],
    });
    expect(services.EndPointServiceSet![0]).toMatchObject({
      ServiceInstanceId: proxy.loadBalancerId,
      EndPointCount: 1,
    });
  });

  it("gives an internal CLB a free address of its subnet, or of its cluster's VPC", async () => {
    const internal = (
      clusterId: string,
      subnetId?: string,
      region = 'ap-shanghai',
    ) =>
      server.cloud.createServiceLoadBalancer({
        region,
        clusterId,
        serviceUid: `uid-${clusterId}-${subnetId}-${Math.random()}`,
        serviceName: 'istio-system/istio-eastwestgateway',
        internal: true,
        subnetId,
        ports: [{ port: 15443, protocol: 'TCP', nodePort: 32443 }],
        targets: [],
      });
    const client = new clb.v20180317.Client(clientConfig('ap-shanghai'));

    const first = internal('cls-saas0002', 'subnet-sh000021');
    const second = internal('cls-saas0002', 'subnet-sh000021');
    expect(inCidr('10.30.0.0/24', first.vip)).toBe(true);
    expect(inCidr('10.30.0.0/24', second.vip)).toBe(true);
    expect(second.vip).not.toBe(first.vip);
    const { LoadBalancerSet } = await client.DescribeLoadBalancers({
      LoadBalancerIds: [first.loadBalancerId],
    });
    expect(LoadBalancerSet![0]).toMatchObject({
      LoadBalancerType: 'INTERNAL',
      VpcId: 'vpc-sh000002',
      SubnetId: 'subnet-sh000021',
      LoadBalancerVips: [first.vip],
    });

    // A subnet the seed does not list is some subnet of the cluster's VPC.
    const unlisted = internal('cls-saas0001', 'subnet-unlisted');
    expect(inCidr('10.20.0.0/16', unlisted.vip)).toBe(true);
    expect(unlisted.vip).not.toBe('10.20.0.50');

    expect(() => internal('cls-saas0001', 'subnet-sh000021')).toThrow(
      'Subnet subnet-sh000021 belongs to vpc-sh000002, not to vpc-sh000001.',
    );
    expect(() => internal('cls-unknown', undefined, 'ap-guangzhou')).toThrow(
      /needs a known subnet or VPC/,
    );
  });

  it('targets pods directly on the targetPort of each listener, on their ENIs', async () => {
    const { loadBalancerId } = server.cloud.createServiceLoadBalancer({
      region: 'ap-guangzhou',
      clusterId: 'cls-blog0001',
      serviceUid: 'uid-direct',
      serviceName: 'apps/web',
      internal: false,
      ports: [
        { port: 80, protocol: 'TCP', nodePort: 30080, targetPort: 8080 },
        { port: 443, protocol: 'TCP', nodePort: 30443, targetPort: 8443 },
      ],
      targets: [
        { ip: '10.0.1.21', eniId: 'eni-aaaa0001' },
        { ip: '10.0.1.22', eniId: 'eni-aaaa0002' },
      ],
    });
    const client = new clb.v20180317.Client(clientConfig('ap-guangzhou'));

    const { Listeners } = await client.DescribeTargets({
      LoadBalancerId: loadBalancerId,
    });

    expect(
      Listeners!.map(l => [
        l.Port,
        l.Targets!.map(
          t => `${t.Type} ${t.EniId} ${t.PrivateIpAddresses}:${t.Port}`,
        ),
      ]),
    ).toEqual([
      [
        80,
        ['ENI eni-aaaa0001 10.0.1.21:8080', 'ENI eni-aaaa0002 10.0.1.22:8080'],
      ],
      [
        443,
        ['ENI eni-aaaa0001 10.0.1.21:8443', 'ENI eni-aaaa0002 10.0.1.22:8443'],
      ],
    ]);
  });

  it('knows the ENIs its CLB targets name, in their own VPC only', () => {
    expect(
      server.cloud.eniOf({
        region: 'ap-guangzhou',
        clusterId: 'cls-blog0001',
        privateIp: '10.0.1.20',
      }),
    ).toBe('eni-blog0001');
    expect(
      server.cloud.eniOf({
        region: 'ap-guangzhou',
        clusterId: 'cls-edge0001',
        privateIp: '10.0.1.20',
      }),
    ).toBeUndefined();
  });

  it('counts EIPs against the region quota and refuses allocations beyond it', async () => {
    const client = new vpc.v20170312.Client(clientConfig('ap-guangzhou'));
    const quota = async () =>
      Object.fromEntries(
        (await client.DescribeAddressQuota()).QuotaSet!.map(q => [
          q.QuotaId,
          [q.QuotaCurrent, q.QuotaLimit],
        ]),
      );
    expect(await quota()).toEqual({
      TOTAL_EIP_QUOTA: [3, 20],
      DAILY_EIP_APPLY: [0, 40],
    });

    const { AddressSet } = await client.AllocateAddresses({ AddressCount: 17 });
    expect(await quota()).toEqual({
      TOTAL_EIP_QUOTA: [20, 20],
      DAILY_EIP_APPLY: [17, 40],
    });
    await expect(
      client.AllocateAddresses({ AddressCount: 1 }),
    ).rejects.toMatchObject({ code: 'AddressQuotaLimitExceeded' });
    expect(() =>
      server.cloud.bindPodEip({
        region: 'ap-guangzhou',
        clusterId: 'cls-blog0001',
        podIp: '10.0.1.20',
        eniId: 'eni-blog0001',
      }),
    ).toThrow(expect.objectContaining({ code: 'AddressQuotaLimitExceeded' }));

    await client.ReleaseAddresses({ AddressIds: [AddressSet![0]] });
    await expect(
      client.AllocateAddresses({ AddressCount: 1 }),
    ).resolves.toMatchObject({ AddressSet: [expect.stringMatching(/^eip-/)] });
    expect(await quota()).toEqual({
      TOTAL_EIP_QUOTA: [20, 20],
      DAILY_EIP_APPLY: [18, 40],
    });
    // Other regions keep their own count.
    await expect(
      new vpc.v20170312.Client(
        clientConfig('ap-shanghai'),
      ).DescribeAddressQuota(),
    ).resolves.toMatchObject({
      QuotaSet: [
        { QuotaId: 'TOTAL_EIP_QUOTA', QuotaCurrent: 0, QuotaLimit: 20 },
        { QuotaId: 'DAILY_EIP_APPLY', QuotaCurrent: 0, QuotaLimit: 40 },
      ],
    });
  });

  it('takes EIP quota limits from the seed', async () => {
    const seed = parse(readFileSync(SEED, 'utf8'));
    seed.regions['ap-guangzhou'].AddressQuotaLimits = {
      TOTAL_EIP_QUOTA: 5,
      DAILY_EIP_APPLY: 3,
    };
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-seed-'));
    const seedFile = join(dir, 'tencent.yaml');
    writeFileSync(seedFile, stringify(seed));
    const limited = await startTencentCloudServer({
      seedFile,
      credentials: [credential],
    });
    try {
      const client = new vpc.v20170312.Client({
        ...clientConfig('ap-guangzhou'),
        profile: {
          httpProfile: {
            endpoint: limited.url.replace('http://', ''),
            protocol: 'http://',
          },
        },
      });
      await expect(
        client.AllocateAddresses({ AddressCount: 3 }),
      ).rejects.toMatchObject({ code: 'AddressQuotaLimitExceeded' });
      const { AddressSet } = await client.AllocateAddresses({
        AddressCount: 2,
      });
      await client.ReleaseAddresses({ AddressIds: AddressSet! });
      await client.AllocateAddresses({ AddressCount: 1 });
      await expect(
        client.AllocateAddresses({ AddressCount: 1 }),
      ).rejects.toMatchObject({
        code: 'AddressQuotaLimitExceeded.DailyAllocate',
      });
      await expect(client.DescribeAddressQuota()).resolves.toMatchObject({
        QuotaSet: [
          { QuotaId: 'TOTAL_EIP_QUOTA', QuotaCurrent: 4, QuotaLimit: 5 },
          { QuotaId: 'DAILY_EIP_APPLY', QuotaCurrent: 3, QuotaLimit: 3 },
        ],
      });
    } finally {
      await limited.stop();
      rmSync(dir, { recursive: true });
    }
  });

  it('serves TKE clusters, their VPC-CNI state and a kubeconfig for the Kubernetes stand-in', async () => {
    const client = new tke.v20180525.Client(clientConfig('ap-guangzhou'));
    const { TotalCount, Clusters } = await client.DescribeClusters({
      Limit: 1,
    });
    expect(TotalCount).toBe(4);
    expect(Clusters).toHaveLength(1);
    const rest = await client.DescribeClusters({ Offset: 1, Limit: 3 });
    expect(
      [Clusters![0], ...rest.Clusters!].map(c => c.ClusterId).sort(),
    ).toEqual(['cls-blog0001', 'cls-edge0001', 'cls-next0001', 'cls-next0002']);
    expect(Clusters![0]).not.toHaveProperty('Sandbox');

    await expect(
      client.DescribeIPAMD({ ClusterId: 'cls-blog0001' }),
    ).resolves.toMatchObject({ EnableIPAMD: true });
    await expect(
      client.DescribeIPAMD({ ClusterId: 'cls-edge0001' }),
    ).resolves.toMatchObject({ EnableIPAMD: false });

    const { Kubeconfig } = await client.DescribeClusterKubeconfig({
      ClusterId: 'cls-blog0001',
      IsExtranet: false,
    });
    expect(Kubeconfig).toContain('server: http://127.0.0.1:6441');
    expect(Kubeconfig).toContain('token: sandbox-token');
    await expect(
      client.DescribeClusterEndpoints({ ClusterId: 'cls-saas0001' }),
    ).rejects.toMatchObject({
      code: 'InvalidParameter.ClusterNotFound',
    });
  });

  it('serves the TCM mesh of a cluster', async () => {
    const client = new tcm.v20210413.Client(clientConfig('ap-guangzhou'));
    const { MeshList, Total } = await client.DescribeMeshList({
      Filters: [{ Name: 'MeshCluster', Values: ['cls-blog0001'] }],
    });
    expect(Total).toBe(1);
    expect(MeshList![0]).toMatchObject({
      MeshId: 'mesh-blog0001',
      Type: 'HOSTED',
      Version: '1.10.3',
    });

    const { Mesh } = await client.DescribeMesh({ MeshId: 'mesh-blog0001' });
    const cluster = Mesh!.ClusterList[0];
    expect(cluster).toMatchObject({
      ClusterId: 'cls-blog0001',
      Role: 'MASTER',
    });
    expect(cluster.Config!.IngressGatewayList![0]).toMatchObject({
      Name: 'istio-ingressgateway',
      LoadBalancerId: 'lb-blog0001',
    });

    const none = await client.DescribeMeshList({
      Filters: [{ Name: 'MeshCluster', Values: ['cls-edge0001'] }],
    });
    expect(none.Total).toBe(0);
  });

  it('lists the DNSPod domains, paged as the real API pages them', async () => {
    const client = new dnspod.v20210323.Client(clientConfig(''));

    const seeded = await client.DescribeDomainList({});
    expect(seeded.DomainCountInfo).toMatchObject({
      DomainTotal: 1,
      AllTotal: 1,
      MineTotal: 1,
    });
    expect(seeded.DomainList).toEqual([
      expect.objectContaining({
        Name: 'example.com',
        Punycode: 'example.com',
        DomainId: expect.any(Number),
        Status: 'ENABLE',
        TTL: 600,
        // The seed's example.com has 6 records, its NS records on f1g1ns1/2.dnspod.net.
        RecordCount: 6,
        EffectiveDNS: ['f1g1ns1.dnspod.net', 'f1g1ns2.dnspod.net'],
      }),
    ]);

    server.state.domains['a.example.com'] = [];
    server.state.domains['example.org'] = [];
    const first = await client.DescribeDomainList({ Offset: 0, Limit: 2 });
    const second = await client.DescribeDomainList({ Offset: 2, Limit: 2 });
    expect(first.DomainCountInfo!.DomainTotal).toBe(3);
    expect(
      [...first.DomainList!, ...second.DomainList!].map(d => d.Name),
    ).toEqual(['example.com', 'a.example.com', 'example.org']);
    const again = await client.DescribeDomainList({});
    expect(again.DomainList!.map(d => d.DomainId)).toEqual(
      [...first.DomainList!, ...second.DomainList!].map(d => d.DomainId),
    );
    expect((await client.DescribeDomainList({ Offset: 3 })).DomainList).toEqual(
      [],
    );
    expect(
      (await client.DescribeDomainList({ Keyword: 'example.org' }))
        .DomainCountInfo,
    ).toMatchObject({ DomainTotal: 1, AllTotal: 3 });

    await expect(
      client.DescribeDomainList({ Offset: -1 }),
    ).rejects.toMatchObject({ code: 'InvalidParameter.OffsetInvalid' });
    await expect(client.DescribeDomainList({ Limit: 0 })).rejects.toMatchObject(
      { code: 'InvalidParameterValue.LimitInvalid' },
    );
  });

  it('lists and modifies DNSPod records', async () => {
    const client = new dnspod.v20210323.Client(clientConfig(''));
    const blog = await client.DescribeRecordList({
      Domain: 'example.com',
      Subdomain: 'blog',
    });
    expect(blog.RecordList).toEqual([
      expect.objectContaining({ Value: '198.51.100.11', TTL: 600 }),
    ]);
    expect(blog.RecordCountInfo).toMatchObject({ TotalCount: 1 });

    await client.ModifyRecord({
      Domain: 'example.com',
      RecordId: blog.RecordList![0].RecordId!,
      SubDomain: 'blog',
      RecordType: 'A',
      RecordLine: '默认',
      Value: '203.0.113.5',
      TTL: 60,
    });
    const after = await client.DescribeRecordList({
      Domain: 'example.com',
      Subdomain: 'blog',
    });
    expect(after.RecordList![0]).toMatchObject({
      Value: '203.0.113.5',
      TTL: 60,
    });

    await expect(
      client.DescribeRecordList({
        Domain: 'example.com',
        Subdomain: 'nothing',
      }),
    ).rejects.toMatchObject({
      code: 'ResourceNotFound.NoDataOfRecord',
    });
  });

  it('creates and deletes DNSPod records, one A record per address', async () => {
    const client = new dnspod.v20210323.Client(clientConfig(''));
    const record = {
      Domain: 'example.com',
      SubDomain: 'blog',
      RecordType: 'A',
      RecordLine: '默认',
      Value: '203.0.113.6',
      TTL: 60,
    };
    const { RecordId = 0 } = await client.CreateRecord(record);
    await expect(client.CreateRecord(record)).rejects.toMatchObject({
      code: 'InvalidParameter.DomainRecordExist',
    });
    const both = await client.DescribeRecordList({
      Domain: 'example.com',
      Subdomain: 'blog',
    });
    expect(both.RecordList!.map(r => r.Value).sort()).toEqual([
      '198.51.100.11',
      '203.0.113.6',
    ]);
    await client.DeleteRecord({ Domain: 'example.com', RecordId });
    await expect(
      client.DeleteRecord({ Domain: 'example.com', RecordId }),
    ).rejects.toMatchObject({ code: 'InvalidParameter.RecordIdInvalid' });
    const one = await client.DescribeRecordList({
      Domain: 'example.com',
      Subdomain: 'blog',
    });
    expect(one.RecordList!.map(r => r.Value)).toEqual(['198.51.100.11']);
  });
});
