import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import http from 'node:http';
import { join } from 'node:path';
import { ClusterSpec, readManifests } from '../estate';
import { sandboxKubeconfig } from '../kubeconfig';
import { RunningCluster, startCluster } from './startCluster';

const spec: ClusterSpec = {
  name: 'test',
  port: 0,
  provider: 'generic',
  region: 'test-1',
  podCidr: '10.1.0.0/16',
  serviceCidr: '10.2.0.0/16',
  nodes: [{ name: 'node-1', internalIp: '10.0.0.11' }],
  tokens: ['admin-token', 'no-secrets-token'],
  forbidden: [{ token: 'no-secrets-token', resource: 'secrets' }],
};

const namespaces = ['team-a', 'team-b'];
const services = Array.from({ length: 24 }, (_, i) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: `svc-${String(i).padStart(2, '0')}`,
    namespace: namespaces[i % 2],
    labels: {
      app: `app-${i}`,
      tier: i % 3 === 0 ? 'web' : 'backend',
      ...(i < 4 ? { exposed: 'yes' } : {}),
    },
  },
  spec: { ports: [{ port: 80 }] },
}));

let cluster: RunningCluster;

function client(token = 'admin-token') {
  const config = new KubeConfig();
  config.loadFromString(
    sandboxKubeconfig({ test: { url: cluster.url, token } }),
  );
  return {
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
    config,
  };
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: number; status: any }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) {
      return {
        code: error.code,
        status:
          typeof error.body === 'string' ? JSON.parse(error.body) : error.body,
      };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A bare HTTP request, for what the typed client hides (no token, timeouts). */
function rawGet(
  path: string,
  options: { token?: string; timeoutMs?: number } = {},
) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const request = http.get(
      `${cluster.url}${path}`,
      {
        headers: options.token
          ? { Authorization: `Bearer ${options.token}` }
          : {},
        timeout: options.timeoutMs,
      },
      response => {
        let body = '';
        response.on('data', chunk => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, body: JSON.parse(body) }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}

/** A request as sent, body and media type included, with the admin token. */
function send(
  method: string,
  path: string,
  body?: unknown,
  options: { contentType?: string; url?: string } = {},
) {
  let payload: Buffer | undefined;
  if (body !== undefined) {
    payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  }
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const outgoing = http.request(
      `${options.url ?? cluster.url}${path}`,
      {
        method,
        headers: {
          Authorization: 'Bearer admin-token',
          ...(payload
            ? {
                'Content-Type': options.contentType ?? 'application/json',
                'Content-Length': payload.length,
              }
            : {}),
        },
      },
      response => {
        let text = '';
        response.on('data', chunk => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            body: text ? JSON.parse(text) : undefined,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

beforeEach(async () => {
  cluster = await startCluster({
    spec,
    objects: [
      ...namespaces.map(name => ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      })),
      ...services,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'team-a' },
        type: 'Opaque',
        data: { password: Buffer.from('ATLAS-CANARY-test').toString('base64') },
      },
      {
        apiVersion: 'networking.istio.io/v1alpha3',
        kind: 'Gateway',
        metadata: { name: 'public', namespace: 'team-a' },
        spec: {
          selector: { istio: 'ingressgateway' },
          servers: [
            {
              port: { number: 80, name: 'http', protocol: 'HTTP' },
              hosts: ['*'],
            },
          ],
        },
      },
    ],
  });
});

afterEach(async () => {
  await cluster.stop();
});

describe('lists', () => {
  it('pages through all services with limit and continue', async () => {
    const { core } = client();
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listServiceForAllNamespaces({
        limit: 5,
        _continue: token,
      });
      names.push(
        ...page.items.map(s => `${s.metadata!.namespace}/${s.metadata!.name}`),
      );
      token = page.metadata?._continue;
      pages++;
    } while (token);
    // 24 services plus default/kubernetes
    expect(names).toHaveLength(25);
    expect(new Set(names).size).toBe(25);
    expect(pages).toBe(5);
    expect(names).toContain('default/kubernetes');
  });

  it('answers a garbled continue token with 400 and a compacted one with 410', async () => {
    const { core } = client();
    const garbled = await failure(
      core.listServiceForAllNamespaces({ limit: 5, _continue: 'not-a-token' }),
    );
    expect(garbled.code).toBe(400);
    expect(garbled.status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'BadRequest',
    });

    const first = await core.listServiceForAllNamespaces({ limit: 5 });
    cluster.store.compact();
    const expired = await failure(
      core.listServiceForAllNamespaces({
        limit: 5,
        _continue: first.metadata?._continue,
      }),
    );
    expect(expired.code).toBe(410);
    expect(expired.status.reason).toBe('Expired');
  });

  it('filters by label selector operators', async () => {
    const { core } = client();
    const names = async (labelSelector: string) =>
      (await core.listServiceForAllNamespaces({ labelSelector })).items
        .map(s => s.metadata!.name)
        .sort();

    expect(await names('app=app-3')).toEqual(['svc-03']);
    expect(await names('tier!=backend,exposed')).toEqual(['svc-00', 'svc-03']);
    expect(await names('app in (app-1, app-2)')).toEqual(['svc-01', 'svc-02']);
    expect((await names('tier notin (backend)')).length).toBe(9); // 8 web + kubernetes (no tier label)
    expect(await names('exposed,tier=web')).toEqual(['svc-00', 'svc-03']);
    expect((await names('!exposed')).length).toBe(21);
  });

  it('filters by field selector on name and namespace', async () => {
    const { core } = client();
    const byName = await core.listServiceForAllNamespaces({
      fieldSelector: 'metadata.name=svc-05',
    });
    expect(byName.items.map(s => s.metadata!.namespace)).toEqual(['team-b']);
    const byNamespace = await core.listServiceForAllNamespaces({
      fieldSelector: 'metadata.namespace=team-a',
    });
    expect(byNamespace.items).toHaveLength(12);
    const unsupported = await failure(
      core.listServiceForAllNamespaces({ fieldSelector: 'spec.color=red' }),
    );
    expect(unsupported.code).toBe(400);
  });

  it('lists one namespace with a list kind and resource version', async () => {
    const { core } = client();
    const list = await core.listNamespacedService({ namespace: 'team-b' });
    expect(list.kind).toBe('ServiceList');
    expect(list.items).toHaveLength(12);
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it("serves the kinds Backstage's Kubernetes plugin lists per entity, empty and discoverable", async () => {
    const selector = 'labelSelector=app%3Dapp-1';
    for (const path of [
      '/api/v1/limitranges',
      '/api/v1/resourcequotas',
      '/apis/apps/v1/replicasets',
      '/apis/autoscaling/v2/horizontalpodautoscalers',
      '/apis/autoscaling/v1/horizontalpodautoscalers',
      '/apis/batch/v1/jobs',
      '/apis/batch/v1/cronjobs',
    ]) {
      const { status, body } = await rawGet(`${path}?${selector}`, {
        token: 'admin-token',
      });
      expect([path, status, body.items]).toEqual([path, 200, []]);
    }
    const { body: groups } = await rawGet('/apis', { token: 'admin-token' });
    const autoscaling = groups.groups.find(
      (g: any) => g.name === 'autoscaling',
    );
    expect(autoscaling.preferredVersion.version).toBe('v2');
    const { body: batch } = await rawGet('/apis/batch/v1', {
      token: 'admin-token',
    });
    expect(batch.resources.map((r: any) => r.name)).toEqual([
      'jobs',
      'cronjobs',
    ]);
  });
});

describe('errors', () => {
  it('answers an unknown kind and a missing object with 404 Status objects', async () => {
    const { custom, core } = client();
    const kind = await failure(
      custom.listClusterCustomObject({
        group: 'example.com',
        version: 'v1',
        plural: 'widgets',
      }),
    );
    expect(kind.code).toBe(404);
    const object = await failure(
      core.readNamespacedService({ name: 'nope', namespace: 'team-a' }),
    );
    expect(object).toEqual({
      code: 404,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'services "nope" not found',
        reason: 'NotFound',
        details: { name: 'nope', kind: 'services' },
        code: 404,
      },
    });
  });

  it('refuses a missing or wrong token with 401', async () => {
    const wrong = await failure(client('guess').core.listNamespace());
    expect(wrong.code).toBe(401);
    const response = await rawGet('/api/v1/namespaces');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('forbids secrets to the token configured so, and nothing else', async () => {
    const { core } = client('no-secrets-token');
    const forbidden = await failure(core.listSecretForAllNamespaces());
    expect(forbidden.code).toBe(403);
    expect(forbidden.status.reason).toBe('Forbidden');
    expect(forbidden.status.message).toContain(
      'cannot list resource "secrets"',
    );
    expect((await core.listServiceForAllNamespaces()).items.length).toBe(25);
    expect(
      (await client().core.listSecretForAllNamespaces()).items,
    ).toHaveLength(1);
  });

  it('rejects a replace with a stale resourceVersion with 409 Conflict', async () => {
    const { core } = client();
    const service = await core.readNamespacedService({
      name: 'svc-00',
      namespace: 'team-a',
    });
    await core.replaceNamespacedService({
      name: 'svc-00',
      namespace: 'team-a',
      body: {
        ...service,
        metadata: { ...service.metadata, labels: { changed: 'once' } },
      },
    });
    const stale = await failure(
      core.replaceNamespacedService({
        name: 'svc-00',
        namespace: 'team-a',
        body: {
          ...service,
          metadata: { ...service.metadata, labels: { changed: 'twice' } },
        },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.status.reason).toBe('Conflict');
    const current = await core.readNamespacedService({
      name: 'svc-00',
      namespace: 'team-a',
    });
    expect(current.metadata?.labels).toEqual({ changed: 'once' });
  });

  it('reports an existing name on create as 409 AlreadyExists', async () => {
    const { core } = client();
    const exists = await failure(
      core.createNamespacedService({
        namespace: 'team-a',
        body: { metadata: { name: 'svc-00' }, spec: { ports: [{ port: 1 }] } },
      }),
    );
    expect(exists).toMatchObject({
      code: 409,
      status: { reason: 'AlreadyExists' },
    });
  });
});

describe('writes', () => {
  it('gives created objects uid, resourceVersion, creationTimestamp and generation', async () => {
    const { core } = client();
    const before = cluster.store.revision;
    const created = await core.createNamespacedConfigMap({
      namespace: 'team-a',
      body: { metadata: { name: 'settings' }, data: { color: 'blue' } },
    });
    expect(created.metadata).toMatchObject({
      name: 'settings',
      namespace: 'team-a',
      generation: 1,
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(before);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
  });

  it('changes nothing on dryRun=All writes but answers with the would-be object', async () => {
    const { core } = client();
    const revision = cluster.store.revision;
    const created = await core.createNamespacedConfigMap({
      namespace: 'team-a',
      body: { metadata: { name: 'dry' }, data: { a: 'b' } },
      dryRun: 'All',
    });
    expect(created.metadata?.name).toBe('dry');
    const patched = await core.patchNamespacedService(
      {
        name: 'svc-01',
        namespace: 'team-b',
        body: { metadata: { labels: { dry: 'run' } } },
        dryRun: 'All',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.metadata?.labels?.dry).toBe('run');
    await core.deleteNamespacedService({
      name: 'svc-02',
      namespace: 'team-a',
      dryRun: 'All',
    });

    expect(cluster.store.revision).toBe(revision);
    expect(
      await failure(
        core.readNamespacedConfigMap({ name: 'dry', namespace: 'team-a' }),
      ),
    ).toMatchObject({ code: 404 });
    expect(
      (
        await core.readNamespacedService({
          name: 'svc-01',
          namespace: 'team-b',
        })
      ).metadata?.labels?.dry,
    ).toBeUndefined();
    expect(
      await core.readNamespacedService({ name: 'svc-02', namespace: 'team-a' }),
    ).toBeDefined();
  });

  it('applies merge patches, strategic merge patches (as merge) and JSON patches', async () => {
    const { core } = client();
    const merged = await core.patchNamespacedService(
      {
        name: 'svc-00',
        namespace: 'team-a',
        body: { metadata: { labels: { tier: null, owner: 'ops' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({
      app: 'app-0',
      exposed: 'yes',
      owner: 'ops',
    });

    const strategic = await core.patchNamespacedService(
      {
        name: 'svc-00',
        namespace: 'team-a',
        body: { metadata: { annotations: { note: 'x' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.metadata?.annotations).toEqual({ note: 'x' });

    const jsonPatched = await core.patchNamespacedService(
      {
        name: 'svc-00',
        namespace: 'team-a',
        body: [
          { op: 'replace', path: '/spec/ports/0/port', value: 8080 },
          { op: 'add', path: '/metadata/labels/patched', value: 'json' },
          { op: 'remove', path: '/metadata/annotations/note' },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.spec?.ports?.[0].port).toBe(8080);
    expect(jsonPatched.metadata?.labels?.patched).toBe('json');
    expect(jsonPatched.metadata?.annotations).toEqual({});

    const failedTest = await failure(
      core.patchNamespacedService(
        {
          name: 'svc-00',
          namespace: 'team-a',
          body: [{ op: 'test', path: '/spec/ports/0/port', value: 1 }],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      ),
    );
    expect(failedTest.code).toBe(422);
  });

  it('bumps generation on spec changes only', async () => {
    const { apps } = client();
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1' }] },
          },
        },
      },
    });
    const labelled = await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'team-a',
        body: { metadata: { labels: { a: 'b' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'team-a', body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(scaled.metadata?.generation).toBe(2);
  });

  it('serves Istio objects through every version of their group', async () => {
    const { custom } = client();
    for (const version of ['v1', 'v1beta1', 'v1alpha3']) {
      const list: any = await custom.listClusterCustomObject({
        group: 'networking.istio.io',
        version,
        plural: 'gateways',
      });
      expect(
        list.items.map((g: any) => [g.apiVersion, g.metadata.name]),
      ).toEqual([[`networking.istio.io/${version}`, 'public']]);
    }
  });

  it('answers deletes with the object or a success Status, and deletes a namespace with everything in it', async () => {
    const { core } = client();
    const service = await core.deleteNamespacedService({
      name: 'svc-00',
      namespace: 'team-a',
    });
    expect(service.metadata?.name).toBe('svc-00');
    const status = await core.deleteNamespacedSecret({
      name: 'db',
      namespace: 'team-a',
    });
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'db', kind: 'secrets' },
    });
    await core.deleteNamespace({ name: 'team-b' });
    expect(
      (
        await core.listServiceForAllNamespaces({
          fieldSelector: 'metadata.namespace=team-b',
        })
      ).items,
    ).toEqual([]);
  });
});

describe('watch', () => {
  it('streams changes after a list resourceVersion', async () => {
    const { core, config } = client();
    const list = await core.listNamespacedConfigMap({ namespace: 'team-a' });
    const events: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      void new Watch(config)
        .watch(
          '/api/v1/namespaces/team-a/configmaps',
          { resourceVersion: list.metadata?.resourceVersion },
          (type, object) => {
            events.push(`${type} ${object.metadata.name}`);
            if (type === 'DELETED') resolve();
          },
          error => (error ? reject(error) : undefined),
        )
        .then(request => setTimeout(() => request.abort(), 5000));
    });
    await new Promise(resolve => setTimeout(resolve, 100));
    await core.createNamespacedConfigMap({
      namespace: 'team-a',
      body: { metadata: { name: 'watched' } },
    });
    await core.patchNamespacedConfigMap(
      { name: 'watched', namespace: 'team-a', body: { data: { a: '1' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({
      name: 'watched',
      namespace: 'team-a',
    });
    await done;
    expect(events).toEqual([
      'ADDED watched',
      'MODIFIED watched',
      'DELETED watched',
    ]);
  });
  it('sends a bookmark before the watch times out, with the version reached', async () => {
    const { core } = client();
    const list = await core.listNamespacedConfigMap({ namespace: 'team-a' });
    const response = await fetch(
      `${cluster.url}/api/v1/namespaces/team-a/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=${list.metadata?.resourceVersion}`,
      { headers: { authorization: 'Bearer admin-token' } },
    );
    const events = (await response.text())
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(events).toEqual([
      {
        type: 'BOOKMARK',
        object: {
          kind: 'ConfigMap',
          apiVersion: 'v1',
          metadata: { resourceVersion: String(cluster.store.revision) },
        },
      },
    ]);
  });

  it('answers a watch from an expired version with an ERROR event 410 Expired (fault expireWatch)', async () => {
    cluster.faults.set({ expireWatch: 1 });
    const watch = (resourceVersion: number) =>
      fetch(
        `${cluster.url}/api/v1/namespaces/team-a/configmaps?watch=true&timeoutSeconds=1&resourceVersion=${resourceVersion}`,
        { headers: { authorization: 'Bearer admin-token' } },
      ).then(r => r.text());
    const expired = JSON.parse(await watch(cluster.store.revision));
    expect(expired).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    // Counted down: the next watch is served.
    expect(await watch(cluster.store.revision)).toBe('');
  });
});

describe('faults', () => {
  it('adds latency', async () => {
    const { core } = client();
    cluster.faults.set({ latencyMs: 300 });
    const started = Date.now();
    await core.listNamespace();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers a configured fraction of requests with 5xx Status objects', async () => {
    const { core } = client();
    cluster.faults.set({ errorRate: 1, errorCode: 503 });
    const failed = await failure(core.listNamespace());
    expect(failed).toMatchObject({
      code: 503,
      status: { kind: 'Status', reason: 'ServiceUnavailable' },
    });
    cluster.faults.set({ errorRate: 0.5 });
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, () => core.listNamespace()),
    );
    const rejected = results.filter(r => r.status === 'rejected').length;
    expect(rejected).toBeGreaterThan(10);
    expect(rejected).toBeLessThan(50);
    expect(cluster.stats.faulted.errors).toBe(1 + rejected);
  });

  it('cuts a list response off halfway, which the client reports as an error', async () => {
    const { core } = client();
    cluster.faults.set({ dropListRate: 1 });
    await expect(core.listServiceForAllNamespaces()).rejects.toThrow();
    expect(cluster.stats.faulted.drops).toBe(1);
    cluster.faults.clear();
    expect((await core.listServiceForAllNamespaces()).items).toHaveLength(25);
  });

  it('hangs requests until the client gives up', async () => {
    cluster.faults.set({ hang: true });
    await expect(
      rawGet('/api/v1/namespaces', { token: 'admin-token', timeoutMs: 300 }),
    ).rejects.toThrow('timed out');
    expect(cluster.stats.faulted.hangs).toBe(1);
  });

  it('counts requests per verb', async () => {
    const { core } = client();
    cluster.resetStats();
    await core.listNamespace();
    await core.readNamespace({ name: 'team-a' });
    await core.listServiceForAllNamespaces();
    expect(cluster.stats).toMatchObject({
      requests: 3,
      byVerb: { list: 2, get: 1 },
    });
  });
});

describe('server-side apply', () => {
  const gatewayRef = {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'Gateway',
    metadata: { name: 'public', namespace: 'team-a' },
  };
  const https = {
    port: { number: 443, name: 'https', protocol: 'HTTPS' },
    hosts: ['*'],
    tls: { mode: 'SIMPLE', credentialName: 'cert' },
  };
  const objects = () => KubernetesObjectApi.makeApiClient(client().config);
  const apply = (
    body: KubernetesObject & Record<string, unknown>,
    options: { manager?: string; force?: boolean; dryRun?: boolean } = {},
  ) =>
    objects().patch(
      body,
      undefined,
      options.dryRun ? 'All' : undefined,
      options.manager ?? 'ingress-atlas',
      options.force,
      PatchStrategy.ServerSideApply,
    );

  /** The Gateway as another controller left it: finalizer, owner, its own label and annotation. */
  async function foreignMetadata() {
    await objects().patch(
      {
        ...gatewayRef,
        metadata: {
          ...gatewayRef.metadata,
          finalizers: ['example.com/keep'],
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              name: 'owner',
              uid: '6b1e2f8a-0000-4000-8000-000000000001',
            },
          ],
          labels: { 'team.example.com/owner': 'web' },
          annotations: { 'team.example.com/note': 'keep me' },
        },
      },
      undefined,
      undefined,
      'other-controller',
      undefined,
      PatchStrategy.MergePatch,
    );
  }

  it('creates an object and records its manager', async () => {
    const created: any = await apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'applied', namespace: 'team-b' },
      data: { a: '1' },
    });
    expect(created.metadata?.managedFields).toEqual([
      expect.objectContaining({
        manager: 'ingress-atlas',
        operation: 'Apply',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {} } },
      }),
    ]);
  });

  it('refuses to change a field another manager owns unless forced, and then keeps what it does not name', async () => {
    const config = {
      ...gatewayRef,
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          {
            port: { number: 80, name: 'http', protocol: 'HTTP' },
            hosts: ['*'],
          },
          https,
        ],
      },
    };
    const conflict = await failure(apply(config));
    expect(conflict.code).toBe(409);
    expect(conflict.status.reason).toBe('Conflict');
    expect(conflict.status.message).toContain(
      'conflict with "before-first-apply": .spec.servers',
    );

    await foreignMetadata();

    const applied: any = await apply(config, { force: true });
    expect(applied.spec.servers).toEqual(config.spec.servers);
    expect(applied.metadata.finalizers).toEqual(['example.com/keep']);
    expect(applied.metadata.ownerReferences).toHaveLength(1);
    expect(applied.metadata.labels).toEqual({
      'team.example.com/owner': 'web',
    });
    expect(applied.metadata.annotations).toEqual({
      'team.example.com/note': 'keep me',
    });
    const managers = applied.metadata.managedFields.map(
      (m: { manager: string; operation: string }) =>
        `${m.manager} ${m.operation}`,
    );
    expect(managers).toEqual(
      expect.arrayContaining([
        'other-controller Update',
        'ingress-atlas Apply',
      ]),
    );
  });

  it('removes a field its manager applied before and no longer names, not fields of others', async () => {
    const first: any = await apply({
      ...gatewayRef,
      metadata: { ...gatewayRef.metadata, labels: { ours: 'yes' } },
    });
    expect(first.metadata.labels).toEqual({ ours: 'yes' });
    await foreignMetadata();
    const second: any = await apply(gatewayRef);
    expect(second.metadata.labels).toEqual({ 'team.example.com/owner': 'web' });
    expect(second.spec.servers).toHaveLength(1);
  });

  it('needs a field manager, takes force only with apply, and stores nothing on a dry run', async () => {
    const missing = await failure(
      objects().patch(
        gatewayRef,
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(missing.code).toBe(400);
    expect(missing.status.message).toContain('fieldManager');
    const forcedMerge = await failure(
      objects().patch(
        gatewayRef,
        undefined,
        undefined,
        'x',
        true,
        PatchStrategy.MergePatch,
      ),
    );
    expect(forcedMerge.code).toBe(422);

    const revision = cluster.store.revision;
    const dry: any = await apply(
      { ...gatewayRef, spec: { servers: [https] } },
      { force: true, dryRun: true },
    );
    expect(dry.spec.servers).toEqual([https]);
    expect(cluster.store.revision).toBe(revision);
  });
});

describe('defaults', () => {
  it('fills in what the API server defaults in pods, pod templates and Services, and keeps what was set', async () => {
    const limits = { cpu: '500m', memory: '256Mi' };
    const podSpec = {
      initContainers: [{ name: 'init', image: 'busybox:latest' }],
      containers: [
        {
          name: 'web',
          image: 'registry.example.com:5000/web',
          ports: [{ containerPort: 8080 }],
          resources: { limits },
        },
        {
          name: 'pinned',
          image: 'registry.example.com:5000/proxy:1.2',
          imagePullPolicy: 'Never',
          ports: [{ containerPort: 53, protocol: 'UDP' }],
        },
        { name: 'digest', image: `proxy@sha256:${'0'.repeat(64)}` },
      ],
      dnsPolicy: 'Default',
    };
    const pod = await send('POST', '/api/v1/namespaces/team-a/pods', {
      metadata: { name: 'web' },
      spec: podSpec,
    });
    expect(pod.status).toBe(201);
    const containerDefaults = {
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    };
    expect(pod.body.spec).toMatchObject({
      dnsPolicy: 'Default',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
      initContainers: [{ ...containerDefaults, imagePullPolicy: 'Always' }],
      containers: [
        {
          ...containerDefaults,
          imagePullPolicy: 'Always',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { limits, requests: limits },
        },
        {
          ...containerDefaults,
          imagePullPolicy: 'Never',
          ports: [{ containerPort: 53, protocol: 'UDP' }],
        },
        { ...containerDefaults, imagePullPolicy: 'IfNotPresent' },
      ],
    });

    const deployment = await send(
      'POST',
      '/apis/apps/v1/namespaces/team-a/deployments',
      {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: podSpec },
        },
      },
    );
    const template = deployment.body.spec.template.spec;
    expect(template).toMatchObject({
      dnsPolicy: 'Default',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
    });
    expect(template.containers[0]).toMatchObject({
      ...containerDefaults,
      imagePullPolicy: 'Always',
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
    });
    // Requests taken from limits and service links are defaults of pods, not of templates.
    expect(template.containers[0].resources).toEqual({ limits });
    expect(template.enableServiceLinks).toBeUndefined();

    const service = await send('POST', '/api/v1/namespaces/team-a/services', {
      metadata: { name: 'web' },
      spec: {
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80 },
          { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' },
        ],
      },
    });
    expect(service.body.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [
        { name: 'http', port: 80, targetPort: 80, protocol: 'TCP' },
        { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' },
      ],
    });
    const balanced = await send('POST', '/api/v1/namespaces/team-a/services', {
      metadata: { name: 'public' },
      spec: {
        type: 'LoadBalancer',
        sessionAffinity: 'ClientIP',
        ports: [{ port: 443 }],
      },
    });
    expect(balanced.body.spec).toMatchObject({
      type: 'LoadBalancer',
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      externalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
    });
  });
});

describe('validation', () => {
  it('refuses owner references without a uid with 422 Invalid, on create, patch and apply', async () => {
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner' };
    const refusal = (name: string) => ({
      status: 422,
      body: expect.objectContaining({
        kind: 'Status',
        status: 'Failure',
        reason: 'Invalid',
        code: 422,
        message: `ConfigMap "${name}" is invalid: metadata.ownerReferences.uid: Invalid value: "": must not be empty`,
        details: {
          name,
          kind: 'ConfigMap',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: "": must not be empty',
              field: 'metadata.ownerReferences.uid',
            },
          ],
        },
      }),
    });
    for (const ownerReferences of [[owner], [{ ...owner, uid: '' }]]) {
      expect(
        await send('POST', '/api/v1/namespaces/team-a/configmaps', {
          metadata: { name: 'owned', ownerReferences },
        }),
      ).toEqual(refusal('owned'));
    }
    expect(
      (await send('GET', '/api/v1/namespaces/team-a/configmaps/owned')).status,
    ).toBe(404);

    await send('POST', '/api/v1/namespaces/team-a/configmaps', {
      metadata: { name: 'later' },
    });
    expect(
      await send(
        'PATCH',
        '/api/v1/namespaces/team-a/configmaps/later',
        { metadata: { ownerReferences: [owner] } },
        { contentType: 'application/merge-patch+json' },
      ),
    ).toEqual(refusal('later'));
    expect(
      await send(
        'PATCH',
        '/api/v1/namespaces/team-a/configmaps/applied?fieldManager=test',
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'applied', ownerReferences: [owner] },
        },
        { contentType: 'application/apply-patch+yaml' },
      ),
    ).toEqual(refusal('applied'));

    const owned = await send('POST', '/api/v1/namespaces/team-a/configmaps', {
      metadata: {
        name: 'owned',
        ownerReferences: [
          { ...owner, uid: '6b1e2f8a-0000-4000-8000-000000000001' },
        ],
      },
    });
    expect(owned.status).toBe(201);
  });

  it('refuses Endpoints and EndpointSlices with link-local or loopback addresses with 422 Invalid', async () => {
    const endpoints = (name: string, ip: string, key = 'addresses') => ({
      metadata: { name },
      subsets: [{ [key]: [{ ip }], ports: [{ port: 443 }] }],
    });
    for (const [ip, range, key] of [
      ['169.254.169.254', 'link-local range (169.254.0.0/16, fe80::/10)'],
      ['fe80::1', 'link-local range (169.254.0.0/16, fe80::/10)'],
      ['127.0.0.1', 'loopback range (127.0.0.0/8, ::1/128)'],
      ['::1', 'loopback range (127.0.0.0/8, ::1/128)', 'notReadyAddresses'],
    ]) {
      const answer = await send(
        'POST',
        '/api/v1/namespaces/team-a/endpoints',
        endpoints('metadata-service', ip, key),
      );
      expect([ip, answer.status, answer.body.reason]).toEqual([
        ip,
        422,
        'Invalid',
      ]);
      expect(answer.body.message).toBe(
        `Endpoints "metadata-service" is invalid: subsets[0].${
          key ?? 'addresses'
        }[0].ip: Invalid value: "${ip}": may not be in the ${range}`,
      );
    }

    const slice = (name: string, addressType: string, address: string) => ({
      metadata: {
        name,
        labels: { 'kubernetes.io/service-name': 'metadata-service' },
      },
      addressType,
      endpoints: [{ addresses: [address] }],
      ports: [{ port: 443 }],
    });
    const slices = '/apis/discovery.k8s.io/v1/namespaces/team-a/endpointslices';
    const linkLocal = await send(
      'POST',
      slices,
      slice('metadata-v4', 'IPv4', '169.254.169.254'),
    );
    expect(linkLocal).toEqual({
      status: 422,
      body: expect.objectContaining({
        reason: 'Invalid',
        message:
          'EndpointSlice.discovery.k8s.io "metadata-v4" is invalid: endpoints[0].addresses[0]: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
        details: expect.objectContaining({
          group: 'discovery.k8s.io',
          kind: 'EndpointSlice',
        }),
      }),
    });
    expect(
      (await send('POST', slices, slice('metadata-v6', 'IPv6', 'fe80::a')))
        .status,
    ).toBe(422);

    expect(
      (
        await send(
          'POST',
          '/api/v1/namespaces/team-a/endpoints',
          endpoints('external', '10.3.0.7'),
        )
      ).status,
    ).toBe(201);
    const accepted = await send(
      'POST',
      slices,
      slice('external-v4', 'IPv4', '10.3.0.7'),
    );
    expect(accepted.status).toBe(201);
    expect(accepted.body.ports).toEqual([
      { name: '', port: 443, protocol: 'TCP' },
    ]);
  });

  it('answers a protobuf body, which it cannot decode, with 415 Unsupported Media Type', async () => {
    const protobuf = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f]);
    for (const [method, path] of [
      ['POST', '/api/v1/namespaces/team-a/configmaps'],
      ['PUT', '/api/v1/namespaces/team-a/services/svc-00'],
      ['PATCH', '/api/v1/namespaces/team-a/services/svc-00'],
      ['DELETE', '/api/v1/namespaces/team-a/services/svc-00'],
    ]) {
      const answer = await send(method, path, protobuf, {
        contentType: 'application/vnd.kubernetes.protobuf',
      });
      expect([method, answer.status]).toEqual([method, 415]);
      expect(answer.body).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'UnsupportedMediaType',
        code: 415,
        message: expect.stringContaining(
          'the body of the request was in an unknown format - accepted media types include: ',
        ),
      });
    }
    expect(
      (
        await send('POST', '/api/v1/namespaces/team-a/configmaps', protobuf, {
          contentType: 'application/vnd.kubernetes.protobuf',
        })
      ).body.message,
    ).toContain('application/json, application/yaml');
    expect(
      (await send('GET', '/api/v1/namespaces/team-a/services/svc-00')).status,
    ).toBe(200);
  });
});

describe('Gateway API', () => {
  const gatewayApiCrds = () =>
    readManifests(join(__dirname, '../../../../test/kube/crds/gateway-api'));
  const route = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'team-a' },
    spec: {
      hostnames: ['web.example.com'],
      rules: [{ backendRefs: [{ name: 'svc-00', port: 80 }] }],
    },
  };
  const routes =
    '/apis/gateway.networking.k8s.io/v1/namespaces/team-a/httproutes';

  it('serves no Gateway API kind on a cluster without its CustomResourceDefinitions', async () => {
    const { body } = await send('GET', '/apis');
    expect(body.groups.map((g: any) => g.name)).not.toContain(
      'gateway.networking.k8s.io',
    );
    for (const path of [
      '/apis/gateway.networking.k8s.io',
      '/apis/gateway.networking.k8s.io/v1',
      '/apis/gateway.networking.k8s.io/v1/httproutes',
      '/apis/gateway.networking.k8s.io/v1/namespaces/team-a/gateways',
    ]) {
      expect([path, (await send('GET', path)).status]).toEqual([path, 404]);
    }
    expect((await send('POST', routes, route)).status).toBe(404);
  });

  it('serves the kinds of the Gateway API CustomResourceDefinitions created through the API, until they are deleted', async () => {
    for (const crd of gatewayApiCrds()) {
      const created = await send(
        'POST',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
        crd,
      );
      expect([crd.metadata.name, created.status]).toEqual([
        crd.metadata.name,
        201,
      ]);
    }
    const group = await send('GET', '/apis/gateway.networking.k8s.io');
    expect(group.body.preferredVersion.version).toBe('v1');
    expect(group.body.versions.map((v: any) => v.version)).toEqual([
      'v1',
      'v1beta1',
    ]);
    const { body: resources } = await send(
      'GET',
      '/apis/gateway.networking.k8s.io/v1',
    );
    expect(resources.resources.map((r: any) => r.name).sort()).toEqual([
      'backendtlspolicies',
      'gatewayclasses',
      'gateways',
      'grpcroutes',
      'httproutes',
      'listenersets',
      'referencegrants',
      'tcproutes',
      'tlsroutes',
      'udproutes',
    ]);
    expect(resources.resources.find((r: any) => r.name === 'gateways')).toEqual(
      expect.objectContaining({
        kind: 'Gateway',
        namespaced: true,
        shortNames: ['gtw'],
        categories: ['gateway-api'],
      }),
    );

    expect((await send('POST', routes, route)).status).toBe(201);
    const read = await send(
      'GET',
      '/apis/gateway.networking.k8s.io/v1beta1/namespaces/team-a/httproutes/web',
    );
    expect(read.body).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'HTTPRoute',
      spec: route.spec,
    });

    const deleted = await send(
      'DELETE',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/httproutes.gateway.networking.k8s.io',
    );
    expect(deleted.status).toBe(200);
    expect((await send('GET', routes)).status).toBe(404);
    expect(
      (await send('GET', '/apis/gateway.networking.k8s.io/v1/gateways')).status,
    ).toBe(200);
  });

  it('serves them from the start on a cluster whose manifests declare the CustomResourceDefinitions', async () => {
    const declared = await startCluster({
      spec: { ...spec, name: 'with-gateway-api' },
      objects: [
        route,
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
        ...gatewayApiCrds(),
      ],
    });
    try {
      const { status, body } = await send('GET', routes, undefined, {
        url: declared.url,
      });
      expect(status).toBe(200);
      expect(body.items.map((r: any) => r.metadata.name)).toEqual(['web']);
    } finally {
      await declared.stop();
    }
  });
});
