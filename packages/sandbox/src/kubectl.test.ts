import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sandboxKubeconfig } from './kubeconfig';
import { Sandbox, startSandbox } from './startSandbox';

const KUBECTL = '/usr/bin/kubectl';
const ESTATES = path.resolve(__dirname, '../../../examples/sandbox');
const available = fs.existsSync(KUBECTL);

if (!available) {
  // eslint-disable-next-line no-console
  console.warn(
    `Skipping the kubectl tests: ${KUBECTL} is missing. Install it with scripts/test-deps.sh (Debian package kubernetes-client).`,
  );
}

(available ? describe : describe.skip)('kubectl against the sandbox', () => {
  let sandbox: Sandbox;
  let dir: string;

  beforeAll(async () => {
    sandbox = await startSandbox({
      estatesDir: ESTATES,
      clusters: ['tke-blog', 'tke-saas-primary'],
      withCloud: false,
      basePort: 0,
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-kubectl-'));
    // kubectl sends bearer tokens over TLS only, so it talks to the clusters' HTTPS side.
    const servers = (token?: string) =>
      Object.fromEntries(
        Object.entries(sandbox.clusters).map(([name, c]) => [
          name,
          { url: c.httpsUrl, token: token ?? c.token },
        ]),
      );
    fs.writeFileSync(path.join(dir, 'config'), sandboxKubeconfig(servers()));
    fs.writeFileSync(
      path.join(dir, 'no-secrets'),
      sandboxKubeconfig(servers('sandbox-token-no-secrets')),
    );
  });

  afterAll(async () => {
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function kubectl(
    args: string[],
    kubeconfig = 'config',
    stdin?: string,
  ) {
    const child = promisify(execFile)(
      KUBECTL,
      [
        '--kubeconfig',
        path.join(dir, kubeconfig),
        '--cache-dir',
        path.join(dir, 'cache'),
        ...args,
      ],
      { timeout: 30_000 },
    );
    if (stdin !== undefined) {
      child.child.stdin!.end(stdin);
    }
    return (await child).stdout;
  }

  it('lists the Services of the estate', async () => {
    const output = await kubectl(['--context', 'tke-blog', 'get', 'svc', '-A']);
    expect(output).toMatch(
      /istio-system\s+istio-ingressgateway\s+LoadBalancer\s+\S+\s+198\.51\.100\.11\s+15021:30521\/TCP,80:30080\/TCP,443:30443\/TCP/,
    );
    expect(output).toMatch(/blog\s+blog/);
    expect(output).toMatch(/default\s+kubernetes/);
    const json = JSON.parse(
      await kubectl([
        '--context',
        'tke-blog',
        'get',
        'svc',
        '-A',
        '-o',
        'json',
      ]),
    );
    expect(
      json.items.map((s: any) => `${s.metadata.namespace}/${s.metadata.name}`),
    ).toEqual([
      'blog/blog',
      'default/kubernetes',
      'istio-system/istio-ingressgateway',
      'istio-system/istiod-1-10-3',
      'kube-system/kube-dns',
    ]);
  });

  it('lists Istio gateways by their full resource name and short name', async () => {
    const output = await kubectl([
      '--context',
      'tke-saas-primary',
      'get',
      'gateways.networking.istio.io',
      '-A',
    ]);
    for (const name of [
      'istiod-gateway',
      'cross-network-gateway',
      'saas-gateway',
      'saas-admin-gateway',
    ]) {
      expect(output).toContain(name);
    }
    expect(
      await kubectl([
        '--context',
        'tke-blog',
        'get',
        'vs',
        '-n',
        'blog',
        '-o',
        'name',
      ]),
    ).toBe('virtualservice.networking.istio.io/blog\n');
  });

  // The stand-in serves no OpenAPI documents, so kubectl cannot validate manifests itself.
  it('applies, patches and deletes through the API like against a real cluster', async () => {
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'from-kubectl', namespace: 'blog' },
      data: { color: 'blue' },
    });
    expect(
      await kubectl(
        ['--context', 'tke-blog', 'apply', '--validate=false', '-f', '-'],
        'config',
        manifest,
      ),
    ).toContain('created');
    const changed = manifest.replace('blue', 'green');
    expect(
      await kubectl(
        ['--context', 'tke-blog', 'apply', '--validate=false', '-f', '-'],
        'config',
        changed,
      ),
    ).toContain('configured');
    await kubectl([
      '--context',
      'tke-blog',
      'patch',
      'configmap',
      'from-kubectl',
      '-n',
      'blog',
      '--type',
      'merge',
      '-p',
      '{"data":{"size":"L"}}',
    ]);
    const data = JSON.parse(
      await kubectl([
        '--context',
        'tke-blog',
        'get',
        'cm',
        'from-kubectl',
        '-n',
        'blog',
        '-o',
        'jsonpath={.data}',
      ]),
    );
    expect(data).toEqual({ color: 'green', size: 'L' });
    expect(
      await kubectl([
        '--context',
        'tke-blog',
        'delete',
        'cm',
        'from-kubectl',
        '-n',
        'blog',
      ]),
    ).toContain('deleted');
  });

  it('shows a Forbidden error to an identity that may not read Secrets', async () => {
    await expect(
      kubectl(['--context', 'tke-blog', 'get', 'secrets', '-A'], 'no-secrets'),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('secrets is forbidden'),
    });
  });
});
