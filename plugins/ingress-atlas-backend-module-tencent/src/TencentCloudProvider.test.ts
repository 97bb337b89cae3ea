import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  addApiProxyEndpoint,
  startTencentCloudServer,
} from '@ingress-atlas/sandbox';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import type { TencentAccount } from '@ingress-atlas/plugin-ingress-atlas-node';
import { TencentCloudProvider } from './TencentCloudProvider';

const SEED = resolvePath(
  __dirname,
  '../../../examples/sandbox/cloud/tencent.yaml',
);
const SANDBOX = {
  secretId: 'AKIDSANDBOX00000000000000000000000000',
  secretKey: 'sandbox-secret-key-0000000000000000',
};
const OTHER = {
  secretId: 'AKIDOTHERACCOUNT000000000000000000000',
  secretKey: 'other-account-secret-key-000000000000',
};

/** Every line logged, at every level, with its metadata. */
function captureLogs() {
  const lines: Array<{ level: string; message: string; meta?: object }> = [];
  const logger = (meta: object = {}): LoggerService => ({
    error: (message, m) =>
      lines.push({ level: 'error', message, meta: { ...meta, ...m } }),
    warn: (message, m) =>
      lines.push({ level: 'warn', message, meta: { ...meta, ...m } }),
    info: (message, m) =>
      lines.push({ level: 'info', message, meta: { ...meta, ...m } }),
    debug: (message, m) =>
      lines.push({ level: 'debug', message, meta: { ...meta, ...m } }),
    child: m => logger({ ...meta, ...m }),
  });
  return { logger: logger(), lines, text: () => JSON.stringify(lines) };
}

describe('TencentCloudProvider', () => {
  let server: Awaited<ReturnType<typeof startTencentCloudServer>>;

  const account = (
    overrides: Partial<TencentAccount> = {},
  ): TencentAccount => ({
    name: 'sandbox',
    regions: ['ap-guangzhou', 'ap-shanghai'],
    credentials: SANDBOX,
    endpoint: server.url,
    kubeconfigAccess: 'intranet',
    ...overrides,
  });

  beforeEach(async () => {
    server = await startTencentCloudServer({
      seedFile: SEED,
      credentials: [SANDBOX, OTHER],
    });
  });

  afterEach(async () => {
    await server.stop();
  });

  it('collects the CLBs, EIPs, VPC endpoints and TCM meshes of each region', async () => {
    const { logger } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [account()],
      logger,
    });

    const inventories = await provider.collectInventory();

    expect(inventories.map(i => [i.account, i.region, i.errors])).toEqual([
      ['sandbox', 'ap-guangzhou', []],
      ['sandbox', 'ap-shanghai', []],
    ]);
    const [guangzhou, shanghai] = inventories;
    const blog = guangzhou.loadBalancers.find(lb => lb.id === 'lb-blog0001')!;
    expect(blog).toMatchObject({
      network: 'public',
      vips: ['198.51.100.11'],
      kind: 'clb',
      targetCount: 3,
    });
    expect(blog.listeners.map(l => l.port)).toEqual([80, 443, 15021]);
    expect(blog.listeners[1].targets).toEqual([
      { type: 'ENI', ip: '10.0.1.20', port: 8443, instanceId: 'eni-blog0001' },
    ]);
    expect(blog.tags).toContainEqual({
      key: 'tke-createdBy-flag',
      value: 'yes',
    });
    expect(blog.createdAt).toBe('2022-05-11T01:30:02.000Z');
    expect(
      guangzhou.loadBalancers.find(lb => lb.id === 'lb-idle0001'),
    ).toMatchObject({
      listeners: [],
      targetCount: 0,
    });
    expect(
      guangzhou.addresses.find(a => a.id === 'eip-idle0001'),
    ).toMatchObject({
      ip: '203.0.113.77',
      status: 'UNBIND',
    });
    expect(guangzhou.meshes).toEqual([
      expect.objectContaining({
        id: 'mesh-blog0001',
        kind: 'tcm',
        version: '1.10.3',
        clusters: [
          {
            cloudClusterId: 'cls-blog0001',
            role: 'primary',
            ingressGateways: [
              {
                name: 'istio-ingressgateway',
                namespace: 'istio-system',
                loadBalancerId: 'lb-blog0001',
                vip: '198.51.100.11',
              },
            ],
          },
        ],
      }),
    ]);

    expect(
      shanghai.loadBalancers.find(lb => lb.id === 'lb-saasew01'),
    ).toMatchObject({ network: 'internal' });
    expect(shanghai.vpcEndpoints).toEqual([]);
  });

  it("reads the account's DNSPod zones once and puts them on each region", async () => {
    server.state.domains['Shop.Example.org'] = [];
    const provider = TencentCloudProvider.create({
      accounts: [account()],
      logger: captureLogs().logger,
    });

    const [guangzhou, shanghai] = await provider.collectInventory();

    // The seed hosts example.com; the added domain comes back lower-case.
    expect(guangzhou.dnsZones).toEqual(['example.com', 'shop.example.org']);
    expect(shanghai.dnsZones).toEqual(guangzhou.dnsZones);
    expect(server.faults.requestCount('DescribeDomainList')).toBe(1);
  });

  it('pages through more domains than DescribeDomainList returns at once', async () => {
    for (let i = 0; i < 3005; i++) {
      server.state.domains[`zone-${String(i).padStart(4, '0')}.example.net`] =
        [];
    }
    const provider = TencentCloudProvider.create({
      accounts: [account({ regions: ['ap-guangzhou'] })],
      logger: captureLogs().logger,
    });

    const [inventory] = await provider.collectInventory();

    expect(inventory.errors).toEqual([]);
    expect(inventory.dnsZones).toHaveLength(3006);
    expect(inventory.dnsZones).toContain('zone-3004.example.net');
    // 3000 a page, the API's default: two calls.
    expect(server.faults.requestCount('DescribeDomainList')).toBe(2);
  });

  it('keeps the inventory when DNSPod refuses: the zones are left unknown', async () => {
    server.faults.failHttp({ action: 'DescribeDomainList' }, 100, 403);
    const { logger, lines } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [account()],
      logger,
      retry: { attempts: 2, baseDelayMs: 5 },
    });

    const [guangzhou, shanghai] = await provider.collectInventory();

    for (const inventory of [guangzhou, shanghai]) {
      expect(inventory.dnsZones).toBeUndefined();
      expect(inventory.errors).toEqual([
        { part: 'dnspod', message: expect.stringMatching(/403/) },
      ]);
    }
    expect(guangzhou.loadBalancers).toHaveLength(2);
    expect(guangzhou.meshes).toHaveLength(1);
    // A refusal is not retried, and the account's one read is logged once.
    expect(server.faults.requestCount('DescribeDomainList')).toBe(1);
    expect(
      lines.filter(
        l =>
          l.level === 'warn' && (l.meta as { part?: string }).part === 'dnspod',
      ),
    ).toHaveLength(1);
  });

  it('retries a throttled DescribeDomainList, then reads the zones', async () => {
    server.faults.throttle({ action: 'DescribeDomainList' }, 2);
    const provider = TencentCloudProvider.create({
      accounts: [account({ regions: ['ap-guangzhou'] })],
      logger: captureLogs().logger,
      retry: { baseDelayMs: 5 },
    });

    const [inventory] = await provider.collectInventory();

    expect(inventory.errors).toEqual([]);
    expect(inventory.dnsZones).toEqual(['example.com']);
    expect(server.faults.requestCount('DescribeDomainList')).toBe(3);
  });

  it('reads VPC endpoints with the load balancer behind their endpoint service', async () => {
    const proxy = addApiProxyEndpoint(server);

    const provider = TencentCloudProvider.create({
      accounts: [account()],
      logger: captureLogs().logger,
    });
    const [, shanghai] = await provider.collectInventory();
    expect(shanghai.vpcEndpoints).toEqual([
      expect.objectContaining({
        id: 'vpce-api00001',
        serviceLoadBalancerId: proxy.loadBalancerId,
        vip: '10.20.0.60',
      }),
    ]);
  });

  it('pages through more than a hundred CLBs', async () => {
    for (let i = 0; i < 130; i++) {
      server.cloud.createServiceLoadBalancer({
        region: 'ap-guangzhou',
        clusterId: 'cls-blog0001',
        serviceUid: `uid-${i}`,
        serviceName: `apps/svc-${i}`,
        internal: true,
        ports: [{ port: 8080, protocol: 'TCP', nodePort: 30080 }],
        targets: [{ ip: '10.0.2.10' }],
      });
    }
    const { logger } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [account({ regions: ['ap-guangzhou'] })],
      logger,
    });

    const [inventory] = await provider.collectInventory();

    expect(inventory.errors).toEqual([]);
    expect(inventory.loadBalancers).toHaveLength(132);
    expect(new Set(inventory.loadBalancers.map(lb => lb.id)).size).toBe(132);
    expect(server.faults.requestCount('DescribeLoadBalancers')).toBe(2);
  });

  it('retries throttled and failing calls, then succeeds', async () => {
    server.faults.throttle(
      { action: 'DescribeLoadBalancers', region: 'ap-guangzhou' },
      2,
    );
    server.faults.failHttp(
      { action: 'DescribeAddresses', region: 'ap-guangzhou' },
      1,
      503,
    );
    const { logger, lines } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [account({ regions: ['ap-guangzhou'] })],
      logger,
      retry: { baseDelayMs: 10 },
    });

    const [inventory] = await provider.collectInventory();

    expect(inventory.errors).toEqual([]);
    expect(inventory.loadBalancers).toHaveLength(2);
    expect(inventory.addresses).toHaveLength(3);
    expect(server.faults.requestCount('DescribeLoadBalancers')).toBe(3);
    expect(server.faults.requestCount('DescribeAddresses')).toBe(2);
    expect(
      lines.filter(l => l.message === 'Retrying Tencent Cloud call'),
    ).toHaveLength(3);
  });

  it('retries a throttled call as Kubernetes reads are retried: from 200 ms, jittered, doubling', async () => {
    server.faults.throttle(
      { action: 'DescribeLoadBalancers', region: 'ap-guangzhou' },
      2,
    );
    const { logger, lines } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [account({ regions: ['ap-guangzhou'] })],
      logger,
    });

    const [inventory] = await provider.collectInventory();

    expect(inventory.errors).toEqual([]);
    const delays = lines
      .filter(l => l.message === 'Retrying Tencent Cloud call')
      .map(l => (l.meta as { delayMs: number }).delayMs);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(100);
    expect(delays[0]).toBeLessThanOrEqual(300);
    expect(delays[1]).toBeGreaterThanOrEqual(200);
    expect(delays[1]).toBeLessThanOrEqual(600);
  });

  it("measures the public CLBs' and bound EIPs' outbound traffic from Cloud Monitor", async () => {
    const { logger } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [account({ regions: ['ap-guangzhou', 'ap-shanghai'] })],
      logger,
    });

    const [guangzhou, shanghai] = await provider.collectInventory();

    // Seed: lb-saas0001 sends 4 GB a day, eip-edge0001 1.5 GB: 120 and 45 GB in 30 days.
    // lb-blog0001, lb-idle0001 and eip-edge0002 have no points: not measured, rather than 0.
    expect([...guangzhou.errors, ...shanghai.errors]).toEqual([]);
    expect(guangzhou.traffic).toEqual({
      'eip-edge0001': {
        gbPerMonth: 45,
        source: 'Tencent Cloud Monitor QCE/LB VipOuttraffic',
        from: expect.any(String),
        to: expect.any(String),
      },
    });
    expect(shanghai.traffic).toEqual({
      'lb-saas0001': {
        gbPerMonth: 120,
        source: 'Tencent Cloud Monitor QCE/LB_PUBLIC ClientOuttraffic',
        from: expect.any(String),
        to: expect.any(String),
      },
    });
    const { from, to } = shanghai.traffic!['lb-saas0001'];
    expect(Date.parse(to) - Date.parse(from)).toBe(2 * 86_400_000);
  });

  it('keeps the inventory when Cloud Monitor refuses: traffic is left unmeasured', async () => {
    server.faults.failHttp({ action: 'GetMonitorData' }, 100, 403);
    const { logger } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [account({ regions: ['ap-guangzhou'] })],
      logger,
      retry: { attempts: 2, baseDelayMs: 5 },
    });

    const [guangzhou] = await provider.collectInventory();

    expect(guangzhou.loadBalancers).toHaveLength(2);
    expect(guangzhou.addresses).toHaveLength(3);
    expect(guangzhou.traffic).toBeUndefined();
    expect(guangzhou.errors).toEqual([
      { part: 'traffic', message: expect.stringMatching(/403/) },
    ]);
  });

  it('reports a part that keeps failing for its region only', async () => {
    server.faults.throttle(
      { action: 'DescribeLoadBalancers', region: 'ap-shanghai' },
      100,
    );
    const { logger } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [account()],
      logger,
      retry: { attempts: 3, baseDelayMs: 5 },
    });

    const [guangzhou, shanghai] = await provider.collectInventory();

    expect(guangzhou.errors).toEqual([]);
    expect(guangzhou.loadBalancers).toHaveLength(2);
    expect(shanghai.errors).toEqual([
      {
        part: 'clb',
        message: expect.stringMatching(/^RequestLimitExceeded: /),
      },
    ]);
    expect(shanghai.loadBalancers).toEqual([]);
    expect(shanghai.vpcEndpoints).toEqual([]);
    expect(server.faults.requestCount('DescribeLoadBalancers')).toBe(4);
  });

  it('keeps a bad key to its own account and never logs a secret key', async () => {
    const { logger, text } = captureLogs();
    const badKey = 'wrong-secret-key-that-must-not-leak-0001';
    const provider = TencentCloudProvider.create({
      accounts: [
        account({
          name: 'broken',
          regions: ['ap-guangzhou'],
          credentials: { secretId: SANDBOX.secretId, secretKey: badKey },
        }),
        account({
          name: 'other',
          regions: ['ap-guangzhou'],
          credentials: OTHER,
        }),
      ],
      logger,
    });

    const [broken, other] = await provider.collectInventory();
    await provider.inquirePrices();
    await expect(provider.listClusters()).rejects.toThrow(
      /broken\/ap-guangzhou: AuthFailure.SignatureFailure/,
    );

    // DNSPod is read with the same key: refused too.
    expect(broken.errors.map(e => e.part).sort()).toEqual([
      'clb',
      'dnspod',
      'eip',
      'tcm',
      'tke',
      'vpc-endpoints',
    ]);
    expect(
      broken.errors.every(e =>
        e.message.startsWith('AuthFailure.SignatureFailure'),
      ),
    ).toBe(true);
    expect(other.errors).toEqual([]);
    expect(other.loadBalancers).toHaveLength(2);

    const logs = text();
    expect(logs).toContain('AuthFailure.SignatureFailure');
    for (const secret of [badKey, SANDBOX.secretKey, OTHER.secretKey]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toContain('sandbox-token');
  });

  it('lists TKE clusters with their VPC-CNI state and a kubeconfig kept out of the descriptor', async () => {
    const { logger, text } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [account()],
      logger,
    });

    const clusters = await provider.listClusters();

    expect(clusters.map(c => c.descriptor.name).sort()).toEqual([
      'edge',
      'tke-blog',
      'tke-next',
      'tke-next-remote',
      'tke-saas-primary',
      'tke-saas-remote',
    ]);
    const blog = clusters.find(
      c => c.descriptor.cloudClusterId === 'cls-blog0001',
    )!;
    expect(blog.descriptor).toEqual({
      name: 'tke-blog',
      title: 'tke-blog',
      source: 'tencent',
      provider: 'tencent',
      region: 'ap-guangzhou',
      cloudClusterId: 'cls-blog0001',
      url: 'http://127.0.0.1:6441',
      facts: { vpcCni: true, vpcId: 'vpc-gz000001' },
    });
    expect(blog.kubeconfig).toContain('sandbox-token');
    expect(JSON.stringify(blog.descriptor)).not.toContain('sandbox-token');
    expect(
      clusters.find(c => c.descriptor.cloudClusterId === 'cls-edge0001')!
        .descriptor.facts,
    ).toEqual({
      vpcCni: false,
      vpcId: 'vpc-gz000002',
    });
    expect(text()).not.toContain('sandbox-token');

    const none = TencentCloudProvider.create({
      accounts: [account({ kubeconfigAccess: 'none' })],
      logger,
    });
    await expect(none.listClusters()).resolves.toEqual([]);
  });

  it('lists a cluster whose kubeconfig is not YAML without it, and quotes none of it', async () => {
    const token = 'ATLAS-CANARY-broken-kubeconfig';
    // Forwards to the stand-in, spoiling the kubeconfigs it answers with.
    const proxy = createServer(async (req, res) => {
      const body: Buffer[] = [];
      for await (const chunk of req) body.push(chunk);
      const upstream = await fetch(`${server.url}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(body),
      });
      const json = await upstream.json();
      if (json.Response?.Kubeconfig) {
        json.Response.Kubeconfig = `users:\n- token: ${token}\n  : [unclosed`;
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    });
    await new Promise<void>(r => proxy.listen(0, '127.0.0.1', r));
    const { port } = proxy.address() as AddressInfo;
    const { logger, text } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [
        account({
          regions: ['ap-guangzhou'],
          endpoint: `http://127.0.0.1:${port}`,
        }),
      ],
      logger,
    });

    try {
      const clusters = await provider.listClusters();

      expect(clusters.map(c => [c.descriptor.name, c.kubeconfig])).toEqual([
        ['tke-blog', undefined],
        ['edge', undefined],
        ['tke-next', undefined],
        ['tke-next-remote', undefined],
      ]);
      expect(text()).toContain('returned a kubeconfig that is not YAML');
      expect(text()).not.toContain(token);
    } finally {
      await new Promise(r => proxy.close(r));
    }
  });

  it('asks the price APIs and leaves out what they could not answer', async () => {
    const { logger, lines } = captureLogs();
    const provider = TencentCloudProvider.create({
      accounts: [account()],
      logger,
      retry: { attempts: 1 },
    });

    await expect(provider.inquirePrices()).resolves.toEqual({
      loadBalancer: 0.2,
      eipUnbound: 0.2,
    });

    server.faults.failHttp({ action: 'InquiryPriceAllocateAddresses' }, 1, 500);
    await expect(provider.inquirePrices()).resolves.toEqual({
      loadBalancer: 0.2,
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'debug',
        message: 'Price inquiry failed; the catalogue figure applies',
      }),
    );
  });
});
