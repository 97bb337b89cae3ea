import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  loadManifestCluster,
  ManifestError,
  parseManifests,
  toInventory,
} from '.';
import { canariesIn } from '../engine/__testUtils__/canary';
import { sandboxClusters } from '../engine/__testUtils__/sandboxEstates';

const FIXTURES = path.resolve(__dirname, '../engine/__fixtures__');

describe('manifests', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-manifests-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads kubectl List dumps and multi-document files into the collected kinds', async () => {
    const { inventory, skipped } = await loadManifestCluster(
      [path.join(FIXTURES, 'tke-saas-primary')],
      { name: 'p' },
    );
    expect(
      inventory.objects.istioGateways?.map(g => g.metadata.name).sort(),
    ).toEqual(['cross-network-gateway', 'istiod-gateway', 'saas-gateway']);
    expect(inventory.objects.istioOperators).toHaveLength(1);
    expect(inventory.objects.virtualServices).toHaveLength(2);
    expect(inventory.objects.k8sGateways).toBeUndefined();
    expect(skipped).toEqual({});
    // TKE annotations tell the provider when none is given.
    expect(inventory.cluster).toMatchObject({
      name: 'p',
      provider: 'tencent',
      source: 'manifests',
      readOnly: true,
    });
  });

  it('tells Istio and Gateway API Gateways apart by API group, and skips unknown kinds', () => {
    const objects = parseManifests(
      [
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: Gateway',
        'metadata: { name: web }',
        'spec: { gatewayClassName: istio }',
        '---',
        'apiVersion: networking.istio.io/v1',
        'kind: Gateway',
        'metadata: { name: web, namespace: istio-system }',
        '---',
        'apiVersion: cert-manager.io/v1',
        'kind: Certificate',
        'metadata: { name: web }',
      ].join('\n'),
      'mixed.yaml',
    ).map(o => o.object);
    const { inventory, skipped } = toInventory(
      objects,
      { name: 'c', source: 'manifests', provider: 'generic' },
      '2026-01-01T00:00:00Z',
    );
    expect(inventory.objects.k8sGateways?.[0].metadata).toMatchObject({
      name: 'web',
      namespace: 'default',
    });
    expect(inventory.objects.istioGateways?.[0].metadata).toMatchObject({
      name: 'web',
      namespace: 'istio-system',
    });
    expect(skipped).toEqual({ 'cert-manager.io/v1 Certificate': 1 });
  });

  it('reads objects as an API server would hold them: defaults filled in, listed by namespace and name', () => {
    const objects = parseManifests(
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: web, namespace: shop }',
        'spec: { ports: [{ port: 80 }, { port: 53, protocol: UDP, targetPort: dns }] }',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: api, namespace: shop }',
        'spec: { type: LoadBalancer, ports: [{ port: 443, targetPort: 8443 }] }',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: zeta, namespace: blog }',
        'spec: { ports: [{ port: 8080 }] }',
      ].join('\n'),
      'services.yaml',
    ).map(o => o.object);
    const services = toInventory(
      objects,
      { name: 'c', source: 'manifests', provider: 'generic' },
      '2026-01-01T00:00:00Z',
    ).inventory.objects.services!;
    expect(
      services.map(s => `${s.metadata.namespace}/${s.metadata.name}`),
    ).toEqual(['blog/zeta', 'shop/api', 'shop/web']);
    const web = services[2].spec;
    expect(web.type).toBe('ClusterIP');
    expect(web.ports).toEqual([
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 53, protocol: 'UDP', targetPort: 'dns' },
    ]);
    expect(services[1].spec).toMatchObject({
      type: 'LoadBalancer',
      ports: [{ port: 443, protocol: 'TCP', targetPort: 8443 }],
    });
  });

  it('keeps certificate expiry and drops every byte of Secret data, last-applied copies included', async () => {
    const { inventory } = await loadManifestCluster(
      [path.join(FIXTURES, 'tke-saas-primary'), path.join(FIXTURES, 'edge')],
      { name: 'x' },
    );
    expect(inventory.certificates).toEqual([
      expect.objectContaining({
        secret: 'istio-system/saas-tls',
        notAfter: '2026-12-10T00:00:00.000Z',
        dnsNames: ['app.saas.example.com'],
      }),
    ]);
    const secrets = inventory.objects.secrets ?? [];
    expect(secrets.map(s => s.metadata.name).sort()).toEqual([
      'edge-basic-auth',
      'istio-remote-secret-tke-saas-remote',
      'saas-tls',
    ]);
    expect(
      secrets.find(
        s => s.metadata.name === 'istio-remote-secret-tke-saas-remote',
      )?.metadata,
    ).toMatchObject({
      labels: { 'istio/multiCluster': 'true' },
      annotations: { 'networking.istio.io/cluster': 'tke-saas-remote' },
    });
    expect(canariesIn(JSON.stringify(inventory))).toEqual([]);
    expect(
      secrets.every(
        s => s.data === undefined && (s as any).stringData === undefined,
      ),
    ).toBe(true);
  });

  it('drops the canaries every sandbox Secret carries', async () => {
    const sandbox = path.resolve(__dirname, '../../../../examples/sandbox');
    const raw = await fs.readFile(
      path.join(sandbox, 'huawei-cce/00-api-proxy.yaml'),
      'utf8',
    );
    // In the files they sit in base64 inside a dockerconfigjson and in plain Secret data.
    expect(canariesIn(raw).length).toBeGreaterThan(0);
    const estates = await sandboxClusters();
    expect(
      estates.flatMap(e => e.objects.secrets ?? []).length,
    ).toBeGreaterThan(10);
    expect(canariesIn(JSON.stringify(estates))).toEqual([]);
  });

  it('reads a certificate given as stringData', async () => {
    const { inventory } = await loadManifestCluster(
      [path.join(FIXTURES, 'misconfigured')],
      { name: 'm' },
    );
    expect(inventory.certificates.map(c => c.secret)).toEqual([
      'istio-system/shop-tls',
    ]);
    expect(canariesIn(JSON.stringify(inventory))).toEqual([]);
  });

  it('names the file and line of bad YAML', async () => {
    const file = path.join(dir, 'broken.yaml');
    await fs.writeFile(
      file,
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: Service\nmetadata: { name: [unclosed\n',
    );
    await expect(loadManifestCluster([dir])).rejects.toThrow(ManifestError);
    await expect(loadManifestCluster([dir])).rejects.toThrow(
      `${file}:9: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
  });

  it('skips an object without a name, naming its file and line, and reads the rest of the file', async () => {
    const file = path.join(dir, 'nameless.yaml');
    await fs.writeFile(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n---\napiVersion: v1\nkind: Service\nmetadata: { name: a, namespace: web }\nspec: { ports: [{ port: 80 }] }\n',
    );
    const { inventory, skipped, skippedDocuments } = await loadManifestCluster([
      file,
    ]);
    expect(skipped).toEqual({});
    expect(skippedDocuments).toEqual([
      {
        file,
        line: 1,
        reason: 'an object without kind or metadata.name (kind ConfigMap)',
      },
    ]);
    expect(inventory.objects.services?.map(s => s.metadata.name)).toEqual([
      'a',
    ]);
  });

  it('names a path that does not exist', async () => {
    await expect(loadManifestCluster([path.join(dir, 'nope')])).rejects.toThrow(
      `${path.join(dir, 'nope')}: no such file or directory`,
    );
  });
});
