import {
  createBackendPlugin,
  createServiceFactory,
  coreServices,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { EventsService, eventsServiceFactory, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  INGRESS_ATLAS_CHANGES_TOPIC,
  IngressAtlasChanges,
} from '@ingress-atlas/plugin-ingress-atlas-node';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Sandbox, startSandbox } from '@ingress-atlas/sandbox';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import tencentModule from '@ingress-atlas/plugin-ingress-atlas-backend-module-tencent';
import { ingressAtlasPlugin } from './plugin';

jest.setTimeout(180_000);

const repoRoot = path.resolve(__dirname, '../../..');
const estatesDir = path.join(repoRoot, 'examples/sandbox');

const clusterFacts: Record<string, { provider: string; region: string; cloudClusterId: string }> = {
  'tke-blog': { provider: 'tencent', region: 'ap-guangzhou', cloudClusterId: 'cls-blog0001' },
  'tke-saas-primary': { provider: 'tencent', region: 'ap-shanghai', cloudClusterId: 'cls-saas0001' },
  'tke-saas-remote': { provider: 'tencent', region: 'ap-shanghai', cloudClusterId: 'cls-saas0002' },
  edge: { provider: 'tencent', region: 'ap-guangzhou', cloudClusterId: 'cls-edge0001' },
  'aliyun-asm': { provider: 'aliyun', region: 'cn-hangzhou', cloudClusterId: 'c-asm0001' },
  'huawei-cce': { provider: 'huawei', region: 'cn-north-4', cloudClusterId: 'cce-0001' },
  'tke-next': { provider: 'tencent', region: 'ap-guangzhou', cloudClusterId: 'cls-next0001' },
  'tke-next-remote': { provider: 'tencent', region: 'ap-guangzhou', cloudClusterId: 'cls-next0002' },
};

/** Every value held in a Secret of the estates, raw and decoded: none may ever leave the backend. */
function secretValues(): string[] {
  const values: string[] = [];
  for (const dir of fs.readdirSync(estatesDir, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(estatesDir, dir.name))) {
      if (!file.endsWith('.yaml')) continue;
      const text = fs.readFileSync(path.join(estatesDir, dir.name, file), 'utf8');
      for (const doc of parseAllDocuments(text)) {
        const object = doc.toJS();
        if (object?.kind !== 'Secret') continue;
        for (const value of Object.values<string>(object.data ?? {})) {
          values.push(value, Buffer.from(value, 'base64').toString('utf8'));
        }
        for (const value of Object.values<string>(object.stringData ?? {})) {
          values.push(value);
        }
      }
    }
  }
  // Short values (a namespace name in a service-account Secret) are ordinary words elsewhere.
  return values.filter(v => v.length >= 20);
}

function demoEntities() {
  const text = fs.readFileSync(path.join(repoRoot, 'examples/entities.yaml'), 'utf8');
  return parseAllDocuments(text).map(d => d.toJS());
}

describe('ingress-atlas backend on the sandbox', () => {
  let sandbox: Sandbox;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const logs: string[] = [];
  const responses: string[] = [];
  let migrations: EventsService | undefined;

  const capturingLogger = (): LoggerService => {
    const logger: LoggerService = {
      error: (message, meta) => logs.push(`${message} ${JSON.stringify(meta ?? {})}`),
      warn: (message, meta) => logs.push(`${message} ${JSON.stringify(meta ?? {})}`),
      info: (message, meta) => logs.push(`${message} ${JSON.stringify(meta ?? {})}`),
      debug: (message, meta) => logs.push(`${message} ${JSON.stringify(meta ?? {})}`),
      child: () => logger,
    };
    return logger;
  };

  const get = async (url: string, auth = mockCredentials.user.header()) => {
    const response = await request(backend.server).get(url).set('Authorization', auth);
    responses.push(response.text);
    return response;
  };

  const refreshAndWait = async () => {
    const before = (await get('/api/ingress-atlas/clusters')).body.generatedAt;
    const response = await request(backend.server)
      .post('/api/ingress-atlas/refresh')
      .set('Authorization', mockCredentials.user.header());
    expect(response.status).toBe(202);
    for (let i = 0; i < 600; i++) {
      const { generatedAt } = (await get('/api/ingress-atlas/clusters')).body;
      if (generatedAt && generatedAt !== before) return;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(`the refresh did not finish; logs:\n${logs.slice(-15).join('\n')}`);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ estatesDir, basePort: 0 });
    backend = await startTestBackend({
      features: [
        ingressAtlasPlugin,
        tencentModule,
        // The portal's events service, shared by its plugins (the test backend's mock is one
        // per plugin).
        eventsServiceFactory,
        // Stands where the scaffolder's actions are: it publishes on the portal's events service.
        createBackendPlugin({
          pluginId: 'migrations',
          register(env) {
            env.registerInit({
              deps: { events: eventsServiceRef },
              async init({ events }) {
                migrations = events;
              },
            });
          },
        }),
        catalogServiceMock.factory({ entities: demoEntities() }),
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: capturingLogger,
        }),
        mockServices.rootConfig.factory({
          data: {
            ingressAtlas: {
              refresh: {
                schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
                clusterTimeoutSeconds: 5,
              },
              clusters: Object.entries(sandbox.clusters).map(([name, { url }]) => ({
                name,
                url,
                // One identity that may not read Secrets: that kind alone must go missing.
                serviceAccountToken:
                  name === 'huawei-cce' ? 'sandbox-token-no-secrets' : 'sandbox-token',
                ...clusterFacts[name],
              })),
              importKubernetesConfig: false,
              providers: {
                tencent: [
                  {
                    name: 'sandbox',
                    regions: ['ap-guangzhou', 'ap-shanghai'],
                    endpoint: sandbox.cloud!.url,
                    kubeconfigAccess: 'none',
                    credentials: {
                      secretId: 'AKIDSANDBOX00000000000000000000000000',
                      secretKey: 'sandbox-secret-key-0000000000000000',
                    },
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    await refreshAndWait();
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
  });

  it('shows how blog is reachable, what it costs and what to change', async () => {
    const { body } = await get('/api/ingress-atlas/entities/component/default/blog/exposure');
    const [path0] = body.paths;
    expect(path0).toMatchObject({
      host: 'blog.example.com',
      cluster: 'tke-blog',
      network: 'public',
      tls: { mode: 'SIMPLE', credentialName: 'blog-tls', certificateSource: 'secret' },
      monthlyCostShareCny: 144,
    });
    const entry = body.entries.find((e: any) => e.id === path0.entry);
    expect(entry).toMatchObject({
      type: 'load-balancer',
      cloudResourceId: 'lb-blog0001',
      addresses: ['198.51.100.11'],
    });
    expect(body.costs.map((c: any) => c.monthlyCny)).toEqual([144]);
    expect(body.recommendations[0]).toMatchObject({
      savingMonthlyCny: 144,
      templateRef: 'template:default/move-gateway-to-pod-eip',
      parameters: { cluster: 'tke-blog', gateway: 'istio-ingressgateway' },
    });
    const codes = body.findings.map((f: any) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining(['TCM_MANAGED', 'CLB_TO_POD_EIP_SAVING', 'SINGLE_REPLICA_PUBLIC_LB']),
    );
  });

  it("tells the ports, protocols and TLS along the blog's topology", async () => {
    const exposure = await get('/api/ingress-atlas/entities/component/default/blog/exposure');
    const [path0] = exposure.body.paths;
    const { body } = await get('/api/ingress-atlas/topology?cluster=tke-blog');
    const ports = (type: string, source: string, target: string) =>
      body.edges.find((e: any) => e.type === type && e.source === source && e.target === target)?.ports;
    const https = { port: 443, protocol: 'HTTPS', tls: 'SIMPLE' };
    expect(ports('forwards-to', path0.entry, path0.gateway)).toContainEqual(https);
    expect(ports('serves', path0.gateway, path0.route)).toEqual(
      expect.arrayContaining([https, { port: 80, protocol: 'HTTP', tls: 'NONE' }]),
    );
  });

  it('reports idle cloud resources with their monthly waste', async () => {
    const { body } = await get('/api/ingress-atlas/findings');
    const idle = body.findings.filter((f: any) => /^IDLE_/.test(f.code));
    const byObject = Object.fromEntries(idle.map((f: any) => [f.objects[0].name, f]));
    expect(byObject['lb-idle0001']).toMatchObject({ code: 'IDLE_LOAD_BALANCER', monthlyWasteCny: 144 });
    expect(byObject['eip-idle0001']).toMatchObject({ code: 'IDLE_EIP', monthlyWasteCny: 144 });

    const cost = await get('/api/ingress-atlas/cost');
    expect(cost.body.summary.idleWasteMonthlyCny).toBeGreaterThanOrEqual(288);
    const { summary, costs } = cost.body;
    const sum = (amounts: number[]) => amounts.reduce((a, b) => a + b, 0);
    expect(summary.totalMonthlyCny).toBeCloseTo(sum(costs.map((c: any) => c.monthlyCny)), 2);
    expect(sum(Object.values<number>(summary.byProvider))).toBeCloseTo(summary.totalMonthlyCny, 2);
    expect(sum(Object.values<number>(summary.byCluster))).toBeCloseTo(summary.totalMonthlyCny, 2);
    expect(summary.byCluster['tke-blog']).toBeGreaterThanOrEqual(144);
    expect(summary.byProvider.tencent).toBeGreaterThanOrEqual(summary.byCluster['tke-blog'] + 288);
  });

  it('marks a kind it may not read as unavailable and goes on', async () => {
    const { body } = await get('/api/ingress-atlas/clusters');
    const huawei = body.clusters.find((c: any) => c.name === 'huawei-cce');
    expect(huawei.status).toBe('ok');
    expect(huawei.unavailableKinds).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'secrets', reason: expect.stringMatching(/^forbidden/) })]),
    );
    const aliyun = body.clusters.find((c: any) => c.name === 'aliyun-asm');
    expect(aliyun.unavailableKinds.map((k: any) => k.kind)).toContain('eipClaims');
  });

  it('answers from the stored model without calling any cluster', async () => {
    const before = sandbox.running.map(c => c.stats.requests);
    for (let i = 0; i < 20; i++) {
      await get('/api/ingress-atlas/entities/component/default/blog/exposure');
      await get('/api/ingress-atlas/topology');
    }
    expect(sandbox.running.map(c => c.stats.requests)).toEqual(before);
  });

  it('keeps a failing cluster stale with its error while the others stay fresh', async () => {
    const edge = sandbox.running.find(c => c.name === 'edge')!;
    edge.faults.set({ errorRate: 1, errorCode: 503 });
    try {
      await refreshAndWait();
      const { body } = await get('/api/ingress-atlas/clusters');
      const status = Object.fromEntries(body.clusters.map((c: any) => [c.name, c.status]));
      expect(status).toEqual({
        'aliyun-asm': 'ok',
        'aliyun-asm-mesh': 'ok',
        edge: 'stale',
        'huawei-cce': 'ok',
        'tke-blog': 'ok',
        'tke-next': 'ok',
        'tke-next-remote': 'ok',
        'tke-saas-primary': 'ok',
        'tke-saas-remote': 'ok',
      });
      expect(body.clusters.find((c: any) => c.name === 'edge').error).toMatch(/503/);
      const edgeWeb = await get('/api/ingress-atlas/entities/component/default/edge-web/exposure');
      expect(edgeWeb.body.paths.map((p: any) => p.host)).toContain('edge.example.com');
    } finally {
      edge.faults.set({ errorRate: null, errorCode: null });
    }
  });

  it('serves an entity view serialized once, gzip-compressed, and 304 when the client has it', async () => {
    const url = '/api/ingress-atlas/entities/component/default/blog/exposure';
    const first = await request(backend.server)
      .get(url)
      .set('Authorization', mockCredentials.user.header())
      .set('Accept-Encoding', 'gzip');
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.body.paths[0].host).toBe('blog.example.com');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"/);

    const plain = await request(backend.server)
      .get(url)
      .set('Authorization', mockCredentials.user.header())
      .set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.etag).toBe(etag);
    expect(plain.body).toEqual(first.body);

    const again = await request(backend.server)
      .get(url)
      .set('Authorization', mockCredentials.user.header())
      .set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');

    // Without permission, no view, whatever the client holds.
    const refused = await request(backend.server)
      .get(url)
      .set('Authorization', mockCredentials.none.header())
      .set('If-None-Match', etag);
    expect(refused.status).toBe(401);

    // A new model is a new view.
    await refreshAndWait();
    const after = await request(backend.server)
      .get(url)
      .set('Authorization', mockCredentials.user.header())
      .set('If-None-Match', etag);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.body.generatedAt).not.toBe(first.body.generatedAt);
  });

  it.each(['/topology', '/findings?severity=warning', '/cost'])(
    'serves %s serialized once per model and query: the same ETag, 304 when the client has it',
    async route => {
      const url = `/api/ingress-atlas${route}`;
      const first = await get(url);
      expect(first.status).toBe(200);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^W\/"/);
      const again = await request(backend.server)
        .get(url)
        .set('Authorization', mockCredentials.user.header())
        .set('If-None-Match', etag);
      expect(again.status).toBe(304);
      // Another query is another body.
      const other = await get(`${url}${url.includes('?') ? '&' : '?'}cluster=tke-blog`);
      expect(other.status).toBe(200);
      if (route !== '/cost') expect(other.headers.etag).not.toBe(etag);
    },
  );

  it('serves all exposures compressed, and plain to a client that takes no gzip', async () => {
    const url = '/api/ingress-atlas/exposures';
    const gzipped = await request(backend.server)
      .get(url)
      .set('Authorization', mockCredentials.user.header())
      .set('Accept-Encoding', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.body.paths.map((p: any) => p.host)).toContain('blog.example.com');
    const plain = await request(backend.server)
      .get(url)
      .set('Authorization', mockCredentials.user.header())
      .set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(plain.text)).toEqual(gzipped.body);
  });

  it('serves all exposures in pages that join into the whole body, and names a bad page', async () => {
    const whole = await get('/api/ingress-atlas/exposures');
    const first = await get('/api/ingress-atlas/exposures?page=0');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ ...whole.body, page: 0, pages: 1 });
    expect(first.headers.etag).not.toBe(whole.headers.etag);

    const missing = await get('/api/ingress-atlas/exposures?page=1');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('The model has no page 1 of exposures');
    const bad = await get('/api/ingress-atlas/exposures?page=first');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/exposures query.*page/);
  });

  it('analyses in a worker thread, not in the thread that answers requests', async () => {
    expect(logs.join('\n')).not.toMatch(/No worker thread for the analysis/);
    expect(logs.join('\n')).toMatch(/Refreshed the atlas/);
  });

  it('refuses callers without credentials and names a bad query parameter', async () => {
    const anonymous = await request(backend.server)
      .get('/api/ingress-atlas/clusters')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const badRef = await get('/api/ingress-atlas/entities/component/default/bad%20name!/exposure');
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.message).toBe("Invalid entity name 'bad name!'");
    const wrongMethod = await request(backend.server)
      .delete('/api/ingress-atlas/topology')
      .set('Authorization', mockCredentials.user.header());
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD');
    const getRefresh = await get('/api/ingress-atlas/refresh');
    expect(getRefresh.status).toBe(405);
    expect(getRefresh.headers.allow).toBe('POST');
    expect((await get('/api/ingress-atlas/no-such-route')).status).toBe(404);
    const invalidQuery = await get('/api/ingress-atlas/findings?severity=fatal');
    expect(invalidQuery.status).toBe(400);
    expect(invalidQuery.body.error.message).toMatch(/severity/);
  });

  it('shows what a migration changed in the cloud as soon as the migration says so', async () => {
    const idle = async () =>
      (await get('/api/ingress-atlas/findings')).body.findings
        .filter((f: any) => f.code === 'IDLE_LOAD_BALANCER')
        .map((f: any) => f.objects[0].name);
    expect(await idle()).toContain('lb-idle0001');
    // A migration deletes the idle CLB (the next scheduled refresh is an hour away) and says so.
    const guangzhou = sandbox.cloud!.state.regions['ap-guangzhou'];
    sandbox.cloud!.state.deleteLoadBalancer(guangzhou, 'lb-idle0001');
    const changes: IngressAtlasChanges = {
      action: 'ingress-atlas:gateway:remove-lb',
      clusters: ['tke-blog'],
    };
    await migrations!.publish({ topic: INGRESS_ATLAS_CHANGES_TOPIC, eventPayload: changes });
    const started = Date.now();
    while ((await idle()).includes('lb-idle0001')) {
      if (Date.now() - started > 10_000) {
        throw new Error(`still listed after 10 s; logs:\n${logs.slice(-10).join('\n')}`);
      }
      await new Promise(r => setTimeout(r, 100));
    }
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(logs.join('\n')).toContain('A migration changed the estate; reading it again');
  });

  it('never lets secret data out, in responses or logs', async () => {
    await get('/api/ingress-atlas/exposures');
    await get('/api/ingress-atlas/cloud-inventory');
    for (const name of ['blog', 'saas-api', 'edge-web', 'shop', 'cce-api-proxy']) {
      await get(`/api/ingress-atlas/entities/component/default/${name}/exposure`);
    }
    const everything = [...responses, ...logs].join('\n');
    expect(everything).not.toContain('ATLAS-CANARY-');
    expect(everything).not.toContain('sandbox-secret-key-0000000000000000');
    expect(everything).not.toContain('sandbox-token');
    const leaked = secretValues().filter(value => everything.includes(value));
    expect(leaked).toEqual([]);
  });
});
