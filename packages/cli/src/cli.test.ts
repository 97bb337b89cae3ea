import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The backend's test helpers: shared by its tests and these, not part of its published API.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { canariesIn } from '@ingress-atlas/plugin-ingress-atlas-backend/src/engine/__testUtils__/canary';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(
  REPO_ROOT,
  'plugins/ingress-atlas-backend/src/engine/__fixtures__',
);

/** Runs the CLI exactly as `yarn ingress-atlas` does (the root package.json script). */
function cli(...args: string[]) {
  const script: string = require(path.join(REPO_ROOT, 'package.json')).scripts[
    'ingress-atlas'
  ];
  const [command, ...scriptArgs] = script.split(' ');
  expect(command).toBe('node');
  const result = spawnSync(process.execPath, [...scriptArgs, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: FIXTURES },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ingress-atlas analyze', () => {
  it('prints the paths, costs and findings of a cluster, and fails on errors by default', () => {
    const { code, stdout } = cli(
      'analyze',
      '-f',
      'tke-blog',
      '--cluster-name',
      'tke-blog',
      '--now',
      '2026-11-21',
    );
    expect(stdout).toMatch(
      /blog\.example\.com\s+public\s+CLB lb-blog0001 · 198\.51\.100\.11 · ports 80, 443/,
    );
    expect(stdout).toContain('tcm 1.10.3 (1-10-3)');
    expect(stdout).toContain('saves 144.00 CNY/month');
    expect(stdout).toContain('[CREDENTIAL_SECRET_WRONG_NAMESPACE]');
    expect(stdout).toContain(
      'template: template:default/migrate-tcm-to-istiod',
    );
    expect(code).toBe(79);
  });

  it('exits by the --fail-on threshold, like istioctl analyze', () => {
    const saas = ['analyze', '-f', 'tke-saas-primary', '--now', '2026-11-21'];
    expect(cli(...saas).code).toBe(0);
    expect(cli(...saas, '--fail-on', 'warning').code).toBe(79);
    expect(cli(...saas, '--fail-on', 'none').code).toBe(0);
    // Nineteen days later the certificate has expired: an error.
    expect(
      cli('analyze', '-f', 'tke-saas-primary', '--now', '2026-12-11').code,
    ).toBe(79);
  });

  it('writes the model as JSON', () => {
    const { code, stdout } = cli(
      'analyze',
      '-f',
      'huawei-cce',
      '-o',
      'json',
      '--fail-on',
      'none',
      '--now',
      '2026-11-21',
    );
    expect(code).toBe(0);
    const model = JSON.parse(stdout);
    expect(model.clusters).toEqual([
      expect.objectContaining({ name: 'huawei-cce', provider: 'huawei' }),
    ]);
    expect(model.findings.map((f: any) => f.code)).toContain(
      'APISERVER_PUBLIC',
    );
  });

  it('skips a document that is not a Kubernetes object, naming file and line, and goes on', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-cli-'));
    try {
      const file = path.join(dir, 'mixed.yaml');
      await fs.writeFile(
        file,
        'replicaCount: 2\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  ports: [{port: 443}]\n',
      );
      const { code, stderr, stdout } = cli('analyze', '-f', file);
      expect(code).toBe(0);
      expect(stderr).toBe(
        `Skipped 1 document(s):\n  ${file}:1 not a Kubernetes object (no apiVersion and kind)\n`,
      );
      expect(stdout).toMatch(
        /Load balancer · port 443 \(default\/web\) +public/,
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('names the file and line of bad YAML and exits 65', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-cli-'));
    try {
      const file = path.join(dir, 'gateway.yaml');
      await fs.writeFile(
        file,
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels: app: b\n',
      );
      const { code, stderr, stdout } = cli('analyze', '-f', file);
      expect(code).toBe(65);
      expect(stderr).toBe(
        `Error: ${file}:5: invalid YAML: Nested mappings are not allowed in compact mappings\n`,
      );
      expect(stdout).toBe('');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad usage with exit 64', () => {
    expect(cli('analyze').code).toBe(64);
    expect(cli('analyze', '-f', 'edge', '-o', 'yaml').stderr).toContain(
      '-o must be table or json',
    );
    expect(cli('inspect').code).toBe(64);
  });

  it('analyzes the sandbox estates folder, owners from the demo catalog', () => {
    const { code, stdout } = cli(
      'analyze',
      '-f',
      path.join(REPO_ROOT, 'examples/sandbox'),
      '--entities',
      path.join(REPO_ROOT, 'examples/entities.yaml'),
      '--now',
      '2026-11-22',
    );
    expect(code).toBe(79);
    // saas-admin-gateway's missing workload is a warning offline: the manifests may be split.
    // The errors: the huawei-cce API server in public, shop's TLS Secret in the wrong
    // namespace, the legacy gateway's DNS policy, the front proxy's Envoy that cannot bind
    // 80/443 as uid 101, and a VirtualService bound to a Gateway that does not exist.
    expect(stdout).toMatch(/^9 cluster\(s\), \d+ path\(s\); 5 error\(s\)/m);
    expect(stdout).toContain(
      "[HOSTNETWORK_PRIVILEGED_PORT] Container envoy of Deployment front-proxy/front-envoy in edge listens on the host network's ports 80, 443",
    );
    expect(stdout).toMatch(/blog\.example\.com .*component:default\/blog/);
    expect(stdout).toContain('[APISERVER_PUBLIC] The API server of huawei-cce');
    // Load balancer kinds from the Services; node IPs keyed by node, as no cloud is given.
    expect(stdout).toContain(
      'CLB lb-bp1asmgw001 · 203.0.113.131 · ports 15021, 80, 443',
    );
    expect(stdout).toContain(
      'ELB 4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07 · 192.0.2.50 · EIP elb-4f0c1c25-7a4e-4b9a-9d51-3b2f8e6a1c07-eip · port 443',
    );
    expect(stdout).toMatch(
      /edge host-network istio-system\/istio-ingressgateway +in-use +0\.00 +no fixed fee; billed by traffic, volume unknown/,
    );
  });

  it('never prints secret data', async () => {
    const clusters = await fs.readdir(FIXTURES);
    expect(clusters.length).toBeGreaterThanOrEqual(7);
    for (const output of ['table', 'json']) {
      for (const dir of clusters) {
        const { stdout, stderr } = cli(
          'analyze',
          '-f',
          dir,
          '-o',
          output,
          '--fail-on',
          'none',
        );
        const printed = stdout + stderr;
        expect(printed.length).toBeGreaterThan(100);
        expect(canariesIn(printed)).toEqual([]);
      }
    }
  });
});
